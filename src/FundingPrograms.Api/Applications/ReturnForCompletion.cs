namespace FundingPrograms.Applications;

public sealed record ReturnForCompletion(string[]? MissingItems, DateOnly? DueDate, string? Note, long? Version) : IVersionedCommand;

public static class ReturnForCompletionEndpoint
{
    public static IReadOnlyList<object> Decide(Application application, ReturnForCompletion cmd, DateTimeOffset now)
    {
        var today = BerlinTime.Today(now);
        var check = new Check()
            .That(cmd.MissingItems is { Length: > 0 } && cmd.MissingItems.All(m => !string.IsNullOrWhiteSpace(m) && m.Length <= 500), "missingItems",
                "List what is missing (each item up to 500 characters).")
            .That(cmd.DueDate is not null && cmd.DueDate > today, "dueDate", "The due date must be after today.")
            .Date(cmd.DueDate, "dueDate")
            .That(cmd.Note is null || cmd.Note.Length <= 4000, "note", "At most 4000 characters are allowed.");
        check.ThrowIfAny();
        if (application.State != ApplicationState.Submitted)
            throw ProblemException.InvalidState("Only a submitted application can be returned for completion.");
        return [new ApplicationReturnedForCompletion(application.Id, cmd.MissingItems!.Select(m => m.Trim()).ToArray(), cmd.DueDate!.Value, cmd.Note?.Trim(), now)];
    }

    [WolverinePost("/applications/{id}/return", OperationId = "ReturnApplicationForCompletion"), Authorize(Roles = Roles.Officers)]
    [Tags("Assessment"), EndpointSummary("Return a submitted application for completion, with what is missing and a due date (officer)")]
    public static (Ok<CaseVersion>, Events) Post(ReturnForCompletion cmd, [WriteAggregate(Required = false)] Application application, TimeProvider clock,
        HttpContext http) =>
        CaseVersion.After(application, Decide(application, cmd, clock.GetUtcNow()), http);
}
