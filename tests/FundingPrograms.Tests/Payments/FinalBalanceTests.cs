using FundingPrograms.Infrastructure;
using FundingPrograms.Tests.Infrastructure;
using FundingPrograms.Tests.Proofs;

namespace FundingPrograms.Tests.Payments;

/// <summary>
/// A fixed-amount grant of 7,000 EUR, 6,500 paid; the final notice sets it at 7,000: 500 left to pay. After the funding period and the
/// proof-of-use date the authority pays it with POST /grants/{id}/final-balance (not a drawdown), certified and released four-eyes.
/// </summary>
public sealed class when_the_final_notice_leaves_a_balance_to_pay(AppFixture app) : ProofTest(app)
{
    private object[] Receipts() => new object[]
    {
        new { number = "H-1", date = $"{FundingYear}-03-31", payee = "Honorarkraft Öztürk", purpose = "Koordination", planLine = 1, amount = 8000m },
        new { number = "M-1", date = $"{FundingYear}-08-15", payee = "Bürobedarf Schäfer", purpose = "Material", planLine = 2, amount = 1000m },
    };

    [Fact]
    public async Task the_authority_pays_it_whatever_the_date_and_nothing_more()
    {
        var grant = await ApprovedGrant("fixedAmount", "Elternarbeit");
        await PayOut(6500m, grant);
        App.Clock.Set(new DateTimeOffset(FundingYear + 1, 1, 20, 9, 0, 0, TimeSpan.Zero));
        var numbers = new
        {
            lines = new[] { new { line = 1, actual = 8000m }, new { line = 2, actual = 1000m } },
            ownCash = 1500m, volunteerWork = 1000m, thirdPartyFunds = 500m, grantReceived = 6500m,
        };
        var proof = await ExaminedFinalProof(grant, numbers, Receipts());
        var committedBefore = (await Budget(FundingYear)).GetProperty("committed").GetDecimal();
        await Post(Approver, $"/proofs/{proof}/final-notice", new { version = 4 });
        (await Get(Finance, $"/grants/{grant}")).Json().GetProperty("toPay").GetDecimal().ShouldBe(500m);
        // 6,500 paid and 500 owed: the grant keeps its 7,000 committed, nothing goes back.
        (await Budget(FundingYear)).GetProperty("committed").GetDecimal().ShouldBe(committedBefore);

        // Months later: after the funding period and after the proof-of-use date (30 June of the next year). The cash comes from that year's budget.
        App.Clock.Set(new DateTimeOffset(FundingYear + 1, 9, 1, 9, 0, 0, TimeSpan.Zero));
        var programmeVersion = (await Get(Officer, $"/programmes/{ProgrammeId}")).Json().GetProperty("version").GetInt64();
        await Post(Officer, $"/programmes/{ProgrammeId}/budget/allocate", new { budgetLine = "0710/684 10", year = FundingYear + 1, amount = 10000m, version = programmeVersion });

        var before = (await AllEvents()).Count;
        (await Post(Officer, $"/grants/{grant}/instalments", new { amount = 500m, neededOn = $"{FundingYear + 1}-09-01", purpose = "Rest" }, 409)).ShouldBeProblem(409)
            .GetProperty("detail").GetString()!.ShouldContain("/final-balance");
        await Post(ApplicantToken, $"/grants/{grant}/final-balance", new { }, 403);
        (await Post(Finance, $"/grants/{grant}/final-balance", new { amount = 500.01m }, 422)).ShouldBeProblem(422)
            .GetProperty("detail").GetString()!.ShouldContain("VV Nr. 11 zu § 44 LHO");
        (await AllEvents()).Count.ShouldBe(before);

        var payment = (await Post(Finance, $"/grants/{grant}/final-balance", new { }, 201)).Body<CaseVersion>().Id;
        var view = (await Get(Finance, $"/payments/{payment}")).Json();
        view.GetProperty("kind").GetString().ShouldBe("finalBalance");
        view.GetProperty("amount").GetDecimal().ShouldBe(500m);
        view.GetProperty("budgetYear").GetInt32().ShouldBe(FundingYear + 1);

        // Nothing more: a second request is refused and appends nothing.
        var afterFirst = (await AllEvents()).Count;
        (await Post(Officer, $"/grants/{grant}/final-balance", new { }, 422)).ShouldBeProblem(422)
            .GetProperty("detail").GetString()!.ShouldContain("nothing is left to pay");
        (await AllEvents()).Count.ShouldBe(afterFirst);

        // Four-eyes like any payment: the certifier cannot release it; another finance user can, in a year outside the grant's split.
        await Post(Finance, $"/payments/{payment}/certify", new { version = 1 });
        (await Post(Finance, $"/payments/{payment}/release", new { version = 2 }, 403)).ShouldBeProblem(403);
        await Post(Finance2, $"/payments/{payment}/release", new { version = 2 });
        (await Get(Finance, $"/payments/{payment}")).Json().GetProperty("state").GetString().ShouldBe("released");
        // Paid in the next year, its commitment moves there (§ 72 LHO): the budget is never committed twice, nor paid uncommitted.
        (await Budget(FundingYear)).GetProperty("committed").GetDecimal().ShouldBe(committedBefore - 500m);
        (await Budget(FundingYear + 1)).GetProperty("committed").GetDecimal().ShouldBe(500m);
    }

    private async Task<System.Text.Json.JsonElement> Budget(int year) =>
        (await Get(Officer, $"/programmes/{ProgrammeId}/budget")).Json().GetProperty("years").EnumerateArray().Single(y => y.GetProperty("year").GetInt32() == year);
}

/// <summary>A share grant of 7,000 EUR, 4,000 paid; the proof shows far lower costs, so the final notice fixes it lower: what is neither paid nor owed goes back to the budget.</summary>
public sealed class when_the_final_notice_fixes_the_grant_below_its_commitment(AppFixture app) : ProofTest(app)
{
    [Fact]
    public async Task what_is_neither_paid_nor_owed_goes_back_to_the_budget()
    {
        var grant = await ApprovedGrant("share", "Elternarbeit");
        await PayOut(4000m, grant);
        App.Clock.Set(new DateTimeOffset(FundingYear + 1, 1, 20, 9, 0, 0, TimeSpan.Zero));
        var numbers = new
        {
            lines = new[] { new { line = 1, actual = 4000m }, new { line = 2, actual = 1000m } },
            ownCash = 1000m, volunteerWork = 0m, thirdPartyFunds = 0m, grantReceived = 4000m,
        };
        var receipts = new object[]
        {
            new { number = "H-1", date = $"{FundingYear}-03-31", payee = "Honorarkraft Öztürk", purpose = "Koordination", planLine = 1, amount = 4000m },
            new { number = "M-1", date = $"{FundingYear}-08-15", payee = "Bürobedarf Schäfer", purpose = "Material", planLine = 2, amount = 1000m },
        };
        var proof = await ExaminedFinalProof(grant, numbers, receipts);
        var budget = (await Get(Officer, $"/programmes/{ProgrammeId}/budget")).Json();
        var committedBefore = budget.GetProperty("committed").GetDecimal();
        await Post(Approver, $"/proofs/{proof}/final-notice", new { version = 4 });
        var closed = (await Get(Finance, $"/grants/{grant}")).Json();
        var final = closed.GetProperty("finalAmount").GetDecimal();
        var owed = closed.GetProperty("toPay").GetDecimal();
        final.ShouldBeLessThan(7000m);
        // The programme keeps committed exactly what is paid and what is still owed; the rest of the 7,000 is free again.
        (await Get(Officer, $"/programmes/{ProgrammeId}/budget")).Json().GetProperty("committed").GetDecimal().ShouldBe(committedBefore - (7000m - 4000m - owed));
    }
}
