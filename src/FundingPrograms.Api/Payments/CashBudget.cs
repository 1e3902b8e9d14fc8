using FundingPrograms.Grants;
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
    /// <summary>States of a payment that is released but not yet booked (or returned): its money is on its way in the year it was released.</summary>
    public static readonly PaymentState[] OnItsWay = [PaymentState.Released, PaymentState.Batched, PaymentState.Exported];

    /// <param name="pendingOnGrant">Other payments of the grant released in <paramref name="year"/> and not yet booked.</param>
    /// <param name="pendingOnLine">Other payments on the grant's budget line released in <paramref name="year"/> and not yet booked (those of the grant included).</param>
    public static void EnsureRoom(Payment payment, Grant grant, Programme programme, int year, decimal pendingOnGrant = 0, decimal pendingOnLine = 0)
    {
        var notice = grant.Notice;
        var check = new Check();
        if (payment.Kind == PaymentKind.FinalBalance && grant.FinalAmount is { } final)
        {
            // The balance of a final notice is owed as decided, in whichever year it is paid: it is bounded by the final amount, not by the
            // notice's year split; the budget line of the year it is paid in must still have the cash (below).
            var owed = final - grant.Paid - pendingOnGrant;
            check.That(payment.Amount <= owed, "amount",
                $"The final notice set the grant at {final:0.00} EUR; {grant.Paid:0.00} EUR are paid" +
                (pendingOnGrant > 0 ? $" and {pendingOnGrant:0.00} EUR are on their way" : "") + $": at most {Math.Max(0, owed):0.00} EUR remain to be paid.");
        }
        else
        {
            var granted = notice.YearSplit.Where(y => y.Year == year).Sum(y => y.Amount);
            var paid = grant.PaidPerYear.Where(y => y.Year == year).Sum(y => y.Amount);
            var left = granted - paid - pendingOnGrant;
            check.That(payment.Amount <= left, "budgetYear",
                $"§ 72 LHO (cash principle): paid now, the payment counts in {year}, and the grant has {left:0.00} EUR left for {year}" +
                (pendingOnGrant > 0 ? $" ({pendingOnGrant:0.00} EUR of it are released and not yet booked)" : "") +
                (granted == 0 ? " (nothing is granted for that year; release it in a year of the grant, or amend the year split)." : "."));
        }
        var budget = programme.BudgetFor(notice.BudgetLine, year);
        if (budget is null || (budget.Allocated == 0 && budget.CommitmentAppropriation > 0))
            check.Add("budgetYear", budget is null
                ? $"§ 72 LHO (cash principle): budget line {notice.BudgetLine} has no budget for {year}, the year it would be paid in."
                : $"§ 38 LHO: the commitment appropriation of {notice.BudgetLine} for {year} is not yet turned into {year}'s cash budget; convert it first.");
        else check.That(payment.Amount <= budget.Allocated - budget.Paid - pendingOnLine, "budgetYear",
            $"§ 72 LHO (cash principle): budget line {notice.BudgetLine} has {budget.Allocated - budget.Paid - pendingOnLine:0.00} EUR of cash left in {year}" +
            (pendingOnLine > 0 ? $" after {pendingOnLine:0.00} EUR released and not yet booked." : "."));
        check.ThrowAsRuleIfAny($"The payment cannot be released: the budget year it is paid in ({year}) has no money for it (§ 72 LHO).");
    }

    /// <summary>
    /// What other payments of the programme, released in <paramref name="year"/> and not yet booked, take from the grant and from
    /// its budget line. The caller holds the programme's stream lock, so that parallel releases count each other.
    /// </summary>
    public static async Task<(decimal OnGrant, decimal OnLine)> Pending(Marten.IQuerySession session, Payment payment, Grant grant, int year,
        CancellationToken ct)
    {
        var open = await Marten.QueryableExtensions.ToListAsync(session.Query<Payment>()
            .Where(p => p.ProgrammeId == payment.ProgrammeId && p.Id != payment.Id && OnItsWay.Contains(p.State)), ct);
        var inYear = open.Where(p => p.ReleasedAt is not { } at || BerlinTime.Today(at).Year == year).ToList();
        var otherGrants = inYear.Select(p => p.GrantId).Where(id => id != grant.Id).Distinct().ToArray();
        var lines = otherGrants.Length == 0 ? [] : (await session.LoadManyAsync<Grant>(ct, otherGrants)).ToDictionary(g => g.Id, g => g.Notice.BudgetLine);
        var onGrant = inYear.Where(p => p.GrantId == grant.Id).Sum(p => p.Amount);
        var onLine = onGrant + inYear.Where(p => p.GrantId != grant.Id && lines.GetValueOrDefault(p.GrantId) == grant.Notice.BudgetLine).Sum(p => p.Amount);
        return (onGrant, onLine);
    }
}
