namespace FundingPrograms.Audit;

/// <summary>Lifts a legal hold, with the reason (e.g. the case was decided); retention erasure applies again.</summary>
public sealed record LiftLegalHold(string? Reason, long? Version) : IVersionedCommand;

public static class LiftLegalHoldEndpoint
{
    public static LegalHoldLifted Decide(LegalHold hold, LiftLegalHold cmd, Actor actor, DateTimeOffset now)
    {
        new Check().Required(cmd.Reason, "reason", 2000).ThrowIfAny();
        if (!hold.Active) throw ProblemException.InvalidState("This legal hold is lifted already.");
        return new LegalHoldLifted(hold.Id, hold.OrganisationId, cmd.Reason!.Trim(), actor.Id, actor.Name, now);
    }

    [WolverinePost("/legal-holds/{id}/lift", OperationId = "LiftLegalHold"), Authorize(Roles = Roles.OfficersAndAuditors)]
    [Tags("Audit"), EndpointSummary("Lift a legal hold, with a reason")]
    public static (Ok<CaseVersion>, Events) Post(LiftLegalHold cmd, [WriteAggregate(Required = false)] LegalHold hold, TimeProvider clock, HttpContext http) =>
        CaseVersion.After(hold, [Decide(hold, cmd, Actor.From(http.User), clock.GetUtcNow())], http);
}
