using FundingPrograms.Infrastructure;
using FundingPrograms.Tests.Infrastructure;

namespace FundingPrograms.Tests.Proofs;

/// <summary>
/// ANBest-P Nr. 2.1: third-party funds rise after the notice (1,300 instead of the planned 500). A share grant falls in proportion
/// (Nr. 2.1.1), a gap grant by the full amount (Nr. 2.1.2); the final notice recovers the difference. Over HTTP, clock from the test clock.
/// </summary>
public sealed class when_more_money_comes_from_elsewhere_after_the_notice(AppFixture app) : ProofTest(app)
{
    private object Receipts() => new object[]
    {
        new { number = "M-1", date = $"{FundingYear}-02-15", payee = "Raumvermietung Müller", purpose = "Miete", planLine = 2, amount = 500m },
        new { number = "H-1", date = $"{FundingYear}-03-31", payee = "Honorarkraft Öztürk", purpose = "Koordination Q1", planLine = 1, amount = 4000m },
        new { number = "M-2", date = $"{FundingYear}-08-15", payee = "Bürobedarf Schäfer", purpose = "Material", planLine = 2, amount = 500m },
        new { number = "H-2", date = $"{FundingYear}-09-30", payee = "Honorarkraft Öztürk", purpose = "Koordination Q3", planLine = 1, amount = 4000m },
    };

    private async Task<Guid> ExaminedProof(Guid grant)
    {
        // The plan of the notice: 10,000 costs (9,000 cash + 1,000 volunteer work), 7,000 grant, 1,500 own cash, 500 third-party funds.
        var numbers = new
        {
            lines = new[] { new { line = 1, actual = 8000m }, new { line = 2, actual = 1000m } },
            ownCash = 1500m, volunteerWork = 1000m, thirdPartyFunds = 1300m, grantReceived = 7000m,
        };
        var id = (await Post(ApplicantToken, $"/grants/{grant}/proofs", new { kind = "final", content = new { report = Report(), numbers, receipts = Receipts() } }, 201))
            .Body<CaseVersion>().Id;
        await Post(ApplicantToken, $"/proofs/{id}/submit", new { version = 1 });
        await Post(Officer, $"/proofs/{id}/examination", new { depth = "simple", version = 2 });
        await Post(Officer, $"/proofs/{id}/examine", new { note = "Drittmittel höher als geplant (Stiftungszuschuss).", version = 3 });
        return id;
    }

    [Fact]
    public async Task a_share_grant_falls_in_proportion_and_a_gap_grant_by_the_full_amount()
    {
        var share = await ApprovedGrant("share", "Koordination");
        var gap = await ApprovedGrant("gap", "Sprachcafe");
        await PayOut(share, gap);
        App.Clock.Set(new DateTimeOffset(FundingYear + 1, 1, 20, 9, 0, 0, TimeSpan.Zero));
        var shareProof = await ExaminedProof(share);
        var gapProof = await ExaminedProof(gap);

        // Share (70 %): 800 more cover → 70 % of (10,000 − 800) = 6,440.00 instead of 7,000 (which with 1,500 + 1,300 would fund 9,800 of 9,000 cash costs).
        var r = (await Get(Officer, $"/proofs/{shareProof}/recalculation")).Json();
        r.GetProperty("recognisedCosts").GetDecimal().ShouldBe(10000m);
        r.GetProperty("finalAmount").GetDecimal().ShouldBe(6440m);
        r.GetProperty("steps").EnumerateArray().ShouldContain(s => s.GetProperty("description").GetString()!.Contains("ANBest-P Nr. 2.1.1"));
        // Gap: 10,000 − 2,500 own funds − 1,300 third-party funds = 6,200.00 (the full 800 less).
        (await Get(Officer, $"/proofs/{gapProof}/recalculation")).Json().GetProperty("finalAmount").GetDecimal().ShouldBe(6200m);

        foreach (var proof in new[] { shareProof, gapProof }) await Post(Approver, $"/proofs/{proof}/final-notice", new { version = 4 });
        foreach (var (grant, final, back) in new[] { (share, 6440m, 560m), (gap, 6200m, 800m) })
        {
            var ledger = (await Get(ApplicantToken, $"/grants/{grant}")).Json();
            ledger.GetProperty("finalAmount").GetDecimal().ShouldBe(final);
            ledger.GetProperty("toRecover").GetDecimal().ShouldBe(back);
            (final + 1300m).ShouldBeLessThanOrEqualTo(9000m); // grant + third-party funds never above the cash costs
            (await Get(Finance, $"/recovery-claims?grantId={grant}")).Json().GetProperty("items")[0].GetProperty("principal").GetDecimal().ShouldBe(back);
        }
    }
}
