using Wolverine;

namespace FundingPrograms.Applications;

/// <summary>
/// Approval of an early start (vorzeitiger Maßnahmebeginn, VV Nr. 1.3 zu § 44 LHO) by an officer, with a reason: the project
/// may begin from <c>From</c> (default: today; never in the past) before the notice is issued. It promises no funding.
/// </summary>
public sealed record ApproveEarlyStart(DateOnly? From, string? Reason, long? Version) : IVersionedCommand;

public static class ApproveEarlyStartEndpoint
{
    public const string NoPromise =
        "Die Zustimmung zum vorzeitigen Maßnahmebeginn begründet keinen Anspruch auf eine Zuwendung (VV Nr. 1.3 zu § 44 LHO); das Risiko trägt der Antragsteller.";

    private static readonly ApplicationState[] Pending =
        [ApplicationState.Submitted, ApplicationState.ReturnedForCompletion, ApplicationState.FormallyChecked, ApplicationState.Assessed];

    public static IReadOnlyList<object> Decide(Application application, ApproveEarlyStart cmd, Actor officer, DateTimeOffset now)
    {
        var today = BerlinTime.Today(now);
        new Check().Required(cmd.Reason, "reason", 2000).Date(cmd.From, "from").ThrowIfAny();
        if (!Pending.Contains(application.State))
            throw ProblemException.InvalidState(
                $"An early start can be approved only for a submitted application before its decision; this one is {application.State.ToString().ToLowerInvariant()}.");
        if (application.EarlyStart is not null)
            throw ProblemException.InvalidState($"An early start from {application.EarlyStart.From:yyyy-MM-dd} was already approved.");
        var from = cmd.From ?? today;
        if (from < today)
            throw ProblemException.Rule(
                $"VV Nr. 1.3 zu § 44 LHO: an early start is approved beforehand, so it cannot begin before today ({today:yyyy-MM-dd}).",
                new Dictionary<string, string[]> { ["from"] = [$"From {today:yyyy-MM-dd} on."] });
        return [new ApplicationEarlyStartApproved(application.Id, from, cmd.Reason!.Trim(), officer.Id, officer.Name, now)];
    }

    [WolverinePost("/applications/{id}/early-start", OperationId = "ApproveEarlyStart"), Authorize(Roles = Roles.Officers)]
    [Tags("Assessment"), EndpointSummary("Approve an early start (vorzeitiger Maßnahmebeginn) before the notice; promises no funding (officer)")]
    public static async Task<(Ok<CaseVersion>, Events)> Post(ApproveEarlyStart cmd, [WriteAggregate(Required = false)] Application application,
        IDocumentSession session, IMessageBus bus, TimeProvider clock, Letters.LetterIssuer letters, HttpContext http, CancellationToken ct)
    {
        var events = Decide(application, cmd, Actor.From(http.User), clock.GetUtcNow());
        var approved = events.OfType<ApplicationEarlyStartApproved>().Single();
        var letter = await letters.EarlyStart(session, application, approved, ct);
        var lang = await Notifications.NotificationTexts.LanguageOf(session, application.OrganisationId, ct);
        await letter.Notify(new Notifications.ApplicantNotification(Guid.CreateVersion7(), application.OrganisationId,
            Notifications.NotificationTexts.N(lang, "earlyStart.subject", ("title", application.Content.Title ?? "")),
            Notifications.NotificationTexts.N(lang, "earlyStart.body", ("from", Notifications.NotificationTexts.Day(lang, approved.From))), $"/letters/{letter.LetterId}/letter.html", approved.At,
            letter.LetterId));
        return CaseVersion.After(application, events, http);
    }
}
