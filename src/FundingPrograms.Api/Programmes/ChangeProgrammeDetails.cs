using FundingPrograms.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace FundingPrograms.Programmes;

public sealed record ChangeProgrammeDetails(string? Name, string? Description, string? Reason, long? Version);

public static class ChangeProgrammeDetailsEndpoint
{
    public static ProgrammeDetailsChanged Decide(Programme programme, ChangeProgrammeDetails cmd, DateTimeOffset now)
    {
        new Check()
            .Required(cmd.Name, "name", 200)
            .Required(cmd.Description, "description", 10_000)
            .That(cmd.Reason is null || cmd.Reason.Length <= 2000, "reason", "At most 2000 characters are allowed.")
            .That(programme.Status == ProgrammeStatus.Draft || !string.IsNullOrWhiteSpace(cmd.Reason), "reason",
                "A published programme is changed only with a reason.")
            .ThrowIfAny();
        if (programme.Status == ProgrammeStatus.Archived)
            throw ProblemException.InvalidState("An archived programme cannot be changed.");
        return new ProgrammeDetailsChanged(programme.Id, cmd.Name!.Trim(), cmd.Description!.Trim(), cmd.Reason?.Trim(), now);
    }

    [WolverinePut("/programmes/{id}/details", OperationId = "ChangeProgrammeDetails"), Authorize(Roles = Roles.Officers)]
    [DeduplicatedWithResponse(DeduplicationScope.User, Required = false, ClaimInTransaction = true)]
    [Tags("Programmes")]
    public static async Task<Ok<CaseVersion>> Put(Guid id, ChangeProgrammeDetails cmd, IDocumentSession session, TimeProvider clock,
        HttpContext http, CancellationToken ct)
    {
        var expected = Versioning.Expected(http, cmd.Version);
        var stream = await session.FetchForCommand<Programme>(id, expected, "The programme", ct);
        stream.AppendOne(Decide(stream.Aggregate!, cmd, clock.GetUtcNow()));
        return TypedResults.Ok(new CaseVersion(id, expected + 1).WithETag(http));
    }
}
