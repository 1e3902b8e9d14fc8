using FundingPrograms.Grants;

namespace FundingPrograms.Recovery;

/// <summary>The organisation replied to the hearing: when, and what it said.</summary>
public sealed record RecordHearingReply(DateOnly? ReceivedOn, string? Summary, long? Version) : IVersionedCommand;

public static class RecordHearingReplyEndpoint
{
    public static IReadOnlyList<object> Decide(Grant grant, RecordHearingReply cmd, Actor officer, DateTimeOffset now)
    {
        new Check().Date(cmd.ReceivedOn, "receivedOn", required: true).Required(cmd.Summary, "summary", 20_000)
            .That(cmd.ReceivedOn is null || cmd.ReceivedOn <= BerlinTime.Today(now), "receivedOn", "The reply cannot arrive in the future.").ThrowIfAny();
        var hearing = grant.Revocation.Hearings.LastOrDefault() ?? throw ProblemException.InvalidState("No hearing letter was sent for this grant.");
        if (hearing.ReplyReceivedOn is not null) throw ProblemException.InvalidState("The reply to this hearing is recorded already.");
        return [new HearingReplyRecorded(grant.Id, hearing.HearingId, cmd.ReceivedOn!.Value, cmd.Summary!.Trim(), officer.Id, officer.Name, now)];
    }

    [WolverinePost("/grants/{id}/revocation/hearing/reply", OperationId = "RecordHearingReply"), Authorize(Roles = Roles.Officers)]
    [Tags("Revocation"), EndpointSummary("Record the organisation's reply to the hearing")]
    public static (Ok<CaseVersion>, Events) Post(RecordHearingReply cmd, [WriteAggregate(Required = false)] Grant grant, TimeProvider clock, HttpContext http) =>
        CaseVersion.After(grant, Decide(grant, cmd, Actor.From(http.User), clock.GetUtcNow()), http);
}
