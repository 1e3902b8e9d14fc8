using FundingPrograms.Grants;
using FundingPrograms.Notifications;
using FundingPrograms.Payments;
using FundingPrograms.Programmes;
using Wolverine;

namespace FundingPrograms.Recovery;

public sealed record ApproveRevocation(long? Version) : IVersionedCommand;

public sealed record RevocationResult(Guid Id, long Version, Guid? ClaimId, decimal RecoveryAmount);

public sealed record RevocationDecision(GrantRevoked Revoked, BudgetReleased? Released);

public static class ApproveRevocationEndpoint
{
    /// <summary>
    /// The new split across budget years: what was paid in a year stays; the rest of the new amount goes to the earliest
    /// years first (never above the old share). Below what was paid, the new amount is spread over the paid years.
    /// </summary>
    public static YearAmount[] NewSplit(YearAmount[] old, IReadOnlyList<YearAmount> paid, decimal newAmount)
    {
        decimal Paid(int year) => paid.Where(p => p.Year == year).Sum(p => p.Amount);
        var totalPaid = old.Sum(y => Paid(y.Year));
        var left = newAmount >= totalPaid ? newAmount - totalPaid : newAmount;
        var result = new List<YearAmount>();
        foreach (var y in old.OrderBy(y => y.Year))
        {
            var baseAmount = newAmount >= totalPaid ? Paid(y.Year) : 0m;
            var room = newAmount >= totalPaid ? y.Amount - baseAmount : Paid(y.Year);
            var extra = Math.Min(Math.Max(0m, room), left);
            left -= extra;
            if (baseAmount + extra > 0) result.Add(new YearAmount(y.Year, baseAmount + extra));
        }
        return result.ToArray();
    }

    public static RevocationDecision Decide(Grant grant, IReadOnlyList<Payment> payments, decimal claimedBefore, Guid claimId, Actor approver, DateTimeOffset now)
    {
        var proposal = grant.Revocation.OpenProposal ?? throw ProblemException.InvalidState("There is no revocation proposal to approve.");
        if (proposal.By == approver.Id)
            throw ProblemException.Forbidden("Four-eyes rule: you proposed this revocation, so another person must approve it.");
        var today = BerlinTime.Today(now);
        RevocationRules.Timely(grant, proposal.FactsId, today);
        RevocationRules.Heard(grant, today);
        // Released, batched or exported: the bank has not booked or returned them, so the amount paid is not known yet.
        var inFlight = payments.Where(p => p.State is PaymentState.Released or PaymentState.Batched or PaymentState.Exported).ToList();
        if (inFlight.Count > 0)
            throw ProblemException.Rule($"{inFlight.Count} payment(s) of this grant are on their way to the bank but not yet booked or returned " +
                $"({string.Join(", ", inFlight.Select(p => $"{p.Amount:0.00} EUR {p.State.ToString().ToLowerInvariant()}" + (p.EndToEndId is null ? "" : $" {p.EndToEndId}")))}): " +
                "the amount paid is unknown until the bank statement books or returns them, and the recovery claim (§ 49a (1) VwVfG NRW) depends on it. Import the statement first.");
        // Requested or certified: not paid, but they would pay above the new amount once released.
        var open = payments.Where(p => p.State is PaymentState.Requested or PaymentState.Certified).ToList();
        if (open.Count > 0)
            throw ProblemException.Rule($"{open.Count} payment(s) of this grant are requested but not released ({string.Join(", ", open.Select(p => $"{p.Amount:0.00} EUR {p.State.ToString().ToLowerInvariant()}"))}): " +
                "refuse them (POST /payments/{id}/refuse) or pay them before the revocation, so that nothing is paid above the new amount.");
        var old = grant.Notice;
        if (proposal.NewAmount >= old.GrantedAmount) throw ProblemException.InvalidState($"The grant is {old.GrantedAmount:0.00} EUR already.");
        var split = NewSplit(old.YearSplit, grant.PaidPerYear, proposal.NewAmount);
        var released = old.YearSplit.Select(y => new YearAmount(y.Year,
                y.Amount - Math.Max(split.Where(s => s.Year == y.Year).Sum(s => s.Amount), grant.PaidPerYear.Where(p => p.Year == y.Year).Sum(p => p.Amount))))
            .Where(y => y.Amount > 0).ToArray();
        var recovery = Math.Max(0m, grant.Paid - proposal.NewAmount - claimedBefore);
        var notice = old with
        {
            NoticeVersion = old.NoticeVersion + 1,
            GrantedAmount = proposal.NewAmount,
            MaximumAmount = proposal.NewAmount,
            SharePercent = NoticeContent.SharePercent(old.FinancingType, proposal.NewAmount, old.TotalEligibleCosts),
            YearSplit = split,
            IssuedAt = now,
            IssuedBy = approver.Name,
            AmendmentReason = $"Widerruf ({proposal.LegalBasis}) mit Wirkung vom {proposal.EffectiveFrom:dd.MM.yyyy}: {proposal.Reasons}",
        };
        var revoked = new GrantRevoked(grant.Id, proposal.ProposalId, proposal.Scope, old.GrantedAmount, proposal.NewAmount, proposal.EffectiveFrom, proposal.Reasons,
            proposal.LegalBasis, notice, released, grant.Paid, recovery, recovery > 0 ? claimId : null, proposal.By, proposal.ByName, approver.Id, approver.Name, now);
        return new RevocationDecision(revoked, released.Length > 0
            ? new BudgetReleased(grant.ProgrammeId, grant.Id, grant.CallId, old.BudgetLine, released, $"Widerruf {old.Reference}", now)
            : null);
    }

    [WolverinePost("/grants/{id}/revocation/approve", OperationId = "ApproveRevocation"), Authorize(Roles = Roles.Approvers)]
    [Tags("Revocation"), EndpointSummary("Approve the proposed revocation (not the proposer): notice, lowered grant, released commitments, recovery claim")]
    public static async Task<(Ok<RevocationResult>, Events)> Post(ApproveRevocation cmd,
        [WriteAggregate(Required = false, LoadStyle = ConcurrencyStyle.Exclusive)] Grant grant, IDocumentSession session, IMessageBus bus, TimeProvider clock,
        Letters.LetterIssuer letters, HttpContext http, CancellationToken ct)
    {
        // Grant first (locked by the load), then programme: the same order as drawdowns, bookings and amendments (no deadlocks).
        var id = grant.Id;
        var programmeStream = await session.Events.FetchForExclusiveWriting<Programme>(grant.ProgrammeId, ct);
        var payments = await session.Query<Payment>().Where(p => p.GrantId == id).ToListAsync(ct);
        var claimedBefore = (await session.Query<RecoveryClaim>().Where(c => c.GrantId == id).ToListAsync(ct)).Sum(c => c.Principal);
        var now = clock.GetUtcNow();
        var actor = Actor.From(http.User);
        var claimId = Guid.CreateVersion7();
        var decision = Decide(grant, payments, claimedBefore, claimId, actor, now);
        var revoked = decision.Revoked;
        var dueOn = grant.Revocation.OpenProposal!.PaymentDueOn;
        if (decision.Released is not null) programmeStream.AppendOne(decision.Released);
        if (revoked.ClaimId is not null)
        {
            await RecoveryClaims.Raise(session, bus, letters, grant, revoked.RecoveryAmount, revoked.EffectiveFrom,
                $"Widerruf des Zuwendungsbescheids {grant.Notice.Reference} ({revoked.LegalBasis}): {revoked.Reasons}", ClaimBasis.Revocation, actor, now, ct,
                dueOn, claimId: claimId);
        }
        // The letter names the claim raised with it (its Kassenzeichen and due date), from the events pending in this transaction.
        var claim = session.PendingChanges.Streams().SelectMany(s => s.Events).Select(e => e.Data).OfType<RecoveryClaimRaised>()
            .FirstOrDefault(c => c.ClaimId == revoked.ClaimId);
        var letter = await letters.Revocation(session, grant, revoked, claim, ct);
        var lang = await NotificationTexts.LanguageOf(session, grant.OrganisationId, ct);
        await letter.Notify(new ApplicantNotification(Guid.CreateVersion7(), grant.OrganisationId, lang.N("revoked.subject", ("reference", grant.Notice.Reference)),
            lang.N(revoked.Scope == RevocationScope.Whole ? "revoked.whole" : "revoked.partial", ("title", grant.Notice.ProjectTitle), ("amount", lang.Eur(revoked.NewAmount))),
            $"/grants/{id}/revocations/{revoked.ProposalId}/notice.html", now, letter.LetterId));
        http.Response.Headers.ETag = Versioning.ETag(grant.Version + 1);
        return (TypedResults.Ok(new RevocationResult(id, grant.Version + 1, revoked.ClaimId, revoked.RecoveryAmount)), [revoked]);
    }
}
