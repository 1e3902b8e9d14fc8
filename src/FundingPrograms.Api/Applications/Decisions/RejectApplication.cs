using FundingPrograms.Applications;
using FundingPrograms.Notifications;
using FundingPrograms.Programmes;
using Wolverine;

namespace FundingPrograms.Grants;

public sealed record RejectApplication(string? Reasons, long? Version) : IVersionedCommand;

public static class RejectApplicationEndpoint
{
    /// <param name="reference">The notice number, from the per-year sequence (<see cref="References"/>): unique by construction, never from a clock.</param>
    /// <param name="seatDistrict">The Kreisschlüssel of the organisation's seat: the court of the Rechtsbehelfsbelehrung (§ 52 Nr. 3 Satz 2 VwGO).</param>
    public static IReadOnlyList<object> Decide(Application application, Programme programme, RejectApplication cmd, string reference, Actor approver, DateTimeOffset now,
        string? seatDistrict = null)
    {
        new Check().Required(cmd.Reasons, "reasons", 4000).ThrowIfAny();
        if (application.State != ApplicationState.Assessed)
            throw ProblemException.InvalidState($"Only an assessed application can be decided; this one is {application.State.ToString().ToLowerInvariant()}.");
        if (application.Assessment!.AssessorId == approver.Id)
            throw ProblemException.Forbidden("Four-eyes rule: you assessed this application, so another approver must decide it.");
        var reasons = cmd.Reasons!.Trim();
        var c = application.Content;
        var notice = new RejectionNotice(reference, c.Title ?? "", application.Id, application.OrganisationId,
            application.OrganisationName, programme.Id, programme.Definition.Name, NoticeContent.LegalBasisOf(programme.Definition), c.RequestedAmount ?? 0,
            c.PeriodStart, c.PeriodEnd, reasons, NoticeContent.Remedy(programme.Definition, seatDistrict), now, approver.Name);
        return [new ApplicationRejected(application.Id, reasons, approver.Id, approver.Name, now, notice)];
    }

    [WolverinePost("/applications/{id}/reject", OperationId = "RejectApplication"), Authorize(Roles = Roles.Approvers)]
    [Tags("Decisions"), EndpointSummary("Reject an assessed application with reasons: a rejection notice (approver, not the assessor)")]
    public static async Task<(Ok<DecisionResult>, Events)> Post(RejectApplication cmd, [WriteAggregate(Required = false)] Application application,
        IDocumentSession session, IMessageBus bus, TimeProvider clock, Letters.LetterIssuer letters, HttpContext http, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var programme = await session.LoadAsync<Programme>(application.ProgrammeId, ct) ?? throw ProblemException.NotFound("The programme");
        var seat = (await session.LoadAsync<Organisations.Organisation>(application.OrganisationId, ct))?.Profile.District;
        var events = Decide(application, programme, cmd, await References.Next(session, ReferenceKind.Rejection, now, ct), Actor.From(http.User), now, seat);
        var letter = await letters.Rejection(session, application, events.OfType<ApplicationRejected>().Single(), ct);
        var lang = await NotificationTexts.LanguageOf(session, application.OrganisationId, ct);
        await letter.Notify(new ApplicantNotification(Guid.CreateVersion7(), application.OrganisationId,
            lang.N("rejected.subject", ("title", application.Content.Title ?? "")),
            lang.N("rejected.body", ("reasons", cmd.Reasons!.Trim())), $"/applications/{application.Id}/rejection-notice.html", now, letter.LetterId));
        var version = application.Version + events.Count;
        http.Response.Headers.ETag = Versioning.ETag(version);
        return (TypedResults.Ok(new DecisionResult(application.Id, version, null, letter.LetterId)), new Events(events));
    }
}
