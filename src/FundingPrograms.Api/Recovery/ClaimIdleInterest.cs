using FundingPrograms.Proofs;
using Wolverine;

namespace FundingPrograms.Recovery;

/// <summary>Finance claims the § 49a (4) VwVfG NRW interest of a grant as computed from its examined final proof: an interest-only recovery claim.</summary>
public sealed record ClaimIdleInterest(DateOnly? DueOn);

public sealed record IdleInterestClaimResult(Guid GrantId, Guid ClaimId, string ClaimReference, decimal Interest);

public static class ClaimIdleInterestEndpoint
{
    /// <summary>Once per grant, on an examined final proof, for a positive amount; the claim itself is raised beside it (<see cref="IdleInterestClaims"/>).</summary>
    public static IReadOnlyList<object> Decide(IdleInterestFile? file, Guid grantId, Proof proof, IdleInterestResult result, Guid claimId, string claimReference,
        Actor finance, DateTimeOffset now)
    {
        IdleInterestFile.EnsureUndecided(file);
        IdleInterestFile.EnsureExamined(proof);
        if (result.Interest <= 0)
            throw ProblemException.Rule("No money of this grant lay idle beyond the drawdown horizon (ANBest-P Nr. 1.4): there is no § 49a (4) VwVfG NRW interest to claim.");
        return
        [
            new IdleInterestClaimed(IdleMoneyInterest.FileId(grantId), grantId, proof.Id, claimId, claimReference, result.Interest,
                result.HorizonMonths, result.GrantSharePercent, result.Payments.ToArray(), finance.Id, finance.Name, now),
        ];
    }

    [WolverinePost("/grants/{id}/idle-interest/claim", OperationId = "ClaimIdleInterest"), Authorize(Roles = Roles.FinanceStaff)]
    [Tags("Recovery"), EndpointSummary("Claim the § 49a (4) interest on money not used in time: raises an interest-only recovery claim with the calculation")]
    public static async Task<Created<IdleInterestClaimResult>> Post(Guid id, ClaimIdleInterest cmd, IDocumentSession session, IMessageBus bus, TimeProvider clock,
        Letters.LetterIssuer letters, HttpContext http, CancellationToken ct)
    {
        new Check().Date(cmd.DueOn, "dueOn").ThrowIfAny();
        var (grant, proof, result, file) = await IdleMoneyInterest.Load(session, id, http, ct);
        var now = clock.GetUtcNow();
        var actor = Actor.From(http.User);
        var claimId = CaseIds.New(http);
        var reference = await RecoveryClaim.NextReference(session, now, ct);
        var events = Decide(file, id, proof, result, claimId, reference, actor, now);
        var claimed = (IdleInterestClaimed)events[0];
        var reason = $"Zinsen nach § 49a Abs. 4 VwVfG NRW: Mittel der Zuwendung {grant.Notice.Reference} wurden nicht innerhalb von {result.HorizonMonths} Monaten " +
            $"nach Auszahlung verwendet (ANBest-P Nr. 1.4); Berechnung unter GET /grants/{id}/idle-interest.";
        await IdleInterestClaims.Raise(session, bus, letters, grant, claimId, reference, result.Interest, reason, cmd.DueOn, actor, now, ct);
        // A second decision racing this one collides on the stream id (409).
        session.Events.StartStream<IdleInterestFile>(claimed.FileId, events.ToArray());
        return TypedResults.Created($"/recovery-claims/{claimId}", new IdleInterestClaimResult(id, claimId, claimed.ClaimReference, result.Interest));
    }
}
