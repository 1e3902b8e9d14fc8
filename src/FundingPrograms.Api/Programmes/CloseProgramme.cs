namespace FundingPrograms.Programmes;

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
    public static (Ok<CaseVersion>, Events) Post(ProgrammeStep cmd, [WriteAggregate(Required = false)] Programme programme, TimeProvider clock, HttpContext http) =>
        CaseVersion.After(programme, Decide(programme, cmd, clock.GetUtcNow()), http);
}
