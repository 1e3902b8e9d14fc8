using FundingPrograms.Grants;

namespace FundingPrograms.Recovery;

/// <summary>What the authority learned (and when) that may justify revoking the grant, with the evidence.</summary>
public sealed record RecordRevocationFacts(DateOnly? LearnedOn, string? Facts, string? Evidence, long? Version) : IVersionedCommand;

public static class RecordRevocationFactsEndpoint
{
    /// <summary>
    /// The one-year period of § 48 (4) (with § 49 (3) S. 2) VwVfG NRW runs from the day the authority learned the facts:
    /// the revocation must be issued by the same calendar day a year later (§§ 187 (1), 188 (2) BGB).
    /// </summary>
    public static DateOnly DeadlineFor(DateOnly learnedOn) => learnedOn.AddYears(1);

    public static IReadOnlyList<object> Decide(Grant grant, RecordRevocationFacts cmd, Guid factsId, Actor officer, DateTimeOffset now)
    {
        var today = BerlinTime.Today(now);
        new Check()
            .Date(cmd.LearnedOn, "learnedOn", required: true)
            .Required(cmd.Facts, "facts", 5000)
            .Required(cmd.Evidence, "evidence", 2000)
            .That(cmd.LearnedOn is null || cmd.LearnedOn <= today, "learnedOn", "The day the facts became known cannot be in the future.")
            .ThrowIfAny();
        return [new RevocationFactsRecorded(grant.Id, factsId, cmd.LearnedOn!.Value, cmd.Facts!.Trim(), cmd.Evidence!.Trim(), DeadlineFor(cmd.LearnedOn.Value),
            officer.Id, officer.Name, now)];
    }

    [WolverinePost("/grants/{id}/revocation/facts", OperationId = "RecordRevocationFacts"), Authorize(Roles = Roles.Officers)]
    [Tags("Revocation"), EndpointSummary("Record facts that may justify revocation: starts the one-year period (§ 48 (4), § 49 (3) VwVfG NRW)")]
    public static (Ok<CaseVersion>, Events) Post(RecordRevocationFacts cmd, [WriteAggregate(Required = false)] Grant grant, TimeProvider clock, HttpContext http) =>
        CaseVersion.After(grant, Decide(grant, cmd, Guid.CreateVersion7(), Actor.From(http.User), clock.GetUtcNow()), http);
}
