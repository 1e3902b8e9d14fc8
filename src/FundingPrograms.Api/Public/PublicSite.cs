using System.Text;
using FundingPrograms.Programmes;
using FundingPrograms.ReferenceData;
using FundingPrograms.Reports;
using static FundingPrograms.Public.PublicPage;

namespace FundingPrograms.Public;

/// <summary>
/// The public web pages, rendered on the server (no script): /{lang}/ (open and upcoming calls with filters),
/// /{lang}/programmes/{id}, /{lang}/statistics (the district map and its tables) and /{lang}/glossary, in the seven languages of
/// <see cref="PublicTexts"/>; "/" leads to German. No sign-in; nothing internal (budgets, budget lines, names, reasons) is
/// read into them. They are pages, not part of the JSON API contract (excluded from the OpenAPI document).
/// </summary>
public static class PublicSite
{
    private const string Lang = "{lang:regex(^(de|en|tr|ar|uk|ru|fa)$)}";

    /// <summary>Whether a path is one of the public pages (rate-limited per client address like the public catalogue).</summary>
    public static bool IsPage(PathString path) =>
        path == "/" || PublicTexts.Languages.Any(l => path.StartsWithSegments("/" + l.Code));

    public static void MapPublicSite(this WebApplication app)
    {
        app.MapGet("/", () => Results.Redirect("/de/")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet($"/{Lang}/", Home).AllowAnonymous().ExcludeFromDescription();
        app.MapGet($"/{Lang}/programmes/{{id}}", ProgrammePage).AllowAnonymous().ExcludeFromDescription();
        app.MapGet($"/{Lang}/statistics", Statistics).AllowAnonymous().ExcludeFromDescription();
        app.MapGet($"/{Lang}/glossary", Glossary).AllowAnonymous().ExcludeFromDescription();
    }

    private static IResult Page(HttpContext http, PublicLanguage language, string path, string title, string current, string main, int status = 200)
    {
        http.Response.Headers.ContentLanguage = language.Code;
        var query = http.Request.QueryString.HasValue ? http.Request.QueryString.Value! : "";
        return Results.Content(Render(language, path, query, title, current, main), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private static IResult Problem(HttpContext http, PublicLanguage language, int status, string title, string detail)
    {
        var main = $"<h1>{E(title)}</h1><p>{E(detail)}</p><p><a href=\"/{language.Code}/\">{language.H("error.back")}</a></p>";
        return Page(http, language, "/", title, "", main, status);
    }

    /// <summary>A programme's or call's own text in the language, marked as German where it has no translation.</summary>
    private static string Own(Dictionary<string, string> text, PublicLanguage language) =>
        text.ContainsKey(language.Code) || language.Code == "de" ? E(text.In(language.Code)) : $"<span lang=\"de\" dir=\"ltr\">{E(text.In("de"))}</span>";

    private static async Task<IResult> Home(string lang, string? targetGroup, string? district, string? organisationType, HttpContext http,
        IQuerySession session, ReferenceCatalogue reference, TimeProvider clock, CancellationToken ct)
    {
        var language = PublicTexts.Find(lang)!;
        targetGroup = string.IsNullOrEmpty(targetGroup) ? null : targetGroup;
        district = string.IsNullOrEmpty(district) ? null : district;
        organisationType = string.IsNullOrEmpty(organisationType) ? null : organisationType;
        if (targetGroup is not null && !reference.IsTargetGroup(targetGroup) || district is not null && !reference.IsDistrict(district)
            || organisationType is not null && !reference.IsOrganisationType(organisationType))
            return Problem(http, language, 400, language.T("filter.heading"), language.T("home.none"));

        var now = clock.GetUtcNow();
        var published = await session.Query<Programme>().Where(p => p.Status == ProgrammeStatus.Published).ToListAsync(ct);
        var matching = published
            .Where(p => targetGroup is null || p.Definition.TargetGroups.Contains(targetGroup))
            .Where(p => organisationType is null || p.Definition.EligibleOrganisationTypes.Contains(organisationType))
            .Select(p => (Programme: p, Calls: OpenCalls(p, now, district)))
            .Where(x => x.Calls.Count > 0)
            .OrderBy(x => x.Programme.Definition.Name.In(language.Code), StringComparer.Create(language.Culture, true))
            .ToList();

        var main = new StringBuilder();
        main.Append($"<h1>{language.H("home.heading")}</h1><p>{language.H("home.intro")}</p>");
        main.Append($"<section aria-labelledby=\"filters\"><h2 id=\"filters\">{language.H("filter.heading")}</h2>");
        main.Append($"<form class=\"filters\" method=\"get\" action=\"/{language.Code}/\">");
        Select(main, language, "targetGroup", language.T("filter.targetGroup"), reference.TargetGroups.Select(g => (g.Code, language.T("group." + g.Code))), targetGroup);
        Select(main, language, "district", language.T("filter.district"),
            reference.Districts.OrderBy(d => d.Name, StringComparer.Create(System.Globalization.CultureInfo.GetCultureInfo("de-DE"), true)).Select(d => (d.Code, d.Name)), district);
        Select(main, language, "organisationType", language.T("filter.organisationType"),
            reference.OrganisationTypes.Select(o => (o.Code, language.T("orgtype." + o.Code))), organisationType);
        main.Append($"<div><button type=\"submit\">{language.H("filter.apply")}</button></div></form>");
        if (targetGroup is not null || district is not null || organisationType is not null)
            main.Append($"<p><a href=\"/{language.Code}/\">{language.H("filter.reset")}</a></p>");
        main.Append("</section>");

        main.Append($"<section aria-labelledby=\"results\"><h2 id=\"results\">{language.H("home.results", ("count", language.Number(matching.Count)))}</h2>");
        if (matching.Count == 0) main.Append($"<p>{language.H("home.none")}</p>");
        foreach (var (programme, calls) in matching)
        {
            var d = programme.Definition;
            main.Append($"<article class=\"card\"><h3><a href=\"/{language.Code}/programmes/{programme.Id}\">{Own(d.Name, language)}</a></h3>");
            Calls(main, language, calls, now, reference, "h4");
            main.Append("</article>");
        }
        main.Append("</section>");
        return Page(http, language, "/", language.T("home.heading"), "/", main.ToString());
    }

    private static List<Call> OpenCalls(Programme p, DateTimeOffset now, string? district) => p.Calls
        .Where(c => c.StateAt(now) != CallState.Closed)
        .Where(c => district is null || c.Districts.Length == 0 || c.Districts.Contains(district))
        .OrderBy(c => c.OpensAt).ToList();

    private static void Select(StringBuilder html, PublicLanguage language, string name, string label, IEnumerable<(string Code, string Text)> options, string? selected)
    {
        html.Append($"<div><label for=\"f-{name}\">{E(label)}</label><select id=\"f-{name}\" name=\"{name}\"><option value=\"\">{language.H("filter.any")}</option>");
        foreach (var (code, text) in options)
            html.Append($"<option value=\"{E(code)}\"{(code == selected ? " selected" : "")}>{E(text)}</option>");
        html.Append("</select></div>");
    }

    private static void Calls(StringBuilder html, PublicLanguage language, IReadOnlyList<Call> calls, DateTimeOffset now, ReferenceCatalogue reference, string heading)
    {
        var today = BerlinTime.Today(now);
        html.Append("<ul class=\"calls\">");
        foreach (var call in calls)
        {
            var closes = TimeZoneInfo.ConvertTime(call.ClosesAt, BerlinTime.Zone).DateTime;
            var opens = TimeZoneInfo.ConvertTime(call.OpensAt, BerlinTime.Zone).DateTime;
            var state = call.StateAt(now) == CallState.Upcoming ? ("upcoming", language.T("call.upcoming")) : ("open", language.T("call.open"));
            html.Append($"<li><{heading}>{Own(call.Title, language)} <span class=\"badge {state.Item1}\">{E(state.Item2)}</span></{heading}>");
            if (call.Description.Count > 0) html.Append($"<p>{Own(call.Description, language)}</p>");
            if (state.Item1 == "upcoming")
                html.Append($"<p>{language.H("call.opens", ("date", language.Date(DateOnly.FromDateTime(opens))), ("time", language.Time(opens)))}</p>");
            var days = DateOnly.FromDateTime(closes).DayNumber - today.DayNumber;
            html.Append($"<p><strong>{language.H("call.deadline", ("date", language.Date(DateOnly.FromDateTime(closes))), ("time", language.Time(closes)))}</strong>");
            if (state.Item1 == "open")
                html.Append($" – {(days <= 0 ? language.H("call.lastDay") : language.H("call.daysLeft", ("days", language.Number(days))))}");
            html.Append("</p>");
            html.Append(call.Districts.Length == 0 ? $"<p>{language.H("call.allRegions")}</p>"
                : $"<p>{language.H("call.regions", ("list", string.Join(", ", call.Districts.Select(c => reference.Districts.FirstOrDefault(d => d.Code == c)?.Name ?? c))))}</p>");
            html.Append("</li>");
        }
        html.Append("</ul>");
    }

    private static async Task<IResult> ProgrammePage(string lang, string id, HttpContext http, IQuerySession session, ReferenceCatalogue reference,
        TimeProvider clock, IConfiguration config, CancellationToken ct)
    {
        var language = PublicTexts.Find(lang)!;
        var programme = Guid.TryParse(id, out var guid) && guid != Guid.Empty ? await session.LoadAsync<Programme>(guid, ct) : null;
        if (programme is null || programme.Status != ProgrammeStatus.Published)
            return Problem(http, language, 404, language.T("error.notFound"), language.T("programme.notFound"));
        var now = clock.GetUtcNow();
        var d = programme.Definition;
        var f = d.Financing;
        var main = new StringBuilder();
        main.Append($"<h1>{Own(d.Name, language)}</h1>");
        main.Append($"<h2>{language.H("programme.purpose")}</h2><p>{Own(d.Description, language)}</p>");
        main.Append($"<h2>{language.H("programme.whoMayApply")}</h2>");
        List(main, language.T("programme.orgTypes"), d.EligibleOrganisationTypes.Select(o => language.T("orgtype." + o)));
        List(main, language.T("programme.targetGroups"), d.TargetGroups.Select(g => language.T("group." + g)));
        List(main, language.T("programme.dimensions"), d.TargetDimensions.Select(x => language.T("dim." + x)));
        main.Append($"<h2>{language.H("programme.financing")}</h2><ul>");
        main.Append($"<li>{language.H("fin.range", ("min", language.Money(f.MinGrant)), ("max", language.Money(f.MaxGrant)))}</li>");
        if (f.AllowedTypes.Contains(FinancingType.Share) && f.MaxSharePercent > 0)
            main.Append($"<li>{language.H("fin.maxShare", ("percent", language.Percent(f.MaxSharePercent)))}</li>");
        if (f.MinOwnContributionPercent > 0)
            main.Append($"<li>{language.H("fin.ownContribution", ("percent", language.Percent(f.MinOwnContributionPercent)))}</li>");
        foreach (var type in f.AllowedTypes)
            main.Append($"<li>{language.H("fin.type." + System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(type.ToString()))}</li>");
        main.Append($"<li>{language.H("fin.noEarlyStart")}</li></ul>");
        main.Append($"<p>{language.H("programme.legalBasis", ("guideline", d.LegalBasis.Guideline), ("date", language.Date(d.LegalBasis.Date)))}</p>");
        main.Append($"<h2>{language.H("programme.deadlines")}</h2>");
        var calls = OpenCalls(programme, now, null);
        if (calls.Count == 0) main.Append($"<p>{language.H("programme.noCalls")}</p>");
        else Calls(main, language, calls, now, reference, "h3");
        main.Append($"<h2>{language.H("programme.howToApply")}</h2><ol>");
        for (var i = 1; i <= 4; i++) main.Append($"<li>{language.H($"apply.step{i}")}</li>");
        main.Append("</ol>");
        var letterhead = config.GetSection("Letters:Letterhead");
        main.Append($"<h2>{language.H("programme.contact")}</h2><p>{language.H("contact.text")}</p><address lang=\"de\" dir=\"ltr\">");
        foreach (var key in new[] { "Authority", "Department" })
            if (letterhead[key] is { Length: > 0 } line) main.Append(E(line)).Append("<br>");
        if (letterhead["Street"] is { Length: > 0 } street) main.Append(E($"{street}, {letterhead["PostalCode"]} {letterhead["City"]}")).Append("<br>");
        main.Append("</address><ul>");
        if (letterhead["Phone"] is { Length: > 0 } phone)
            main.Append($"<li>{language.H("contact.phone")}: <span class=\"ltr\">{E(phone)}</span></li>");
        if (letterhead["Email"] is { Length: > 0 } email)
            main.Append($"<li>{language.H("contact.email")}: <a class=\"ltr\" href=\"mailto:{E(email)}\">{E(email)}</a></li>");
        main.Append("</ul>");
        return Page(http, language, $"/programmes/{programme.Id}", d.Name.In(language.Code), "", main.ToString());
    }

    private static void List(StringBuilder html, string heading, IEnumerable<string> items)
    {
        html.Append($"<h3>{E(heading)}</h3><ul>");
        foreach (var item in items) html.Append($"<li>{E(item)}</li>");
        html.Append("</ul>");
    }

    private static async Task<IResult> Statistics(string lang, HttpContext http, IQuerySession session, ReferenceCatalogue reference, CancellationToken ct)
    {
        var language = PublicTexts.Find(lang)!;
        var (facts, _) = await ReportScope.Load(null, null, session, http, new Check(), ct);
        var regionTable = PublicStatisticsQuery.Compute(facts, null, reference, "de");
        var districts = PublicDistrictStatistics.Compute(facts, null, reference, regionTable);
        var main = new StringBuilder();
        main.Append($"<h1>{language.H("stats.heading")}</h1><p>{language.H("stats.intro")}</p>");
        main.Append($"<figure aria-labelledby=\"map-caption\"><figcaption id=\"map-caption\"><h2>{language.H("stats.mapTitle")}</h2>");
        main.Append($"<p>{language.H("stats.mapHelp")} {language.H("stats.regionsOutline")}</p></figcaption>");
        main.Append(districts.Svg(language, "map", standalone: false, code => $"#row-{code}"));
        main.Append($"<h3>{language.H("stats.legend")}</h3><ul class=\"legend\">");
        foreach (var entry in districts.Legend(language))
        {
            var swatch = entry.Fill == DistrictMap.Hatch ? "<span class=\"swatch hatched\"></span>" : $"<span class=\"swatch\" style=\"background:{entry.Fill}\"></span>";
            main.Append($"<li>{swatch}<span>{E(entry.Text)}</span></li>");
        }
        main.Append($"</ul><p>{language.H("stats.suppressedNote", ("min", language.Number(districts.MinimumOrganisations)))}</p></figure>");

        string Cell(int? n, bool hidden) => hidden ? $"<td class=\"n\">{language.H("stats.hidden")}</td>" : $"<td class=\"n\">{E(language.Number(n ?? 0))}</td>";
        string MoneyCell(decimal? m, bool hidden) => hidden ? $"<td class=\"n\">{language.H("stats.hidden")}</td>" : $"<td class=\"n\"><span class=\"num\">{E(language.Money(m ?? 0m))}</span></td>";
        main.Append($"<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"districts-caption\" tabindex=\"0\"><table><caption id=\"districts-caption\">{language.H("stats.tableCaption")}</caption>");
        main.Append($"<thead><tr><th scope=\"col\">{language.H("stats.district")}</th><th scope=\"col\" class=\"n\">{language.H("stats.grants")}</th><th scope=\"col\" class=\"n\">{language.H("stats.granted")}</th><th scope=\"col\" class=\"n\">{language.H("stats.organisations")}</th></tr></thead><tbody>");
        foreach (var region in reference.Regions)
        {
            main.Append($"<tr class=\"region\"><th scope=\"colgroup\" colspan=\"4\">{language.H("stats.region")}: {E(region.Code)}</th></tr>");
            foreach (var d in districts.Districts.Where(x => x.Region == region.Code))
                main.Append($"<tr id=\"row-{d.Code}\" tabindex=\"-1\"><th scope=\"row\">{E(d.Name)}</th>{Cell(d.Grants, d.Suppressed)}{MoneyCell(d.Granted, d.Suppressed)}{Cell(d.Organisations, d.Suppressed)}</tr>");
        }
        var t = districts.Total;
        main.Append($"</tbody><tfoot><tr><th scope=\"row\">{language.H("stats.total")}</th>{Cell(t.Grants, t.Suppressed)}{MoneyCell(t.Granted, t.Suppressed)}{Cell(t.Organisations, t.Suppressed)}</tr></tfoot></table></div>");

        main.Append($"<h2>{language.H("stats.regionsHeading")}</h2>");
        main.Append($"<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"regions-caption\" tabindex=\"0\"><table><caption id=\"regions-caption\">{language.H("stats.regionsCaption")}</caption>");
        main.Append($"<thead><tr><th scope=\"col\">{language.H("stats.dimension")}</th>");
        foreach (var c in regionTable.Columns) main.Append($"<th scope=\"col\" class=\"n\">{E(c.Code)}</th>");
        main.Append($"<th scope=\"col\" class=\"n\">{language.H("stats.total")}</th></tr></thead><tbody>");
        foreach (var row in regionTable.Rows.Append(regionTable.Total))
        {
            var name = row.Code == "total" ? language.T("stats.allDimensions") : $"{row.Code}: {language.T("dim." + row.Code)}";
            main.Append($"<tr><th scope=\"row\">{E(name)}</th>");
            foreach (var cell in row.Cells.Append(row.Total)) main.Append(MoneyCell(cell.Granted, cell.Suppressed));
            main.Append("</tr>");
        }
        main.Append("</tbody></table></div>");
        main.Append($"<p><small>{language.H("stats.mapSource")}: <span lang=\"de\" dir=\"ltr\">{E(NrwMap.Instance.Attribution)}</span></small></p>");
        return Page(http, language, "/statistics", language.T("stats.heading"), "/statistics", main.ToString());
    }

    private static readonly string[] Terms =
        ["Foerderaufruf", "Antrag", "Finanzierungsplan", "Eigenanteil", "Drittmittel", "Zuwendungsbescheid", "Bewilligungszeitraum",
         "VorzeitigerMassnahmebeginn", "Mittelabruf", "Verwendungsnachweis"];

    private static IResult Glossary(string lang, HttpContext http)
    {
        var language = PublicTexts.Find(lang)!;
        var german = PublicTexts.Find("de")!;
        var main = new StringBuilder();
        main.Append($"<h1>{language.H("glossary.heading")}</h1><p>{language.H("glossary.intro")}</p><dl class=\"glossary\">");
        foreach (var term in Terms)
        {
            var word = $"<span lang=\"de\" dir=\"ltr\">{german.H("term." + term)}</span>";
            main.Append(language.Code == "de" ? $"<dt id=\"{term}\">{word}</dt>" : $"<dt id=\"{term}\">{language.H("term." + term)} ({word})</dt>");
            main.Append($"<dd>{language.H($"term.{term}.text")}</dd>");
        }
        main.Append("</dl>");
        return Page(http, language, "/glossary", language.T("glossary.heading"), "/glossary", main.ToString());
    }
}
