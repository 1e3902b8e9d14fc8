using FundingPrograms.Programmes;

namespace FundingPrograms.Applications;

public sealed record SubmitApplication(long? Version) : IVersionedCommand;

public static class SubmitApplicationEndpoint
{
    /// <summary>
    /// A draft is submitted only while the call is open (server time); an application returned for completion is
    /// resubmitted whatever the call's state. Either way it must be complete and keep the programme's rules.
    /// </summary>
    public static IReadOnlyList<object> Decide(Application application, Programme programme, Call call, DateTimeOffset now)
    {
        var resubmission = application.State == ApplicationState.ReturnedForCompletion;
        if (!application.IsEditable)
            throw ProblemException.InvalidState($"The application is {application.State.ToString().ToLowerInvariant()}; only a draft or an application returned for completion can be submitted.");
        if (!resubmission && call.StateAt(now) != CallState.Open)
            throw ProblemException.Rule(call.StateAt(now) == CallState.Upcoming
                ? $"The call opens on {BerlinTime.Local(call.OpensAt)} (Berlin time)."
                : $"The call closed on {BerlinTime.Local(call.EffectiveEnd)} (Berlin time); applications can no longer be submitted.");
        ApplicationRules.Findings(application.Content, programme, call, application.OrganisationType)
            .ThrowAsRuleIfAny("The application cannot be submitted yet: please correct the fields listed in 'errors'.");
        var figures = PlanFigures.Of(application.Content, programme.Definition.Financing);
        return [new ApplicationSubmitted(application.Id, figures.TotalCosts, figures.RequestedAmount, resubmission, now)];
    }

    [WolverinePost("/applications/{id}/submit", OperationId = "SubmitApplication"), Authorize(Roles = Roles.Applicant)]
    [Tags("Applications"), EndpointSummary("Submit (or resubmit after completion) an application (applicant)")]
    public static async Task<(Ok<CaseVersion>, Events)> Post(SubmitApplication cmd, [WriteAggregate(Required = false)] Application application,
        IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var (programme, call) = await ApplicationAccess.CallOf(session, application.ProgrammeId, application.CallId, ct);
        return CaseVersion.After(application, Decide(application, programme, call, clock.GetUtcNow()), http);
    }
}
