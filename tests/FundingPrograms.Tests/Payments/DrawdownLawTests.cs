using FundingPrograms.Tests.Infrastructure;

namespace FundingPrograms.Tests.Payments;

/// <summary>Drawdowns under ANBest-P Nr. 1.4: after the period until the proof is due, only the grant's share, refusal with a reason.</summary>
public sealed class when_drawdowns_follow_anbest_p(AppFixture app) : PaymentTest(app)
{
    [Fact]
    public async Task money_for_expenses_due_in_the_period_can_be_drawn_after_it_until_the_proof_of_use_is_due()
    {
        var lastMonth = new DateOnly(FundingYear, 12, 15);
        App.Clock.Set(new DateTimeOffset(FundingYear + 1, 1, 20, 9, 0, 0, TimeSpan.Zero)); // the period ended on 31 Dec
        await Drawdown(1000m, lastMonth);
        App.Clock.Set(new DateTimeOffset(FundingYear + 1, 7, 1, 9, 0, 0, TimeSpan.Zero)); // proof of use was due 30 Jun
        var before = (await AllEvents()).Count;
        (await Post(ApplicantToken, $"/grants/{GrantId}/drawdowns", new { amountDue = 1000m, neededOn = lastMonth.ToString("yyyy-MM-dd"), purpose = "Dezember" }, 422))
            .ShouldBeProblem(422).FieldErrors("neededOn")[0].ShouldContain("ANBest-P Nr. 1.4, 6.1");
        (await AllEvents()).Count.ShouldBe(before);
    }

    [Fact]
    public async Task with_share_financing_the_request_states_what_is_due_and_the_grants_share_is_paid()
    {
        var id = (await Post(ApplicantToken, $"/grants/{GrantId}/drawdowns", new { amountDue = 1000m, neededOn = NeededOn.ToString("yyyy-MM-dd"), purpose = "Honorare" }, 201))
            .Body<FundingPrograms.Infrastructure.CaseVersion>().Id;
        var payment = await Payment(id);
        payment.GetProperty("amount").GetDecimal().ShouldBe(700m);
        var before = (await AllEvents()).Count;
        (await Post(ApplicantToken, $"/grants/{GrantId}/drawdowns", new { amount = 700.01m, amountDue = 1000m, neededOn = NeededOn.ToString("yyyy-MM-dd"), purpose = "x" }, 422))
            .ShouldBeProblem(422).FieldErrors("amount")[0].ShouldContain("ANBest-P Nr. 1.4");
        (await Post(ApplicantToken, $"/grants/{GrantId}/drawdowns", new { amount = 700m, neededOn = NeededOn.ToString("yyyy-MM-dd"), purpose = "x" }, 422))
            .ShouldBeProblem(422).GetProperty("detail").GetString()!.ShouldContain("ANBest-P Nr. 1.4");
        (await AllEvents()).Count.ShouldBe(before);
    }

    [Fact]
    public async Task a_drawdown_is_refused_with_a_reason_the_applicant_is_notified_and_the_money_is_free_again()
    {
        var payment = await Drawdown(7000m);
        var before = (await AllEvents()).Count;
        (await Post(Finance, $"/payments/{payment}/refuse", new { version = 1 }, 400)).ShouldBeProblem(400).FieldErrors("reason").ShouldNotBeEmpty();
        (await Post(ApplicantToken, $"/payments/{payment}/refuse", new { reason = "x", version = 1 }, 403)).ShouldBeProblem(403);
        (await AllEvents()).Count.ShouldBe(before);
        App.Clock.Advance(TimeSpan.FromMinutes(5)); // the refusal comes after the approval's notification, newest first
        await Post(Finance, $"/payments/{payment}/refuse", new { reason = $"Zwischennachweis {Year - 1} fehlt", version = 1 });
        var refused = await Payment(payment);
        refused.GetProperty("state").GetString().ShouldBe("refused");
        refused.GetProperty("refusalReason").GetString().ShouldBe($"Zwischennachweis {Year - 1} fehlt");
        (await Get(Finance, $"/grants/{GrantId}")).Json().GetProperty("requested").GetDecimal().ShouldBe(0m);
        (await Post(Officer, $"/payments/{payment}/refuse", new { reason = "again", version = 2 }, 409)).ShouldBeProblem(409);
        (await Post(Finance, $"/payments/{payment}/certify", new { version = 2 }, 409)).ShouldBeProblem(409);
        (await Notifications(2)).EnumerateArray().First().GetProperty("body").GetString()!.ShouldContain($"Zwischennachweis {Year - 1} fehlt");
        await Drawdown(7000m); // the whole grant can be requested again
    }

    [Fact]
    public async Task a_payment_counts_in_the_year_it_is_paid_and_needs_budget_there()
    {
        var payment = await Drawdown(2000m); // requested in December for January
        await Post(Finance, $"/payments/{payment}/certify", new { version = 1 });
        var before = (await AllEvents()).Count;
        (await Post(Finance2, $"/payments/{payment}/release", new { version = 2 }, 422)).ShouldBeProblem(422)
            .FieldErrors("budgetYear")[0].ShouldContain("§ 72 LHO");
        (await AllEvents()).Count.ShouldBe(before);

        InJanuary();
        await Post(Finance2, $"/payments/{payment}/release", new { version = 2 });
        var batch = (await Post(Finance, "/payment-batches", new { paymentIds = new[] { payment } }, 201)).Body<FundingPrograms.Infrastructure.CaseVersion>().Id;
        await Post(Finance2, $"/payment-batches/{batch}/export", new { version = 1 });
        var view = await Payment(payment);
        // Booked on 16 January: paid in the funding year, whatever the year it was requested or needed in.
        await Import(Sample("booked-and-unrelated.xml").Replace("E2E-TEST-0001", view.GetProperty("endToEndId").GetString()!).Replace("7500.00", "2000.00"));
        var ledger = (await Get(Finance, $"/grants/{GrantId}")).Json();
        ledger.GetProperty("paidPerYear").EnumerateArray().Single().GetProperty("year").GetInt32().ShouldBe(FundingYear);
        (await Budget(FundingYear)).GetProperty("paid").GetDecimal().ShouldBe(2000m);
        (await Get(Officer, $"/programmes/{ProgrammeId}/budget")).Json().GetProperty("years").EnumerateArray()
            .Where(y => y.GetProperty("year").GetInt32() != FundingYear).Sum(y => y.GetProperty("paid").GetDecimal()).ShouldBe(0m);
    }
}
