using System.Text;

namespace FundingPrograms.Public;

/// <summary>The frame of every public page: language and direction, skip link, language switch, menu, footer, the style sheet.</summary>
public static class PublicPage
{
    /// <summary>Escapes the five characters that matter in HTML and SVG text and attributes; every other character stays as it is.</summary>
    public static string E(string? s) => string.IsNullOrEmpty(s) ? "" : s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;").Replace("'", "&#39;");

    /// <summary>A whole page. <paramref name="path"/> is the address after the language (e.g. "/statistics"), kept by the language switch.</summary>
    public static string Render(PublicLanguage language, string path, string query, string title, string current, string main)
    {
        var html = new StringBuilder();
        html.Append($"<!DOCTYPE html><html lang=\"{language.Code}\" dir=\"{(language.RightToLeft ? "rtl" : "ltr")}\"><head><meta charset=\"utf-8\">");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append($"<title>{E(title)} – {language.H("site.title")}</title>");
        foreach (var other in PublicTexts.Languages)
            html.Append($"<link rel=\"alternate\" hreflang=\"{other.Code}\" href=\"/{other.Code}{E(path)}{E(query)}\">");
        html.Append("<style>").Append(Css).Append("</style></head><body>");
        html.Append($"<a class=\"skip\" href=\"#main\">{language.H("nav.skip")}</a>");
        html.Append("<header><div class=\"wrap\">");
        html.Append($"<p class=\"site\"><a href=\"/{language.Code}/\">{language.H("site.title")}</a></p><p class=\"tagline\">{language.H("site.tagline")}</p>");
        html.Append($"<nav aria-label=\"{language.H("nav.language")}\"><ul class=\"langs\">");
        foreach (var other in PublicTexts.Languages)
        {
            var currentLanguage = other.Code == language.Code ? " aria-current=\"true\"" : "";
            html.Append($"<li><a href=\"/{other.Code}{E(path)}{E(query)}\" lang=\"{other.Code}\" hreflang=\"{other.Code}\" dir=\"{(other.RightToLeft ? "rtl" : "ltr")}\"{currentLanguage}>{E(other.Name)}</a></li>");
        }
        html.Append("</ul></nav>");
        html.Append($"<nav aria-label=\"{language.H("nav.main")}\"><ul class=\"menu\">");
        foreach (var (key, href) in new[] { ("nav.home", "/"), ("nav.statistics", "/statistics"), ("nav.glossary", "/glossary") })
            html.Append($"<li><a href=\"/{language.Code}{href}\"{(current == href ? " aria-current=\"page\"" : "")}>{language.H(key)}</a></li>");
        html.Append("</ul></nav></div></header>");
        html.Append("<main id=\"main\" tabindex=\"-1\"><div class=\"wrap\">").Append(main).Append("</div></main>");
        html.Append($"<footer><div class=\"wrap\"><p>{language.H("footer.binding")}</p><p>{language.H("footer.operator")}</p></div></footer>");
        html.Append("</body></html>");
        return html.ToString();
    }

    public const string Css = """
        *{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%}
        body{margin:0;font-family:"DejaVu Sans",Arial,"Noto Sans",sans-serif;font-size:1rem;line-height:1.5;color:#1b1b1b;background:#fff;overflow-wrap:break-word}
        .wrap{max-width:62rem;margin:0 auto;padding:0 1rem}
        header{background:#00305e;color:#fff;padding-block:.75rem}
        header a{color:#fff}
        .site{font-size:1.25rem;font-weight:bold;margin:0}
        .tagline{margin:.25rem 0}
        .skip{position:absolute;inset-inline-start:-9999px;top:0}
        .skip:focus{inset-inline-start:1rem;top:1rem;background:#fff;color:#000;padding:.5rem;z-index:10}
        a{color:#0b4f8a}
        a:focus-visible,button:focus-visible,select:focus-visible,main:focus-visible,[tabindex]:focus-visible{outline:3px solid #ffbf47;outline-offset:2px;box-shadow:0 0 0 5px #0b0c0c}
        ul.langs,ul.menu{list-style:none;margin:.5rem 0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}
        ul.menu{font-weight:bold}
        [aria-current]{text-decoration-thickness:3px}
        main{padding-block:1rem 2rem}
        main:focus{outline:none}
        h1{font-size:1.75rem;line-height:1.25}
        h2{font-size:1.35rem;margin-top:2rem}
        h3{font-size:1.1rem}
        .card{border:1px solid #6f777b;border-radius:4px;padding:0 1rem 1rem;margin-block:1rem}
        .badge{display:inline-block;padding:0 .4rem;border-radius:3px;font-weight:bold;border:1px solid currentColor}
        .open{color:#005a30;background:#e7f4ec}
        .upcoming{color:#594d00;background:#fff7bf}
        .calls{list-style:none;padding:0}
        .calls li{border-top:1px solid #b1b4b6;padding-block:.5rem}
        form.filters{display:grid;gap:.75rem;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));align-items:end}
        label{display:block;font-weight:bold}
        select,button{font:inherit;padding:.4rem;width:100%;max-width:100%;border:2px solid #0b0c0c;border-radius:0;background:#fff;color:#0b0c0c}
        button{background:#00703c;color:#fff;border-color:#00703c;cursor:pointer}
        .num,.ltr{direction:ltr;unicode-bidi:isolate}
        .table-wrap{overflow-x:auto;margin-block:1rem}
        table{border-collapse:collapse;width:100%}
        caption{text-align:start;font-weight:bold;padding-block:.5rem}
        th,td{border-bottom:1px solid #b1b4b6;padding:.3rem .5rem;text-align:start;vertical-align:top}
        td.n,th.n{text-align:end;white-space:nowrap}
        tr.region th{background:#f3f2f1}
        tr:target{background:#fff7bf}
        figure{margin:1rem 0}
        svg.district-map{display:block;width:100%;max-width:36rem;height:auto}
        svg a.district:focus path,svg a.district:hover path{stroke:#d4351c;stroke-width:3}
        svg a.district:focus{outline:none}
        .legend{list-style:none;padding:0}
        .legend li{display:flex;gap:.5rem;align-items:center;margin-block:.25rem}
        .swatch{display:inline-block;flex:none;width:1.25rem;height:1.25rem;border:1px solid #4d4d4d}
        .hatched{background:repeating-linear-gradient(45deg,#fff 0 3px,#555 3px 5px)}
        dl.glossary dt{font-weight:bold;margin-top:1rem}
        dl.glossary dd{margin-inline-start:0}
        footer{background:#f3f2f1;border-top:4px solid #00305e;padding-block:1rem;font-size:.95rem}
        """;
}
