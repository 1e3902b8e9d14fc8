using System.Text.Json;
using FundingPrograms.Tests.Infrastructure;
using FundingPrograms.Tests.Proofs;

namespace FundingPrograms.Tests.Grants;

/// <summary>Only share financing has a funding rate (ANBest-P Nr. 2.1.1): a fixed-amount or gap notice carries no sharePercent over HTTP.</summary>
public sealed class when_a_notice_states_its_financing_type(AppFixture app) : ProofTest(app)
{
    private static bool Absent(JsonElement e, string name) => !e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null;

    [Fact]
    public async Task a_fixed_amount_notice_carries_no_share_and_a_share_notice_its_rate()
    {
        var share = await ApprovedGrant("share", "Koordination");
        var fixedAmount = await ApprovedGrant("fixedAmount", "Elternarbeit");
        var gap = await ApprovedGrant("gap", "Sprachcafe");

        var s = (await Get(ApplicantToken, $"/grants/{share}/notice")).Json();
        s.GetProperty("sharePercent").GetDecimal().ShouldBe(70m);
        s.GetProperty("terms").GetProperty("sharePercent").GetDecimal().ShouldBe(70m);

        var f = (await Get(ApplicantToken, $"/grants/{fixedAmount}/notice")).Json();
        f.GetProperty("financingType").GetString().ShouldBe("fixedAmount");
        Absent(f, "sharePercent").ShouldBeTrue();
        Absent(f.GetProperty("terms"), "sharePercent").ShouldBeTrue();
        f.GetProperty("terms").GetProperty("fixedAmount").GetDecimal().ShouldBe(7000m);
        await LettersIssued(); // the letter follows the decision's commit
        var html = (await Get(ApplicantToken, $"/grants/{fixedAmount}/notice.html")).ReadAsText();
        html.ShouldContain("Festbetrag");
        html.ShouldNotContain("Anteil an den zuwendungsfähigen Ausgaben");

        var g = (await Get(ApplicantToken, $"/grants/{gap}/notice")).Json();
        Absent(g, "sharePercent").ShouldBeTrue();
        g.GetProperty("terms").GetProperty("maximumAmount").GetDecimal().ShouldBe(7000m);
    }
}
