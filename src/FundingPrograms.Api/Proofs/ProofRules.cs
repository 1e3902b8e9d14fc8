using System.Security.Cryptography;
using FundingPrograms.Applications;
using FundingPrograms.Grants;
using FundingPrograms.Programmes;
using FundingPrograms.ReferenceData;

namespace FundingPrograms.Proofs;

public sealed record ParticipantInput(string? TargetGroup, int? Count);

public sealed record ReportInput(string? Activities, string? Results, ParticipantInput[]? Participants);

public sealed record CostLineInput(int? Line, decimal? Actual);

public sealed record NumbersInput(CostLineInput[]? Lines, decimal? OwnCash, decimal? VolunteerWork, decimal? ThirdPartyFunds, decimal? GrantReceived);

public sealed record ReceiptInput(string? Number, DateOnly? Date, string? Payee, string? Purpose, int? PlanLine, decimal? Amount, DateOnly? PaidOn = null);

/// <summary>What an applicant writes into a proof; a draft may be incomplete, submission requires all of it.</summary>
public sealed record ProofContentInput(ReportInput? Report, NumbersInput? Numbers, ReceiptInput[]? Receipts);

/// <summary>Something wrong with a proof: blocking findings refuse submission (422), the others are flagged.</summary>
public sealed record Finding(string Code, string Field, string Message, bool Blocking);

public static class ProofRules
{
    public const int MaxReceipts = 5000;

    /// <summary>Shape of the content (400 on bad fields); plan lines are 1..<paramref name="planLines"/>.</summary>
    public static ProofContent Parse(ProofContentInput? input, int planLines, ReferenceCatalogue reference, Check check)
    {
        var report = input?.Report;
        check.That(report?.Activities is null || report.Activities.Length <= 20_000, "report.activities", "At most 20,000 characters are allowed.")
            .That(report?.Results is null || report.Results.Length <= 20_000, "report.results", "At most 20,000 characters are allowed.");
        var participants = (report?.Participants ?? []).Select(p => p ?? new ParticipantInput(null, null)).ToArray();
        for (var i = 0; i < participants.Length; i++)
            check.That(participants[i].TargetGroup is { } g && reference.IsTargetGroup(g), $"report.participants[{i}].targetGroup",
                    $"'{participants[i].TargetGroup}' is not a known target group (see GET /reference-data).")
                .That(participants[i].Count is >= 0 and <= 1_000_000, $"report.participants[{i}].count", "A number of participants from 0 to 1,000,000.");
        check.That(participants.Select(p => p.TargetGroup).Distinct().Count() == participants.Length, "report.participants", "Each target group once.");

        var numbers = input?.Numbers;
        var lines = (numbers?.Lines ?? []).Select(l => l ?? new CostLineInput(null, null)).ToArray();
        for (var i = 0; i < lines.Length; i++)
            check.That(lines[i].Line is { } n && n >= 1 && n <= planLines, $"numbers.lines[{i}].line", $"A line of the financing plan (1–{planLines}).")
                .Money(lines[i].Actual, $"numbers.lines[{i}].actual");
        check.That(lines.Select(l => l.Line).Distinct().Count() == lines.Length, "numbers.lines", "Each plan line once.")
            .Money(numbers?.OwnCash ?? 0, "numbers.ownCash").Money(numbers?.VolunteerWork ?? 0, "numbers.volunteerWork")
            .Money(numbers?.ThirdPartyFunds ?? 0, "numbers.thirdPartyFunds").Money(numbers?.GrantReceived ?? 0, "numbers.grantReceived");

        var receipts = input?.Receipts ?? [];
        check.That(receipts.Length <= MaxReceipts, "receipts", $"At most {MaxReceipts} receipts per proof.");
        if (receipts.Length > MaxReceipts) return ProofContent.Empty;
        for (var i = 0; i < receipts.Length; i++)
        {
            var r = receipts[i] ?? new ReceiptInput(null, null, null, null, null, null);
            CheckReceipt(r, planLines, check, f => $"receipts[{i}].{f}");
        }
        if (check.HasErrors) return ProofContent.Empty;
        return new ProofContent(
            new FactualReport(Clean(report?.Activities), Clean(report?.Results), participants.Select(p => new ParticipantCount(p.TargetGroup!, p.Count!.Value)).ToArray()),
            new NumericalProof(lines.Select(l => new CostLine(l.Line!.Value, l.Actual!.Value)).OrderBy(l => l.Line).ToArray(), numbers?.OwnCash ?? 0,
                numbers?.VolunteerWork ?? 0, numbers?.ThirdPartyFunds ?? 0, numbers?.GrantReceived ?? 0),
            receipts.Select((r, i) => ToReceipt(r, i + 1)).ToArray());
    }

    public static void CheckReceipt(ReceiptInput r, int planLines, Check check, Func<string, string> field) =>
        check.Required(r.Number, field("number"), 50)
            .That(r.Date is not null, field("date"), "This field is required.").Date(r.Date, field("date"))
            .Required(r.Payee, field("payee"), 200)
            .Required(r.Purpose, field("purpose"), 500)
            .That(r.PlanLine is { } n && n >= 1 && n <= planLines, field("planLine"), $"A line of the financing plan (1–{planLines}).")
            .Money(r.Amount, field("amount"), allowZero: false)
            .Date(r.PaidOn, field("paidOn"))
            .That(r.PaidOn is null || r.Date is null || r.PaidOn >= r.Date.Value.AddYears(-1), field("paidOn"),
                "The day of payment lies more than a year before the receipt date; check both dates.");

    public static Receipt ToReceipt(ReceiptInput r, int no) =>
        new(no, r.Number!.Trim(), r.Date!.Value, r.Payee!.Trim(), r.Purpose!.Trim(), r.PlanLine!.Value, r.Amount!.Value, r.PaidOn);

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>The period receipts must fall in: the funding period, for an interim proof its part in the budget year.</summary>
    public static (DateOnly From, DateOnly To) Period(GrantNotice notice, ProofKind kind, int? year)
    {
        if (kind == ProofKind.Final || year is null) return (notice.PeriodStart, notice.PeriodEnd);
        var from = new DateOnly(year.Value, 1, 1);
        var to = new DateOnly(year.Value, 12, 31);
        return (from > notice.PeriodStart ? from : notice.PeriodStart, to < notice.PeriodEnd ? to : notice.PeriodEnd);
    }

    /// <summary>
    /// Findings shown before submission: receipts outside the period and lines whose receipts do not add up to the numerical
    /// proof block submission (ANBest-P Nr. 6.5); duplicate receipts and a grant-received figure that differs from the
    /// booked payments are flagged.
    /// </summary>
    public static IReadOnlyList<Finding> Findings(ProofContent content, GrantNotice notice, ProofKind kind, int? year, CostItem[] plan, decimal paid)
    {
        var findings = new List<Finding>();
        var (from, to) = Period(notice, kind, year);
        foreach (var r in content.Receipts.Where(r => r.Date < from || r.Date > to))
            findings.Add(new Finding("receipt-outside-period", $"receipts[{r.No - 1}].date",
                $"Receipt {r.No} ({r.Number}, {r.Date:dd.MM.yyyy}) is outside the period {from:dd.MM.yyyy}–{to:dd.MM.yyyy} (ANBest-P Nr. 6.5).", true));
        // The day of payment is the day the money was used (§ 49a (4) VwVfG NRW): never before the funding period (VV Nr. 1.3 zu § 44 LHO).
        foreach (var r in content.Receipts.Where(r => r.PaidOn < notice.PeriodStart))
            findings.Add(new Finding("receipt-paid-before-period", $"receipts[{r.No - 1}].paidOn",
                $"Receipt {r.No} ({r.Number}) was paid on {r.PaidOn:dd.MM.yyyy}, before the funding period began on {notice.PeriodStart:dd.MM.yyyy} (VV Nr. 1.3 zu § 44 LHO).", true));
        var lines = content.Numbers.Lines.Select(l => l.Line).Union(content.Receipts.Select(r => r.PlanLine)).Order();
        foreach (var line in lines)
        {
            var stated = content.Numbers.Lines.Where(l => l.Line == line).Sum(l => l.Actual);
            var receipted = content.Receipts.Where(r => r.PlanLine == line).Sum(r => r.Amount);
            if (stated != receipted)
                findings.Add(new Finding("line-sum-mismatch", $"numbers.lines.{line}",
                    $"Plan line {line} ({Describe(plan, line)}): the receipts add up to {receipted:0.00} EUR, the numerical proof says {stated:0.00} EUR.", true));
        }
        var seen = new Dictionary<(string, DateOnly, decimal, string), int>();
        foreach (var r in content.Receipts)
        {
            var key = (r.Payee.ToUpperInvariant(), r.Date, r.Amount, r.Number.ToUpperInvariant());
            if (seen.TryGetValue(key, out var first))
                findings.Add(new Finding("duplicate-receipt", $"receipts[{r.No - 1}]",
                    $"Receipt {r.No} repeats receipt {first} (same payee, date, amount and number).", false));
            else seen[key] = r.No;
        }
        if (kind == ProofKind.Final && content.Numbers.GrantReceived != paid)
            findings.Add(new Finding("grant-received-differs", "numbers.grantReceived",
                $"The proof states {content.Numbers.GrantReceived:0.00} EUR of grant received; the booked payments are {paid:0.00} EUR.", false));
        return findings;
    }

    /// <summary>What submission needs beyond the findings: report texts, plan lines, and (final proof) receipts.</summary>
    public static Check Completeness(ProofContent content, ProofKind kind)
    {
        var check = new Check()
            .That(content.Report.Activities is not null, "report.activities", "Describe what was done.")
            .That(content.Report.Results is not null, "report.results", "Describe the results.")
            .That(content.Numbers.Lines.Length > 0, "numbers.lines", "State the actual costs per financing-plan line.");
        if (kind == ProofKind.Final) check.That(content.Receipts.Length > 0, "receipts", "A final proof lists its receipts.");
        return check;
    }

    public static string Describe(CostItem[] plan, int line) => line >= 1 && line <= plan.Length ? plan[line - 1].Description : "unknown";

    /// <summary>The reproducible sample for an in-depth check: seeded from the proof id, so the same proof always gives the same receipts.</summary>
    public static (int[] Sample, int Seed) Sample(Guid proofId, int receipts, int? size)
    {
        var seed = BitConverter.ToInt32(SHA256.HashData(proofId.ToByteArray()), 0) & int.MaxValue;
        var k = Math.Min(receipts, size ?? Math.Max(5, (int)Math.Ceiling(receipts * 0.1)));
        var order = Enumerable.Range(1, receipts).ToArray();
        var random = new Random(seed);
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return (order.Take(k).Order().ToArray(), seed);
    }

    private static decimal Money(decimal x) => decimal.Round(x, 2, MidpointRounding.AwayFromZero);

    /// <summary>
    /// Recalculates the grant from the recognised costs (VV Nr. 11 zu § 44 LHO): receipt rulings, the 20 % line tolerance
    /// offset by savings (ANBest-P Nr. 1.2), then the financing type's formula, capped by the maximum amount. More own or
    /// third-party money than the notice's plan foresaw (its eligible costs less the grant) lowers a share grant in proportion:
    /// the share applies to the recognised costs less the additional cover (ANBest-P Nr. 2.1.1); a gap grant falls by the full
    /// amount (Nr. 2.1.2, by its formula). Under every financing type the grant never exceeds the recognised cash costs less
    /// third-party funds (no over-funding: volunteer work is valued but never paid for in cash).
    /// </summary>
    public static Recalculation Recalculate(GrantNotice notice, CostItem[] plan, ProofContent content,
        IReadOnlyList<RulingRecord> rulings, decimal paid)
    {
        var steps = new List<CalculationStep>();
        var results = new List<LineResult>();
        var lineNumbers = Enumerable.Range(1, plan.Length).Union(content.Numbers.Lines.Select(l => l.Line)).Order().ToArray();
        foreach (var n in lineNumbers)
        {
            var planned = n <= plan.Length ? plan[n - 1].Amount : 0m;
            var proved = content.Numbers.Lines.Where(l => l.Line == n).Sum(l => l.Actual);
            var cuts = content.Receipts.Where(r => r.PlanLine == n)
                .Sum(r => rulings.FirstOrDefault(x => x.Receipt == r.No) is { } ruling ? r.Amount - ruling.RecognisedAmount : 0m);
            var recognised = proved - cuts;
            var over = Math.Max(0, recognised - planned);
            results.Add(new LineResult(n, Describe(plan, n), planned, proved, cuts, recognised, over, Math.Min(over, Money(planned * 0.2m))));
        }
        var provedCosts = content.Numbers.TotalCosts;
        steps.Add(new CalculationStep($"Proved costs: {content.Numbers.CashCosts:0.00} EUR cash costs on the plan lines plus {content.Numbers.VolunteerWork:0.00} EUR valued volunteer work.", provedCosts));
        var receiptCuts = results.Sum(l => l.ReceiptCuts);
        if (receiptCuts != 0)
            steps.Add(new CalculationStep($"Receipts not or only partly recognised: −{receiptCuts:0.00} EUR.", provedCosts - receiptCuts));

        // ANBest-P Nr. 1.2: a line may exceed its plan by up to 20 % where savings on other lines offset it; beyond that, an amendment is needed.
        var savings = results.Sum(l => Math.Max(0, l.Planned - l.Recognised));
        var overTotal = results.Sum(l => l.OverPlan);
        var allowed = Math.Min(results.Sum(l => l.ToleranceAllowed), savings);
        var toleranceCut = overTotal - allowed;
        foreach (var l in results.Where(l => l.OverPlan > 0))
            steps.Add(new CalculationStep(
                $"Line {l.Line} ({l.Description}) exceeds its plan of {l.Planned:0.00} EUR by {l.OverPlan:0.00} EUR; up to 20 % ({Money(l.Planned * 0.2m):0.00} EUR) may be offset by savings (ANBest-P Nr. 1.2).",
                l.ToleranceAllowed));
        if (overTotal > 0)
            steps.Add(new CalculationStep($"Savings on other lines: {savings:0.00} EUR; not covered, so not recognised: −{toleranceCut:0.00} EUR.", -toleranceCut));
        var recognisedCosts = provedCosts - receiptCuts - toleranceCut;
        steps.Add(new CalculationStep("Recognised eligible costs.", recognisedCosts));

        var ownFunds = content.Numbers.OwnCash + content.Numbers.VolunteerWork;
        var third = content.Numbers.ThirdPartyFunds;
        var maximum = notice.MaximumAmount;
        decimal final;
        switch (notice.FinancingType)
        {
            case FinancingType.Share:
                var rate = notice.SharePercent ?? notice.Terms?.SharePercent ?? 0m;
                // The cover the notice presumes besides the grant: its eligible costs less the grant (own funds and third-party funds of the plan).
                var plannedCover = Math.Max(0m, notice.TotalEligibleCosts - notice.GrantedAmount);
                var actualCover = ownFunds + third;
                var additional = Math.Max(0m, actualCover - plannedCover);
                if (additional > 0)
                    steps.Add(new CalculationStep(
                        $"More own and third-party money than planned: {actualCover:0.00} EUR instead of {plannedCover:0.00} EUR; the share grant falls in proportion (ANBest-P Nr. 2.1.1): the share applies to {recognisedCosts:0.00} − {additional:0.00} EUR.",
                        -additional));
                var share = Money((recognisedCosts - additional) * rate / 100m);
                steps.Add(new CalculationStep($"Share financing: {rate:0.##} % of {recognisedCosts - additional:0.00} EUR.", share));
                final = Math.Min(share, maximum);
                break;
            case FinancingType.Gap:
                var gap = Math.Max(0, recognisedCosts - ownFunds - third);
                steps.Add(new CalculationStep($"Gap financing: {recognisedCosts:0.00} EUR costs − {ownFunds:0.00} EUR own funds (cash and volunteer work) − {third:0.00} EUR third-party funds.", gap));
                final = Math.Min(gap, maximum);
                break;
            case FinancingType.FixedAmount:
                final = Math.Min(maximum, Math.Max(0, recognisedCosts));
                steps.Add(new CalculationStep(recognisedCosts < maximum
                    ? $"Fixed amount {maximum:0.00} EUR, reduced because the recognised costs fall below it."
                    : $"Fixed amount {maximum:0.00} EUR: the recognised costs cover it.", final));
                break;
            default:
                var full = Math.Max(0, recognisedCosts - third);
                steps.Add(new CalculationStep($"Full financing: {recognisedCosts:0.00} EUR costs − {third:0.00} EUR third-party funds.", full));
                final = Math.Min(full, maximum);
                break;
        }
        if (notice.FinancingType != FinancingType.FixedAmount)
            steps.Add(new CalculationStep($"Capped by the maximum amount of {maximum:0.00} EUR.", final));
        // Never over-funded (§ 23 LHO NRW, ANBest-P Nr. 2.1): grant and third-party funds together never exceed the recognised cash costs.
        var recognisedCash = recognisedCosts - content.Numbers.VolunteerWork;
        var notOverFunded = Math.Max(0m, recognisedCash - third);
        if (final > notOverFunded)
        {
            steps.Add(new CalculationStep(
                $"No over-funding: the grant may cover at most the recognised cash costs {recognisedCash:0.00} EUR less {third:0.00} EUR third-party funds (§ 23 LHO NRW, ANBest-P Nr. 2.1).",
                notOverFunded));
            final = notOverFunded;
        }
        steps.Add(new CalculationStep("Final amount.", final));
        var toRecover = Math.Max(0, paid - final);
        var toPay = Math.Max(0, final - paid);
        steps.Add(new CalculationStep($"Paid so far: {paid:0.00} EUR.", paid));
        steps.Add(toRecover > 0
            ? new CalculationStep("Overpaid: to be recovered (§ 49a VwVfG NRW).", toRecover)
            : new CalculationStep("Still payable to the recipient.", toPay));
        return new Recalculation(notice.FinancingType, results.ToArray(), provedCosts, receiptCuts, toleranceCut, recognisedCosts, ownFunds, third, maximum,
            notice.SharePercent, final, paid, toRecover, toPay, steps.ToArray());
    }
}
