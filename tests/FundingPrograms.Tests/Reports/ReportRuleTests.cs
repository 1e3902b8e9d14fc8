using System.Text;
using FundingPrograms.Reports;

namespace FundingPrograms.Tests.Reports;

public sealed class when_money_is_split_across_districts
{
    [Fact]
    public void declared_shares_split_to_the_cent_and_the_parts_add_up()
    {
        var parts = Facts.Split(6000.01m, ["05711", "05315"], new Dictionary<string, decimal> { ["05315"] = 25m, ["05711"] = 75m });
        parts.ShouldBe([("05315", 1500.00m), ("05711", 4500.01m)]); // 1500.0025 and 4500.0075: the cent goes to the larger remainder
        parts.Sum(p => p.Amount).ShouldBe(6000.01m);
    }

    [Fact]
    public void without_shares_the_split_is_equal_and_a_tied_cent_goes_to_the_first_district()
    {
        Facts.Split(5000.01m, ["05913", "05111"], null).ShouldBe([("05111", 2500.01m), ("05913", 2500.00m)]);
        Facts.Split(100m, ["05111", "05112", "05113"], null).ShouldBe([("05111", 33.34m), ("05112", 33.33m), ("05113", 33.33m)]);
        Facts.Split(100m, ["05111"], null).ShouldBe([("05111", 100m)]);
    }

    [Fact]
    public void shares_that_do_not_cover_every_district_fall_back_to_equal_shares()
    {
        Facts.Split(10m, ["05111", "05112"], new Dictionary<string, decimal> { ["05111"] = 100m, ["05999"] = 0m }).ShouldBe([("05111", 5m), ("05112", 5m)]);
    }

    [Fact]
    public void a_negative_amount_splits_like_its_positive()
    {
        Facts.Split(-0.03m, ["05111", "05112"], null).ShouldBe([("05111", -0.02m), ("05112", -0.01m)]);
    }
}

public sealed class when_processing_times_are_summarised
{
    [Fact]
    public void the_median_averages_the_middle_pair_and_p90_is_the_nearest_rank()
    {
        ProcessingTimes.Median([10m, 20m]).ShouldBe(15m);
        ProcessingTimes.Median([1m, 5m, 30m]).ShouldBe(5m);
        ProcessingTimes.Percentile([10m, 20m], 0.9m).ShouldBe(20m);
        ProcessingTimes.Percentile(Enumerable.Range(1, 10).Select(i => (decimal)i).ToArray(), 0.9m).ShouldBe(9m);
        ProcessingTimes.Percentile([7m], 0.9m).ShouldBe(7m);
    }
}

public sealed class when_small_cells_are_published
{
    private static RawCell C(int orgs, decimal money) => new(orgs, money, orgs);

    /// <summary>Every row and column (totals included) hides no cell or at least two: a single hidden cell could be recomputed.</summary>
    private static void NoLineHidesExactlyOne(bool[,] hidden)
    {
        for (var r = 0; r < hidden.GetLength(0); r++)
            Enumerable.Range(0, hidden.GetLength(1)).Count(c => hidden[r, c]).ShouldNotBe(1, $"row {r}");
        for (var c = 0; c < hidden.GetLength(1); c++)
            Enumerable.Range(0, hidden.GetLength(0)).Count(r => hidden[r, c]).ShouldNotBe(1, $"column {c}");
    }

    [Fact]
    public void a_cell_of_two_organisations_is_suppressed_and_so_are_the_cells_that_would_reveal_it()
    {
        // 2 × 2 with totals: the cell (0, 1) has 2 organisations.
        var table = new[,]
        {
            { C(5, 100m), C(2, 50m), C(7, 150m) },
            { C(4, 80m), C(6, 120m), C(10, 200m) },
            { C(9, 180m), C(8, 170m), C(17, 350m) },
        };
        var hidden = Suppression.Decide(table);
        hidden[0, 1].ShouldBeTrue(); // primary
        // Its row total (150) minus the published neighbour (100) would give 50: the neighbour and, for the columns, the
        // cells below must go too. The smallest safe pattern here is the inner rectangle; the totals stay published.
        hidden.ShouldBe(new[,] { { true, true, false }, { true, true, false }, { false, false, false } });
        NoLineHidesExactlyOne(hidden);
        Suppression.FirstBridge(hidden).ShouldBe((-1, -1));
    }

    [Fact]
    public void a_table_without_small_cells_is_published_whole_and_empty_cells_stay_zero()
    {
        var table = new[,] { { C(3, 10m), C(0, 0m), C(3, 10m) }, { C(4, 20m), C(5, 30m), C(9, 50m) }, { C(7, 30m), C(5, 30m), C(12, 60m) } };
        var hidden = Suppression.Decide(table);
        hidden.Cast<bool>().ShouldAllBe(h => !h);
    }

    [Fact]
    public void a_small_row_total_is_suppressed_with_a_partner_in_its_column()
    {
        var table = new[,] { { C(1, 10m), C(1, 5m), C(2, 15m) }, { C(4, 20m), C(5, 30m), C(9, 50m) }, { C(5, 30m), C(6, 35m), C(11, 65m) } };
        var hidden = Suppression.Decide(table);
        hidden[0, 0].ShouldBeTrue();
        hidden[0, 1].ShouldBeTrue();
        hidden[0, 2].ShouldBeTrue();
        NoLineHidesExactlyOne(hidden);
        Suppression.FirstBridge(hidden).ShouldBe((-1, -1));
    }
}

public sealed class when_a_table_is_written_as_csv
{
    [Fact]
    public void fields_are_quoted_per_rfc_4180_with_a_bom_and_crlf_and_formulas_are_defused()
    {
        var table = new Table("t", [new("name", ColumnType.Text), new("amount", ColumnType.Money), new("on", ColumnType.Date)],
            [["Verein \"Brücke\"; Köln", 1234.5m, new DateOnly(2027, 1, 31)], ["=HYPERLINK(1)", null, null], ["zwei\nZeilen", 0.01m, null]]);
        var bytes = Export.Csv(table, ',');
        bytes.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        Encoding.UTF8.GetString(bytes[3..]).ShouldBe(
            "name,amount,on\r\n\"Verein \"\"Brücke\"\"; Köln\",1234.50,2027-01-31\r\n'=HYPERLINK(1),,\r\n\"zwei\nZeilen\",0.01,\r\n");
        // The German file: German column names (where known), decimal comma, German dates.
        Encoding.UTF8.GetString(Export.Csv(table, ';')[3..]).ShouldStartWith("name;Betrag (EUR);on\r\n\"Verein \"\"Brücke\"\"; Köln\";1234,50;31.01.2027\r\n");
    }
}
