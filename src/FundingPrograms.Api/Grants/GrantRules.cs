using FundingPrograms.Programmes;

namespace FundingPrograms.Grants;

public static class GrantRules
{
    /// <summary>Shape of a year split; defaults to the whole amount in the period's only year.</summary>
    public static YearAmount[] YearSplit(YearAmountInput[]? input, decimal amount, DateOnly start, DateOnly end, Check check)
    {
        if (input is not { Length: > 0 })
        {
            if (start.Year == end.Year) return [new YearAmount(start.Year, amount)];
            check.Add("yearSplit", $"The funding period spans {start.Year}–{end.Year}: split the amount across these budget years.");
            return [];
        }
        if (input.Any(y => y is null))
        {
            check.Add("yearSplit", "An empty entry: remove it or fill it in.");
            return [];
        }
        for (var i = 0; i < input.Length; i++)
            check.That(input[i].Year is { } y && y >= start.Year && y <= end.Year, $"yearSplit[{i}].year", $"A budget year of the funding period ({start.Year}–{end.Year}).")
                .Money(input[i].Amount, $"yearSplit[{i}].amount", allowZero: false);
        check.That(input.Select(y => y.Year).Distinct().Count() == input.Length, "yearSplit", "Each budget year once.");
        return check.HasErrors ? [] : input.Select(y => new YearAmount(y.Year!.Value, y.Amount!.Value)).OrderBy(y => y.Year).ToArray();
    }

    /// <summary>The amount against the programme's caps: maximum grant and, unless fully financed, the maximum share.</summary>
    public static void Caps(decimal amount, decimal totalCosts, FinancingType type, FinancingRules rules, Check check)
    {
        check.That(amount <= rules.MaxGrant, "amount", $"The programme grants at most {rules.MaxGrant:0.00} EUR.")
            .That(amount >= rules.MinGrant, "amount", $"The programme grants at least {rules.MinGrant:0.00} EUR.");
        if (type != FinancingType.Full && totalCosts > 0)
            check.That(amount * 100m <= rules.MaxSharePercent * totalCosts, "amount",
                $"The programme funds at most {rules.MaxSharePercent} % of the eligible costs ({decimal.Round(totalCosts * rules.MaxSharePercent / 100m, 2):0.00} EUR).");
    }

    /// <summary>
    /// No project that has already begun (VV Nr. 1.3 zu § 44 LHO): the funding period starts on the notice's date or later,
    /// unless an early start was approved beforehand, from its date on.
    /// </summary>
    public static Check NotStartedBefore(DateOnly start, DateOnly noticeDate, DateOnly? earlyStartFrom, Check check, string field = "periodStart")
    {
        if (start >= noticeDate) return check;
        if (earlyStartFrom is { } from)
            return check.That(start >= from, field,
                $"VV Nr. 1.3 zu § 44 LHO: the early start was approved from {from:yyyy-MM-dd}; the funding period cannot start before that ({start:yyyy-MM-dd}).");
        return check.Add(field,
            $"VV Nr. 1.3 zu § 44 LHO: no funding for a project already begun — the funding period starts {start:yyyy-MM-dd}, before the notice ({noticeDate:yyyy-MM-dd}), and no early start was approved.");
    }

    /// <summary>Budget for each year on the line, and the call's cap: 422 naming what is missing or how much is free.</summary>
    public static void Budget(Programme programme, Call call, string line, YearAmount[] increases)
    {
        var check = new Check();
        foreach (var y in increases.Where(y => y.Amount > 0))
        {
            var budget = programme.BudgetFor(line, y.Year);
            if (budget is null) check.Add($"yearSplit.{y.Year}", $"Budget line {line} has no budget for {y.Year}.");
            else check.That(budget.Free >= y.Amount, $"yearSplit.{y.Year}",
                $"Budget line {line} has {budget.Free:0.00} EUR free in {y.Year}; {y.Amount:0.00} EUR do not fit.");
        }
        var total = increases.Sum(y => y.Amount);
        if (call.BudgetCap is { } cap && total > 0)
            check.That(call.Committed + total <= cap, "amount", $"The call's budget cap of {cap:0.00} EUR has {cap - call.Committed:0.00} EUR left.");
        check.ThrowAsRuleIfAny("The budget does not allow this: see 'errors'.");
    }
}
