using FundingPrograms.Applications;

namespace FundingPrograms.Grants;

/// <summary>
/// The rejection notice (Ablehnungsbescheid): a notice like the grant notice (VV Nr. 4.2 zu § 44 LHO), with the reasons
/// (§ 39 VwVfG NRW) and the Rechtsbehelfsbelehrung.
/// </summary>
public sealed record RejectionNotice(
    string Reference,
    string ProjectTitle,
    Guid ApplicationId,
    Guid OrganisationId,
    string OrganisationName,
    Guid ProgrammeId,
    Dictionary<string, string> ProgrammeName,
    NoticeLegalBasis LegalBasis,
    decimal RequestedAmount,
    DateOnly? PeriodStart,
    DateOnly? PeriodEnd,
    string Reasons,
    LegalRemedy LegalRemedy,
    DateTimeOffset IssuedAt,
    string IssuedBy)
{
}

public static class RejectionNoticeAccess
{
    public static async Task<RejectionNotice> Load(IQuerySession session, Guid id, HttpContext http, CancellationToken ct)
    {
        var visible = await ApplicationAccess.VisibleTo(Actor.From(http.User), session, ct);
        var application = await session.LoadAsync<Application>(id, ct);
        if (application is null || !visible(application)) throw ProblemException.NotFound(ApplicationAccess.What);
        return application.RejectionNotice ?? throw ProblemException.NotFound("A rejection notice for this application");
    }
}

public static class GetRejectionNoticeEndpoint
{
    [WolverineGet("/applications/{id}/rejection-notice", OperationId = "GetRejectionNotice"), Authorize(Roles = Roles.Any)]
    [Tags("Decisions"), EndpointSummary("The rejection notice as JSON (staff, the organisation's applicants)")]
    public static Task<RejectionNotice> Get(Guid id, IQuerySession session, HttpContext http, CancellationToken ct) =>
        RejectionNoticeAccess.Load(session, id, http, ct);
}

public static class GetRejectionNoticeHtmlEndpoint
{
    [WolverineGet("/applications/{id}/rejection-notice.html", OperationId = "GetRejectionNoticeHtml"), Authorize(Roles = Roles.Any)]
    [Tags("Decisions"), EndpointSummary("The rejection notice as its archived letter page (German; ?lang=en for a reading copy where the programme has translations)")]
    [Microsoft.AspNetCore.Mvc.ProducesResponseType<Letters.LetterStatus>(StatusCodes.Status202Accepted)]
    public static async Task<IResult> Get(Guid id, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var notice = await RejectionNoticeAccess.Load(session, id, http, ct);
        // The archived letter of the rejection (issue 18); rejections from before letters were archived keep the generated page.
        if (await session.LoadAsync<Letters.Letter>(Letters.Letter.IdFor("rejection_notice", id, 1), ct) is { } letter)
            return await Letters.LetterAccess.Serve(session, letter, "html", http, clock, ct);
        if (await session.LoadAsync<Letters.PendingLetter>(Letters.Letter.IdFor("rejection_notice", id, 1), ct) is { } pending)
            return Letters.LetterStatus.Accepted(pending, http); // being issued right now
        var lang = Texts.Language(http) is var l && l.StartsWith("en", StringComparison.Ordinal) && notice.ProgrammeName.ContainsKey("en") ? "en" : "de";
        return Results.Content(NoticePage.RenderRejection(notice, lang), "text/html; charset=utf-8");
    }
}
