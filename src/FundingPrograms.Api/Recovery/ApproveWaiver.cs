namespace FundingPrograms.Recovery;

public sealed record ApproveWaiver(long? Version) : IVersionedCommand;

public static class ApproveWaiverEndpoint
{
    public static IReadOnlyList<object> Decide(RecoveryClaim claim, Actor finance, DateTimeOffset now)
    {
        var proposal = claim.ProposedWaiver ?? throw ProblemException.InvalidState("There is no waiver proposal to approve.");
        if (proposal.By == finance.Id) throw ProblemException.Forbidden("Four-eyes rule: you proposed this waiver, so another finance user must approve it.");
        return [new RecoveryWaiverApproved(claim.Id, proposal.Kind, proposal.Reason, BerlinTime.Today(now), proposal.By, finance.Id, finance.Name, now)];
    }

    [WolverinePost("/recovery-claims/{id}/waiver/approve", OperationId = "ApproveRecoveryWaiver"), Authorize(Roles = Roles.FinanceStaff)]
    [Tags("Recovery"), EndpointSummary("Approve the proposed waiver (another finance user); it takes effect today")]
    public static async Task<(Ok<CaseVersion>, Events)> Post(ApproveWaiver cmd, [WriteAggregate(Required = false)] RecoveryClaim claim, TimeProvider clock,
        IDocumentSession session, Letters.LetterIssuer letters, HttpContext http, CancellationToken ct)
    {
        var events = Decide(claim, Actor.From(http.User), clock.GetUtcNow());
        var answer = CaseVersion.After(claim, events, http);
        await letters.ClaimLetter(session, claim, events[0], ct); // the Erlassbescheid or the notice of Niederschlagung, in this transaction
        return answer;
    }
}
