using System.Globalization;
using System.Text;
using FundingPrograms.Infrastructure;
using FundingPrograms.Programmes;
using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

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
    DateOnly RetentionUntil)
{
    /// <summary>Grant records are kept at least 5 years after the proof of use (computed from its due date).</summary>
    public static DateOnly Retention(GrantNotice notice) => notice.ProofOfUseDue.AddYears(5);

    /// <summary>Lowered by revocations; claimed back, received on those claims (Recovery/). Recoverable: claimed and not yet received.</summary>
    public decimal Revoked { get; init; }
    public decimal Claimed { get; init; }
    public decimal Recovered { get; init; }

    public static GrantLedger Of(Grant g) => new(g.Id, g.Version, g.Notice.Reference, g.State, g.ApplicationId, g.OrganisationId, g.Notice.OrganisationName,
        g.ProgrammeId, g.Notice.ProjectTitle, g.Notice.GrantedAmount, g.Notice.YearSplit, g.Requested, g.Paid, g.PaidPerYear, g.Notice.GrantedAmount - g.Paid, 0m,
        g.Notice.NoticeVersion, g.Notice.PeriodStart, g.Notice.PeriodEnd, g.Notice.ProofOfUseDue, Retention(g.Notice));
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
    public static async Task<IResult> Get(Guid id, int? version, DateTimeOffset? asOf, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var notice = GrantAccess.NoticeOf(http, await GrantAccess.Load(session, id, http, ct), version, asOf);
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
            ["maximum"] = "Höchstbetrag", ["eligible"] = "Zuwendungsfähige Ausgaben", ["period"] = "Bewilligungszeitraum", ["budgetLine"] = "Haushaltsstelle",
            ["years"] = "Aufteilung auf Haushaltsjahre", ["conditions"] = "Nebenbestimmungen", ["general"] = "Allgemeine Nebenbestimmungen",
            ["proof"] = "Verwendungsnachweis vorzulegen bis", ["issued"] = "Erlassen am", ["by"] = "durch", ["reason"] = "Grund der Änderung",
        },
        ["en"] = new()
        {
            ["title"] = "Grant notice", ["amendment"] = "Amendment notice", ["version"] = "Version", ["programme"] = "Programme",
            ["recipient"] = "Recipient", ["project"] = "Project", ["requested"] = "Requested", ["granted"] = "Grant awarded",
            ["reduction"] = "Reason for the reduction", ["financing"] = "Financing type", ["share"] = "Share of eligible costs",
            ["maximum"] = "Maximum amount", ["eligible"] = "Eligible costs", ["period"] = "Funding period", ["budgetLine"] = "Budget line",
            ["years"] = "Split across budget years", ["conditions"] = "Conditions", ["general"] = "General conditions",
            ["proof"] = "Proof of use due by", ["issued"] = "Issued on", ["by"] = "by", ["reason"] = "Reason for the amendment",
        },
    };

    private static readonly Dictionary<FinancingType, (string De, string En)> Financing = new()
    {
        [FinancingType.Share] = ("Anteilfinanzierung", "Share financing"), [FinancingType.Gap] = ("Fehlbedarfsfinanzierung", "Gap financing"),
        [FinancingType.FixedAmount] = ("Festbetragsfinanzierung", "Fixed amount"), [FinancingType.Full] = ("Vollfinanzierung", "Full financing"),
    };

    private static readonly System.Text.Encodings.Web.HtmlEncoder Encoder =
        System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public static string Render(GrantNotice n, string lang)
    {
        var t = Labels[lang];
        var culture = CultureInfo.GetCultureInfo(lang == "de" ? "de-DE" : "en-GB");
        string E(string s) => Encoder.Encode(s);
        string Money(decimal m) => E(m.ToString("#,##0.00", culture) + " EUR");
        string Date(DateOnly d) => E(d.ToString(lang == "de" ? "dd.MM.yyyy" : "d MMMM yyyy", culture));
        var html = new StringBuilder();
        html.Append($"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{E(t[n.NoticeVersion == 1 ? "title" : "amendment"])} {E(n.Reference)}</title>");
        html.Append("<style>body{font-family:serif;max-width:48rem;margin:2rem auto;line-height:1.4}th{text-align:left;padding-right:1rem;vertical-align:top}@media print{body{margin:0}}</style></head><body>");
        html.Append($"<h1>{E(t[n.NoticeVersion == 1 ? "title" : "amendment"])} {E(n.Reference)}</h1><p>{E(t["version"])} {n.NoticeVersion}</p><table>");
        void Row(string label, string value) => html.Append($"<tr><th>{E(t[label])}</th><td>{value}</td></tr>");
        Row("programme", E(n.ProgrammeName.In(lang)));
        Row("recipient", E(n.OrganisationName));
        Row("project", E(n.ProjectTitle));
        Row("requested", Money(n.RequestedAmount));
        Row("granted", $"<strong>{Money(n.GrantedAmount)}</strong>");
        if (n.ReductionReason is not null) Row("reduction", E(n.ReductionReason));
        Row("financing", E(lang == "de" ? Financing[n.FinancingType].De : Financing[n.FinancingType].En));
        Row("eligible", Money(n.TotalEligibleCosts));
        Row("share", E(n.SharePercent.ToString("0.##", culture) + " %"));
        Row("maximum", Money(n.MaximumAmount));
        Row("period", $"{Date(n.PeriodStart)} – {Date(n.PeriodEnd)}");
        Row("budgetLine", E(n.BudgetLine));
        Row("years", string.Join("<br>", n.YearSplit.Select(y => $"{y.Year}: {Money(y.Amount)}")));
        Row("conditions", E(n.Conditions).Replace("\n", "<br>"));
        Row("general", E(n.GeneralConditionsVersion));
        Row("proof", Date(n.ProofOfUseDue));
        if (n.AmendmentReason is not null) Row("reason", E(n.AmendmentReason));
        Row("issued", $"{Date(BerlinTime.Today(n.IssuedAt))} {E(t["by"])} {E(n.IssuedBy)}");
        html.Append("</table></body></html>");
        return html.ToString();
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
