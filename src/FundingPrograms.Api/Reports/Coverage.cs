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

    /// <summary>
    /// Coverage as a map of the 53 districts: each district coloured by how many of the columns (target dimensions, groups or
    /// organisation types) have at least one grant there, so gaps show as light districts; every district is reachable by
    /// keyboard and names, per column, its grants and money or the gap. The figures as a table: GET /reports/coverage (JSON, CSV).
    /// </summary>
    public static string Svg(CoverageReport report)
    {
        string Money(decimal m) => m.ToString("#,##0.00", CultureInfo.GetCultureInfo("de-DE")) + " EUR";
        var columns = report.Columns.Count;
        string[] fills = ["#ffffff", .. DistrictMap.Palette];
        string FillOf(int funded) => funded == 0 ? fills[0] : fills[Math.Min(fills.Length - 1, 1 + (int)Math.Floor((funded - 1) * (decimal)(fills.Length - 1) / Math.Max(1, columns)))];
        var areas = report.Rows.Select(row =>
        {
            var funded = row.Cells.Count(c => c.Level != CoverageLevel.Gap);
            var parts = row.Cells.Select((c, i) => $"{report.Columns[i].Name}: " + (c.Level == CoverageLevel.Gap ? "keine Förderung (Lücke)"
                : $"{c.Grants} Bewilligung(en), {Money(c.Granted)}{(c.Level == CoverageLevel.Thin ? " (dünn besetzt)" : "")}"));
            return new MapArea(row.District, row.DistrictName, FillOf(funded),
                $"{row.DistrictName}: {funded} von {columns} gefördert. {string.Join("; ", parts)}");
        }).ToList();
        var legend = new List<MapLegendEntry>();
        for (var funded = 0; funded <= columns; funded++)
        {
            var fill = FillOf(funded);
            if (legend.Count > 0 && legend[^1].Fill == fill) legend[^1] = legend[^1] with { Text = legend[^1].Text.Split(" von ")[0].Split('–')[0] + $"–{funded} von {columns} gefördert" };
            else legend.Add(new MapLegendEntry(fill, funded == 0 ? $"0 von {columns} gefördert (nur Lücken)" : $"{funded} von {columns} gefördert"));
        }
        var what = report.Dimension switch { "targetGroup" => "Zielgruppen", "organisationType" => "Organisationsarten", _ => "Zieldimensionen" };
        var title = $"Förderabdeckung nach Kreis: geförderte {what}{(report.Year is { } y ? $", Haushaltsjahr {y}" : "")}";
        var desc = $"Karte der 53 Kreise und kreisfreien Städte, dicke Linien: Regierungsbezirke. Farbe: wie viele der {columns} {what} dort mindestens eine Bewilligung haben; {report.Gaps} Lücken, {report.ThinCells} dünn besetzte Zellen. Jeder Kreis ist per Tastatur erreichbar und nennt je Spalte Bewilligungen und Betrag.";
        return DistrictMap.Svg(areas, new DistrictMap.Options("cov", title, desc, "de", legend, Standalone: true));
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
