using FundingPrograms.Infrastructure;
using FundingPrograms.ReferenceData;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace FundingPrograms.Applications;

/// <summary>Replaces the form's content; each edit is an event naming the fields it changed.</summary>
public sealed record EditApplication(ApplicationInput? Content, long? Version);

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
    public static async Task<Ok<CaseVersion>> Put(Guid id, EditApplication cmd, IDocumentSession session, ReferenceCatalogue reference, TimeProvider clock,
        HttpContext http, CancellationToken ct)
    {
        new Check().That(cmd.Content is not null, "content", "The form's content is required.").ThrowIfAny();
        var content = cmd.Content!.ToContent(reference);
        var visible = await ApplicationAccess.VisibleTo(Actor.From(http.User), session, ct);
        return await session.Decide<Application>(http, id, cmd.Version, ApplicationAccess.What, a => Decide(a, content, clock.GetUtcNow()), ct, visible);
    }
}
