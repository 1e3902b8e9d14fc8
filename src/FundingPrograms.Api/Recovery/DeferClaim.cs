using Wolverine;

namespace FundingPrograms.Recovery;

/// <summary>Stundung (§ 59 (1) Nr. 1 LHO NRW): a new due date, with a reason. Interest under § 49a (3) VwVfG NRW continues.</summary>
public sealed record DeferClaim(DateOnly? NewDueOn, string? Reason, long? Version) : IVersionedCommand;

public static class DeferClaimEndpoint
{
    public static IReadOnlyList<object> Decide(RecoveryClaim claim, DeferClaim cmd, Actor finance, DateTimeOffset now)
    {
        new Check().Date(cmd.NewDueOn, "newDueOn", required: true).Required(cmd.Reason, "reason", 2000).ThrowIfAny();
        ClaimAccess.EnsureOpen(claim);
        new Check().That(cmd.NewDueOn > claim.DueOn && cmd.NewDueOn > BerlinTime.Today(now), "newDueOn",
                $"A deferral moves the due date ({claim.DueOn:yyyy-MM-dd}) later, into the future.")
            .That(claim.Instalments.Count == 0, "newDueOn", "The claim is paid in instalments: agree new instalments instead.")
            .ThrowAsRuleIfAny("The claim cannot be deferred: see 'errors'.");
        return [new RecoveryClaimDeferred(claim.Id, claim.DueOn, cmd.NewDueOn!.Value, cmd.Reason!.Trim(), finance.Id, finance.Name, now)];
    }

    [WolverinePost("/recovery-claims/{id}/defer", OperationId = "DeferRecoveryClaim"), Authorize(Roles = Roles.FinanceStaff)]
    [Tags("Recovery"), EndpointSummary("Defer the claim (Stundung) to a new due date, with a reason; interest continues")]
    public static async Task<(Ok<CaseVersion>, Events)> Post(DeferClaim cmd, [WriteAggregate(Required = false)] RecoveryClaim claim, IMessageBus bus,
        TimeProvider clock, IDocumentSession session, Letters.LetterIssuer letters, HttpContext http, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var events = Decide(claim, cmd, Actor.From(http.User), now);
        var answer = CaseVersion.After(claim, events, http);
        await letters.ClaimLetter(session, claim, events[0], ct); // the Stundungsbescheid, in this transaction
        await Dunning.ScheduleFirst(bus, claim.Id, cmd.NewDueOn!.Value, now);
        return answer;
    }
}
