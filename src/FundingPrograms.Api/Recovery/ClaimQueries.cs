namespace FundingPrograms.Recovery;

public enum ClaimStatus { Open, Overdue, Settled, Overpaid, Suspended, Remitted }

/// <summary>A claim with its account up to a day: interest, how each receipt was applied, the balance (null figures where a base rate is missing).</summary>
public sealed record ClaimView(RecoveryClaim Claim, ClaimStatus Status, DateOnly AsOf, InterestCalculation? Account, decimal? InterestToDate, decimal? Balance,
    DateOnly? OverdueSince, string? MissingBaseRate);

public sealed record ClaimListItem(Guid Id, string Reference, Guid GrantId, string GrantReference, Guid OrganisationId, string OrganisationName, ClaimBasis Basis,
    ClaimStatus Status, decimal Principal, decimal Received, decimal? InterestToDate, decimal? Balance, DateOnly DueOn, DateOnly? OverdueSince, int Reminders);

public sealed record AccountStatement(Guid OrganisationId, DateOnly AsOf, IReadOnlyList<ClaimListItem> Claims, decimal Principal, decimal Interest, decimal Costs,
    decimal Received, decimal Balance, string? MissingBaseRate);

public sealed record RecoveryDashboard(int OpenClaims, decimal OpenPrincipal, int OverdueClaims, decimal OverdueAmount, decimal InterestAccruedToDate,
    decimal ReceivedThisYear, IReadOnlyList<ClaimListItem> Overpaid, string? MissingBaseRate);

public static class ClaimViews
{
    public static ClaimView Of(RecoveryClaim claim, DateOnly asOf, BaseRateTable rates)
    {
        InterestCalculation? account = null;
        string? missing = null;
        try { account = claim.Account(asOf, rates); }
        catch (MissingBaseRateException e) { missing = e.Message; }
        var overdue = claim.OverdueSince(asOf);
        var status = claim.State switch
        {
            ClaimState.Remitted => ClaimStatus.Remitted,
            ClaimState.Suspended => ClaimStatus.Suspended,
            _ when account is { Overpaid: > 0 } => ClaimStatus.Overpaid,
            _ when account is { Balance: <= 0 } => ClaimStatus.Settled,
            _ when overdue is not null => ClaimStatus.Overdue,
            _ => ClaimStatus.Open,
        };
        return new ClaimView(claim, status, asOf, account, account?.InterestAccrued, account?.Balance, overdue, missing);
    }

    public static ClaimListItem Item(ClaimView v) => new(v.Claim.Id, v.Claim.Reference, v.Claim.GrantId, v.Claim.GrantReference, v.Claim.OrganisationId,
        v.Claim.OrganisationName, v.Claim.Basis, v.Status, v.Claim.Principal, v.Claim.Received, v.InterestToDate, v.Balance, v.Claim.DueOn, v.OverdueSince,
        v.Claim.Reminders.Count);

    public static DateOnly AsOf(HttpContext http, DateOnly? until, TimeProvider clock)
    {
        new Check().Bound(http, "until", until).Date(until, "until").ThrowIfAny();
        return until ?? BerlinTime.Today(clock.GetUtcNow());
    }

    public static async Task<RecoveryDashboard> Dashboard(IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var today = BerlinTime.Today(clock.GetUtcNow());
        var rates = await BaseRateTable.Load(session, ct);
        var claims = await session.Query<RecoveryClaim>().Where(c => c.State != ClaimState.Remitted).ToListAsync(ct);
        var views = claims.Select(c => Of(c, today, rates)).ToList();
        var open = views.Where(v => v.Status is ClaimStatus.Open or ClaimStatus.Overdue or ClaimStatus.Suspended).ToList();
        var overdue = views.Where(v => v.Status == ClaimStatus.Overdue).ToList();
        return new RecoveryDashboard(open.Count, open.Sum(v => v.Account?.PrincipalOutstanding ?? v.Claim.Principal - v.Claim.Received),
            overdue.Count, overdue.Sum(v => v.Balance ?? v.Claim.Principal + v.Claim.Costs + v.Claim.FixedInterest - v.Claim.Received),
            views.Sum(v => v.InterestToDate ?? 0m),
            claims.SelectMany(c => c.Receipts).Where(r => r.ArrivedOn.Year == today.Year).Sum(r => r.Amount),
            views.Where(v => v.Status == ClaimStatus.Overpaid).Select(Item).ToList(),
            views.Select(v => v.MissingBaseRate).FirstOrDefault(m => m is not null));
    }
}

public static class GetClaimEndpoint
{
    [WolverineGet("/recovery-claims/{id}", OperationId = "GetRecoveryClaim"), Authorize(Roles = Roles.Any)]
    [Tags("Recovery"), EndpointSummary("A recovery claim with its account to a day (?until=, default today): interest, receipts applied, balance")]
    public static async Task<ClaimView> Get(Guid id, DateOnly? until, IQuerySession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var asOf = ClaimViews.AsOf(http, until, clock);
        var claim = await ClaimAccess.Load(session, id, http, ct);
        http.Response.Headers.ETag = Versioning.ETag(claim.Version);
        return ClaimViews.Of(claim, asOf, await BaseRateTable.Load(session, ct));
    }
}

public static class GetClaimInterestEndpoint
{
    [WolverineGet("/recovery-claims/{id}/interest", OperationId = "GetRecoveryClaimInterest"), Authorize(Roles = Roles.Any)]
    [Tags("Recovery"), EndpointSummary("The § 49a (3) interest calculation to a day: periods, days, rates, amounts (422 when a base rate is missing)")]
    public static async Task<InterestCalculation> Get(Guid id, DateOnly? until, IQuerySession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var asOf = ClaimViews.AsOf(http, until, clock);
        var claim = await ClaimAccess.Load(session, id, http, ct);
        try { return claim.Account(asOf, await BaseRateTable.Load(session, ct)); }
        catch (MissingBaseRateException e) { throw e.ToProblem(); }
    }
}

public static class ListClaimsEndpoint
{
    [WolverineGet("/recovery-claims", OperationId = "ListRecoveryClaims"), Authorize(Roles = Roles.Staff)]
    [Tags("Recovery"), EndpointSummary("Recovery claims (?status=, ?grantId=, ?organisationId=), with interest and balance to today")]
    public static async Task<Page<ClaimListItem>> Get(ClaimStatus? status, Guid? grantId, Guid? organisationId, int? page, int? pageSize, IQuerySession session,
        TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var check = new Check().Bound(http, "status", status).Bound(http, "grantId", grantId).Bound(http, "organisationId", organisationId);
        var (number, size) = Page<ClaimListItem>.Normalize(http, page, pageSize, check);
        check.ThrowIfAny();
        var query = session.Query<RecoveryClaim>().AsQueryable();
        if (grantId is { } g) query = query.Where(c => c.GrantId == g);
        if (organisationId is { } o) query = query.Where(c => c.OrganisationId == o);
        var claims = await query.OrderByDescending(c => c.RaisedAt).Take(5000).ToListAsync(ct);
        var rates = await BaseRateTable.Load(session, ct);
        var today = BerlinTime.Today(clock.GetUtcNow());
        var items = claims.Select(c => ClaimViews.Of(c, today, rates)).Where(v => status is null || v.Status == status).Select(ClaimViews.Item);
        return Page<ClaimListItem>.Of(items, number, size);
    }
}

public static class OrganisationAccountEndpoint
{
    [WolverineGet("/organisations/{id}/recovery-account", OperationId = "OrganisationRecoveryAccount"), Authorize(Roles = Roles.Any)]
    [Tags("Recovery"), EndpointSummary("Account statement of an organisation: its claims, interest, payments received, balance (applicants: their own)")]
    public static async Task<AccountStatement> Get(Guid id, DateOnly? until, IQuerySession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var asOf = ClaimViews.AsOf(http, until, clock);
        await Access.EnsureMayAccess(Actor.From(http.User), session, id, "The organisation", ct);
        var claims = await session.Query<RecoveryClaim>().Where(c => c.OrganisationId == id).OrderBy(c => c.RaisedAt).ToListAsync(ct);
        var rates = await BaseRateTable.Load(session, ct);
        var views = claims.Select(c => ClaimViews.Of(c, asOf, rates)).ToList();
        return new AccountStatement(id, asOf, views.Select(ClaimViews.Item).ToList(), views.Sum(v => v.Claim.Principal), views.Sum(v => v.InterestToDate ?? 0m),
            views.Sum(v => v.Claim.Costs), views.Sum(v => v.Claim.Received),
            views.Where(v => v.Claim.State != ClaimState.Remitted).Sum(v => v.Balance ?? v.Claim.Principal + v.Claim.Costs + v.Claim.FixedInterest - v.Claim.Received),
            views.Select(v => v.MissingBaseRate).FirstOrDefault(m => m is not null));
    }
}

public static class RecoveryDashboardEndpoint
{
    [WolverineGet("/finance/recovery", OperationId = "RecoveryDashboard"), Authorize(Roles = Roles.FinanceReaders)]
    [Tags("Recovery"), EndpointSummary("Recovery figures for finance: open and overdue claims, interest accrued to date, overpayments to refund")]
    public static Task<RecoveryDashboard> Get(IQuerySession session, TimeProvider clock, CancellationToken ct) => ClaimViews.Dashboard(session, clock, ct);
}

public static class GrantRecovery
{
    /// <summary>Revoked, claimed, recovered and still recoverable on a grant (for the grant ledger).</summary>
    public static async Task<(decimal Claimed, decimal Recovered, decimal Recoverable)> Figures(IQuerySession session, Guid grantId, CancellationToken ct)
    {
        var claims = await session.Query<RecoveryClaim>().Where(c => c.GrantId == grantId).ToListAsync(ct);
        var claimed = claims.Sum(c => c.Principal);
        var recovered = claims.Sum(c => c.Received);
        var recoverable = claims.Where(c => c.State != ClaimState.Remitted).Sum(c => Math.Max(0m, c.Principal + c.Costs + c.FixedInterest - c.Received));
        return (claimed, recovered, recoverable);
    }

    /// <summary>Money received on the programme's claims per calendar year of arrival.</summary>
    public static async Task<IReadOnlyList<Programmes.YearAmount>> ReturnedPerYear(IQuerySession session, Guid programmeId, CancellationToken ct)
    {
        var claims = await session.Query<RecoveryClaim>().Where(c => c.ProgrammeId == programmeId).ToListAsync(ct);
        return claims.SelectMany(c => c.Receipts).GroupBy(r => r.ArrivedOn.Year).OrderBy(g => g.Key)
            .Select(g => new Programmes.YearAmount(g.Key, g.Sum(r => r.Amount))).ToList();
    }
}
