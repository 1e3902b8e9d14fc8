using FundingPrograms.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace FundingPrograms.Programmes;

/// <summary>A lifecycle step of a programme: the expected version and, where the step needs one, a reason.</summary>
public sealed record ProgrammeStep(string? Reason, long? Version);

public static class PublishProgrammeEndpoint
{
    public static IReadOnlyList<object> Decide(Programme programme, DateTimeOffset now) => programme.Status == ProgrammeStatus.Draft
        ? [new ProgrammePublished(programme.Id, now)]
        : throw ProblemException.InvalidState($"Only a draft can be published; this programme is {programme.Status.ToString().ToLowerInvariant()}.");

    [WolverinePost("/programmes/{id}/publish", OperationId = "PublishProgramme"), Authorize(Roles = Roles.Officers)]
    [Tags("Programmes"), EndpointSummary("Publish a draft programme (it appears in the public catalogue)")]
    public static Task<Ok<CaseVersion>> Post(Guid id, ProgrammeStep cmd, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        session.Decide<Programme>(http, id, cmd.Version, "The programme", p => Decide(p, clock.GetUtcNow()), ct);
}

public static class CloseProgrammeEndpoint
{
    public static IReadOnlyList<object> Decide(Programme programme, ProgrammeStep cmd, DateTimeOffset now)
    {
        new Check().Required(cmd.Reason, "reason", 2000).ThrowIfAny();
        if (programme.Status != ProgrammeStatus.Published)
            throw ProblemException.InvalidState("Only a published programme can be closed.");
        return [new ProgrammeClosed(programme.Id, cmd.Reason!.Trim(), now)];
    }

    [WolverinePost("/programmes/{id}/close", OperationId = "CloseProgramme"), Authorize(Roles = Roles.Officers)]
    [Tags("Programmes"), EndpointSummary("Close a programme: no new calls; running calls and grants go on")]
    public static Task<Ok<CaseVersion>> Post(Guid id, ProgrammeStep cmd, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        session.Decide<Programme>(http, id, cmd.Version, "The programme", p => Decide(p, cmd, clock.GetUtcNow()), ct);
}

public static class ArchiveProgrammeEndpoint
{
    public static IReadOnlyList<object> Decide(Programme programme, ProgrammeStep cmd, DateTimeOffset now)
    {
        new Check().Required(cmd.Reason, "reason", 2000).ThrowIfAny();
        if (programme.Status is not (ProgrammeStatus.Closed or ProgrammeStatus.Draft))
            throw ProblemException.InvalidState("Only a closed programme (or an unpublished draft) can be archived.");
        return [new ProgrammeArchived(programme.Id, cmd.Reason!.Trim(), now)];
    }

    [WolverinePost("/programmes/{id}/archive", OperationId = "ArchiveProgramme"), Authorize(Roles = Roles.Officers)]
    [Tags("Programmes"), EndpointSummary("Archive a closed programme (read-only from then on)")]
    public static Task<Ok<CaseVersion>> Post(Guid id, ProgrammeStep cmd, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        session.Decide<Programme>(http, id, cmd.Version, "The programme", p => Decide(p, cmd, clock.GetUtcNow()), ct);
}
