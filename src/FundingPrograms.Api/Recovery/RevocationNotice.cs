using System.Globalization;
using System.Text;
using FundingPrograms.Grants;

namespace FundingPrograms.Recovery;

/// <summary>The revocation file of a grant with its deadline.</summary>
public sealed record RevocationView(Guid GrantId, long Version, string Reference, GrantState State, decimal Granted, decimal Paid, DateOnly? Deadline,
    IReadOnlyList<RevocationFacts> Facts, IReadOnlyList<Hearing> Hearings, string? HearingDispensedReason, RevocationProposed? OpenProposal,
    IReadOnlyList<Revocation> Revocations, decimal Revoked);

/// <summary>The revocation notice (Widerrufs- und Rückforderungsbescheid), as JSON.</summary>
public sealed record RevocationNotice(
    Guid GrantId, Guid RevocationId, string GrantReference, string ProjectTitle, string OrganisationName, string Programme, DateOnly GrantIssuedOn,
    RevocationScope Scope, decimal PreviousAmount, decimal NewAmount, DateOnly EffectiveFrom, string LegalBasis, string Reasons, string Hearing,
    decimal Paid, decimal RecoveryAmount, Guid? ClaimId, string? ClaimReference, DateOnly? DueOn, string InterestClause, string LegalRemedy,
    int NoticeVersion, DateOnly IssuedOn, string ApprovedBy, string ProposedBy)
{
    /// <summary>NRW: no objection procedure; an action before the administrative court within one month (§ 110 JustG NRW, § 74 VwGO).</summary>
    public const string Rechtsbehelfsbelehrung =
        "Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Klage erhoben werden. Die Klage ist bei dem " +
        "zuständigen Verwaltungsgericht schriftlich oder zur Niederschrift des Urkundsbeamten der Geschäftsstelle zu erheben oder elektronisch " +
        "nach Maßgabe des § 55a VwGO einzureichen.";

    public const string Interest =
        "Der zu erstattende Betrag ist nach § 49a Abs. 3 VwVfG NRW vom Eintritt der Unwirksamkeit des Zuwendungsbescheids an (für jede Auszahlung " +
        "frühestens vom Tag der Auszahlung an) bis zum Eingang der Zahlung mit fünf Prozentpunkten über dem Basiszinssatz (§ 247 BGB) jährlich zu verzinsen.";
}

public static class RevocationNotices
{
    public static async Task<(Grant Grant, Revocation Revocation, RevocationNotice Notice)> Load(Guid id, Guid revocationId, IQuerySession session,
        HttpContext http, CancellationToken ct)
    {
        var grant = await GrantAccess.Load(session, id, http, ct);
        var r = grant.Revocation.Revocations.FirstOrDefault(x => x.ProposalId == revocationId) ?? throw ProblemException.NotFound("The revocation");
        var claim = r.ClaimId is { } c ? await session.LoadAsync<RecoveryClaim>(c, ct) : null;
        var hearing = grant.Revocation.HeardBefore.LastOrDefault(h => h.At <= r.At) is { } h
            ? h.ReplyReceivedOn is { } received
                ? $"Sie wurden mit Schreiben vom {BerlinTime.Today(h.At):dd.MM.yyyy} angehört und haben sich am {received:dd.MM.yyyy} geäußert: {h.ReplySummary}"
                : $"Sie wurden mit Schreiben vom {BerlinTime.Today(h.At):dd.MM.yyyy} angehört; bis zum {h.ReplyDueOn:dd.MM.yyyy} ist keine Äußerung eingegangen."
            : "Von einer Anhörung wurde nach § 28 Abs. 2 VwVfG NRW abgesehen.";
        var notice = new RevocationNotice(grant.Id, r.ProposalId, grant.Notice.Reference, grant.Notice.ProjectTitle, grant.Notice.OrganisationName,
            grant.Notice.ProgrammeName.In("de"), BerlinTime.Today(grant.Notices[0].IssuedAt), r.Scope, r.PreviousAmount, r.NewAmount, r.EffectiveFrom, r.LegalBasis,
            r.Reasons, hearing, r.Paid, r.RecoveryAmount, r.ClaimId, claim?.Reference, claim?.OriginalDueOn, RevocationNotice.Interest,
            RevocationNotice.Rechtsbehelfsbelehrung, r.NoticeVersion, BerlinTime.Today(r.At), r.ApprovedByName, r.ProposedByName);
        return (grant, r, notice);
    }

    private static readonly System.Text.Encodings.Web.HtmlEncoder Encoder =
        System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public static string Html(RevocationNotice n)
    {
        var de = CultureInfo.GetCultureInfo("de-DE");
        string E(string s) => Encoder.Encode(s);
        string M(decimal m) => E(m.ToString("#,##0.00", de) + " EUR");
        string D(DateOnly d) => d.ToString("dd.MM.yyyy", de);
        var html = new StringBuilder();
        html.Append($"<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>Widerrufsbescheid {E(n.GrantReference)}</title>");
        html.Append("<style>body{font-family:serif;max-width:48rem;margin:2rem auto;line-height:1.4}th{text-align:left;padding-right:1rem;vertical-align:top}</style></head><body>");
        html.Append($"<h1>{(n.RecoveryAmount > 0 ? "Widerrufs- und Rückforderungsbescheid" : "Widerrufsbescheid")} {E(n.GrantReference)}</h1>");
        html.Append($"<p>{E(n.OrganisationName)} – {E(n.ProjectTitle)} ({E(n.Programme)})</p><h2>Tenor</h2><ol>");
        html.Append($"<li>Der Zuwendungsbescheid vom {D(n.GrantIssuedOn)} wird mit Wirkung vom {D(n.EffectiveFrom)} {(n.Scope == RevocationScope.Whole ? "ganz" : "teilweise")} widerrufen; die Zuwendung wird von {M(n.PreviousAmount)} auf {M(n.NewAmount)} festgesetzt.</li>");
        if (n.RecoveryAmount > 0)
        {
            html.Append($"<li>Der überzahlte Betrag von {M(n.RecoveryAmount)} ist nach § 49a Abs. 1 VwVfG NRW zu erstatten");
            if (n.DueOn is { } due) html.Append($", fällig am {D(due)}, unter Angabe von {E(n.ClaimReference ?? "")}");
            html.Append(".</li>");
            html.Append($"<li>{E(n.InterestClause)}</li>");
        }
        html.Append("</ol><h2>Begründung</h2>");
        html.Append($"<p>Rechtsgrundlage: {E(n.LegalBasis)}.</p><p>{E(n.Reasons).Replace("\n", "<br>")}</p><p>{E(n.Hearing)}</p>");
        html.Append($"<p>Ausgezahlt wurden {M(n.Paid)}. Die Jahresfrist des § 48 Abs. 4 VwVfG NRW ist gewahrt.</p>");
        html.Append($"<h2>Rechtsbehelfsbelehrung</h2><p>{E(n.LegalRemedy)}</p>");
        html.Append($"<p>Erlassen am {D(n.IssuedOn)} durch {E(n.ApprovedBy)} (vorgeschlagen von {E(n.ProposedBy)}); Fassung {n.NoticeVersion} des Zuwendungsbescheids.</p>");
        html.Append("</body></html>");
        return html.ToString();
    }
}

public static class GetRevocationEndpoint
{
    [WolverineGet("/grants/{id}/revocation", OperationId = "GetRevocation"), Authorize(Roles = Roles.Any)]
    [Tags("Revocation"), EndpointSummary("The revocation file: facts and the one-year deadline, hearing, open proposal, revocations")]
    public static async Task<RevocationView> Get(Guid id, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var g = await GrantAccess.Load(session, id, http, ct);
        http.Response.Headers.ETag = Versioning.ETag(g.Version);
        var f = g.Revocation;
        return new RevocationView(g.Id, g.Version, g.Notice.Reference, g.State, g.Notice.GrantedAmount, g.Paid, f.Deadline, f.Facts,
            [.. f.HeardBefore, .. f.Hearings], f.HearingDispensedReason, f.OpenProposal, f.Revocations, f.Revoked);
    }
}

public static class GetRevocationNoticeEndpoint
{
    [WolverineGet("/grants/{id}/revocations/{revocationId}/notice", OperationId = "GetRevocationNotice"), Authorize(Roles = Roles.Any)]
    [Tags("Revocation"), EndpointSummary("The revocation notice as JSON (with the Rechtsbehelfsbelehrung)")]
    public static async Task<RevocationNotice> Get(Guid id, Guid revocationId, IQuerySession session, HttpContext http, CancellationToken ct) =>
        (await RevocationNotices.Load(id, revocationId, session, http, ct)).Notice;
}

public static class GetRevocationNoticeHtmlEndpoint
{
    [WolverineGet("/grants/{id}/revocations/{revocationId}/notice.html", OperationId = "GetRevocationNoticeHtml"), Authorize(Roles = Roles.Any)]
    [Tags("Revocation"), EndpointSummary("The revocation notice as its archived letter page (German)")]
    [Microsoft.AspNetCore.Mvc.ProducesResponseType<Letters.LetterStatus>(StatusCodes.Status202Accepted)]
    public static async Task<IResult> Get(Guid id, Guid revocationId, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var notice = (await RevocationNotices.Load(id, revocationId, session, http, ct)).Notice;
        // The archived letter (issue 18); revocations from before letters were archived keep the generated page.
        if (await session.LoadAsync<Letters.Letter>(Letters.Letter.IdFor("revocation_notice", revocationId, 1), ct) is { } letter)
            return await Letters.LetterAccess.Serve(session, letter, "html", http, clock, ct);
        if (await session.LoadAsync<Letters.PendingLetter>(Letters.Letter.IdFor("revocation_notice", revocationId, 1), ct) is { } pending)
            return Letters.LetterStatus.Accepted(pending, http); // being issued right now
        return Results.Content(RevocationNotices.Html(notice), "text/html; charset=utf-8");
    }
}
