using System.Globalization;
using System.Net;
using System.Text;
using FundingPrograms.ReferenceData;

namespace FundingPrograms.Reports;

/// <summary>A published cell: null figures and <c>suppressed</c> when it could reveal fewer than 3 organisations (or recompute such a cell).</summary>
public sealed record StatisticsCell(string Column, int? Grants, decimal? Granted, int? Organisations, bool Suppressed);

public sealed record StatisticsRow(string Code, string Name, IReadOnlyList<StatisticsCell> Cells, StatisticsCell Total);

public sealed record PublicStatistics(
    string Language, int? Year, IReadOnlyList<StatisticsColumn> Columns, IReadOnlyList<StatisticsRow> Rows, StatisticsRow Total, int MinimumOrganisations,
    string[] Notes);

public sealed record StatisticsColumn(string Code, string Name);

/// <summary>One cell of a table to publish, before suppression: its value and the distinct organisations behind it.</summary>
public sealed record RawCell(int Grants, decimal Granted, int Organisations);

/// <summary>
/// A table with a total row and a total column (the last of each), filled part by part: every part counts in its cell, its row's
/// total, its column's total and the grand total, with grants and organisations counted once per cell.
/// </summary>
public sealed class MarginTable
{
    private readonly decimal[,] _money;
    private readonly HashSet<Guid>[,] _grants;
    private readonly HashSet<Guid>[,] _orgs;

    public MarginTable(int rows, int cols)
    {
        (Rows, Cols) = (rows, cols);
        _money = new decimal[rows, cols];
        _grants = new HashSet<Guid>[rows, cols];
        _orgs = new HashSet<Guid>[rows, cols];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
            {
                _grants[r, c] = [];
                _orgs[r, c] = [];
            }
    }

    public int Rows { get; }
    public int Cols { get; }

    public void Add(int row, int col, decimal part, Guid grant, Guid organisation)
    {
        foreach (var (r, c) in new[] { (row, col), (row, Cols - 1), (Rows - 1, col), (Rows - 1, Cols - 1) })
        {
            _money[r, c] += part;
            _grants[r, c].Add(grant);
            _orgs[r, c].Add(organisation);
        }
    }

    public RawCell[,] Cells()
    {
        var raw = new RawCell[Rows, Cols];
        for (var r = 0; r < Rows; r++)
            for (var c = 0; c < Cols; c++)
                raw[r, c] = new RawCell(_grants[r, c].Count, _money[r, c], _orgs[r, c].Count);
        return raw;
    }
}

public static class Suppression
{
    public const int MinimumOrganisations = 3;

    /// <summary>
    /// Which cells of a table with row and column totals (index R / C are the totals) must be suppressed. Primary: any cell
    /// built from 1 or 2 organisations. Zeros are true figures and are always published. Secondary: the published cells and
    /// totals are linear equations (each row and column adds up to its total), so a suppressed cell can be recomputed exactly
    /// when it is a bridge of the graph whose nodes are the rows and columns and whose edges are the suppressed cells. Each
    /// such bridge is closed by the cheapest cycle through it: a shortest path from its row to its column over suppressed
    /// cells (free) and published non-zero cells (one more hidden cell each, the smaller the cheaper), so that as few and as
    /// small cells as needed are hidden. A zero is hidden only if nothing else could close a cycle (never with totals).
    /// </summary>
    /// <param name="forced">cells to suppress whatever they hold (e.g. cells another published table suppresses)</param>
    /// <param name="avoid">cells another table publishes anyway: a cycle goes through them only if nothing else closes it</param>
    public static bool[,] Decide(RawCell[,] table, bool[,]? forced = null, bool[,]? avoid = null)
    {
        int rows = table.GetLength(0), cols = table.GetLength(1);
        var suppressed = new bool[rows, cols];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
                suppressed[r, c] = table[r, c].Organisations is > 0 and < MinimumOrganisations || forced?[r, c] == true;
        var largest = 1m;
        foreach (var cell in table) largest = Math.Max(largest, cell.Granted);

        // The cost of hiding a published cell: 1 per cell, plus less than 1 for its size (money, then grants), so that fewer
        // cells always win and among as many, smaller ones; a zero costs more than any path of non-zero cells.
        double Cost(int r, int c) => avoid?[r, c] == true ? 100_000_000
            : table[r, c].Organisations == 0 && table[r, c].Grants == 0
            ? 1_000_000
            : 1 + (double)(table[r, c].Granted / (largest + 1)) * 0.5 + Math.Min(table[r, c].Grants, 1000) / 1000.0 * 0.25;

        for (var guard = 0; guard < rows * cols; guard++)
        {
            var (r0, c0) = FirstBridge(suppressed);
            if (r0 < 0) break;
            foreach (var (r, c) in CheapestCycle(suppressed, r0, c0, Cost)) suppressed[r, c] = true;
        }
        return suppressed;
    }

    /// <summary>The published cells that close a cycle through the bridge (r0, c0): Dijkstra from row r0 to column c0.</summary>
    private static List<(int R, int C)> CheapestCycle(bool[,] suppressed, int r0, int c0, Func<int, int, double> cost)
    {
        int rows = suppressed.GetLength(0), cols = suppressed.GetLength(1);
        // Nodes: rows 0..rows-1, columns rows..rows+cols-1.
        var n = rows + cols;
        var distance = Enumerable.Repeat(double.PositiveInfinity, n).ToArray();
        var previous = Enumerable.Repeat(-1, n).ToArray();
        var done = new bool[n];
        distance[r0] = 0;
        for (var step = 0; step < n; step++)
        {
            var u = -1;
            for (var i = 0; i < n; i++)
                if (!done[i] && (u < 0 || distance[i] < distance[u])) u = i;
            if (u < 0 || double.IsPositiveInfinity(distance[u])) break;
            done[u] = true;
            if (u == rows + c0) break;
            for (var v = 0; v < n; v++)
            {
                if ((u < rows) == (v < rows)) continue; // bipartite: row to column only
                var (r, c) = u < rows ? (u, v - rows) : (v, u - rows);
                if (r == r0 && c == c0) continue;       // not the bridge itself
                var w = suppressed[r, c] ? 0 : cost(r, c);
                if (distance[u] + w < distance[v])
                {
                    distance[v] = distance[u] + w;
                    previous[v] = u;
                }
            }
        }
        var path = new List<(int, int)>();
        for (var v = rows + c0; previous[v] >= 0; v = previous[v])
        {
            var u = previous[v];
            var (r, c) = u < rows ? (u, v - rows) : (v, u - rows);
            if (!suppressed[r, c]) path.Add((r, c));
        }
        return path;
    }

    /// <summary>A suppressed cell that is a bridge (no cycle of suppressed cells runs through it), or (-1, -1).</summary>
    public static (int Row, int Col) FirstBridge(bool[,] suppressed)
    {
        int rows = suppressed.GetLength(0), cols = suppressed.GetLength(1);
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
                if (suppressed[r, c] && !Connected(suppressed, r, c)) return (r, c);
        return (-1, -1);
    }

    /// <summary>Whether row node r and column node c stay connected through suppressed cells other than (r, c).</summary>
    private static bool Connected(bool[,] suppressed, int r0, int c0)
    {
        int rows = suppressed.GetLength(0), cols = suppressed.GetLength(1);
        var seenRows = new bool[rows];
        var seenCols = new bool[cols];
        var queue = new Queue<(bool IsRow, int Index)>();
        queue.Enqueue((true, r0));
        seenRows[r0] = true;
        while (queue.Count > 0)
        {
            var (isRow, i) = queue.Dequeue();
            if (isRow)
            {
                for (var c = 0; c < cols; c++)
                    if (suppressed[i, c] && !(i == r0 && c == c0) && !seenCols[c])
                    {
                        if (c == c0) return true;
                        seenCols[c] = true;
                        queue.Enqueue((false, c));
                    }
            }
            else
            {
                for (var r = 0; r < rows; r++)
                    if (suppressed[r, i] && !(r == r0 && i == c0) && !seenRows[r])
                    {
                        seenRows[r] = true;
                        queue.Enqueue((true, r));
                    }
            }
        }
        return false;
    }
}

public static class PublicStatisticsQuery
{
    /// <summary>Granted money, grants and organisations by target dimension × administrative region, with small-cell suppression.</summary>
    public static PublicStatistics Compute(FactSet facts, int? year, ReferenceCatalogue reference, string lang)
    {
        var dims = reference.TargetDimensions;
        var regions = reference.Regions;
        int rows = dims.Length + 1, cols = regions.Length + 1;
        var table = new MarginTable(rows, cols);
        var regionOf = reference.Districts.ToDictionary(d => d.Code, d => Array.FindIndex(regions, r => r.Code == d.Region));

        foreach (var a in facts.Applications)
        {
            if (facts.GrantOf(a) is not { } grant) continue;
            var amount = grant.GrantedPerYear.Where(y => year is null || y.Year == year).Sum(y => y.Amount);
            if (amount == 0) continue;
            var row = Array.FindIndex(dims, d => d.Code == a.TargetDimension);
            if (row < 0) continue;
            foreach (var (district, part) in Facts.Split(amount, a.Districts, a.DistrictShares))
            {
                if (!regionOf.TryGetValue(district, out var col) || col < 0) continue;
                table.Add(row, col, part, grant.Id, a.OrganisationId);
            }
        }

        var raw = table.Cells();
        var hidden = Suppression.Decide(raw);

        StatisticsCell Cell(int r, int c) => hidden[r, c]
            ? new StatisticsCell(c == cols - 1 ? "total" : regions[c].Code, null, null, null, true)
            : new StatisticsCell(c == cols - 1 ? "total" : regions[c].Code, raw[r, c].Grants, raw[r, c].Granted, raw[r, c].Organisations, false);
        StatisticsRow Row(int r, string code, string name) =>
            new(code, name, Enumerable.Range(0, cols - 1).Select(c => Cell(r, c)).ToList(), Cell(r, cols - 1));

        var german = !lang.StartsWith("en", StringComparison.Ordinal);
        return new PublicStatistics(german ? "de" : "en", year, regions.Select(r => new StatisticsColumn(r.Code, r.Name)).ToList(),
            dims.Select((d, r) => Row(r, d.Code, d.Name.In(lang))).ToList(), Row(rows - 1, "total", german ? "Insgesamt" : "Total"),
            Suppression.MinimumOrganisations,
            german
                ? [
                    "Bewilligte Mittel (Bescheid in Kraft) nach Zieldimension und Regierungsbezirk; Projekte in mehreren Kreisen anteilig.",
                    "Zellen mit weniger als 3 Organisationen sind unterdrückt, ebenso weitere Zellen, aus denen sie sich berechnen ließen.",
                    "Bewilligungen und Organisationen zählen in jedem Bezirk, in dem ein Projekt wirkt: Summen sind dort keine Zeilensummen.",
                ]
                : [
                    "Granted money (notice in force) by target dimension and administrative region; projects in several districts are split by their shares.",
                    "Cells built from fewer than 3 organisations are suppressed, as are further cells from which they could be recomputed.",
                    "Grants and organisations count in every region a project serves, so their totals are not sums of the cells.",
                ]);
    }
}

public static class PublicStatisticsEndpoint
{
    [WolverineGet("/catalogue/statistics", OperationId = "PublicStatistics"), AllowAnonymous]
    [Tags("Public catalogue"), EndpointSummary("Aggregate funding statistics for the public (no sign-in), with small-cell suppression")]
    public static async Task<PublicStatistics> Get(int? year, Guid? edition, IQuerySession session, ReferenceCatalogue reference, HttpContext http,
        CancellationToken ct)
    {
        var check = new Check().Bound(http, "year", year).That(year is null or (>= 2000 and <= 2100), "year", "A budget year between 2000 and 2100.");
        var (facts, _) = await ReportScope.Load(null, edition, session, http, check, ct);
        var lang = Texts.Language(http);
        var statistics = PublicStatisticsQuery.Compute(facts, year, reference, lang);
        http.Response.Headers.ContentLanguage = statistics.Language;
        return statistics;
    }
}

public static class PublicHeatMapEndpoint
{
    /// <summary>
    /// The public map: granted money per district and district-free city as a choropleth (see <see cref="PublicDistrictStatistics"/>),
    /// in the language asked for (German unless the public pages have it). Embeddable (an &lt;img&gt; or &lt;object&gt; on any
    /// site): no sign-in, cross-origin readable, cached for five minutes.
    /// </summary>
    [WolverineGet("/catalogue/statistics.svg", OperationId = "PublicStatisticsHeatMap"), AllowAnonymous]
    [Tags("Public catalogue"), EndpointSummary("The public statistics as an embeddable SVG map of the 53 districts (no sign-in; the same small-cell suppression)")]
    public static async Task<IResult> Get(int? year, Guid? edition, IQuerySession session, ReferenceCatalogue reference, HttpContext http, CancellationToken ct)
    {
        var check = new Check().Bound(http, "year", year).That(year is null or (>= 2000 and <= 2100), "year", "A budget year between 2000 and 2100.");
        var (facts, _) = await ReportScope.Load(null, edition, session, http, check, ct);
        var language = Public.PublicTexts.For(Texts.Language(http));
        var regions = PublicStatisticsQuery.Compute(facts, year, reference, language.Code);
        var districts = PublicDistrictStatistics.Compute(facts, year, reference, regions);
        http.Response.Headers["Cross-Origin-Resource-Policy"] = "cross-origin";
        http.Response.Headers.CacheControl = "public, max-age=300";
        http.Response.Headers.ContentLanguage = language.Code;
        return Results.Text(districts.Svg(language, "stat", standalone: true), "image/svg+xml; charset=utf-8");
    }
}
