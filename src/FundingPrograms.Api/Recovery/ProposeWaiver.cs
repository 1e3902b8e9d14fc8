namespace FundingPrograms.Recovery;

/// <summary>Proposal to suspend collection (Niederschlagung) or remit the claim (Erlass), § 59 LHO NRW, with a reason; another finance user approves.</summary>
public sealed record ProposeWaiver(string? Kind, string? Reason, long? Version) : IVersionedCommand;

public static class ProposeWaiverEndpoint
{
    public static IReadOnlyList<object> Decide(RecoveryClaim claim, ProposeWaiver cmd, Actor finance, DateTimeOffset now)
    {
        new Check().That(Enums.TryParseName<WaiverKind>(cmd.Kind, out var kind), "kind", "Use suspension (Niederschlagung) or remission (Erlass).")
            .Required(cmd.Reason, "reason", 2000).ThrowIfAny();
        if (claim.State == ClaimState.Remitted) throw ProblemException.InvalidState("The claim is remitted.");
        if (claim.State == ClaimState.Suspended && kind == WaiverKind.Suspension) throw ProblemException.InvalidState("Collection is suspended already.");
        return [new RecoveryWaiverProposed(claim.Id, kind, cmd.Reason!.Trim(), finance.Id, finance.Name, now)];
    }

    [WolverinePost("/recovery-claims/{id}/waiver", OperationId = "ProposeRecoveryWaiver"), Authorize(Roles = Roles.FinanceStaff)]
    [Tags("Recovery"), EndpointSummary("Propose to suspend (Niederschlagung) or remit (Erlass) the claim, with a reason")]
    public static (Ok<CaseVersion>, Events) Post(ProposeWaiver cmd, [WriteAggregate(Required = false)] RecoveryClaim claim, TimeProvider clock, HttpContext http) =>
        CaseVersion.After(claim, Decide(claim, cmd, Actor.From(http.User), clock.GetUtcNow()), http);
}
