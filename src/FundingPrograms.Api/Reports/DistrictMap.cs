using System.Globalization;
using System.Text;
using FundingPrograms.ReferenceData;

namespace FundingPrograms.Reports;

/// <summary>One district on a choropleth: its fill (a colour or the hatch), the text a screen reader and a tooltip give, and where its link leads.</summary>
public sealed record MapArea(string Code, string Name, string Fill, string Label, string? Href = null);

public sealed record MapLegendEntry(string Fill, string Text);

/// <summary>
/// A choropleth of NRW's 53 districts and district-free cities (<see cref="NrwMap"/>): each district a link reachable by
/// keyboard with its figure as its accessible name and tooltip, the five Regierungsbezirke outlined, a visible name on every
/// district where it fits without touching another label, the BKG attribution, and (standalone) a title and legend. Every
/// element lies inside the view box: long texts are wrapped at a conservative width per character.
/// </summary>
public static class DistrictMap
{
    public const string Hatch = "hatch";
    public static readonly string[] Palette = ["#c6dbef", "#6baed6", "#2171b5", "#08306b"];
    public const string NoneFill = "#ffffff";
    private const double Margin = 10, LabelSize = 9, CharWidth = 0.68, TextSize = 12;

    public sealed record Options(string Id, string Title, string Description, string Language, IReadOnlyList<MapLegendEntry>? Legend, bool Standalone,
        string LegendTitle = "Legende");

    public static string Svg(IReadOnlyList<MapArea> areas, Options o)
    {
        var map = NrwMap.Instance;
        string E(string s) => Public.PublicPage.E(s);
        string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        var width = map.Width + 2 * Margin;
        var maxChars = (int)((width - 2 * Margin) / (TextSize * CharWidth));
        var svg = new StringBuilder();
        var y = Margin;
        var body = new StringBuilder();
        if (o.Standalone)
        {
            foreach (var line in Wrap(o.Title, (int)((width - 2 * Margin) / (14 * CharWidth))))
            {
                y += 16;
                body.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(Margin)}\" y=\"{N(y)}\" font-size=\"14\" font-weight=\"bold\" class=\"map-text\">{E(line)}</text>");
            }
            y += 10;
        }
        var top = y;
        body.Append(CultureInfo.InvariantCulture, $"<g transform=\"translate({N(Margin)} {N(top)})\">");
        var byCode = areas.ToDictionary(a => a.Code);
        foreach (var d in map.Districts)
        {
            if (!byCode.TryGetValue(d.Code, out var area)) continue;
            var fill = area.Fill == Hatch ? $"url(#{o.Id}-hatch)" : area.Fill;
            body.Append(CultureInfo.InvariantCulture,
                $"<a href=\"{E(area.Href ?? "#" + o.Id + "-" + d.Code)}\" aria-label=\"{E(area.Label)}\" class=\"district\" data-code=\"{d.Code}\"><title>{E(area.Label)}</title><path d=\"{d.Path}\" fill=\"{fill}\" stroke=\"#4d4d4d\" stroke-width=\"0.6\" stroke-linejoin=\"round\"/></a>");
        }
        foreach (var r in map.Regions)
            body.Append(CultureInfo.InvariantCulture, $"<path d=\"{r.Path}\" fill=\"none\" stroke=\"#000000\" stroke-width=\"2\" stroke-linejoin=\"round\" pointer-events=\"none\" aria-hidden=\"true\" data-region=\"{r.Code}\"/>");
        // Names where they fit: the largest districts first, a label never leaves the map nor touches another.
        var placed = new List<(double X0, double Y0, double X1, double Y1)>();
        body.Append("<g aria-hidden=\"true\" pointer-events=\"none\">");
        foreach (var d in map.Districts.OrderByDescending(d => d.Area))
        {
            if (!byCode.TryGetValue(d.Code, out var area)) continue;
            // The visible name drops "Kreis " so that more fit; the link's accessible name and the table keep the full name.
            var name = area.Name.StartsWith("Kreis ", StringComparison.Ordinal) ? area.Name["Kreis ".Length..] : area.Name;
            var w = name.Length * LabelSize * CharWidth;
            var h = LabelSize * 1.3;
            var box = (X0: d.LabelX - w / 2 - 1, Y0: d.LabelY - h / 2 - 1, X1: d.LabelX + w / 2 + 1, Y1: d.LabelY + h / 2 + 1);
            if (box.X0 < 0 || box.Y0 < 0 || box.X1 > map.Width || box.Y1 > map.Height) continue;
            if (w * h * 1.6 > d.Area) continue;
            if (placed.Any(p => p.X0 < box.X1 && box.X0 < p.X1 && p.Y0 < box.Y1 && box.Y0 < p.Y1)) continue;
            placed.Add(box);
            body.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{N(d.LabelX)}\" y=\"{N(d.LabelY + LabelSize * 0.35)}\" text-anchor=\"middle\" font-size=\"{N(LabelSize)}\" class=\"map-label\" data-code=\"{d.Code}\" fill=\"#000000\" stroke=\"#ffffff\" stroke-width=\"2.5\" paint-order=\"stroke\">{E(name)}</text>");
        }
        body.Append("</g></g>");
        y = top + map.Height + 6;
        foreach (var line in Wrap(map.Attribution, (int)((width - 2 * Margin) / (9 * CharWidth))))
        {
            y += 11;
            body.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(Margin)}\" y=\"{N(y)}\" font-size=\"9\" class=\"map-text\" direction=\"ltr\">{E(line)}</text>");
        }
        if (o.Legend is { Count: > 0 } legend)
        {
            y += 22;
            body.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(Margin)}\" y=\"{N(y)}\" font-size=\"{N(TextSize)}\" font-weight=\"bold\" class=\"map-text\">{E(o.LegendTitle)}</text>");
            y += 8;
            foreach (var entry in legend)
            {
                var lines = Wrap(entry.Text, maxChars - 3);
                var fill = entry.Fill == Hatch ? $"url(#{o.Id}-hatch)" : entry.Fill;
                body.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(Margin)}\" y=\"{N(y)}\" width=\"14\" height=\"14\" fill=\"{fill}\" stroke=\"#4d4d4d\"/>");
                foreach (var line in lines)
                {
                    body.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(Margin + 22)}\" y=\"{N(y + 11)}\" font-size=\"{N(TextSize)}\" class=\"map-text\">{E(line)}</text>");
                    y += 16;
                }
                y += 4;
            }
        }
        var height = Math.Ceiling(y + Margin);
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {N(width)} {N(height)}\" width=\"{N(width)}\" height=\"{N(height)}\" class=\"district-map\" lang=\"{E(o.Language)}\" dir=\"ltr\" aria-labelledby=\"{o.Id}-title {o.Id}-desc\" font-family=\"DejaVu Sans, Arial, sans-serif\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{o.Id}-title\">{E(o.Title)}</title><desc id=\"{o.Id}-desc\">{E(o.Description)}</desc>");
        svg.Append(CultureInfo.InvariantCulture,
            $"<defs><pattern id=\"{o.Id}-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#ffffff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#555555\" stroke-width=\"2\"/></pattern>");
        if (o.Standalone)
            svg.Append("<style>a.district:focus path,a.district:hover path{stroke:#d4351c;stroke-width:3}</style>");
        svg.Append("</defs>");
        svg.Append(body);
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>The fill class of a figure: equal steps up to the largest figure; zero is "none".</summary>
    public static string Fill(decimal value, decimal max) => value <= 0 || max <= 0 ? NoneFill
        : Palette[Math.Min(Palette.Length - 1, (int)Math.Floor(value / max * Palette.Length))];

    /// <summary>The class bounds (from, to) of each palette colour for the legend.</summary>
    public static IEnumerable<(string Fill, decimal From, decimal To)> Classes(decimal max) =>
        Palette.Select((p, i) => (p, max * i / Palette.Length, max * (i + 1) / Palette.Length));

    public static List<string> Wrap(string text, int maxChars)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > maxChars)
            {
                lines.Add(line.ToString());
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0) lines.Add(line.ToString());
        return lines;
    }
}
