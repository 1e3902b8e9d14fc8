using FundingPrograms.Programmes;
using FundingPrograms.ReferenceData;

namespace FundingPrograms.Reports;

/// <summary>One row: the values of the grouping dimensions (codes and labels) and the measures asked for (others null).</summary>
public sealed record FundingRow(
    Dictionary<string, string> Key, Dictionary<string, string> Labels, decimal? Granted, decimal? Paid, int? Grants, int? Applications, int? Applicants);

public sealed record FundingReport(
    int? Year,
    string[] GroupBy,
    string[] Measures,
    IReadOnlyList<FundingRow> Rows,
    FundingRow Total,
    string[] NonAdditive,
    string[] Notes,
    ReportBasis Basis);

/// <summary>The names a report can show for codes: programmes (German name) and the reference data.</summary>
public sealed record ReportLabels(ReferenceCatalogue Reference, IReadOnlyDictionary<Guid, string> Programmes, string Language = "de")
{
    public static async Task<ReportLabels> Load(IQuerySession session, ReferenceCatalogue reference, string language, CancellationToken ct)
    {
        var programmes = await session.Query<Programme>().ToListAsync(ct);
        return new ReportLabels(reference, programmes.ToDictionary(p => p.Id, p => p.Definition.Name.In(language)), language);
    }

    public string Label(string dimension, string code) => code == "" ? "(none)" : dimension switch
    {
        "dimension" => Reference.TargetDimensions.FirstOrDefault(c => c.Code == code)?.Name.In(Language) ?? code,
        "targetGroup" => Reference.TargetGroups.FirstOrDefault(c => c.Code == code)?.Name.In(Language) ?? code,
        "organisationType" => Reference.OrganisationTypes.FirstOrDefault(c => c.Code == code)?.Name.In(Language) ?? code,
        "district" => Reference.Districts.FirstOrDefault(d => d.Code == code)?.Name ?? code,
        "region" => Reference.Regions.FirstOrDefault(r => r.Code == code)?.Name ?? code,
        "programme" => Guid.TryParse(code, out var id) && Programmes.TryGetValue(id, out var name) ? name : code,
        _ => code,
    };
}

public static class Funding
{
    public static readonly string[] Dimensions = ["dimension", "district", "region", "settlement", "targetGroup", "organisationType", "programme", "year"];
    public static readonly string[] AllMeasures = ["granted", "paid", "grants", "applications", "applicants"];
    private static readonly string[] AreaDimensions = ["district", "region", "settlement"];

    private sealed class Cell
    {
        public decimal Granted;
        public decimal Paid;
        public readonly HashSet<Guid> Grants = [];
        public readonly HashSet<Guid> Applications = [];
        public readonly HashSet<Guid> Organisations = [];
    }

    /// <summary>
    /// The funding report, pure: money granted (the notice in force, per budget year) and paid (booked, per budget year),
    /// grants, applications (submitted at least once, by year of first submission) and applicants (distinct organisations
    /// among them). Money of a multi-district project is split by its shares to the cent; a project counts in every target
    /// group it serves with its full amount (not additive). The total is computed from the facts, never by adding rows.
    /// </summary>
    public static FundingReport Compute(FactSet facts, int? year, string[] groupBy, string[] measures, ReportLabels labels, ReportBasis basis)
    {
        var byArea = groupBy.Any(AreaDimensions.Contains);
        var byGroup = groupBy.Contains("targetGroup");
        var cells = new Dictionary<string, (string[] Key, Cell Cell)>(StringComparer.Ordinal);
        var total = new Cell();
        var districts = labels.Reference.Districts.ToDictionary(d => d.Code);

        Cell CellFor(ApplicationFact a, string? district, string? group, int y)
        {
            var key = new string[groupBy.Length];
            for (var i = 0; i < groupBy.Length; i++)
                key[i] = groupBy[i] switch
                {
                    "dimension" => a.TargetDimension ?? "",
                    "district" => district ?? "",
                    "region" => district is not null && districts.TryGetValue(district, out var d) ? d.Region : "",
                    "settlement" => district is not null && districts.TryGetValue(district, out var s) ? s.Settlement : "",
                    "targetGroup" => group ?? "",
                    "organisationType" => a.OrganisationType,
                    "programme" => a.ProgrammeId.ToString(),
                    _ => y.ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
            var joined = string.Join('\u001f', key);
            if (!cells.TryGetValue(joined, out var entry)) cells[joined] = entry = (key, new Cell());
            return entry.Cell;
        }

        foreach (var a in facts.Applications)
        {
            string?[] groups = byGroup ? (a.TargetGroups.Length > 0 ? a.TargetGroups : [""]) : new string?[] { null };
            string?[] areas = byArea ? (a.Districts.Length > 0 ? a.Districts.Distinct().ToArray() : [""]) : new string?[] { null };

            var submitted = BerlinTime.Today(a.SubmittedAt!.Value).Year;
            if (year is null || submitted == year)
            {
                total.Applications.Add(a.Id);
                total.Organisations.Add(a.OrganisationId);
                foreach (var d in areas)
                    foreach (var g in groups)
                    {
                        var cell = CellFor(a, d, g, submitted);
                        cell.Applications.Add(a.Id);
                        cell.Organisations.Add(a.OrganisationId);
                    }
            }

            if (facts.GrantOf(a) is not { } grant) continue;
            var years = grant.GrantedPerYear.Select(y => y.Year).Union(grant.PaidPerYear.Select(y => y.Year)).Where(y => year is null || y == year).Distinct();
            foreach (var y in years)
            {
                var granted = grant.GrantedPerYear.Where(x => x.Year == y).Sum(x => x.Amount);
                var paid = grant.PaidPerYear.Where(x => x.Year == y).Sum(x => x.Amount);
                if (granted == 0 && paid == 0) continue;
                total.Granted += granted;
                total.Paid += paid;
                total.Grants.Add(grant.Id);
                var grantedParts = byArea ? Facts.Split(granted, a.Districts, a.DistrictShares) : [("", granted)];
                var paidParts = byArea ? Facts.Split(paid, a.Districts, a.DistrictShares) : [("", paid)];
                for (var i = 0; i < grantedParts.Length; i++)
                    foreach (var g in groups)
                    {
                        var district = byArea ? (grantedParts[i].District == "" ? null : grantedParts[i].District) : null;
                        var cell = CellFor(a, district, g, y);
                        cell.Granted += grantedParts[i].Amount;
                        cell.Paid += paidParts[i].Amount;
                        cell.Grants.Add(grant.Id);
                    }
            }
        }

        FundingRow Row(string[] key, Cell c) => new(
            groupBy.Select((dim, i) => (dim, key[i])).ToDictionary(x => x.dim, x => x.Item2),
            groupBy.Select((dim, i) => (dim, labels.Label(dim, key[i]))).ToDictionary(x => x.dim, x => x.Item2),
            measures.Contains("granted") ? c.Granted : null,
            measures.Contains("paid") ? c.Paid : null,
            measures.Contains("grants") ? c.Grants.Count : null,
            measures.Contains("applications") ? c.Applications.Count : null,
            measures.Contains("applicants") ? c.Organisations.Count : null);

        var rows = cells.Values
            .OrderBy(e => e.Key, Comparer<string[]>.Create((x, y) =>
            {
                for (var i = 0; i < x.Length; i++)
                {
                    var c = string.CompareOrdinal(x[i], y[i]);
                    if (c != 0) return c;
                }
                return 0;
            }))
            .Select(e => Row(e.Key, e.Cell)).ToList();

        var nonAdditive = new List<string>();
        var notes = new List<string>();
        if (groupBy.Length > 0) nonAdditive.Add("applicants");
        if (byGroup)
        {
            nonAdditive.AddRange(["granted", "paid", "grants", "applications"]);
            notes.Add("Target groups are not additive: a project serving several target groups counts in each with its full amount, so the total is not the sum of the rows.");
        }
        else if (byArea)
        {
            nonAdditive.AddRange(["grants", "applications"]);
            notes.Add("Money of a project in several districts is split by its declared shares (equal shares when none are declared), exact to the cent; the project itself counts in each area it serves, so counts do not add up to the total.");
        }
        if (groupBy.Contains("year") && !nonAdditive.Contains("grants"))
        {
            nonAdditive.Add("grants");
            notes.Add("A grant counts in every budget year it has money in.");
        }
        if (groupBy.Length > 0) notes.Add("An organisation with several applications counts once per row and once in the total.");
        notes.Add("Granted: the notice in force per budget year. Paid: money booked per budget year. Applications: submitted at least once (drafts excluded, withdrawn and rejected included), by year of first submission.");

        return new FundingReport(year, groupBy, measures, rows, Row(groupBy.Select(_ => "").ToArray(), total) with
        {
            Key = groupBy.ToDictionary(d => d, _ => ""),
            Labels = groupBy.ToDictionary(d => d, _ => "Total"),
        }, nonAdditive.Where(measures.Contains).Distinct().ToArray(), notes.ToArray(), basis);
    }

    public static (string[] GroupBy, string[] Measures) Parse(string? groupBy, string? measure, int? year, HttpContext http, Check check)
    {
        var dims = Split(groupBy);
        var measures = Split(measure);
        if (measures.Length == 0) measures = AllMeasures;
        check.Bound(http, "year", year)
            .That(year is null or (>= 2000 and <= 2100), "year", "A budget year between 2000 and 2100.")
            .That(dims.All(Dimensions.Contains), "groupBy", $"Group by any of: {string.Join(", ", Dimensions)} (comma-separated).")
            .That(dims.Distinct().Count() == dims.Length, "groupBy", "Each dimension once.")
            .That(measures.All(AllMeasures.Contains), "measure", $"Measures: {string.Join(", ", AllMeasures)} (comma-separated).");
        return (dims, measures.Distinct().ToArray());
    }

    private static string[] Split(string? list) =>
        string.IsNullOrWhiteSpace(list) ? [] : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public static class FundingReportEndpoint
{
    /// <summary>
    /// Money granted and paid, grants, applications and applicant organisations, grouped by any combination of target
    /// dimension, district, region, settlement (urban/rural), target group, organisation type, programme and budget year.
    /// </summary>
    [WolverineGet("/reports/funding", OperationId = "FundingReport"), Authorize(Roles = Roles.Staff)]
    [Tags("Reports"), EndpointSummary("Funding report: granted, paid, grants, applications, applicants by any grouping (?asOf= or ?edition= to reproduce)")]
    public static async Task<FundingReport> Get(int? year, string? groupBy, string? measure, DateTimeOffset? asOf, Guid? edition, IQuerySession session,
        ReferenceCatalogue reference, HttpContext http, CancellationToken ct)
    {
        var check = new Check();
        var (dims, measures) = Funding.Parse(groupBy, measure, year, http, check);
        var (facts, basis) = await ReportScope.Load(asOf, edition, session, http, check, ct);
        var labels = await ReportLabels.Load(session, reference, "de", ct);
        return Funding.Compute(facts, year, dims, measures, labels, basis);
    }
}
