using FundingPrograms.Programmes;

namespace FundingPrograms.Grants;

/// <summary>
/// What a grant holds of its programme's budget, year by year (its <see cref="BudgetCommitted"/> less its <see cref="BudgetReleased"/>),
/// and the two moves the end of a grant makes on it. The final notice fixes the grant: the commitment above what is paid and what is
/// left to pay goes back to the budget (§ 34 Abs. 2 LHO: commitments only for what is owed). The balance it left to pay is paid in
/// whichever year it is paid (cash principle, § 72 LHO), so its commitment moves into that year, and that year must have room for it.
/// An overpayment stays committed until the money comes back, as after a revocation.
/// </summary>
public static class GrantCommitment
{
    public static async Task<Dictionary<int, decimal>> Load(IQuerySession session, Guid grantId, CancellationToken ct)
    {
        var committed = await session.Events.QueryRawEventDataOnly<BudgetCommitted>().Where(e => e.GrantId == grantId).ToListAsync(ct);
        var released = await session.Events.QueryRawEventDataOnly<BudgetReleased>().Where(e => e.GrantId == grantId).ToListAsync(ct);
        return Sum(committed.SelectMany(e => e.Years), released.SelectMany(e => e.Years));
    }

    public static Dictionary<int, decimal> Sum(IEnumerable<YearAmount> committed, IEnumerable<YearAmount> released)
    {
        var years = new Dictionary<int, decimal>();
        foreach (var y in committed) years[y.Year] = years.GetValueOrDefault(y.Year) + y.Amount;
        foreach (var y in released) years[y.Year] = years.GetValueOrDefault(y.Year) - y.Amount;
        return years;
    }

    private static decimal PaidIn(Grant grant, int year) => grant.PaidPerYear.Where(p => p.Year == year).Sum(p => p.Amount);

    /// <summary>
    /// At the final notice: the grant keeps what is paid in each year and the balance still to pay (in its latest years); the rest of its
    /// commitment is released. Null when nothing is to be released.
    /// </summary>
    public static BudgetReleased? ReleaseAtFinalNotice(Grant grant, IReadOnlyDictionary<int, decimal> committed, decimal toPay, DateTimeOffset now)
    {
        var keep = Math.Max(0, toPay);
        var released = new List<YearAmount>();
        foreach (var (year, amount) in committed.OrderByDescending(y => y.Key))
        {
            var unpaid = amount - PaidIn(grant, year);
            if (unpaid <= 0) continue;
            var kept = Math.Min(keep, unpaid);
            keep -= kept;
            if (unpaid - kept > 0) released.Add(new YearAmount(year, unpaid - kept));
        }
        return released.Count == 0
            ? null
            : new BudgetReleased(grant.ProgrammeId, grant.Id, grant.CallId, grant.Notice.BudgetLine, [.. released.OrderBy(y => y.Year)],
                $"Schlussbescheid {grant.Notice.Reference}", now);
    }

    /// <summary>
    /// At the release of a final balance in <paramref name="year"/>: the part the grant's commitment in that year does not cover moves there
    /// from its other years (latest first). Refused (422) when the year's budget line has no uncommitted room for it. Empty when nothing moves.
    /// </summary>
    public static IReadOnlyList<object> MoveForBalance(Grant grant, Programme programme, IReadOnlyDictionary<int, decimal> committed, int year,
        decimal amount, decimal pendingOnGrant, DateTimeOffset now)
    {
        var covered = Math.Max(0, committed.GetValueOrDefault(year) - PaidIn(grant, year) - pendingOnGrant);
        var shortfall = amount - covered;
        if (shortfall <= 0) return [];
        var from = new List<YearAmount>();
        var left = shortfall;
        foreach (var (other, held) in committed.Where(y => y.Key != year).OrderByDescending(y => y.Key))
        {
            var unpaid = held - PaidIn(grant, other);
            if (unpaid <= 0 || left == 0) continue;
            var take = Math.Min(left, unpaid);
            from.Add(new YearAmount(other, take));
            left -= take;
        }
        // What the grant no longer holds anywhere (e.g. released by an earlier decision) is committed afresh in the year it is paid.
        var line = grant.Notice.BudgetLine;
        var budget = programme.BudgetFor(line, year);
        var room = budget?.Free ?? 0;
        if (shortfall > room)
            throw ProblemException.Rule(
                $"§ 72 LHO (cash principle): the balance is paid in {year}, so {shortfall:0.00} EUR of its commitment move into {year}, " +
                $"but budget line {line} has only {Math.Max(0, room):0.00} EUR uncommitted in {year}. Nothing was released.",
                new Dictionary<string, string[]> { ["budgetYear"] = [$"Budget line {line} has {Math.Max(0, room):0.00} EUR uncommitted in {year}; {shortfall:0.00} EUR are needed."] });
        var reason = $"Restzahlung {grant.Notice.Reference}: Bindung in das Zahlungsjahr {year} übertragen";
        var events = new List<object>();
        if (from.Count > 0) events.Add(new BudgetReleased(grant.ProgrammeId, grant.Id, grant.CallId, line, [.. from.OrderBy(y => y.Year)], reason, now));
        events.Add(new BudgetCommitted(grant.ProgrammeId, grant.Id, grant.CallId, line, [new YearAmount(year, shortfall)], now));
        return events;
    }
}
