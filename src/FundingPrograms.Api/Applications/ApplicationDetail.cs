using FundingPrograms.Programmes;

namespace FundingPrograms.Applications;

/// <summary>
/// An application as its form shows it: content, derived figures, and (while it can be edited) what still keeps it
/// from being submitted. Applicants do not see the assessment before the decision.
/// </summary>
public sealed record ApplicationView(
    Guid Id,
    long Version,
    ApplicationState State,
    DateTimeOffset StateSince,
    Guid OrganisationId,
    string OrganisationName,
    Guid ProgrammeId,
    Guid CallId,
    ApplicationContent Content,
    PlanFigures Figures,
    IDictionary<string, string[]> Findings,
    DateTimeOffset CreatedAt,
    DateTimeOffset? SubmittedAt,
    string[] MissingItems,
    DateOnly? CompletionDueDate,
    ApplicationAssessed? Assessment,
    Decision? Decision,
    DateOnly? RetentionUntil);

public static class GetApplicationEndpoint
{
    [WolverineGet("/applications/{id}", OperationId = "GetApplication"), Authorize(Roles = Roles.Any)]
    [Tags("Applications"), EndpointSummary("An application with its figures and what still keeps it from being submitted (?version= or ?asOf= for an earlier state)")]
    public static async Task<ApplicationView> Get(Guid id, long? version, DateTimeOffset? asOf, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var actor = Actor.From(http.User);
        var visible = await ApplicationAccess.VisibleTo(actor, session, ct);
        var current = await session.LoadAsync<Application>(id, ct);
        if (current is null || !visible(current)) throw ProblemException.NotFound(ApplicationAccess.What);
        var a = await TimeTravel.AsOf<Application>(session, http, id, version, asOf, ApplicationAccess.What, ct) ?? current;
        var (programme, call) = await ApplicationAccess.CallOf(session, a.ProgrammeId, a.CallId, ct);
        var findings = a.IsEditable ? ApplicationRules.Findings(a.Content, programme, call, a.OrganisationType).Errors : new Dictionary<string, string[]>();
        http.Response.Headers.ETag = Versioning.ETag(a.Version);
        return new ApplicationView(a.Id, a.Version, a.State, a.StateSince, a.OrganisationId, a.OrganisationName, a.ProgrammeId, a.CallId, a.Content,
            PlanFigures.Of(a.Content, programme.Definition.Financing), findings, a.CreatedAt, a.SubmittedAt, a.MissingItems, a.CompletionDueDate,
            actor.IsApplicant ? null : a.Assessment, a.Decision,
            // Rejected or withdrawn applications are kept 5 years; an approved one is kept with its grant (see the grant's retention).
            a.State is ApplicationState.Rejected or ApplicationState.Withdrawn ? BerlinTime.Today(a.StateSince).AddYears(5) : null);
    }
}

public static class GetApplicationHistoryEndpoint
{
    [WolverineGet("/applications/{id}/history", OperationId = "GetApplicationHistory"), Authorize(Roles = Roles.Any)]
    [Tags("Applications"), EndpointSummary("Every step of an application: who, when, what changed, why")]
    public static async Task<IReadOnlyList<HistoryEntry>> Get(Guid id, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var actor = Actor.From(http.User);
        var visible = await ApplicationAccess.VisibleTo(actor, session, ct);
        var a = await session.LoadAsync<Application>(id, ct);
        if (a is null || !visible(a)) throw ProblemException.NotFound(ApplicationAccess.What);
        var history = await CaseHistory.Of(session, id, ApplicationAccess.What, ct);
        return actor.IsApplicant ? history.Where(h => h.Type != "application_assessed").ToList() : history;
    }
}
