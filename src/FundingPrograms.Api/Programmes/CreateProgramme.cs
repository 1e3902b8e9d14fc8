using FundingPrograms.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace FundingPrograms.Programmes;

public sealed record CreateProgramme(string? Name, string? Description);

public static class CreateProgrammeEndpoint
{
    public static ProgrammeCreated Decide(Guid id, CreateProgramme cmd, DateTimeOffset now)
    {
        new Check()
            .Required(cmd.Name, "name", 200)
            .Required(cmd.Description, "description", 10_000)
            .ThrowIfAny();
        return new ProgrammeCreated(id, cmd.Name!.Trim(), cmd.Description!.Trim(), now);
    }

    [WolverinePost("/programmes", OperationId = "CreateProgramme"), Authorize(Roles = Roles.Officers)]
    [DeduplicatedWithResponse(DeduplicationScope.User, Required = false, ClaimInTransaction = true)]
    [Tags("Programmes")]
    public static Created<CaseVersion> Post(CreateProgramme cmd, IDocumentSession session, TimeProvider clock, HttpContext http)
    {
        var id = CaseIds.New(http);
        session.Events.StartStream<Programme>(id, Decide(id, cmd, clock.GetUtcNow()));
        return TypedResults.Created($"/programmes/{id}", new CaseVersion(id, 1).WithETag(http));
    }
}
