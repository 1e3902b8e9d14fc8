using System.Globalization;
using System.Net;
using System.Text;
using FundingPrograms.ReferenceData;

namespace FundingPrograms.Reports;

public enum CoverageLevel { Gap, Thin, Funded }

public sealed record CoverageCell(string Column, int Grants, decimal Granted, decimal? GrantedPerHundredThousand, CoverageLevel Level);

public sealed record CoverageRow(string District, string DistrictName, string Region, string Settlement, long? Population, IReadOnlyList<CoverageCell> Cells);

public sealed record CoverageColumn(string Code, string Name);

public sealed record CoverageReport(
    int? Year, string Dimension, IReadOnlyList<CoverageColumn> Columns, IReadOnlyList<CoverageRow> Rows, int Gaps, int ThinCells,
    bool PopulationConfigured, string? PopulationSource, string[] Notes, ReportBasis Basis);

/// <summary>Inhabitants per district (Kreisschlüssel), from configuration (Reports:Population); empty unless an operator sets them.</summary>
public sealed record PopulationFigures(IReadOnlyDictionary<string, long> ByDistrict, string? Source)
{
    public static PopulationFigures From(IConfiguration config)
    {
        var section = config.GetSection("Reports:Population");
        var figures = section.GetChildren()
            .Select(c => (c.Key, Ok: long.TryParse(c.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0, n))
            .Where(x => x.Ok).ToDictionary(x => x.Key, x => x.n);
        return new PopulationFigures(figures, config["Reports:PopulationSource"]);
    }
}

public static class Coverage
{
    public static readonly string[] Dimensions = ["targetDimension", "targetGroup", "organisationType"];

    /// <summary>
    /// Grants and money per district × column (target dimension by default) in a budget year (or in total). Money of a
    /// multi-district project is split by its shares; gaps are cells without any grant; the thinnest tenth of the funded
    /// cells (at least one) are marked thin.
    /// </summary>
    public static CoverageReport Compute(FactSet facts, int? year, string dimension, ReportLabels labels, PopulationFigures population, ReportBasis basis)
    {
        var reference = labels.Reference;
        var columns = (dimension switch
        {
            "targetGroup" => reference.TargetGroups,
            "organisationType" => reference.OrganisationTypes,
            _ => reference.TargetDimensions,
        }).Select(c => new CoverageColumn(c.Code, c.Name.In(labels.Language))).ToArray();
        var money = new Dictionary<(string, string), decimal>();
        var grants = new Dictionary<(string, string), HashSet<Guid>>();

        foreach (var a in facts.Applications)
        {
            if (facts.GrantOf(a) is not { } grant) continue;
            var amount = grant.GrantedPerYear.Where(y => year is null || y.Year == year).Sum(y => y.Amount);
            if (amount == 0) continue;
            string[] keys = dimension switch
            {
                "targetGroup" => a.TargetGroups,
                "organisationType" => [a.OrganisationType],
                _ => a.TargetDimension is null ? [] : [a.TargetDimension],
            };
            foreach (var (district, part) in Facts.Split(amount, a.Districts, a.DistrictShares))
                foreach (var column in keys)
                {
                    money[(district, column)] = money.GetValueOrDefault((district, column)) + part;
                    if (!grants.TryGetValue((district, column), out var set)) grants[(district, column)] = set = [];
                    set.Add(grant.Id);
                }
        }

        var funded = money.Where(m => m.Value > 0 && reference.IsDistrict(m.Key.Item1) && columns.Any(c => c.Code == m.Key.Item2))
            .OrderBy(m => m.Value).ThenBy(m => m.Key.Item1, StringComparer.Ordinal).ThenBy(m => m.Key.Item2, StringComparer.Ordinal).ToList();
        var thinCount = funded.Count == 0 ? 0 : Math.Max(1, (int)Math.Ceiling(funded.Count / 10m));
        var threshold = thinCount == 0 ? 0 : funded[thinCount - 1].Value;
        var regionOrder = reference.Regions.Select(r => r.Code).ToList();

        var rows = reference.Districts
            .OrderBy(d => regionOrder.IndexOf(d.Region)).ThenBy(d => d.Code, StringComparer.Ordinal)
            .Select(d =>
            {
                long? inhabitants = population.ByDistrict.TryGetValue(d.Code, out var p) ? p : null;
                var cells = columns.Select(c =>
                {
                    var m = money.GetValueOrDefault((d.Code, c.Code));
                    var n = grants.TryGetValue((d.Code, c.Code), out var set) ? set.Count : 0;
                    var level = n == 0 ? CoverageLevel.Gap : m <= threshold ? CoverageLevel.Thin : CoverageLevel.Funded;
                    return new CoverageCell(c.Code, n, m, inhabitants is { } i ? decimal.Round(m * 100_000m / i, 2, MidpointRounding.AwayFromZero) : null, level);
                }).ToList();
                return new CoverageRow(d.Code, d.Name, d.Region, d.Settlement, inhabitants, cells);
            }).ToList();

        var notes = new List<string>
        {
            "A gap is a cell without any grant. Thin: the funded cells with the least money (the lowest tenth, at least one, ties included).",
            "Money of a project in several districts is split by its declared shares (equal shares when none are declared), exact to the cent.",
        };
        if (dimension == "targetGroup") notes.Add("Target groups are not additive: a project serving several groups counts in each with its full amount.");
        notes.Add(population.ByDistrict.Count == 0
            ? "No population figures are configured (Reports:Population), so no per-inhabitant figures are shown."
            : "Per 100,000 inhabitants only for districts with a configured population figure.");
        var all = rows.SelectMany(r => r.Cells).ToList();
        return new CoverageReport(year, dimension, columns, rows, all.Count(c => c.Level == CoverageLevel.Gap), all.Count(c => c.Level == CoverageLevel.Thin),
            population.ByDistrict.Count > 0, population.ByDistrict.Count > 0 ? population.Source : null, notes.ToArray(), basis);
    }

    /// <summary>The coverage matrix as an accessible SVG heat map: districts grouped by region (rows) × columns, with a legend.</summary>
    public static string Svg(CoverageReport report)
    {
        const int nameWidth = 230, cellWidth = 64, cellHeight = 18, top = 70, regionGap = 22;
        var width = nameWidth + report.Columns.Count * cellWidth + 20;
        var regions = report.Rows.GroupBy(r => r.Region).ToList();
        var height = top + report.Rows.Count * cellHeight + regions.Count * regionGap + 90;
        var max = report.Rows.SelectMany(r => r.Cells).Select(c => c.Granted).DefaultIfEmpty(0).Max();
        string[] palette = ["#deebf7", "#9ecae1", "#4292c6", "#08519c"];
        string Fill(CoverageCell c) => c.Level == CoverageLevel.Gap ? "#ffffff"
            : palette[Math.Min(palette.Length - 1, max == 0 ? 0 : (int)Math.Floor(c.Granted / max * palette.Length))];
        string E(string s) => WebUtility.HtmlEncode(s);
        string Money(decimal m) => m.ToString("#,##0.00", CultureInfo.GetCultureInfo("de-DE")) + " EUR";

        var title = $"Förderabdeckung nach Kreis und {(report.Dimension == "targetDimension" ? "Zieldimension" : report.Dimension)}{(report.Year is { } y ? $", Haushaltsjahr {y}" : "")}";
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-labelledby="cov-title cov-desc" font-family="sans-serif" font-size="11">""");
        svg.Append($"<title id=\"cov-title\">{E(title)}</title>");
        svg.Append($"<desc id=\"cov-desc\">{E($"Bewilligte Mittel je Kreis (Zeilen, nach Regierungsbezirk gruppiert) und Spalte. {report.Gaps} Lücken ohne Förderung (weiß, mit Strich), {report.ThinCells} dünn besetzte Zellen (gestrichelt umrandet). Jede Zelle nennt Kreis, Spalte, Zahl der Bewilligungen und Betrag.")}</desc>");
        svg.Append($"<text x=\"0\" y=\"16\" font-size=\"14\" font-weight=\"bold\">{E(title)}</text>");
        for (var i = 0; i < report.Columns.Count; i++)
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{nameWidth + i * cellWidth + cellWidth / 2}\" y=\"{top - 8}\" text-anchor=\"middle\">{E(report.Columns[i].Code)}<title>{E(report.Columns[i].Name)}</title></text>");
        var yPos = top;
        foreach (var region in regions)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<g role=\"list\" aria-label=\"{E(region.Key)}\"><text x=\"0\" y=\"{yPos + 15}\" font-weight=\"bold\">{E(region.Key)}</text>");
            yPos += regionGap;
            foreach (var row in region)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<g role=\"listitem\"><text x=\"8\" y=\"{yPos + 13}\">{E(row.DistrictName)}</text>");
                for (var i = 0; i < row.Cells.Count; i++)
                {
                    var c = row.Cells[i];
                    var label = $"{row.DistrictName}, {report.Columns[i].Name}: " + (c.Level == CoverageLevel.Gap ? "keine Förderung (Lücke)" : $"{c.Grants} Bewilligung(en), {Money(c.Granted)}{(c.Level == CoverageLevel.Thin ? " (dünn besetzt)" : "")}");
                    var x = nameWidth + i * cellWidth;
                    svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{yPos}\" width=\"{cellWidth - 2}\" height=\"{cellHeight - 2}\" fill=\"{Fill(c)}\" stroke=\"{(c.Level == CoverageLevel.Thin ? "#d94801" : "#999999")}\"{(c.Level == CoverageLevel.Thin ? " stroke-dasharray=\"3 2\" stroke-width=\"2\"" : "")} role=\"img\" aria-label=\"{E(label)}\"><title>{E(label)}</title></rect>");
                    if (c.Level == CoverageLevel.Gap)
                        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x + 4}\" y1=\"{yPos + cellHeight / 2 - 1}\" x2=\"{x + cellWidth - 6}\" y2=\"{yPos + cellHeight / 2 - 1}\" stroke=\"#999999\" aria-hidden=\"true\"/>");
                }
                svg.Append("</g>");
                yPos += cellHeight;
            }
            svg.Append("</g>");
        }
        yPos += 20;
        svg.Append(CultureInfo.InvariantCulture, $"<g aria-label=\"Legende\"><text x=\"0\" y=\"{yPos + 12}\" font-weight=\"bold\">Legende</text>");
        var legend = new List<(string Fill, string Text)> { ("#ffffff", "keine Förderung") };
        for (var i = 0; i < palette.Length; i++)
            legend.Add((palette[i], $"{Money(max * i / palette.Length)} – {Money(max * (i + 1) / palette.Length)}"));
        for (var i = 0; i < legend.Count; i++)
        {
            var x = 70 + (i % 3) * 210;
            var ly = yPos + (i / 3) * 20;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{ly}\" width=\"14\" height=\"14\" fill=\"{legend[i].Fill}\" stroke=\"#999999\"/><text x=\"{x + 20}\" y=\"{ly + 11}\">{E(legend[i].Text)}</text>");
        }
        svg.Append("</g></svg>");
        return svg.ToString();
    }
}

public static class CoverageQuery
{
    public static async Task<CoverageReport> Build(int? year, string? dimension, DateTimeOffset? asOf, Guid? edition, IQuerySession session,
        ReferenceCatalogue reference, IConfiguration config, HttpContext http, CancellationToken ct)
    {
        var check = new Check().Bound(http, "year", year)
            .That(year is null or (>= 2000 and <= 2100), "year", "A budget year between 2000 and 2100.")
            .That(dimension is null || Coverage.Dimensions.Contains(dimension), "dimension", $"One of: {string.Join(", ", Coverage.Dimensions)}.");
        var (facts, basis) = await ReportScope.Load(asOf, edition, session, http, check, ct);
        return Coverage.Compute(facts, year, dimension ?? "targetDimension", await ReportLabels.Load(session, reference, "de", ct), PopulationFigures.From(config), basis);
    }

}

public static class CoverageReportEndpoint
{
    [WolverineGet("/reports/coverage", OperationId = "CoverageReport"), Authorize(Roles = Roles.Staff)]
    [Tags("Reports"), EndpointSummary("Coverage: the 53 districts × target dimension (or group, organisation type), with gaps and the thinnest cells")]
    public static Task<CoverageReport> Get(int? year, string? dimension, DateTimeOffset? asOf, Guid? edition, IQuerySession session, ReferenceCatalogue reference,
        IConfiguration config, HttpContext http, CancellationToken ct) => CoverageQuery.Build(year, dimension, asOf, edition, session, reference, config, http, ct);
}

public static class CoverageHeatMapEndpoint
{
    [WolverineGet("/reports/coverage.svg", OperationId = "CoverageHeatMap"), Authorize(Roles = Roles.Staff)]
    [Tags("Reports"), EndpointSummary("The coverage matrix as an accessible SVG heat map (districts grouped by region × columns, with a legend)")]
    public static async Task<IResult> Svg(int? year, string? dimension, DateTimeOffset? asOf, Guid? edition, IQuerySession session, ReferenceCatalogue reference,
        IConfiguration config, HttpContext http, CancellationToken ct)
    {
        var report = await CoverageQuery.Build(year, dimension, asOf, edition, session, reference, config, http, ct);
        return Results.Text(Coverage.Svg(report), "image/svg+xml; charset=utf-8");
    }
}
