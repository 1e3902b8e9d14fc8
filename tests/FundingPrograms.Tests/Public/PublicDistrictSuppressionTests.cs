using FundingPrograms.Programmes;
using FundingPrograms.ReferenceData;
using FundingPrograms.Reports;

namespace FundingPrograms.Tests.Public;

/// <summary>
/// The public district map and the public region × target dimension table together: on random portfolios, no hidden figure
/// can be recomputed from what both publish. The money of a table is linear (rows and columns add up to their totals, the
/// districts of a Regierungsbezirk add up to its total in the region table), so a hidden cell is revealed exactly when its
/// unit vector lies in the row space of the published equations restricted to the hidden cells.
/// </summary>
public sealed class public_district_figures_with_the_region_table
{
    private static readonly ReferenceCatalogue Reference = ReferenceCatalogue.Instance;

    private static FactSet Portfolio(Random random)
    {
        var organisations = Enumerable.Range(0, random.Next(3, 15)).Select(_ => Guid.NewGuid()).ToArray();
        var districts = Reference.Districts.Select(d => d.Code).ToArray();
        var dimensions = Reference.TargetDimensions.Select(d => d.Code).ToArray();
        // Few districts per portfolio, so that small cells and secondary suppression really happen.
        var hot = districts.OrderBy(_ => random.Next()).Take(random.Next(2, 14)).ToArray();
        var applications = new List<ApplicationFact>();
        var grants = new Dictionary<Guid, GrantFact>();
        for (var i = random.Next(3, 40); i > 0; i--)
        {
            var grant = new GrantFact { Id = Guid.NewGuid(), GrantedPerYear = [new YearAmount(2027, random.Next(1, 400) * 50m)] };
            grants[grant.Id] = grant;
            var served = hot.OrderBy(_ => random.Next()).Take(random.Next(1, 3)).ToArray();
            applications.Add(new ApplicationFact
            {
                Id = Guid.NewGuid(), OrganisationId = organisations[random.Next(organisations.Length)], GrantId = grant.Id,
                TargetDimension = dimensions[random.Next(dimensions.Length)], Districts = served,
            });
        }
        return new FactSet(applications, grants, null, null);
    }

    [Fact]
    public void no_hidden_figure_can_be_recomputed_from_the_map_and_the_region_table_together()
    {
        var revealed = new List<string>();
        var hiddenDistricts = 0;
        for (var seed = 1; seed <= 300; seed++)
        {
            var facts = Portfolio(new Random(seed));
            var table = PublicStatisticsQuery.Compute(facts, null, Reference, "de");
            var map = PublicDistrictStatistics.Compute(facts, null, Reference, table);
            hiddenDistricts += map.Districts.Count(d => d.Suppressed);

            // Unknowns: every hidden cell of the region table and every hidden district; equations: what adds up.
            var unknown = new Dictionary<string, int>();
            var known = new Dictionary<string, decimal>();
            void Cell(string key, bool hidden, decimal? value)
            {
                if (hidden) unknown[key] = unknown.Count;
                else known[key] = value ?? 0m;
            }
            var regions = Reference.Regions.Select(r => r.Code).ToList();
            var rows = table.Rows.Append(table.Total).ToList();
            foreach (var row in rows)
            {
                foreach (var cell in row.Cells) Cell($"{row.Code}/{cell.Column}", cell.Suppressed, cell.Granted);
                Cell($"{row.Code}/total", row.Total.Suppressed, row.Total.Granted);
            }
            foreach (var d in map.Districts) Cell(d.Code, d.Suppressed, d.Granted);
            if (map.Total.Suppressed != table.Total.Total.Suppressed || map.Total.Granted != table.Total.Total.Granted)
                revealed.Add($"seed {seed}: the NRW total differs between the map and the table");

            var equations = new List<(List<string> Plus, string Minus)>();
            foreach (var row in rows) equations.Add((regions.Select(g => $"{row.Code}/{g}").ToList(), $"{row.Code}/total"));
            foreach (var g in regions.Append("total"))
                equations.Add((table.Rows.Select(r => $"{r.Code}/{g}").ToList(), $"total/{g}"));
            foreach (var g in regions)
                equations.Add((Reference.Districts.Where(d => d.Region == g).Select(d => d.Code).ToList(), $"total/{g}"));

            var matrix = new List<double[]>();
            foreach (var (plus, minus) in equations)
            {
                var coefficients = new double[unknown.Count];
                foreach (var key in plus) if (unknown.TryGetValue(key, out var i)) coefficients[i] += 1;
                if (unknown.TryGetValue(minus, out var j)) coefficients[j] -= 1;
                if (coefficients.Any(c => c != 0)) matrix.Add(coefficients);
            }
            var rank = Rank(matrix, unknown.Count);
            foreach (var (key, index) in unknown)
            {
                var unit = new double[unknown.Count];
                unit[index] = 1;
                if (Rank([.. matrix, unit], unknown.Count) == rank) revealed.Add($"seed {seed}: {key} can be recomputed");
            }
        }
        hiddenDistricts.ShouldBeGreaterThan(100); // the portfolios do exercise suppression
        revealed.ShouldBeEmpty();
    }

    private static int Rank(List<double[]> rows, int columns)
    {
        var m = rows.Select(r => (double[])r.Clone()).ToList();
        var rank = 0;
        for (var c = 0; c < columns && rank < m.Count; c++)
        {
            var pivot = Enumerable.Range(rank, m.Count - rank).OrderByDescending(r => Math.Abs(m[r][c])).First();
            if (Math.Abs(m[pivot][c]) < 1e-9) continue;
            (m[rank], m[pivot]) = (m[pivot], m[rank]);
            for (var r = 0; r < m.Count; r++)
            {
                if (r == rank || Math.Abs(m[r][c]) < 1e-12) continue;
                var factor = m[r][c] / m[rank][c];
                for (var k = c; k < columns; k++) m[r][k] -= factor * m[rank][k];
            }
            rank++;
        }
        return rank;
    }
}
