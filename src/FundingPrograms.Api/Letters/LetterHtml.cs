using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace FundingPrograms.Letters;

/// <summary>
/// Renders a <see cref="LetterDocument"/> as one self-contained, printable and accessible HTML page: <c>lang</c>, one
/// h1 (the subject) and h2 per section, the addresses as <c>address</c>, the references as a description list, tables
/// with caption, <c>th scope="col"</c> and row headers <c>th scope="row"</c>; print CSS for A4.
/// </summary>
public static class LetterHtml
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private const string Style =
        "body{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;font-size:10.5pt;line-height:1.45;color:#000;max-width:46rem;margin:2rem auto;padding:0 1rem}" +
        "header{display:flex;justify-content:space-between;gap:2rem;border-bottom:1px solid #000;padding-bottom:.5rem}" +
        "header .contact{font-size:8pt;text-align:right;font-style:normal}" +
        ".window{display:flex;justify-content:space-between;gap:2rem;margin:2rem 0}" +
        ".window address{font-style:normal}.window .return{font-size:7.5pt;display:block;margin-bottom:.4rem}" +
        "dl.references{margin:0;font-size:9.5pt}dl.references dt{font-size:7.5pt}dl.references dd{margin:0 0 .3rem 0}.window .date{white-space:nowrap}" +
        "h1{font-size:11pt;margin:1.5rem 0 1rem}h2{font-size:10.5pt;margin:1.2rem 0 .4rem}" +
        ".reading-copy{border:1px solid #000;padding:.4rem .6rem;font-weight:bold}" +
        "table{border-collapse:collapse;width:100%;margin:.4rem 0 .8rem}caption{text-align:left;font-weight:bold;font-size:9pt}" +
        "th,td{border-bottom:1px solid #999;padding:.2rem .4rem;text-align:left;vertical-align:top}td.num{text-align:right;white-space:nowrap}" +
        ".closing{break-inside:avoid;page-break-inside:avoid}.signature .on-behalf{display:inline-block;margin-bottom:2rem}footer{margin-top:2rem;font-size:8pt;border-top:1px solid #999}" +
        "@media print{body{margin:0;max-width:none}@page{size:A4;margin:20mm 20mm 22mm 25mm}}";

    public static string Render(LetterDocument l)
    {
        string E(string s) => Encoder.Encode(s);
        string Lines(IEnumerable<string> lines) => string.Join("<br>", lines.Select(E));
        string Paragraph(string text) => $"<p>{Lines(text.ReplaceLineEndings("\n").Split('\n'))}</p>";

        var h = new StringBuilder();
        h.Append($"<!DOCTYPE html><html lang=\"{E(l.Language)}\"><head><meta charset=\"utf-8\">");
        h.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        h.Append($"<title>{E(l.Title)}</title><style>{Style}</style></head><body>");
        h.Append("<header><div class=\"authority\">");
        h.Append($"<p><strong>{E(l.Letterhead.Authority)}</strong>{(string.IsNullOrWhiteSpace(l.Letterhead.Department) ? "" : "<br>" + E(l.Letterhead.Department))}</p>");
        h.Append($"</div><address class=\"contact\">{Lines(l.Letterhead.AddressLines.Concat(l.Letterhead.ContactLines))}</address></header>");
        h.Append("<main>");
        if (l.ReadingCopyNotice is not null) h.Append($"<p class=\"reading-copy\" role=\"note\">{E(l.ReadingCopyNotice)}</p>");
        h.Append("<div class=\"window\"><address class=\"addressee\">");
        h.Append($"<span class=\"return\">{E(l.Letterhead.Authority)} · {E(string.Join(" · ", l.Letterhead.AddressLines))}</span>");
        h.Append($"{Lines(new[] { l.Addressee.Name }.Concat(l.Addressee.Lines))}</address><div>");
        h.Append("<dl class=\"references\">");
        foreach (var f in l.References) h.Append($"<dt>{E(f.Label)}</dt><dd>{E(f.Value)}</dd>");
        h.Append($"</dl><p class=\"date\">{E(l.PlaceAndDate)}</p></div></div>");
        h.Append($"<h1>{E(l.Subject)}</h1>");
        h.Append(Paragraph(l.Salutation));
        h.Append("<div class=\"decision\">");
        foreach (var p in l.Decision) h.Append(Paragraph(p));
        h.Append("</div>");
        foreach (var s in l.Sections)
        {
            h.Append($"<section class=\"{E(s.Role)}\"><h2>{E(s.Heading)}</h2>");
            foreach (var p in s.Paragraphs) h.Append(Paragraph(p));
            foreach (var t in s.Tables) Table(h, t, E);
            h.Append("</section>");
        }
        h.Append($"<div class=\"closing\">{Paragraph(l.Closing)}<p class=\"signature\">");
        if (!string.IsNullOrWhiteSpace(l.OnBehalf)) h.Append($"<span class=\"on-behalf\">{E(l.OnBehalf)}</span><br>");
        h.Append($"{E(l.SignerName)}<br>{E(l.SignerRole)}</p></div>");
        if (l.Enclosures is { } enclosures)
        {
            h.Append($"<section class=\"{E(enclosures.Role)}\"><h2>{E(enclosures.Heading)}</h2><ul>");
            foreach (var p in enclosures.Paragraphs) h.Append($"<li>{E(p)}</li>");
            h.Append("</ul></section>");
        }
        h.Append("</main>");
        h.Append($"<footer><p>{E(l.Title)}</p></footer></body></html>");
        return h.ToString();
    }

    private static void Table(StringBuilder h, LetterTable t, Func<string, string> e)
    {
        h.Append("<table>");
        if (!string.IsNullOrWhiteSpace(t.Caption)) h.Append($"<caption>{e(t.Caption)}</caption>");
        h.Append("<thead><tr>");
        foreach (var c in t.Columns) h.Append($"<th scope=\"col\">{e(c)}</th>");
        h.Append("</tr></thead><tbody>");
        foreach (var row in t.Rows)
        {
            h.Append("<tr>");
            for (var i = 0; i < row.Length; i++)
            {
                if (i == 0 && t.RowHeaders) h.Append($"<th scope=\"row\">{e(row[i])}</th>");
                else h.Append($"<td{(t.NumericColumns.Contains(i) ? " class=\"num\"" : "")}>{e(row[i])}</td>");
            }
            h.Append("</tr>");
        }
        h.Append("</tbody></table>");
    }
}
