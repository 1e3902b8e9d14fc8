namespace FundingPrograms.Applications;

public sealed record WithdrawApplication(string? Reason, long? Version) : IVersionedCommand;

public static class WithdrawApplicationEndpoint
{
    public static IReadOnlyList<object> Decide(Application application, WithdrawApplication cmd, DateTimeOffset now)
    {
        new Check().That(cmd.Reason is null || cmd.Reason.Length <= 2000, "reason", "At most 2000 characters are allowed.").ThrowIfAny();
        if (!application.IsOpen) throw ProblemException.InvalidState($"The application is already {application.State.ToString().ToLowerInvariant()}.");
        return [new ApplicationWithdrawn(application.Id, cmd.Reason?.Trim(), now)];
    }

    [WolverinePost("/applications/{id}/withdraw", OperationId = "WithdrawApplication"), Authorize(Roles = Roles.Applicant)]
    [Tags("Applications"), EndpointSummary("Withdraw an application from any open state (applicant)")]
    public static (Ok<CaseVersion>, Events) Post(WithdrawApplication cmd, [WriteAggregate(Required = false)] Application application, TimeProvider clock,
        HttpContext http) =>
        CaseVersion.After(application, Decide(application, cmd, clock.GetUtcNow()), http);
}
