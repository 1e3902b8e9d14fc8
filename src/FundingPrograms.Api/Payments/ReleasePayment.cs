using FundingPrograms.Organisations;

namespace FundingPrograms.Payments;

public static class ReleasePaymentEndpoint
{
    /// <summary>A certified payment (or one the bank returned, once the account is checked) is released by another finance user to the confirmed account.</summary>
    public static IReadOnlyList<object> Decide(Payment payment, Organisation organisation, Actor finance, DateTimeOffset now) =>
        Decide(payment, organisation, null, null, finance, now);

    public static IReadOnlyList<object> Decide(Payment payment, Organisation organisation, Grants.Grant? grant, Programmes.Programme? programme, Actor finance,
        DateTimeOffset now, decimal pendingOnGrant = 0, decimal pendingOnLine = 0)
    {
        if (payment.State is not (PaymentState.Certified or PaymentState.Returned or PaymentState.Rejected))
            throw ProblemException.InvalidState($"Only a certified (or returned, or rejected) payment can be released; this one is {payment.State.ToString().ToLowerInvariant()}.");
        if (payment.CertifiedBy == finance.Id)
            throw ProblemException.Forbidden("Four-eyes rule: you certified this payment, so another finance user must release it.");
        var account = organisation.ConfirmedAccount
            ?? throw ProblemException.Rule("The organisation has no confirmed bank account; a second person must confirm one first.");
        // A revoked grant is named first (its lowered amount explains the refusal better than the year's cash); otherwise the year's cash.
        if (grant is not null && grant.Revocation.Revocations.Count > 0 && grant.Paid + payment.Amount > grant.Notice.GrantedAmount)
            throw ProblemException.Rule($"The grant is {grant.Notice.GrantedAmount:0.00} EUR now (revoked in part or whole, §§ 48, 49 VwVfG NRW) and {grant.Paid:0.00} EUR are paid: " +
                $"releasing {payment.Amount:0.00} EUR would pay above it.");
        if (grant is not null && programme is not null) CashBudget.EnsureRoom(payment, grant, programme, BerlinTime.Today(now).Year, pendingOnGrant, pendingOnLine);
        return [new PaymentReleased(payment.Id, account.Account, account.ChangeId, payment.Attempt + 1, finance.Id, finance.Name, now)];
    }

    [WolverinePost("/payments/{id}/release", OperationId = "ReleasePayment"), Authorize(Roles = Roles.Finance)]
    [Tags("Payments"), EndpointSummary("Release a certified payment to the organisation's confirmed account (finance, not the certifier)")]
    public static async Task<(Ok<CaseVersion>, Events)> Post(PaymentStep cmd, [WriteAggregate(Required = false)] Payment payment, IDocumentSession session,
        TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var organisation = await session.LoadAsync<Organisation>(payment.OrganisationId, ct) ?? throw ProblemException.NotFound("The organisation");
        // Releases against one programme queue up on its stream's lock (as approvals do), so that payments released in the same
        // year but not yet booked are counted by each other and two releases cannot together exceed the year's cash (§ 72 LHO).
        var programmeStream = await session.Events.FetchForExclusiveWriting<Programmes.Programme>(payment.ProgrammeId, ct);
        var programme = programmeStream.Aggregate;
        var grant = await session.LoadAsync<Grants.Grant>(payment.GrantId, ct);
        var now = clock.GetUtcNow();
        var year = BerlinTime.Today(now).Year;
        var pending = grant is null ? (OnGrant: 0m, OnLine: 0m) : await CashBudget.Pending(session, payment, grant, year, ct);
        var released = Decide(payment, organisation, grant, programme, Actor.From(http.User), now, pending.OnGrant, pending.OnLine);
        // A final balance is paid in whichever year it is released: its commitment moves into that year (Grants/GrantCommitment.cs).
        if (payment.Kind == PaymentKind.FinalBalance && grant is not null && programme is not null)
            programmeStream.AppendMany(Grants.GrantCommitment.MoveForBalance(grant, programme, await Grants.GrantCommitment.Load(session, grant.Id, ct), year, payment.Amount,
                pending.OnGrant, now));
        return CaseVersion.After(payment, released, http);
    }
}
