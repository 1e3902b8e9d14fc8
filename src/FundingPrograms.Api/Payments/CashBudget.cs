using FundingPrograms.Grants;
using FundingPrograms.Infrastructure;
using FundingPrograms.Programmes;

namespace FundingPrograms.Payments;

/// <summary>
/// Cash principle (§ 72 LHO): a payment belongs to the budget year in which it is paid. Before a payment is released for
/// transfer, the year it will be paid in must have money: the grant's share for that year (minus what was paid in it) and
/// the programme's budget line in that year (allocated minus paid). A drawdown requested in December and paid in January
/// needs January's year.
/// </summary>
public static class CashBudget
{
    public static void EnsureRoom(Payment payment, Grant grant, Programme programme, int year)
    {
        var notice = grant.Notice;
        var granted = notice.YearSplit.Where(y => y.Year == year).Sum(y => y.Amount);
        var paid = grant.PaidPerYear.Where(y => y.Year == year).Sum(y => y.Amount);
        var check = new Check()
            .That(payment.Amount <= granted - paid, "budgetYear",
                $"§ 72 LHO (cash principle): paid now, the payment counts in {year}, and the grant has {granted - paid:0.00} EUR left for {year}" +
                (granted == 0 ? " (nothing is granted for that year; release it in a year of the grant, or amend the year split)." : "."));
        var budget = programme.BudgetFor(notice.BudgetLine, year);
        if (budget is null || (budget.Allocated == 0 && budget.CommitmentAppropriation > 0))
            check.Add("budgetYear", budget is null
                ? $"§ 72 LHO (cash principle): budget line {notice.BudgetLine} has no budget for {year}, the year it would be paid in."
                : $"§ 38 LHO: the commitment appropriation of {notice.BudgetLine} for {year} is not yet turned into {year}'s cash budget; convert it first.");
        else check.That(payment.Amount <= budget.Allocated - budget.Paid, "budgetYear",
            $"§ 72 LHO (cash principle): budget line {notice.BudgetLine} has {budget.Allocated - budget.Paid:0.00} EUR of cash left in {year}.");
        check.ThrowAsRuleIfAny($"The payment cannot be released: the budget year it is paid in ({year}) has no money for it (§ 72 LHO).");
    }
}
