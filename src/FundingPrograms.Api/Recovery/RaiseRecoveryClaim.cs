using FundingPrograms.Grants;
using FundingPrograms.Notifications;
using FundingPrograms.Organisations;
using FundingPrograms.Payments;
using Wolverine;

namespace FundingPrograms.Recovery;

/// <summary>A recovery claim raised by hand (or by the proof-of-use check): principal, the day the grant became ineffective, reason.</summary>
public sealed record RaiseRecoveryClaim(decimal? Principal, DateOnly? IneffectiveFrom, string? Reason, DateOnly? DueOn, decimal? Costs);

public static class RecoveryClaims
{
    /// <summary>Days after the claim is raised until it falls due, unless a due date is given.</summary>
    public const int DefaultDueDays = 30;

    /// <summary>
    /// The claim for money paid above what the grant allows: the tranches are the latest booked payments (interest per
    /// payment never before its day, § 49a (3) VwVfG NRW); never more than was paid and not claimed yet.
    /// </summary>
    public static RecoveryClaimRaised Decide(Grant grant, IReadOnlyList<RecoveryClaim> existing, IReadOnlyList<Payment> booked, Guid claimId, string reference,
        decimal principal, DateOnly ineffectiveFrom, string reason, ClaimBasis basis, DateOnly? dueOn, decimal costs, string[] debtorIbans, Actor actor, DateTimeOffset now)
    {
        var today = BerlinTime.Today(now);
        new Check()
            .Money(principal, "principal", allowZero: false)
            .Money(costs, "costs")
            .Date(ineffectiveFrom, "ineffectiveFrom", required: true)
            .Date(dueOn, "dueOn")
            .Required(reason, "reason", 2000)
            .ThrowIfAny();
        var claimed = existing.Sum(c => c.Principal);
        var paid = booked.Sum(p => p.Amount);
        var rules = new Check()
            .That(principal <= paid - claimed, "principal",
                $"{paid:0.00} EUR were paid on this grant and {claimed:0.00} EUR are claimed already: at most {Math.Max(0, paid - claimed):0.00} EUR can be claimed.")
            .That(ineffectiveFrom <= today, "ineffectiveFrom", "Interest under § 49a (3) VwVfG NRW runs from the day the grant became ineffective: that day cannot be in the future.")
            .That(dueOn is null || dueOn >= today, "dueOn", "The due date cannot be in the past.");
        rules.ThrowAsRuleIfAny("The recovery claim cannot be raised: see 'errors'.");
        var payments = booked.Where(p => p.BookingDate is not null).Select(p => (p.Id, p.BookingDate!.Value, p.Amount)).ToList();
        // The tranches of this claim: the latest payments not claimed yet.
        var tranches = InterestCalculator.Tranches(payments, claimed + principal, ineffectiveFrom);
        var own = TakeFromStart(tranches, principal, claimed);
        return new RecoveryClaimRaised(claimId, reference, grant.Id, grant.Notice.Reference, grant.OrganisationId,
            grant.Notice.OrganisationName, grant.ProgrammeId, basis, reason.Trim(), principal, costs, ineffectiveFrom, own, dueOn ?? today.AddDays(DefaultDueDays),
            debtorIbans, actor.Id, actor.Name, now);
    }

    /// <summary>The accounts money may come back from: those the grant was paid to and the organisation's confirmed ones.</summary>
    public static async Task<string[]> DebtorIbans(IDocumentSession session, Grant grant, IReadOnlyList<Payment> booked, CancellationToken ct)
    {
        var organisation = await session.LoadAsync<Organisation>(grant.OrganisationId, ct);
        return booked.Where(p => p.Payee is not null).Select(p => Iban.Normalize(p.Payee!.Iban))
            .Concat(organisation?.BankAccounts.Where(b => b.Status != BankAccountStatus.Pending).Select(b => Iban.Normalize(b.Account.Iban)) ?? [])
            .Distinct().ToArray();
    }

    /// <summary>The tranches cover claimed + principal, latest payments last; the earlier claims took the latest ones, this claim the part before them.</summary>
    private static InterestTranche[] TakeFromStart(IReadOnlyList<InterestTranche> tranches, decimal principal, decimal claimedBefore)
    {
        var result = new List<InterestTranche>();
        var left = principal;
        foreach (var t in tranches)
        {
            if (left <= 0) break;
            var part = Math.Min(left, t.Amount);
            result.Add(t with { Amount = part });
            left -= part;
        }
        return result.ToArray();
    }

    /// <summary>
    /// Raises a recovery claim on a grant in the caller's session (same transaction): for revocations, the proof-of-use
    /// final notice, or by hand. Schedules the first dunning reminder and notifies the organisation. Returns the claim id.
    /// </summary>
    public static async Task<Guid> Raise(IDocumentSession session, IMessageBus bus, Letters.LetterIssuer letters, Grant grant, decimal principal, DateOnly ineffectiveFrom,
        string reason, ClaimBasis basis, Actor actor, DateTimeOffset now, CancellationToken ct, DateOnly? dueOn = null, decimal costs = 0m, Guid? claimId = null)
    {
        var id = claimId ?? Guid.CreateVersion7();
        var existing = await session.Query<RecoveryClaim>().Where(c => c.GrantId == grant.Id).ToListAsync(ct);
        var booked = await session.Query<Payment>().Where(p => p.GrantId == grant.Id && p.State == PaymentState.Booked).ToListAsync(ct);
        var ibans = await DebtorIbans(session, grant, booked, ct);
        var raised = Decide(grant, existing, booked, id, await RecoveryClaim.NextReference(session, now, ct), principal, ineffectiveFrom, reason, basis, dueOn, costs,
            ibans, actor, now);
        session.Events.StartStream<RecoveryClaim>(id, raised);
        // Every claim gets its payment demand (Leistungsbescheid / Zahlungsaufforderung) as a letter, in this transaction.
        var letter = await letters.PaymentDemand(session, grant, raised, ct);
        await Dunning.ScheduleFirst(bus, raised.ClaimId, raised.DueOn, now);
        var lang = await NotificationTexts.LanguageOf(session, grant.OrganisationId, ct);
        await letter.Notify(new ApplicantNotification(Guid.CreateVersion7(), grant.OrganisationId, lang.N("claim.subject", ("reference", raised.Reference)),
            lang.N("claim.body", ("grant", grant.Notice.Reference), ("amount", lang.Eur(principal)), ("date", lang.Day(raised.DueOn)), ("reference", raised.Reference)),
            $"/recovery-claims/{id}", now, letter.LetterId));
        return id;
    }
}

public static class IdleInterestClaims
{
    /// <summary>
    /// An interest-only claim under § 49a (4) VwVfG NRW: no principal, the interest computed from the proof of use as a fixed amount
    /// (it does not accrue further); collected like any other claim (reference, dunning, § 367 BGB allocation of what arrives).
    /// </summary>
    public static RecoveryClaimRaised Decide(Grant grant, Guid claimId, string reference, decimal interest, string reason, DateOnly? dueOn, string[] debtorIbans,
        Actor actor, DateTimeOffset now)
    {
        var today = BerlinTime.Today(now);
        new Check().Date(dueOn, "dueOn").ThrowIfAny();
        new Check().That(interest > 0, "interest", "There is no interest under § 49a (4) VwVfG NRW to claim.")
            .That(dueOn is null || dueOn >= today, "dueOn", "The due date cannot be in the past.")
            .ThrowAsRuleIfAny("The interest cannot be claimed: see 'errors'.");
        return new RecoveryClaimRaised(claimId, reference, grant.Id, grant.Notice.Reference, grant.OrganisationId,
            grant.Notice.OrganisationName, grant.ProgrammeId, ClaimBasis.IdleMoneyInterest, reason, 0m, 0m, today, [], dueOn ?? today.AddDays(RecoveryClaims.DefaultDueDays),
            debtorIbans, actor.Id, actor.Name, now, interest);
    }

    /// <summary>Raises the interest-only claim in the caller's session (same transaction), schedules dunning and notifies the organisation.</summary>
    public static async Task<RecoveryClaimRaised> Raise(IDocumentSession session, IMessageBus bus, Letters.LetterIssuer letters, Grant grant, Guid claimId, string reference,
        decimal interest, string reason, DateOnly? dueOn, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var booked = await session.Query<Payment>().Where(p => p.GrantId == grant.Id && p.State == PaymentState.Booked).ToListAsync(ct);
        var raised = Decide(grant, claimId, reference, interest, reason, dueOn, await RecoveryClaims.DebtorIbans(session, grant, booked, ct), actor, now);
        session.Events.StartStream<RecoveryClaim>(claimId, raised);
        var letter = await letters.PaymentDemand(session, grant, raised, ct);
        await Dunning.ScheduleFirst(bus, claimId, raised.DueOn, now);
        var lang = await NotificationTexts.LanguageOf(session, grant.OrganisationId, ct);
        await letter.Notify(new ApplicantNotification(Guid.CreateVersion7(), grant.OrganisationId, lang.N("interestClaim.subject", ("reference", raised.Reference)),
            lang.N("interestClaim.body", ("grant", grant.Notice.Reference), ("amount", lang.Eur(interest)), ("date", lang.Day(raised.DueOn)), ("reference", raised.Reference)),
            $"/recovery-claims/{claimId}", now, letter.LetterId));
        return raised;
    }
}

public static class RaiseRecoveryClaimEndpoint
{
    [WolverinePost("/grants/{id}/recovery-claims", OperationId = "RaiseRecoveryClaim"), Authorize(Roles = Roles.OfficersAndFinance)]
    [Tags("Recovery"), EndpointSummary("Raise a recovery claim on a grant by hand: principal, day the grant became ineffective, reason")]
    public static async Task<Created<CaseVersion>> Post(Guid id, RaiseRecoveryClaim cmd, IDocumentSession session, IMessageBus bus, TimeProvider clock,
        Letters.LetterIssuer letters, HttpContext http, CancellationToken ct)
    {
        new Check().Money(cmd.Principal, "principal", allowZero: false).Date(cmd.IneffectiveFrom, "ineffectiveFrom", required: true)
            .Required(cmd.Reason, "reason", 2000).Money(cmd.Costs, "costs", required: false).ThrowIfAny();
        // The grant's stream is locked so that two claims cannot together exceed what was paid.
        var grant = await session.Events.FetchForExclusiveWriting<Grant>(id, ct);
        if (grant.Aggregate is null) throw ProblemException.NotFound("The grant");
        var claimId = CaseIds.New(http);
        await RecoveryClaims.Raise(session, bus, letters, grant.Aggregate, cmd.Principal!.Value, cmd.IneffectiveFrom!.Value, cmd.Reason!, ClaimBasis.Manual,
            Actor.From(http.User), clock.GetUtcNow(), ct, cmd.DueOn, cmd.Costs ?? 0m, claimId);
        return TypedResults.Created($"/recovery-claims/{claimId}", new CaseVersion(claimId, 1).WithETag(http));
    }
}
