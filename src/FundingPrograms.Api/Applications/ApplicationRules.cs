using FundingPrograms.Programmes;
using FundingPrograms.ReferenceData;

namespace FundingPrograms.Applications;

public sealed record CostItemInput(string? Category, string? Description, decimal? Amount, decimal? PostSharePercent, int? Months, string? Post);

public sealed record ThirdPartyFundInput(string? Source, decimal? Amount, bool? Confirmed);

/// <summary>The application form as sent; every field may be left empty in a draft.</summary>
public sealed record ApplicationInput(
    string? Title,
    string? Summary,
    string? Description,
    string? TargetDimension,
    string[]? TargetGroups,
    string[]? Districts,
    DateOnly? PeriodStart,
    DateOnly? PeriodEnd,
    CostItemInput[]? CostItems,
    decimal? OwnCash,
    decimal? OwnVolunteerWork,
    ThirdPartyFundInput[]? ThirdPartyFunds,
    decimal? RequestedAmount,
    string? FinancingType,
    bool? EarlyStartRequested = null,
    string? EarlyStartReason = null,
    Dictionary<string, decimal>? DistrictShares = null)
{
    /// <summary>Checks the form's shape (400 with field errors); the programme's rules are checked at submission.</summary>
    public ApplicationContent ToContent(ReferenceCatalogue reference)
    {
        var check = new Check()
            .That(Title is null || Title.Length <= 300, "title", "At most 300 characters are allowed.")
            .That(Summary is null || Summary.Length <= 2000, "summary", "At most 2000 characters are allowed.")
            .That(Description is null || Description.Length <= 50_000, "description", "At most 50,000 characters are allowed.")
            .That(TargetDimension is null || reference.IsTargetDimension(TargetDimension), "targetDimension", "Use I, II or III.")
            .Date(PeriodStart, "periodStart")
            .Date(PeriodEnd, "periodEnd")
            .That(PeriodStart is null || PeriodEnd is null || PeriodStart <= PeriodEnd, "periodEnd", "The funding period must end after it starts.")
            .Money(OwnCash, "ownCash", required: false)
            .Money(OwnVolunteerWork, "ownVolunteerWork", required: false)
            .Money(RequestedAmount, "requestedAmount", required: false)
            .That(EarlyStartReason is null || EarlyStartReason.Length <= 2000, "earlyStartReason", "At most 2000 characters are allowed.");
        var groups = TargetGroups ?? [];
        for (var i = 0; i < groups.Length; i++)
            check.That(groups[i] is not null && reference.IsTargetGroup(groups[i]), $"targetGroups[{i}]", $"'{groups[i]}' is not a known target group (see GET /reference-data).");
        var districts = Districts ?? [];
        for (var i = 0; i < districts.Length; i++)
            check.That(districts[i] is not null && reference.IsDistrict(districts[i]), $"districts[{i}]", $"'{districts[i]}' is not a district of NRW (Kreisschlüssel, see GET /reference-data).");

        FinancingType? type = null;
        if (FinancingType is not null)
        {
            if (Enums.TryParseName<FinancingType>(FinancingType, out var t)) type = t;
            else check.Add("financingType", "Use share, gap, fixedAmount or full.");
        }

        var items = CostItems ?? [];
        var costs = new List<CostItem>();
        for (var i = 0; i < items.Length; i++)
        {
            var c = items[i];
            var f = $"costItems[{i}]";
            if (c is null)
            {
                check.Add(f, "An empty cost item: remove it or fill it in.");
                continue;
            }
            check.Required(c.Description, $"{f}.description", 500).Money(c.Amount, $"{f}.amount", allowZero: false);
            if (!Enums.TryParseName<CostCategory>(c.Category, out var category))
            {
                check.Add($"{f}.category", "Use staff, material, investment or other.");
                continue;
            }
            if (category == CostCategory.Staff)
                check.Required(c.Post, $"{f}.post", 200)
                    .That(c.PostSharePercent is > 0 and <= 100, $"{f}.postSharePercent", "Staff costs need the share of a full-time post (1–100 %).")
                    .That(c.Months is >= 1 and <= 60, $"{f}.months", "Staff costs need the number of months (1–60).");
            costs.Add(new CostItem(category, c.Description?.Trim() ?? "", c.Amount ?? 0, c.PostSharePercent, c.Months, c.Post?.Trim()));
        }

        var funds = ThirdPartyFunds ?? [];
        for (var i = 0; i < funds.Length; i++)
            if (funds[i] is null) check.Add($"thirdPartyFunds[{i}]", "An empty entry: remove it or fill it in.");
            else check.Required(funds[i].Source, $"thirdPartyFunds[{i}].source", 300)
                .Money(funds[i].Amount, $"thirdPartyFunds[{i}].amount", allowZero: false)
                .That(funds[i].Confirmed is not null, $"thirdPartyFunds[{i}].confirmed", "Say whether the funds are confirmed or still pending.");
        if (DistrictShares is { Count: > 0 } shares)
        {
            foreach (var (code, share) in shares)
                check.That(districts.Contains(code), $"districtShares.{code}", "A share for a district the project does not name.")
                    .That(share is > 0 and <= 100 && decimal.Round(share, 2) == share, $"districtShares.{code}", "A share in percent, above 0 and at most 100, with at most 2 decimals.");
            check.That(districts.Distinct().All(shares.ContainsKey), "districtShares", "Give a share for every district, or none (equal shares).")
                .That(shares.Values.Sum() == 100m, "districtShares", $"The shares add up to {shares.Values.Sum()} %, not 100 %.");
        }
        check.ThrowIfAny();

        return new ApplicationContent(Title?.Trim(), Summary?.Trim(), Description?.Trim(), TargetDimension, groups.Distinct().ToArray(),
            districts.Distinct().ToArray(), PeriodStart, PeriodEnd, costs.ToArray(), OwnCash ?? 0, OwnVolunteerWork ?? 0,
            funds.Select(t => new ThirdPartyFund(t.Source!.Trim(), t.Amount!.Value, t.Confirmed!.Value)).ToArray(), RequestedAmount, type,
            EarlyStartRequested ?? false, string.IsNullOrWhiteSpace(EarlyStartReason) ? null : EarlyStartReason.Trim(),
            DistrictShares is { Count: > 0 } ? new Dictionary<string, decimal>(DistrictShares) : null);
    }
}

/// <summary>
/// The figures derived from a financing plan, as the form shows them. Volunteer work (unbare Eigenleistung) is valued and
/// counts on both sides: as a cost (in <c>TotalCosts</c>, on top of the cash cost items) and as own contribution. Cash costs
/// must be covered by the grant, own cash and third-party funds.
/// </summary>
public sealed record PlanFigures(
    decimal TotalCosts,
    decimal RequestedAmount,
    decimal OwnCash,
    decimal OwnVolunteerWork,
    decimal VolunteerWorkCounted,
    decimal ThirdPartyFunds,
    decimal TotalFunding,
    decimal Difference,
    decimal RequestedSharePercent,
    decimal OwnContributionPercent,
    decimal CashCosts,
    decimal CashFunding)
{
    public static PlanFigures Of(ApplicationContent c, FinancingRules? rules)
    {
        var cash = c.CostItems.Sum(i => i.Amount);
        var total = cash + c.OwnVolunteerWork;
        var requested = c.RequestedAmount ?? 0;
        var third = c.ThirdPartyFunds.Sum(t => t.Amount);
        // The cap is rounded down to the cent, so that what counts never exceeds the percentage.
        var volunteerCap = rules is null ? c.OwnVolunteerWork : Math.Floor(total * rules.MaxVolunteerSharePercent) / 100m;
        var counted = Math.Min(c.OwnVolunteerWork, volunteerCap);
        var cashFunding = requested + c.OwnCash + third;
        var funding = cashFunding + c.OwnVolunteerWork;
        decimal Percent(decimal part) => total == 0 ? 0 : decimal.Round(part * 100m / total, 2);
        return new PlanFigures(total, requested, c.OwnCash, c.OwnVolunteerWork, counted, third, funding, total - funding,
            Percent(requested), Percent(c.OwnCash + counted), cash, cashFunding);
    }
}

public static class ApplicationRules
{
    public const int MaxPeriodMonths = 36;

    /// <summary>
    /// The plan balances in cash: cash costs = grant + own cash + third-party funds. Volunteer work is cost and own contribution
    /// at once, so it never covers cash costs (§ 44 LHO NRW with VV Nr. 2; financing plan, ANBest-P Nr. 1.2).
    /// </summary>
    public static Check CashCovered(PlanFigures f, Check check) => check.That(f.CashCosts == f.CashFunding, "plan",
        $"The plan does not balance (§ 44 LHO NRW, ANBest-P Nr. 1.2): cash costs {f.CashCosts:0.00} EUR must be covered by the grant, own cash and " +
        $"third-party funds ({f.CashFunding:0.00} EUR; difference {f.CashCosts - f.CashFunding:0.00} EUR). Volunteer work ({f.OwnVolunteerWork:0.00} EUR) " +
        "counts as cost and as own contribution at once and never covers cash costs.");

    /// <summary>The funding period's rules: from the call's opening, at most <see cref="MaxPeriodMonths"/> months (36 months exactly is allowed).</summary>
    public static Check Period(DateOnly start, DateOnly end, Call call, Check check, string startField = "periodStart", string endField = "periodEnd")
    {
        var callOpened = BerlinTime.Today(call.OpensAt);
        return check.That(start >= callOpened, startField, $"The project cannot start before the call opened ({callOpened:yyyy-MM-dd}).")
            .That(end <= start.AddMonths(MaxPeriodMonths).AddDays(-1), endField,
                $"A funding period lasts at most {MaxPeriodMonths} months (until {start.AddMonths(MaxPeriodMonths).AddDays(-1):yyyy-MM-dd}).");
    }

    /// <summary>
    /// Everything that keeps an application from being submitted: missing fields and the programme's rules,
    /// as field-level findings. Empty when it may be submitted.
    /// </summary>
    public static Check Findings(ApplicationContent c, Programme programme, Call call, string organisationType)
    {
        var rules = programme.Definition.Financing;
        var f = PlanFigures.Of(c, rules);
        var check = new Check()
            .Required(c.Title, "title", 300)
            .Required(c.Summary, "summary", 2000)
            .Required(c.Description, "description", 50_000)
            .That(c.TargetDimension is not null, "targetDimension", "Choose the target dimension (I, II or III).")
            .That(c.TargetGroups.Length > 0, "targetGroups", "Name at least one target group.")
            .That(c.Districts.Length > 0, "districts", "Name at least one district where the project takes place.")
            .That(c.PeriodStart is not null, "periodStart", "The funding period's start is required.")
            .That(c.PeriodEnd is not null, "periodEnd", "The funding period's end is required.")
            .That(c.CostItems.Length > 0, "costItems", "List the costs of the project.")
            .That(c.RequestedAmount is not null, "requestedAmount", "Say how much funding you apply for.")
            .That(c.FinancingType is not null, "financingType", "Choose the financing type.");

        check.That(programme.Definition.EligibleOrganisationTypes.Contains(organisationType), "organisation",
            $"This programme does not fund organisations of type '{organisationType}'.");
        check.That(c.TargetDimension is null || programme.Definition.TargetDimensions.Contains(c.TargetDimension), "targetDimension",
            $"This programme funds target dimension(s) {string.Join(", ", programme.Definition.TargetDimensions)}.");
        check.That(c.FinancingType is null || rules.AllowedTypes.Contains(c.FinancingType.Value), "financingType",
            $"This programme allows {string.Join(", ", rules.AllowedTypes.Select(t => t.ToString().ToLowerInvariant()))} financing.");

        if (c.RequestedAmount is { } requested)
        {
            check.That(requested >= rules.MinGrant && requested <= rules.MaxGrant, "requestedAmount",
                $"This programme grants between {rules.MinGrant:0.00} and {rules.MaxGrant:0.00} EUR.");
            if (c.FinancingType != FinancingType.Full && f.TotalCosts > 0)
                check.That(requested * 100m <= rules.MaxSharePercent * f.TotalCosts, "requestedAmount",
                    $"The programme funds at most {rules.MaxSharePercent} % of the costs ({decimal.Round(f.TotalCosts * rules.MaxSharePercent / 100m, 2):0.00} EUR); you ask for {f.RequestedSharePercent} %.");
        }

        if (c.CostItems.Length > 0)
        {
            CashCovered(f, check);
            check.That(c.OwnVolunteerWork <= f.VolunteerWorkCounted, "ownVolunteerWork",
                $"Volunteer work counts for at most {rules.MaxVolunteerSharePercent} % of the costs ({f.VolunteerWorkCounted:0.00} EUR).");
            if (c.FinancingType != FinancingType.Full)
                check.That((c.OwnCash + f.VolunteerWorkCounted) * 100m >= rules.MinOwnContributionPercent * f.TotalCosts, "ownCash",
                    $"The own contribution must be at least {rules.MinOwnContributionPercent} % of the costs ({decimal.Round(f.TotalCosts * rules.MinOwnContributionPercent / 100m, 2):0.00} EUR); it is {f.OwnContributionPercent} %.");
        }

        if (c.PeriodStart is { } start && c.PeriodEnd is { } end)
        {
            Period(start, end, call, check);
        }

        if (call.Districts.Length > 0)
            for (var i = 0; i < c.Districts.Length; i++)
                check.That(call.Districts.Contains(c.Districts[i]), $"districts[{i}]", "This call is open only for other districts.");
        return check;
    }
}
