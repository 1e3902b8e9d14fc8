using FundingPrograms.Applications;
using FundingPrograms.ReferenceData;

namespace FundingPrograms.Reports;

/// <summary>Durations in days (2 decimals) of the cases that completed a step in a month (Europe/Berlin), per programme.</summary>
public sealed record ProcessingTimeRow(string Measure, Guid ProgrammeId, string ProgrammeName, string Month, int Count, decimal MedianDays, decimal P90Days);

public sealed record ProcessingTimesReport(int? Year, IReadOnlyList<ProcessingTimeRow> Rows, string[] Notes, ReportBasis Basis);

public static class ProcessingTimes
{
    public const string SubmissionToDecision = "submissionToDecision";
    public const string SubmissionToFirstPayment = "submissionToFirstPayment";
    public const string ProofSubmittedToExamined = "proofSubmittedToExamined";

    public static ProcessingTimesReport Compute(FactSet facts, int? year, ReportLabels labels, ReportBasis basis)
    {
        var samples = new List<(string Measure, Guid Programme, DateTimeOffset End, decimal Days)>();
        foreach (var a in facts.Applications)
        {
            var start = a.SubmittedAt!.Value;
            if (a.DecidedAt is { } decided && a.State is ApplicationState.Approved or ApplicationState.Rejected)
                samples.Add((SubmissionToDecision, a.ProgrammeId, decided, Days(decided - start)));
            if (facts.GrantOf(a)?.FirstPaidAt is { } paid)
                samples.Add((SubmissionToFirstPayment, a.ProgrammeId, paid, Days(paid - start)));
        }
        foreach (var p in facts.Proofs ?? [])
            if (p is { SubmittedAt: { } submitted, ExaminedAt: { } examined })
                samples.Add((ProofSubmittedToExamined, p.ProgrammeId, examined, Days(examined - submitted)));
        var rows = samples
            .Select(s => (s.Measure, s.Programme, Month: BerlinTime.Today(s.End).ToString("yyyy-MM"), s.Days, Year: BerlinTime.Today(s.End).Year))
            .Where(s => year is null || s.Year == year)
            .GroupBy(s => (s.Measure, s.Programme, s.Month))
            .Select(g =>
            {
                var sorted = g.Select(s => s.Days).Order().ToArray();
                return new ProcessingTimeRow(g.Key.Measure, g.Key.Programme, labels.Label("programme", g.Key.Programme.ToString()), g.Key.Month, sorted.Length,
                    Median(sorted), Percentile(sorted, 0.9m));
            })
            .OrderBy(r => r.Measure, StringComparer.Ordinal).ThenBy(r => r.ProgrammeName, StringComparer.Ordinal).ThenBy(r => r.Month, StringComparer.Ordinal)
            .ToList();
        return new ProcessingTimesReport(year, rows,
        [
            "submissionToDecision: first submission to approval or rejection, in the month of the decision.",
            "submissionToFirstPayment: first submission to the first money booked to the grant, in the month of that booking.",
            "Median: the middle value (mean of the two middle values for an even count). p90: the smallest value at or above 90 % of the cases (nearest rank).",
            "proofSubmittedToExamined: first submission of a proof of use (interim or final) to its examination note (Prüfvermerk), in the month of the examination; time returned for completion included.",
        ], basis);
    }

    private static decimal Days(TimeSpan span) => decimal.Round((decimal)span.TotalMinutes / 1440m, 2, MidpointRounding.AwayFromZero);

    public static decimal Median(decimal[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : decimal.Round((sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2m, 2, MidpointRounding.AwayFromZero);

    /// <summary>Nearest-rank percentile: the value at rank ceil(p × n).</summary>
    public static decimal Percentile(decimal[] sorted, decimal p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

public static class ProcessingTimesEndpoint
{
    [WolverineGet("/reports/processing-times", OperationId = "ProcessingTimesReport"), Authorize(Roles = Roles.Staff)]
    [Tags("Reports"), EndpointSummary("Processing times per programme and month: median, p90 and count (?asOf= or ?edition= to reproduce)")]
    public static async Task<ProcessingTimesReport> Get(int? year, DateTimeOffset? asOf, Guid? edition, IQuerySession session, ReferenceCatalogue reference,
        HttpContext http, CancellationToken ct)
    {
        var check = new Check().Bound(http, "year", year).That(year is null or (>= 2000 and <= 2100), "year", "A year between 2000 and 2100.");
        var (facts, basis) = await ReportScope.Load(asOf, edition, session, http, check, ct);
        return ProcessingTimes.Compute(facts, year, await ReportLabels.Load(session, reference, "de", ct), basis);
    }
}
