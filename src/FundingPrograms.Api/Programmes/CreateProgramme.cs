using FundingPrograms.ReferenceData;

namespace FundingPrograms.Programmes;

public static class CreateProgrammeEndpoint
{
    public static ProgrammeCreated Decide(Guid id, ProgrammeInput cmd, ReferenceCatalogue reference, DateTimeOffset now) =>
        new(id, cmd.Validate(reference), now);

    [WolverinePost("/programmes", OperationId = "CreateProgramme"), Authorize(Roles = Roles.Officers)]
    [Tags("Programmes"), EndpointSummary("Create a programme (as a draft)")]
    public static Created<CaseVersion> Post(ProgrammeInput cmd, IDocumentSession session, ReferenceCatalogue reference, TimeProvider clock, HttpContext http)
    {
        var id = CaseIds.New(http);
        session.Events.StartStream<Programme>(id, Decide(id, cmd, reference, clock.GetUtcNow()));
        return TypedResults.Created($"/programmes/{id}", new CaseVersion(id, 1).WithETag(http));
    }
}
