using FundingPrograms.ReferenceData;

namespace FundingPrograms.Applications;

/// <summary>Replaces the form's content; each edit is an event naming the fields it changed.</summary>
public sealed record EditApplication(ApplicationInput? Content, long? Version) : IVersionedCommand;

public static class EditApplicationEndpoint
{
    public static IReadOnlyList<object> Decide(Application application, ApplicationContent content, DateTimeOffset now)
    {
        if (!application.IsEditable)
            throw ProblemException.InvalidState("A submitted application cannot be edited; you can withdraw it, or complete it when it is returned to you.");
        var changed = typeof(ApplicationContent).GetProperties()
            .Where(p => !Same(p.GetValue(application.Content), p.GetValue(content)))
            .Select(p => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToArray();
        return changed.Length == 0 ? [] : [new ApplicationEdited(application.Id, content, changed, now)];
    }

    private static bool Same(object? a, object? b) => a is System.Collections.IEnumerable x && b is System.Collections.IEnumerable y && a is not string
        ? x.Cast<object>().SequenceEqual(y.Cast<object>())
        : Equals(a, b);

    [WolverinePut("/applications/{id}", OperationId = "EditApplication"), Authorize(Roles = Roles.Applicant)]
    [Tags("Applications"), EndpointSummary("Edit a draft, or an application returned for completion (applicant)")]
    public static (Ok<CaseVersion>, Events) Put(EditApplication cmd, [WriteAggregate(Required = false)] Application application,
        ReferenceCatalogue reference, TimeProvider clock, HttpContext http)
    {
        new Check().That(cmd.Content is not null, "content", "The form's content is required.").ThrowIfAny();
        var content = cmd.Content!.ToContent(reference);
        return CaseVersion.After(application, Decide(application, content, clock.GetUtcNow()), http);
    }
}
