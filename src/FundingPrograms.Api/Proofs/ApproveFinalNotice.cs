using FundingPrograms.Applications;
using FundingPrograms.Grants;
using FundingPrograms.Notifications;
using Wolverine;

namespace FundingPrograms.Proofs;

/// <summary>The final notice (Schlussbescheid), four-eyes: an approver other than the examining officer sets the final amount and closes the grant.</summary>
public sealed record ApproveFinalNotice(long? Version) : IVersionedCommand;

public sealed record FinalNotice(FinalNoticeApproved Approved, FinalNoticeIssued Issued, FinalOverpaymentEstablished? Recovery, GrantClosed Closed);

public static class ApproveFinalNoticeEndpoint
{
    public const int RetentionYears = 5;

    public static FinalNotice Decide(Proof proof, Grant grant, CostItem[] plan, Actor approver, DateTimeOffset now)
    {
        if (proof.Kind != ProofKind.Final) throw ProblemException.InvalidState("An interim proof ends with its examination; only the final proof leads to a final notice.");
        if (proof.State != ProofState.Examined)
            throw ProblemException.InvalidState($"The final notice follows the examination; the proof is {proof.State.ToString().ToLowerInvariant()}.");
        if (grant.State == GrantState.Closed) throw ProblemException.InvalidState("The grant is closed already.");
        if (proof.ExaminerId == approver.Id)
            throw ProblemException.Forbidden("Four-eyes rule: you examined this proof, so another approver must issue the final notice.");
        var open = grant.Requested - grant.Paid;
        if (open > 0)
            throw ProblemException.Rule($"{open:0.00} EUR are requested but not booked yet; settle those payments before the final notice (VV Nr. 11 zu § 44 LHO).");
        // Recalculated now, from the proof as examined and what is paid at this moment.
        var r = ProofRules.Recalculate(grant.Notice, plan, proof.Content, proof.Rulings, grant.Paid);
        var examinedOn = BerlinTime.Today(proof.ExaminedAt!.Value);
        return new FinalNotice(
            new FinalNoticeApproved(proof.Id, grant.Id, r.FinalAmount, approver.Id, approver.Name, now),
            new FinalNoticeIssued(grant.Id, proof.Id, r.ProvedCosts, r.RecognisedCosts, r.FinalAmount, r.Paid, r.ToRecover, r.ToPay, examinedOn,
                proof.ExaminerName ?? "", approver.Name, now),
            r.ToRecover > 0
                ? new FinalOverpaymentEstablished(grant.Id, r.ToRecover,
                    $"Final amount {r.FinalAmount:0.00} EUR, paid {r.Paid:0.00} EUR: {r.ToRecover:0.00} EUR overpaid (§ 49a (1) VwVfG NRW).", now)
                : null,
            new GrantClosed(grant.Id, examinedOn, examinedOn.AddYears(RetentionYears), now));
    }

    [WolverinePost("/proofs/{id}/final-notice", OperationId = "ApproveFinalNotice"), Authorize(Roles = Roles.Approvers)]
    [Tags("Proofs of use"), EndpointSummary("Approve the final notice (second person): sets the final amount, raises any recovery claim, closes the grant")]
    public static async Task<(Ok<CaseVersion>, Events)> Post(ApproveFinalNotice cmd, [WriteAggregate(Required = false)] Proof proof, IDocumentSession session,
        IMessageBus bus, TimeProvider clock, Letters.LetterIssuer letters, HttpContext http, CancellationToken ct)
    {
        var grantStream = await session.Events.FetchForExclusiveWriting<Grant>(proof.GrantId, ct);
        var grant = grantStream.Aggregate ?? throw ProblemException.NotFound("The grant");
        var plan = await ProofAccess.Plan(session, grant, ct);
        var now = clock.GetUtcNow();
        var notice = Decide(proof, grant, plan, Actor.From(http.User), now);
        grantStream.AppendOne(notice.Issued);
        // The commitment above what is paid and what is left to pay goes back to the budget (grant first, then programme: no deadlocks).
        if (GrantCommitment.ReleaseAtFinalNotice(grant, await GrantCommitment.Load(session, grant.Id, ct), notice.Issued.ToPay, now) is { } released)
            (await session.Events.FetchForExclusiveWriting<Programmes.Programme>(grant.ProgrammeId, ct)).AppendOne(released);
        if (notice.Recovery is not null)
        {
            // The overpayment is collected by a recovery claim of its own (claims list, dunning, interest, payments), raised in
            // this transaction. Ineffective from: the final notice fixes the grant at the final amount from the day it is
            // issued (it replaces the amount, it does not revoke back to the payments); from that day the overpaid part has no
            // legal ground, so § 49a (3) VwVfG NRW interest runs from the notice date (and per payment never before its day).
            var claimId = Guid.CreateVersion7();
            grantStream.AppendOne(notice.Recovery with { ClaimId = claimId });
            await Recovery.RecoveryClaims.Raise(session, bus, letters, grant, notice.Recovery.Amount, BerlinTime.Today(now), notice.Recovery.Reason,
                Recovery.ClaimBasis.ProofOfUse, Actor.From(http.User), now, ct, claimId: claimId);
        }
        grantStream.AppendOne(notice.Closed);
        var i = notice.Issued;
        var letter = await letters.FinalNotice(session, grant, i, ct); // the Schlussbescheid as a letter (issue 18), in this transaction
        var lang = await NotificationTexts.LanguageOf(session, grant.OrganisationId, ct);
        var balance = i.ToRecover > 0 ? lang.N("finalNotice.toRecover", ("amount", lang.Eur(i.ToRecover)))
            : i.ToPay > 0 ? lang.N("finalNotice.toPay", ("amount", lang.Eur(i.ToPay))) : lang.N("finalNotice.balanced");
        await letter.Notify(new ApplicantNotification(Guid.CreateVersion7(), grant.OrganisationId, lang.N("finalNotice.subject", ("reference", grant.Notice.Reference)),
            lang.N("finalNotice.body", ("final", lang.Eur(i.FinalAmount)), ("paid", lang.Eur(i.Paid)), ("balance", balance)),
            $"/proofs/{proof.Id}", now, letter.LetterId));
        return CaseVersion.After(proof, [notice.Approved], http);
    }
}
