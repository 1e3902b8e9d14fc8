using System.Text.Json;

namespace FundingPrograms.Tests.RealProcess;

/// <summary>
/// The public statistics over the real server, without sign-in: true zeros are published, the fixture's one grant (one
/// organisation) is hidden together with every line that would give it away, and nothing names the organisation.
/// </summary>
[Collection(nameof(ContractSweepCollection))]
public sealed class public_statistics_on_the_real_server(ContractSweepFixture fixture)
{
    private ServiceProcess S => fixture.Service;

    [Fact]
    public async Task zeros_are_published_small_cells_hidden_and_no_hidden_cell_can_be_recomputed()
    {
        var response = await S.Http.GetAsync("/catalogue/statistics", TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        response.Content.Headers.ContentLanguage.ShouldContain("de");
        var stats = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        stats.GetProperty("minimumOrganisations").GetInt32().ShouldBe(3);

        // The table: every target dimension and the total line, each with its region cells and the line's total.
        var lines = stats.GetProperty("rows").EnumerateArray().Append(stats.GetProperty("total")).ToList();
        var table = lines.Select(l => l.GetProperty("cells").EnumerateArray().Append(l.GetProperty("total")).ToList()).ToList();
        var hidden = table.Select(l => l.Select(c => c.GetProperty("suppressed").GetBoolean()).ToList()).ToList();

        // One grant of one organisation: it is hidden wherever it counts (at least its cell, its line's total, its column's total and the grand total).
        hidden.SelectMany(h => h).Count(h => h).ShouldBeGreaterThanOrEqualTo(4);
        table[^1][^1].GetProperty("suppressed").GetBoolean().ShouldBeTrue();
        // Every cell without money is published as a true zero, never hidden.
        var zeros = table.SelectMany(l => l).Where(c => !c.GetProperty("suppressed").GetBoolean()).ToList();
        zeros.ShouldNotBeEmpty();
        zeros.ShouldAllBe(c => c.GetProperty("granted").GetDecimal() == 0m && c.GetProperty("organisations").GetInt32() == 0);
        // A hidden figure is absent, not zero.
        table.SelectMany(l => l).Where(c => c.GetProperty("suppressed").GetBoolean())
            .ShouldAllBe(c => c.GetProperty("granted").ValueKind == JsonValueKind.Null && c.GetProperty("organisations").ValueKind == JsonValueKind.Null);
        // No line (row or column, totals included) has exactly one hidden cell: the published rest would give it away.
        for (var r = 0; r < hidden.Count; r++) hidden[r].Count(h => h).ShouldNotBe(1, $"row {r}");
        for (var c = 0; c < hidden[0].Count; c++) hidden.Count(l => l[c]).ShouldNotBe(1, $"column {c}");

        stats.GetRawText().ShouldNotContain("Verein Br");
        stats.GetRawText().ShouldNotContain("0710/684");
    }
}
