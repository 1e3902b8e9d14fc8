using FundingPrograms.Reports;

namespace FundingPrograms.Tests.Deciders;

/// <summary>
/// Public statistics: zeros are published, every cell of fewer than three organisations is hidden, and no hidden cell can be
/// computed back from what is published (checked by linear algebra on the table's row and column sums, not by the decider's
/// own graph argument).
/// </summary>
public sealed class when_public_statistics_hide_small_cells
{
    /// <summary>A table of inner cells with its row totals (last column), column totals (last row) and grand total.</summary>
    private static RawCell[,] WithTotals(int[,] organisations, decimal[,] granted)
    {
        int rows = organisations.GetLength(0), cols = organisations.GetLength(1);
        var table = new RawCell[rows + 1, cols + 1];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
                table[r, c] = new RawCell(organisations[r, c], granted[r, c], organisations[r, c]);
        for (var r = 0; r <= rows; r++)
            for (var c = 0; c <= cols; c++)
            {
                if (r < rows && c < cols) continue;
                var cells = Enumerable.Range(0, rows).Where(i => r == rows || i == r)
                    .SelectMany(i => Enumerable.Range(0, cols).Where(j => c == cols || j == c).Select(j => table[i, j])).ToList();
                table[r, c] = new RawCell(cells.Sum(x => x.Grants), cells.Sum(x => x.Granted), cells.Sum(x => x.Organisations));
            }
        return table;
    }

    /// <summary>Hidden cells that the published figures determine exactly (Gaussian elimination over the sum equations).</summary>
    private static List<(int R, int C)> Recoverable(bool[,] hidden)
    {
        int rows = hidden.GetLength(0), cols = hidden.GetLength(1);
        var unknowns = new List<(int R, int C)>();
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
                if (hidden[r, c]) unknowns.Add((r, c));
        // Equations: every row r: sum of its inner cells - its total = 0; every column likewise (only the hidden terms matter).
        var equations = new List<double[]>();
        for (var r = 0; r < rows; r++)
            equations.Add([.. unknowns.Select(u => u.R == r ? (u.C == cols - 1 ? -1.0 : 1.0) : 0.0)]);
        for (var c = 0; c < cols; c++)
            equations.Add([.. unknowns.Select(u => u.C == c ? (u.R == rows - 1 ? -1.0 : 1.0) : 0.0)]);
        var rank = Rank(equations);
        var found = new List<(int, int)>();
        for (var i = 0; i < unknowns.Count; i++)
        {
            // x_i is determined exactly when the unit vector e_i lies in the span of the equations.
            var unit = new double[unknowns.Count];
            unit[i] = 1;
            if (Rank([.. equations, unit]) == rank) found.Add(unknowns[i]);
        }
        return found;
    }

    private static int Rank(List<double[]> matrix)
    {
        var m = matrix.Select(row => (double[])row.Clone()).ToList();
        var rank = 0;
        var width = m.Count == 0 ? 0 : m[0].Length;
        for (var col = 0; col < width && rank < m.Count; col++)
        {
            var pivot = Enumerable.Range(rank, m.Count - rank).FirstOrDefault(i => Math.Abs(m[i][col]) > 1e-9, -1);
            if (pivot < 0) continue;
            (m[rank], m[pivot]) = (m[pivot], m[rank]);
            for (var i = 0; i < m.Count; i++)
            {
                if (i == rank || Math.Abs(m[i][col]) < 1e-9) continue;
                var f = m[i][col] / m[rank][col];
                for (var j = col; j < width; j++) m[i][j] -= f * m[rank][j];
            }
            rank++;
        }
        return rank;
    }

    private static void ShouldBeSafe(RawCell[,] table, bool[,] hidden)
    {
        for (var r = 0; r < table.GetLength(0); r++)
            for (var c = 0; c < table.GetLength(1); c++)
            {
                if (table[r, c].Organisations is > 0 and < Suppression.MinimumOrganisations) hidden[r, c].ShouldBeTrue($"cell ({r},{c}) of {table[r, c].Organisations} organisation(s) is published");
                if (table[r, c].Organisations == 0) hidden[r, c].ShouldBeFalse($"the zero at ({r},{c}) is hidden");
            }
        Recoverable(hidden).ShouldBeEmpty("these hidden cells can be computed back from the published figures");
    }

    [Fact]
    public void a_year_like_the_reported_one_publishes_its_zeros_and_hides_at_most_ten_cells()
    {
        // Three target dimensions x five regions, plus totals: 24 cells. Zeros, small cells and a cell of three organisations.
        int[,] organisations = { { 0, 1, 3, 0, 5 }, { 2, 0, 4, 6, 0 }, { 0, 7, 1, 0, 8 } };
        decimal[,] granted = { { 0, 5000, 21000, 0, 40000 }, { 9000, 0, 30000, 52000, 0 }, { 0, 61000, 4000, 0, 70000 } };
        var table = WithTotals(organisations, granted);
        var hidden = Suppression.Decide(table);
        ShouldBeSafe(table, hidden);
        hidden.Cast<bool>().Count(h => h).ShouldBeLessThanOrEqualTo(10);
    }

    [Fact]
    public void random_tables_are_always_safe_and_never_hide_a_zero()
    {
        var random = new Random(2027);
        for (var round = 0; round < 300; round++)
        {
            int rows = random.Next(2, 5), cols = random.Next(2, 6);
            var organisations = new int[rows, cols];
            var granted = new decimal[rows, cols];
            for (var r = 0; r < rows; r++)
                for (var c = 0; c < cols; c++)
                {
                    organisations[r, c] = random.Next(4) == 0 ? 0 : random.Next(1, 9);
                    granted[r, c] = organisations[r, c] * random.Next(1000, 20000);
                }
            var table = WithTotals(organisations, granted);
            ShouldBeSafe(table, Suppression.Decide(table));
        }
    }
}
