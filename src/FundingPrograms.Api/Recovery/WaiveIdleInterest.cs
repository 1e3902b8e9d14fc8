using FundingPrograms.Proofs;

namespace FundingPrograms.Recovery;

/// <summary>
/// Finance decides not to claim the § 49a (4) VwVfG NRW interest of a grant (the authority "can" claim it: discretion, e.g. a trifling
/// amount or a delay the organisation did not cause), with the reason; recorded with the calculation it rests on.
/// </summary>
public sealed record WaiveIdleInterest(string? Reason);

public static class WaiveIdleInterestEndpoint
{
    public static IReadOnlyList<object> Decide(IdleInterestFile? file, Guid grantId, Proof proof, IdleInterestResult result, WaiveIdleInterest cmd, Actor finance,
        DateTimeOffset now)
    {
        new Check().Required(cmd.Reason, "reason", 2000).ThrowIfAny();
        IdleInterestFile.EnsureUndecided(file);
        IdleInterestFile.EnsureExamined(proof);
        if (result.Interest <= 0)
            throw ProblemException.Rule("No money of this grant lay idle beyond the drawdown horizon (ANBest-P Nr. 1.4): there is no § 49a (4) VwVfG NRW interest to waive.");
        return
        [
            new IdleInterestWaived(IdleMoneyInterest.FileId(grantId), grantId, proof.Id, result.Interest, result.HorizonMonths, result.GrantSharePercent,
                result.Payments.ToArray(), cmd.Reason!.Trim(), finance.Id, finance.Name, now),
        ];
    }

    [WolverinePost("/grants/{id}/idle-interest/waiver", OperationId = "WaiveIdleInterest"), Authorize(Roles = Roles.FinanceStaff)]
    [Tags("Recovery"), EndpointSummary("Decide not to claim the § 49a (4) interest on money not used in time, with a reason (recorded with the calculation)")]
    public static async Task<Ok<CaseVersion>> Post(Guid id, WaiveIdleInterest cmd, IDocumentSession session, TimeProvider clock, HttpContext http,
        CancellationToken ct)
    {
        new Check().Required(cmd.Reason, "reason", 2000).ThrowIfAny();
        var (_, proof, result, file) = await IdleMoneyInterest.Load(session, id, http, ct);
        var events = Decide(file, id, proof, result, cmd, Actor.From(http.User), clock.GetUtcNow());
        var fileId = IdleMoneyInterest.FileId(id);
        session.Events.StartStream<IdleInterestFile>(fileId, events.ToArray());
        return TypedResults.Ok(new CaseVersion(fileId, events.Count).WithETag(http));
    }
}
