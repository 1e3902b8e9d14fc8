using FundingPrograms.Grants;

namespace FundingPrograms.Recovery;

/// <summary>No hearing is needed (§ 28 (2) VwVfG NRW, e.g. the organisation itself reported the facts and asked to return the money), with the reason.</summary>
public sealed record DispenseWithHearing(string? Reason, long? Version) : IVersionedCommand;

public static class DispenseWithHearingEndpoint
{
    public static IReadOnlyList<object> Decide(Grant grant, DispenseWithHearing cmd, Actor officer, DateTimeOffset now)
    {
        new Check().Required(cmd.Reason, "reason", 2000).ThrowIfAny();
        if (grant.Revocation.HearingDispensedReason is not null) throw ProblemException.InvalidState("The hearing is recorded as not needed already.");
        return [new HearingDispensed(grant.Id, cmd.Reason!.Trim(), officer.Id, officer.Name, now)];
    }

    [WolverinePost("/grants/{id}/revocation/hearing/dispense", OperationId = "DispenseWithHearing"), Authorize(Roles = Roles.Officers)]
    [Tags("Revocation"), EndpointSummary("Record that no hearing is needed (§ 28 (2) VwVfG NRW), with the reason")]
    public static (Ok<CaseVersion>, Events) Post(DispenseWithHearing cmd, [WriteAggregate(Required = false)] Grant grant, TimeProvider clock, HttpContext http) =>
        CaseVersion.After(grant, Decide(grant, cmd, Actor.From(http.User), clock.GetUtcNow()), http);
}
