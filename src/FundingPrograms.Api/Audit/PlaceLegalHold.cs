using FundingPrograms.Organisations;

namespace FundingPrograms.Audit;

/// <summary>Places a legal hold on an organisation's personal data, with the reason (e.g. "Klage VG Köln 7 K 123/27").</summary>
public sealed record PlaceLegalHold(string? Reason);

public static class PlaceLegalHoldEndpoint
{
    public static LegalHoldPlaced Decide(Guid holdId, Organisation organisation, PlaceLegalHold cmd, Actor actor, DateTimeOffset now)
    {
        new Check().Required(cmd.Reason, "reason", 2000).ThrowIfAny();
        return new LegalHoldPlaced(holdId, organisation.Id, cmd.Reason!.Trim(), actor.Id, actor.Name, now);
    }

    [WolverinePost("/organisations/{id}/legal-holds", OperationId = "PlaceLegalHold"), Authorize(Roles = Roles.OfficersAndAuditors)]
    [Tags("Audit"), EndpointSummary("Place a legal hold: the organisation's personal data is not erased at the end of retention while it holds")]
    public static async Task<Created<CaseVersion>> Post(Guid id, PlaceLegalHold cmd, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var organisation = await session.LoadAsync<Organisation>(id, ct) ?? throw ProblemException.NotFound("The organisation");
        var holdId = Guid.CreateVersion7();
        session.Events.StartStream<LegalHold>(holdId, Decide(holdId, organisation, cmd, Actor.From(http.User), clock.GetUtcNow()));
        return TypedResults.Created($"/legal-holds/{holdId}", new CaseVersion(holdId, 1).WithETag(http));
    }
}
