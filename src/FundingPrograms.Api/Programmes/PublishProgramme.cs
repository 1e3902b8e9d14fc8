namespace FundingPrograms.Programmes;

public static class PublishProgrammeEndpoint
{
    public static IReadOnlyList<object> Decide(Programme programme, DateTimeOffset now) => programme.Status == ProgrammeStatus.Draft
        ? [new ProgrammePublished(programme.Id, now)]
        : throw ProblemException.InvalidState($"Only a draft can be published; this programme is {programme.Status.ToString().ToLowerInvariant()}.");

    [WolverinePost("/programmes/{id}/publish", OperationId = "PublishProgramme"), Authorize(Roles = Roles.Officers)]
    [Tags("Programmes"), EndpointSummary("Publish a draft programme (it appears in the public catalogue)")]
    public static (Ok<CaseVersion>, Events) Post(ProgrammeStep cmd, [WriteAggregate(Required = false)] Programme programme, TimeProvider clock, HttpContext http) =>
        CaseVersion.After(programme, Decide(programme, clock.GetUtcNow()), http);
}
