namespace FundingPrograms.Programmes;

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
    public static (Ok<CaseVersion>, Events) Post(ProgrammeStep cmd, [WriteAggregate(Required = false)] Programme programme, TimeProvider clock, HttpContext http) =>
        CaseVersion.After(programme, Decide(programme, cmd, clock.GetUtcNow()), http);
}
