namespace FundingPrograms.Applications;

public sealed record FormallyCheckApplication(string? Note, long? Version) : IVersionedCommand;

public static class FormallyCheckApplicationEndpoint
{
    public static IReadOnlyList<object> Decide(Application application, FormallyCheckApplication cmd, DateTimeOffset now)
    {
        new Check().That(cmd.Note is null || cmd.Note.Length <= 4000, "note", "At most 4000 characters are allowed.").ThrowIfAny();
        if (application.State != ApplicationState.Submitted)
            throw ProblemException.InvalidState("Only a submitted application can be formally checked.");
        return [new ApplicationFormallyChecked(application.Id, cmd.Note?.Trim(), now)];
    }

    [WolverinePost("/applications/{id}/formal-check", OperationId = "FormallyCheckApplication"), Authorize(Roles = Roles.Officers)]
    [Tags("Assessment"), EndpointSummary("Record that a submitted application is formally complete (officer)")]
    public static (Ok<CaseVersion>, Events) Post(FormallyCheckApplication cmd, [WriteAggregate(Required = false)] Application application, TimeProvider clock,
        HttpContext http) =>
        CaseVersion.After(application, Decide(application, cmd, clock.GetUtcNow()), http);
}
