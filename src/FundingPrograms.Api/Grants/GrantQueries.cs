using System.Globalization;
using System.Text;
using FundingPrograms.Programmes;
using Marten.Pagination;

namespace FundingPrograms.Grants;

/// <summary>The grant ledger: granted, committed per budget year, paid, outstanding.</summary>
public sealed record GrantLedger(
    Guid Id,
    long Version,
    string Reference,
    GrantState State,
    Guid ApplicationId,
    Guid OrganisationId,
    string OrganisationName,
    Guid ProgrammeId,
    string ProjectTitle,
    decimal Granted,
    IReadOnlyList<YearAmount> CommittedPerYear,
    decimal Requested,
    decimal Paid,
    IReadOnlyList<YearAmount> PaidPerYear,
    decimal Outstanding,
    decimal Recoverable,
    int NoticeVersion,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    DateOnly ProofOfUseDue,
    DateOnly RetentionUntil,
    decimal? Proved = null,
    decimal? Recognised = null,
    decimal? FinalAmount = null,
    decimal ToRecover = 0,
    decimal ToPay = 0,
    DateOnly? ExaminedOn = null)
{
    /// <summary>Grant records are kept at least 5 years after the proof of use (computed from its due date).</summary>
    public static DateOnly Retention(GrantNotice notice) => notice.ProofOfUseDue.AddYears(5);

    /// <summary>Lowered by revocations; claimed back, received on those claims (Recovery/). Recoverable: claimed and not yet received.</summary>
    public decimal Revoked { get; init; }
    public decimal Claimed { get; init; }
    public decimal Recovered { get; init; }

    public static GrantLedger Of(Grant g) => new(g.Id, g.Version, g.Notice.Reference, g.State, g.ApplicationId, g.OrganisationId, g.Notice.OrganisationName,
        g.ProgrammeId, g.Notice.ProjectTitle, g.Notice.GrantedAmount, g.Notice.YearSplit, g.Requested, g.Paid, g.PaidPerYear, g.Notice.GrantedAmount - g.Paid, g.RecoveryClaimed,
        g.Notice.NoticeVersion, g.Notice.PeriodStart, g.Notice.PeriodEnd, g.Notice.ProofOfUseDue, g.ExaminedOn?.AddYears(5) ?? Retention(g.Notice),
        // Proof of use: proved and recognised costs, the final amount, and what is owed back or still payable (retention runs from the examination).
        g.ProvedCosts, g.RecognisedCosts, g.FinalAmount, g.FinalAmount is { } f ? Math.Max(0, g.Paid - f) : 0m, g.FinalAmount is { } f2 ? Math.Max(0, f2 - g.Paid) : 0m,
        g.ExaminedOn);
}

public static class GrantAccess
{
    public static async Task<Grant> Load(IQuerySession session, Guid id, HttpContext http, CancellationToken ct)
    {
        var own = await Access.ApplicantOrganisation(Actor.From(http.User), session, ct);
        var grant = await session.LoadAsync<Grant>(id, ct);
        if (grant is null || (own is not null && grant.OrganisationId != own)) throw ProblemException.NotFound("The grant");
        return grant;
    }

    /// <summary>The notice as of a notice version or an instant (default: the one in force now).</summary>
    public static GrantNotice NoticeOf(HttpContext http, Grant grant, int? version, DateTimeOffset? asOf)
    {
        new Check().Bound(http, "version", version).Bound(http, "asOf", asOf)
            .That(version is null || asOf is null, "version", "Ask for a version or an instant (asOf), not both.")
            .That(version is null or >= 1, "version", "Notice versions start at 1.")
            .ThrowIfAny();
        if (version is { } v)
            return grant.Notices.FirstOrDefault(n => n.NoticeVersion == v)
                ?? throw ProblemException.NotFound($"Version {v} of the notice (the latest is {grant.Notice.NoticeVersion})");
        if (asOf is { } at)
            return grant.NoticeAsOf(at) ?? throw ProblemException.NotFound($"A notice in force at {at:O} (the grant was issued {grant.Notices[0].IssuedAt:O})");
        return grant.Notice;
    }
}

public static class GetGrantEndpoint
{
    [WolverineGet("/grants/{id}", OperationId = "GetGrant"), Authorize(Roles = Roles.Any)]
    [Tags("Grants"), EndpointSummary("The grant ledger: granted, committed per year, paid, outstanding")]
    public static async Task<GrantLedger> Get(Guid id, long? version, DateTimeOffset? asOf, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var grant = await GrantAccess.Load(session, id, http, ct);
        grant = await TimeTravel.AsOf<Grant>(session, http, id, version, asOf, "The grant", ct) ?? grant;
        http.Response.Headers.ETag = Versioning.ETag(grant.Version);
        var (claimed, recovered, recoverable) = await Recovery.GrantRecovery.Figures(session, id, ct);
        return GrantLedger.Of(grant) with { Revoked = grant.Revocation.Revoked, Claimed = claimed, Recovered = recovered, Recoverable = recoverable };
    }
}

public static class GetGrantNoticeEndpoint
{
    [WolverineGet("/grants/{id}/notice", OperationId = "GetGrantNotice"), Authorize(Roles = Roles.Any)]
    [Tags("Grants"), EndpointSummary("The grant notice as JSON, as of a notice version (?version=) or an instant (?asOf=)")]
    public static async Task<GrantNotice> Get(Guid id, int? version, DateTimeOffset? asOf, IQuerySession session, HttpContext http, CancellationToken ct) =>
        GrantAccess.NoticeOf(http, await GrantAccess.Load(session, id, http, ct), version, asOf);
}

public static class GetGrantNoticeHtmlEndpoint
{
    [WolverineGet("/grants/{id}/notice.html", OperationId = "GetGrantNoticeHtml"), Authorize(Roles = Roles.Any)]
    [Tags("Grants"), EndpointSummary("The grant notice as a printable page (German; ?lang=en where the programme has translations)")]
    [Microsoft.AspNetCore.Mvc.ProducesResponseType<Letters.LetterStatus>(StatusCodes.Status202Accepted)]
    public static async Task<IResult> Get(Guid id, int? version, DateTimeOffset? asOf, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var notice = GrantAccess.NoticeOf(http, await GrantAccess.Load(session, id, http, ct), version, asOf);
        // The archived letter of that notice version; notices issued before letters were archived are rendered as before.
        if (await Letters.LetterAccess.OfNotice(session, id, notice.NoticeVersion, ct) is { } letter)
            return await Letters.LetterAccess.Serve(session, letter, "html", http, clock, ct);
        if (await Letters.LetterAccess.PendingOfNotice(session, id, notice.NoticeVersion, ct) is { } pending)
            return Letters.LetterStatus.Accepted(pending, http); // being issued right now
        var lang = Texts.Language(http) is var l && l.StartsWith("en", StringComparison.Ordinal) && notice.ProgrammeName.ContainsKey("en") ? "en" : "de";
        return Results.Content(NoticePage.Render(notice, lang), "text/html; charset=utf-8");
    }
}

public static class NoticePage
{
    private static readonly Dictionary<string, Dictionary<string, string>> Labels = new()
    {
        ["de"] = new()
        {
            ["title"] = "Zuwendungsbescheid", ["amendment"] = "Änderungsbescheid", ["version"] = "Fassung", ["programme"] = "Förderprogramm",
            ["recipient"] = "Zuwendungsempfänger", ["project"] = "Vorhaben", ["requested"] = "Beantragt", ["granted"] = "Bewilligte Zuwendung",
            ["reduction"] = "Begründung der Kürzung", ["financing"] = "Finanzierungsart", ["share"] = "Anteil an den zuwendungsfähigen Ausgaben",
            ["maximum"] = "Höchstbetrag", ["fixed"] = "Festbetrag", ["eligible"] = "Zuwendungsfähige Ausgaben", ["period"] = "Bewilligungszeitraum", ["budgetLine"] = "Haushaltsstelle",
            ["years"] = "Aufteilung auf Haushaltsjahre", ["conditions"] = "Besondere Nebenbestimmungen", ["general"] = "Allgemeine Nebenbestimmungen (Bestandteil dieses Bescheids)",
            ["proof"] = "Verwendungsnachweis vorzulegen bis", ["issued"] = "Erlassen am", ["by"] = "durch", ["reason"] = "Grund der Änderung",
            ["legalBasis"] = "Rechtsgrundlage", ["purpose"] = "Zuwendungszweck", ["earlyStart"] = "Vorzeitiger Maßnahmebeginn",
            ["earlyStartFrom"] = "zugelassen ab", ["remedy"] = "Rechtsbehelfsbelehrung", ["rejection"] = "Ablehnungsbescheid",
            ["reasons"] = "Gründe", ["decision"] = "Entscheidung", ["rejected"] = "Ihr Antrag wird abgelehnt.", ["of"] = "vom",
            ["total"] = "Summe",
        },
        ["en"] = new()
        {
            ["title"] = "Grant notice", ["amendment"] = "Amendment notice", ["version"] = "Version", ["programme"] = "Programme",
            ["recipient"] = "Recipient", ["project"] = "Project", ["requested"] = "Requested", ["granted"] = "Grant awarded",
            ["reduction"] = "Reason for the reduction", ["financing"] = "Financing type", ["share"] = "Share of eligible costs",
            ["maximum"] = "Maximum amount", ["fixed"] = "Fixed amount", ["eligible"] = "Eligible costs", ["period"] = "Funding period", ["budgetLine"] = "Budget line",
            ["years"] = "Split across budget years", ["conditions"] = "Special conditions", ["general"] = "General conditions (part of this notice)",
            ["proof"] = "Proof of use due by", ["issued"] = "Issued on", ["by"] = "by", ["reason"] = "Reason for the amendment",
            ["legalBasis"] = "Legal basis", ["purpose"] = "Purpose of the grant", ["earlyStart"] = "Early start of the project",
            ["earlyStartFrom"] = "allowed from", ["remedy"] = "Information on legal remedies (Rechtsbehelfsbelehrung)", ["rejection"] = "Rejection notice",
            ["reasons"] = "Reasons", ["decision"] = "Decision", ["rejected"] = "Your application is rejected.", ["of"] = "of",
            ["total"] = "Total",
        },
    };

    private static readonly Dictionary<FinancingType, (string De, string En)> Financing = new()
    {
        [FinancingType.Share] = ("Anteilfinanzierung", "Share financing"), [FinancingType.Gap] = ("Fehlbedarfsfinanzierung", "Gap financing"),
        [FinancingType.FixedAmount] = ("Festbetragsfinanzierung", "Fixed amount"), [FinancingType.Full] = ("Vollfinanzierung", "Full financing"),
    };

    private static readonly System.Text.Encodings.Web.HtmlEncoder Encoder =
        System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    private sealed class Page(string lang)
    {
        public readonly Dictionary<string, string> T = Labels[lang];
        public readonly CultureInfo Culture = CultureInfo.GetCultureInfo(lang == "de" ? "de-DE" : "en-GB");
        public readonly StringBuilder Html = new();
        public string E(string s) => Encoder.Encode(s);
        public string Money(decimal m) => E(m.ToString("#,##0.00", Culture) + " EUR");
        public string Date(DateOnly d) => E(d.ToString(lang == "de" ? "dd.MM.yyyy" : "d MMMM yyyy", Culture));
        public void Row(string label, string value) => Html.Append($"<tr><th>{E(T[label])}</th><td>{value}</td></tr>");
        public void Start(string title, string reference)
        {
            Html.Append($"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{E(title)} {E(reference)}</title>");
            Html.Append("<style>body{font-family:serif;max-width:48rem;margin:2rem auto;line-height:1.4}th{text-align:left;padding-right:1rem;vertical-align:top}@media print{body{margin:0}}</style></head><body>");
        }
        public string Basis(NoticeLegalBasis b) =>
            $"{E(b.Guideline)} {E(T["of"])} {Date(b.GuidelineDate)}; {E(string.Join(", ", b.Provisions))}";
        public void Remedy(LegalRemedy r) => Html.Append($"<h2>{E(T["remedy"])}</h2><p class=\"remedy\">{E(r.Text)}</p>");
    }

    public static string Render(GrantNotice n, string lang)
    {
        var p = new Page(lang);
        var title = p.T[n.NoticeVersion == 1 ? "title" : "amendment"];
        p.Start(title, n.Reference);
        p.Html.Append($"<h1>{p.E(title)} {p.E(n.Reference)}</h1><p>{p.E(p.T["version"])} {n.NoticeVersion}</p><table>");
        p.Row("programme", p.E(n.ProgrammeName.In(lang)));
        if (n.LegalBasis is { } basis) p.Row("legalBasis", p.Basis(basis));
        p.Row("recipient", p.E(n.OrganisationName));
        p.Row("project", p.E(n.ProjectTitle));
        if (n.Purpose is { } purpose) p.Row("purpose", p.E(purpose));
        p.Row("requested", p.Money(n.RequestedAmount));
        p.Row("granted", $"<strong>{p.Money(n.GrantedAmount)}</strong>");
        if (n.ReductionReason is not null) p.Row("reduction", p.E(n.ReductionReason));
        p.Row("financing", p.E(lang == "de" ? Financing[n.FinancingType].De : Financing[n.FinancingType].En));
        var terms = n.Terms ?? NoticeContent.Terms(n.FinancingType, n.GrantedAmount, n.TotalEligibleCosts);
        if (terms.SharePercent is { } share) p.Row("share", p.E(share.ToString("0.##", p.Culture) + " %"));
        if (terms.MaximumAmount is { } maximum) p.Row("maximum", p.Money(maximum));
        if (terms.FixedAmount is { } fixedAmount) p.Row("fixed", p.Money(fixedAmount));
        p.Row("eligible", n.EligibleCosts is { Length: > 0 } costs
            ? string.Join("<br>", costs.Select(c => $"{p.E(c.Description)}: {p.Money(c.Amount)}")) + $"<br><strong>{p.E(p.T["total"])}: {p.Money(n.TotalEligibleCosts)}</strong>"
            : p.Money(n.TotalEligibleCosts));
        p.Row("period", $"{p.Date(n.PeriodStart)} – {p.Date(n.PeriodEnd)}");
        if (n.EarlyStart is { } early) p.Row("earlyStart", $"{p.E(p.T["earlyStartFrom"])} {p.Date(early.From)}. {p.E(early.Note)}");
        p.Row("budgetLine", p.E(n.BudgetLine));
        p.Row("years", string.Join("<br>", n.YearSplit.Select(y => $"{y.Year}: {p.Money(y.Amount)}")));
        p.Row("general", p.E(n.GeneralConditionsVersion));
        p.Row("conditions", p.E(n.Conditions).Replace("\n", "<br>"));
        p.Row("proof", p.Date(n.ProofOfUseDue));
        if (n.AmendmentReason is not null) p.Row("reason", p.E(n.AmendmentReason));
        p.Row("issued", $"{p.Date(BerlinTime.Today(n.IssuedAt))} {p.E(p.T["by"])} {p.E(n.IssuedBy)}");
        p.Html.Append("</table>");
        if (n.LegalRemedy is { } remedy) p.Remedy(remedy);
        p.Html.Append("</body></html>");
        return p.Html.ToString();
    }

    public static string RenderRejection(RejectionNotice n, string lang)
    {
        var p = new Page(lang);
        p.Start(p.T["rejection"], n.Reference);
        p.Html.Append($"<h1>{p.E(p.T["rejection"])} {p.E(n.Reference)}</h1><table>");
        p.Row("programme", p.E(n.ProgrammeName.In(lang)));
        p.Row("legalBasis", p.Basis(n.LegalBasis));
        p.Row("recipient", p.E(n.OrganisationName));
        p.Row("project", p.E(n.ProjectTitle));
        p.Row("requested", p.Money(n.RequestedAmount));
        if (n.PeriodStart is { } s && n.PeriodEnd is { } e) p.Row("period", $"{p.Date(s)} – {p.Date(e)}");
        p.Row("decision", $"<strong>{p.E(p.T["rejected"])}</strong>");
        p.Row("reasons", p.E(n.Reasons).Replace("\n", "<br>"));
        p.Row("issued", $"{p.Date(BerlinTime.Today(n.IssuedAt))} {p.E(p.T["by"])} {p.E(n.IssuedBy)}");
        p.Html.Append("</table>");
        p.Remedy(n.LegalRemedy);
        p.Html.Append("</body></html>");
        return p.Html.ToString();
    }
}

public sealed record GrantListItem(Guid Id, string Reference, string ProjectTitle, Guid OrganisationId, string OrganisationName, Guid ProgrammeId,
    decimal Granted, decimal Paid, decimal Outstanding, DateOnly PeriodStart, DateOnly PeriodEnd, GrantState State);

public static class GrantLists
{
    public static async Task<Page<GrantListItem>> Query(IQuerySession session, HttpContext http, Func<IQueryable<Grant>, IQueryable<Grant>> filter, int? page, int? pageSize, CancellationToken ct)
    {
        var (number, size) = Page<GrantListItem>.Normalize(http, page, pageSize);
        var found = await filter(session.Query<Grant>()).OrderBy(g => g.Id).ToPagedListAsync(number, size, ct);
        return new Page<GrantListItem>(found.Select(g => new GrantListItem(g.Id, g.Notice.Reference, g.Notice.ProjectTitle, g.OrganisationId,
            g.Notice.OrganisationName, g.ProgrammeId, g.Notice.GrantedAmount, g.Paid, g.Notice.GrantedAmount - g.Paid, g.Notice.PeriodStart,
            g.Notice.PeriodEnd, g.State)).ToList(), number, size, found.TotalItemCount);
    }
}

public static class OrganisationGrantsEndpoint
{
    [WolverineGet("/organisations/{id}/grants", OperationId = "OrganisationGrants"), Authorize(Roles = Roles.Any)]
    [Tags("Grants"), EndpointSummary("Grants of an organisation (applicants: only their own)")]
    public static async Task<Page<GrantListItem>> Get(Guid id, int? page, int? pageSize, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        await Access.EnsureMayAccess(Actor.From(http.User), session, id, "The organisation", ct);
        return await GrantLists.Query(session, http, q => q.Where(g => g.OrganisationId == id), page, pageSize, ct);
    }
}

public static class ProgrammeGrantsEndpoint
{
    [WolverineGet("/programmes/{id}/grants", OperationId = "ProgrammeGrants"), Authorize(Roles = Roles.Staff)]
    [Tags("Grants"), EndpointSummary("Grants of a programme")]
    public static Task<Page<GrantListItem>> Get(Guid id, int? page, int? pageSize, IQuerySession session, HttpContext http, CancellationToken ct) =>
        GrantLists.Query(session, http, q => q.Where(g => g.ProgrammeId == id), page, pageSize, ct);
}
