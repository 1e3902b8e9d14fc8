using FundingPrograms.Programmes;

namespace FundingPrograms.Applications;

public sealed record DashboardItem(
    Guid Id,
    string? Title,
    Guid ProgrammeId,
    string ProgrammeName,
    Guid CallId,
    ApplicationState State,
    DateTimeOffset StateSince,
    decimal? RequestedAmount,
    string NextStep,
    DateTimeOffset? DueBy,
    bool Overdue,
    string[] MissingItems,
    Decision? Decision);

public sealed record Dashboard(Guid OrganisationId, IReadOnlyList<DashboardItem> Applications);

public static class ApplicantDashboardEndpoint
{
    [WolverineGet("/dashboard", OperationId = "ApplicantDashboard"), Authorize(Roles = Roles.Applicant)]
    [Tags("Applications"), EndpointSummary("The applicant's own applications: state, what is due next and by when")]
    public static async Task<Dashboard> Get(IQuerySession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var own = await Access.ApplicantOrganisation(Actor.From(http.User), session, ct) ?? Guid.Empty;
        var applications = await session.Query<Application>().Where(a => a.OrganisationId == own).OrderByDescending(a => a.CreatedAt).ToListAsync(ct);
        var programmeIds = applications.Select(a => a.ProgrammeId).Distinct().ToArray();
        var programmes = (await session.LoadManyAsync<Programme>(ct, programmeIds)).ToDictionary(p => p.Id);
        var now = clock.GetUtcNow();
        var lang = Texts.Language(http);

        DashboardItem Item(Application a)
        {
            var programme = programmes[a.ProgrammeId];
            var call = programme.CallById(a.CallId)!;
            var (step, due) = a.State switch
            {
                ApplicationState.Draft when call.StateAt(now) == CallState.Open => ("Complete and submit the application before the call closes.", call.EffectiveEnd),
                ApplicationState.Draft => ("The call has closed; this draft can no longer be submitted.", (DateTimeOffset?)null),
                ApplicationState.ReturnedForCompletion => ("Complete the missing items and submit again.",
                    a.CompletionDueDate is { } d ? new DateTimeOffset(d.ToDateTime(new TimeOnly(23, 59)), BerlinTime.Zone.GetUtcOffset(d.ToDateTime(new TimeOnly(23, 59)))) : null),
                ApplicationState.Submitted => ("Nothing to do: the ministry checks the application for completeness.", null),
                ApplicationState.FormallyChecked or ApplicationState.Assessed => ("Nothing to do: the application is being assessed.", null),
                ApplicationState.Approved => ($"Approved: see the grant notice at /grants/{a.Decision?.GrantId}/notice.html.", null),
                ApplicationState.Rejected => ("Rejected: see the decision for the reasons.", null),
                _ => ("Withdrawn.", null),
            };
            return new DashboardItem(a.Id, a.Content.Title, a.ProgrammeId, programme.Definition.Name.In(lang), a.CallId, a.State, a.StateSince,
                a.Content.RequestedAmount, step, due, due is { } by && by < now, a.MissingItems, a.Decision);
        }

        return new Dashboard(own, applications.Select(Item).ToList());
    }
}
