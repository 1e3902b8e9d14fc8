using FundingPrograms.Grants;

namespace FundingPrograms.Proofs;

/// <summary>An interim proof a grant owes: for the money received in a budget year whose purpose was not fulfilled by its end.</summary>
/// <param name="ProofId">The interim proof drafted for that year, if any (a draft does not count as submitted).</param>
public sealed record InterimProofOwed(int BudgetYear, decimal Received, DateOnly DueDate, Guid? ProofId);

/// <summary>
/// ANBest-P Nr. 6.1 Satz 2: if the purpose is not fulfilled by the end of a budget year, an interim proof of the amounts received in
/// that year is due within four months after it, i.e. by 30 April of the next year. A grant owes one for every budget year in which
/// money was paid to it (booked, cash principle) while its funding period runs on past 31 December; not once the final proof is
/// submitted (it covers the whole grant) or the grant is closed. Once submitted (or returned for completion, which has its own date)
/// it is no longer owed. The same deadlines, reminders and overdue list apply as for the final proof.
/// </summary>
public static class InterimProofs
{
    /// <summary>Four months after the end of the budget year: 30 April of the next year.</summary>
    public static DateOnly DueDate(int budgetYear) => new(budgetYear + 1, 4, 30);

    public static IReadOnlyList<InterimProofOwed> Owed(Grant grant, IEnumerable<Proof> proofs)
    {
        if (grant.State is GrantState.Closed or GrantState.FinalProofSubmitted) return [];
        var interim = proofs.Where(p => p.Kind == ProofKind.Interim).ToList();
        var owed = new List<InterimProofOwed>();
        foreach (var year in grant.PaidPerYear.Where(y => y.Amount > 0).OrderBy(y => y.Year))
        {
            if (grant.Notice.PeriodEnd <= new DateOnly(year.Year, 12, 31)) continue; // ends within the year: the final proof covers it
            var proof = interim.Where(p => p.BudgetYear == year.Year).OrderBy(p => p.CreatedAt).LastOrDefault();
            if (proof is not null && proof.State != ProofState.Draft) continue;
            owed.Add(new InterimProofOwed(year.Year, year.Amount, DueDate(year.Year), proof?.Id));
        }
        return owed;
    }
}
