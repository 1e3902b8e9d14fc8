using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace FundingPrograms.Letters;

/// <summary>
/// Renders a <see cref="LetterDocument"/> as one self-contained, printable and accessible HTML page: <c>lang</c>, one
/// h1 (the subject) and h2 per section, the addresses as <c>address</c>, the references as a description list, tables
/// with caption, <c>th scope="col"</c> and row headers <c>th scope="row"</c>; print CSS for A4.
/// <para>A right-to-left reading copy (Arabic, Persian) is <c>dir="rtl"</c>; inside it every left-to-right run (IBAN, amounts
/// with "EUR", file and payment references, dates in Western digits, German legal terms) is isolated as <c>bdi dir="ltr"</c>
/// so the bidirectional algorithm cannot reorder its parts. A reading copy's notice carries the German sentence (<c>lang="de"</c>)
/// above the same in the copy's language.</para>
/// </summary>
public static partial class LetterHtml
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

    // Right-to-left: the contact block and captions mirror; amounts stay right-aligned as the numeric column's end.
    private const string RightToLeftStyle =
        "header .contact{text-align:left}caption{text-align:right}th,td{text-align:right}td.num{text-align:left}" +
        ".reading-copy span[lang=de]{display:block;text-align:left}";

    /// <summary>
    /// A left-to-right run inside right-to-left text: starts (or "§") and ends with a Latin or Cyrillic letter or a digit (Western or
    /// Persian) and holds only those, spaces, no-break spaces and the punctuation of amounts, dates, references and IBANs (never brackets,
    /// which belong to the surrounding right-to-left text).
    /// </summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"[§A-Za-z\u00C0-\u024F\u0400-\u04FF0-9\u06F0-\u06F9](?:[§A-Za-z\u00C0-\u024F\u0400-\u04FF0-9\u06F0-\u06F9\u066B\u066C \u00A0.,:/\-]*[A-Za-z\u00C0-\u024F\u0400-\u04FF0-9\u06F0-\u06F9])?")]
    public static partial System.Text.RegularExpressions.Regex LeftToRightRun();

    public static string Render(LetterDocument l)
    {
        var rtl = LetterText.RightToLeft(l.Language);
        string E(string s)
        {
            if (!rtl) return Encoder.Encode(s);
            var html = new StringBuilder();
            var at = 0;
            foreach (System.Text.RegularExpressions.Match m in LeftToRightRun().Matches(s))
            {
                html.Append(Encoder.Encode(s[at..m.Index])).Append("<bdi dir=\"ltr\">").Append(Encoder.Encode(m.Value)).Append("</bdi>");
                at = m.Index + m.Length;
            }
            return html.Append(Encoder.Encode(s[at..])).ToString();
        }
        string Lines(IEnumerable<string> lines) => string.Join("<br>", lines.Select(E));
        // In a right-to-left copy a paragraph takes its direction from its first letter: recorded German text (an officer's reasons)
        // stays left-to-right.
        string Paragraph(string text) => $"<p{(rtl ? " dir=\"auto\"" : "")}>{Lines(text.ReplaceLineEndings("\n").Split('\n'))}</p>";

        var h = new StringBuilder();
        h.Append($"<!DOCTYPE html><html lang=\"{Encoder.Encode(l.Language)}\"{(rtl ? " dir=\"rtl\"" : "")}><head><meta charset=\"utf-8\">");
        h.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        h.Append($"<title>{Encoder.Encode(l.Title)}</title><style>{Style}{(rtl ? RightToLeftStyle : "")}</style></head><body>");
        h.Append("<header><div class=\"authority\">");
        h.Append($"<p><strong>{E(l.Letterhead.Authority)}</strong>{(string.IsNullOrWhiteSpace(l.Letterhead.Department) ? "" : "<br>" + E(l.Letterhead.Department))}</p>");
        h.Append($"</div><address class=\"contact\">{Lines(l.Letterhead.AddressLines.Concat(l.Letterhead.ContactLines))}</address></header>");
        h.Append("<main>");
        if (l.ReadingCopyNotice is not null)
        {
            // The German sentence first, marked as German (and left-to-right in a right-to-left copy); then the copy's own.
            var notice = l.ReadingCopyNotice.Split('\n', 2);
            h.Append("<p class=\"reading-copy\" role=\"note\">");
            if (notice.Length == 2) h.Append($"<span lang=\"de\" dir=\"ltr\">{Encoder.Encode(notice[0])}</span><br>{E(notice[1])}");
            else h.Append(E(notice[0]));
            h.Append("</p>");
        }
        h.Append($"<div class=\"window\"><address class=\"addressee\"{(rtl ? " dir=\"auto\"" : "")}>");
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
            h.Append($"<section class=\"{Encoder.Encode(s.Role)}\"><h2>{E(s.Heading)}</h2>");
            foreach (var p in s.Paragraphs) h.Append(Paragraph(p));
            foreach (var t in s.Tables) Table(h, t, E, rtl);
            h.Append("</section>");
        }
        h.Append($"<div class=\"closing\">{Paragraph(l.Closing)}<p class=\"signature\">");
        if (!string.IsNullOrWhiteSpace(l.OnBehalf)) h.Append($"<span class=\"on-behalf\">{E(l.OnBehalf)}</span><br>");
        h.Append($"{E(l.SignerName)}<br>{E(l.SignerRole)}</p></div>");
        if (l.Enclosures is { } enclosures)
        {
            h.Append($"<section class=\"{Encoder.Encode(enclosures.Role)}\"><h2>{E(enclosures.Heading)}</h2><ul>");
            foreach (var p in enclosures.Paragraphs) h.Append($"<li>{E(p)}</li>");
            h.Append("</ul></section>");
        }
        h.Append("</main>");
        h.Append($"<footer><p>{E(l.Title)}</p></footer></body></html>");
        return h.ToString();
    }

    private static void Table(StringBuilder h, LetterTable t, Func<string, string> e, bool rtl)
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
                else h.Append($"<td{(t.NumericColumns.Contains(i) ? " class=\"num\"" : rtl ? " dir=\"auto\"" : "")}>{e(row[i])}</td>");
            }
            h.Append("</tr>");
        }
        h.Append("</tbody></table>");
    }
}
