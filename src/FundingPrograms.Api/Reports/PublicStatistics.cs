using FundingPrograms.Infrastructure;
using FundingPrograms.ReferenceData;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

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

public static class Suppression
{
    public const int MinimumOrganisations = 3;

    /// <summary>
    /// Which cells of a table with row and column totals (index R / C are the totals) must be suppressed. Primary: any cell
    /// built from 1 or 2 organisations. Secondary: the published cells and totals are linear equations (each row and column
    /// adds up to its total), so a suppressed cell can be recomputed exactly when it is a bridge of the graph whose nodes are
    /// the rows and columns and whose edges are the suppressed cells. While any suppressed cell is such a bridge, one more
    /// cell is suppressed: the one that leaves the fewest recomputable cells, then the one with the least money.
    /// </summary>
    public static bool[,] Decide(RawCell[,] table)
    {
        int rows = table.GetLength(0), cols = table.GetLength(1);
        var suppressed = new bool[rows, cols];
        for (var r = 0; r < rows; r++)
        for (var c = 0; c < cols; c++)
            suppressed[r, c] = table[r, c].Organisations is > 0 and < MinimumOrganisations;

        while (Bridges(suppressed) > 0)
        {
            // Greedy: the cell whose suppression leaves the fewest recomputable cells; then the least money.
            var pick = Enumerable.Range(0, rows).SelectMany(r => Enumerable.Range(0, cols).Select(c => (r, c)))
                .Where(x => !suppressed[x.r, x.c])
                .Select(x =>
                {
                    suppressed[x.r, x.c] = true;
                    var left = Bridges(suppressed);
                    suppressed[x.r, x.c] = false;
                    return (x.r, x.c, left);
                })
                .OrderBy(x => x.left).ThenBy(x => table[x.r, x.c].Granted).ThenBy(x => x.r).ThenBy(x => x.c)
                .First();
            suppressed[pick.r, pick.c] = true;
        }
        return suppressed;
    }

    private static int Bridges(bool[,] suppressed)
    {
        var n = 0;
        for (var r = 0; r < suppressed.GetLength(0); r++)
        for (var c = 0; c < suppressed.GetLength(1); c++)
            if (suppressed[r, c] && !Connected(suppressed, r, c)) n++;
        return n;
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
        var money = new decimal[rows, cols];
        var grants = new HashSet<Guid>[rows, cols];
        var orgs = new HashSet<Guid>[rows, cols];
        for (var r = 0; r < rows; r++)
        for (var c = 0; c < cols; c++)
        {
            grants[r, c] = [];
            orgs[r, c] = [];
        }
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
                foreach (var (r, c) in new[] { (row, col), (row, cols - 1), (rows - 1, col), (rows - 1, cols - 1) })
                {
                    money[r, c] += part;
                    grants[r, c].Add(grant.Id);
                    orgs[r, c].Add(a.OrganisationId);
                }
            }
        }

        var raw = new RawCell[rows, cols];
        for (var r = 0; r < rows; r++)
        for (var c = 0; c < cols; c++)
            raw[r, c] = new RawCell(grants[r, c].Count, money[r, c], orgs[r, c].Count);
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
