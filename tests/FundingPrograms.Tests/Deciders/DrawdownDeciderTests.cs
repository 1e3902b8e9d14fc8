using FundingPrograms.Grants;
using FundingPrograms.Infrastructure;
using FundingPrograms.Payments;
using FundingPrograms.Programmes;
using FundingPrograms.Proofs;
using static FundingPrograms.Tests.Deciders.Given;

namespace FundingPrograms.Tests.Deciders;

/// <summary>Drawdowns and instalments (RequestPaymentEndpoint.Decide, RefuseDrawdownEndpoint.Decide): ANBest-P Nr. 1.4 and 6.1 at their edges; no database.</summary>
public sealed class DrawdownDeciderTests
{
    /// <summary>2027-01-10 in Berlin: inside the 2027 funding period of <see cref="Given.Granted"/>.</summary>
    private static readonly DateTimeOffset InPeriod = new(2027, 1, 10, 10, 0, 0, TimeSpan.Zero);

    private static RequestPayment Draw(decimal? amount, DateOnly needed, decimal? due = null, string? purpose = "Honorare") => new(amount, needed, purpose, due);

    private static (PaymentRequested Requested, GrantPaymentReserved Reserved) Decide(Grant g, RequestPayment cmd, DateTimeOffset? at = null,
        PaymentKind kind = PaymentKind.Drawdown, Guid? paymentId = null) =>
        RequestPaymentEndpoint.Decide(g, paymentId ?? Guid.NewGuid(), cmd, kind, 2, Applicant, at ?? InPeriod);

    private static ProblemException Rule(Grant g, RequestPayment cmd, DateTimeOffset? at = null) =>
        Refused(() => Decide(g, cmd, at), 422, ProblemTypes.BusinessRule);

    [Fact]
    public void a_drawdown_requests_the_payment_and_reserves_it_on_the_grant()
    {
        var (g, _, _) = Granted();
        var id = Guid.NewGuid();
        var (requested, reserved) = Decide(g, Draw(null, new DateOnly(2027, 2, 1), 1000m, " Honorare Februar "), paymentId: id);
        requested.PaymentId.ShouldBe(id);
        (requested.GrantId, requested.OrganisationId, requested.ProgrammeId, requested.GrantReference).ShouldBe((g.Id, g.OrganisationId, g.ProgrammeId, g.Notice.Reference));
        requested.Kind.ShouldBe(PaymentKind.Drawdown);
        requested.Amount.ShouldBe(700m);
        requested.AmountDue.ShouldBe(1000m);
        requested.SharePercent.ShouldBe(70m);
        requested.NeededOn.ShouldBe(new DateOnly(2027, 2, 1));
        requested.BudgetYear.ShouldBe(2027);
        requested.Purpose.ShouldBe("Honorare Februar");
        requested.RequestedBy.ShouldBe(Applicant.Id);
        reserved.ShouldBe(new GrantPaymentReserved(g.Id, id, 700m, 2027, InPeriod));

        g.Apply(reserved);
        g.Requested.ShouldBe(700m);
        g.RequestedPerYear.ShouldBe([new YearAmount(2027, 700m)]);
        var payment = Payment.Create(requested);
        payment.State.ShouldBe(PaymentState.Requested);
    }

    [Fact]
    public void bad_input_is_400_naming_the_fields()
    {
        var (share, _, _) = Granted();
        Refused(() => Decide(share, new RequestPayment(null, null, " ", 1000m)), 400, ProblemTypes.Validation).Fields().ShouldBe(["neededOn", "purpose"]);
        Refused(() => Decide(share, Draw(-5m, new DateOnly(2027, 2, 1), 0m)), 400, ProblemTypes.Validation).Fields().ShouldBe(["amount", "amountDue"]);
        var (fixedAmount, _, _) = Granted(type: FinancingType.FixedAmount);
        Refused(() => Decide(fixedAmount, Draw(null, new DateOnly(2027, 2, 1))), 400, ProblemTypes.Validation).Fields().ShouldBe(["amount"]);
    }

    // The drawdown window: for expenses due in the funding period, until the proof of use is due (end of the 6th month after)

    [Fact]
    public void money_is_drawn_until_the_last_minute_of_the_proof_of_use_due_date_in_berlin()
    {
        var (g, _, _) = Granted(); // period 2027, proof due 2028-06-30
        g.Notice.ProofOfUseDue.ShouldBe(new DateOnly(2028, 6, 30));
        var needed = new DateOnly(2027, 12, 31);
        var lastMinute = new DateTimeOffset(2028, 6, 30, 21, 59, 59, TimeSpan.Zero); // 23:59:59 CEST
        Decide(g, Draw(700m, needed, 1000m), lastMinute).Requested.Amount.ShouldBe(700m);
        var ex = Rule(g, Draw(700m, needed, 1000m), lastMinute.AddSeconds(1)); // 1 July, 00:00 in Berlin
        ex.Fields().ShouldBe(["neededOn"]);
        ex.Errors("neededOn")[0].ShouldContain("ANBest-P Nr. 1.4, 6.1");
        ex.Errors("neededOn")[0].ShouldContain("2028-06-30");
    }

    [Fact]
    public void the_proof_of_use_is_due_at_the_end_of_the_month_also_in_february_of_a_leap_year()
    {
        var (g, _, _) = Granted(end: new DateOnly(2027, 8, 31));
        g.Notice.ProofOfUseDue.ShouldBe(new DateOnly(2028, 2, 29));
        var needed = new DateOnly(2027, 8, 31);
        Decide(g, Draw(700m, needed, 1000m), new DateTimeOffset(2028, 2, 29, 12, 0, 0, TimeSpan.Zero)).Requested.NeededOn.ShouldBe(needed);
        Rule(g, Draw(700m, needed, 1000m), new DateTimeOffset(2028, 3, 1, 12, 0, 0, TimeSpan.Zero)).Fields().ShouldBe(["neededOn"]);
    }

    [Fact]
    public void only_expenses_due_within_the_funding_period_from_its_first_to_its_last_day()
    {
        var (g, _, _) = Granted(start: new DateOnly(2027, 1, 1), end: new DateOnly(2027, 12, 31));
        var late = new DateTimeOffset(2027, 12, 1, 10, 0, 0, TimeSpan.Zero);
        Decide(g, Draw(700m, new DateOnly(2027, 1, 1), 1000m), new DateTimeOffset(2026, 12, 15, 10, 0, 0, TimeSpan.Zero)).Requested.NeededOn
            .ShouldBe(new DateOnly(2027, 1, 1));
        Decide(g, Draw(700m, new DateOnly(2027, 12, 31), 1000m), late).Requested.NeededOn.ShouldBe(new DateOnly(2027, 12, 31));
        Rule(g, Draw(700m, new DateOnly(2026, 12, 31), 1000m), new DateTimeOffset(2026, 12, 15, 10, 0, 0, TimeSpan.Zero)).Errors("neededOn")
            .ShouldContain(e => e.Contains("within the funding period 2027-01-01 – 2027-12-31"));
        Rule(g, Draw(700m, new DateOnly(2028, 1, 1), 1000m), late).Errors("neededOn").ShouldContain(e => e.Contains("within the funding period"));
    }

    [Fact]
    public void money_is_requested_at_most_two_months_before_it_is_needed()
    {
        var (g, _, _) = Granted();
        Decide(g, Draw(700m, new DateOnly(2027, 3, 10), 1000m)).Requested.NeededOn.ShouldBe(new DateOnly(2027, 3, 10)); // today + 2 months
        Rule(g, Draw(700m, new DateOnly(2027, 3, 11), 1000m)).Errors("neededOn")[0].ShouldContain("request it from 2027-01-11 on");
    }

    // Share financing: only the grant's share of what is due (ANBest-P Nr. 1.4)

    [Fact]
    public void with_share_financing_the_payable_share_is_drawn_exactly_one_cent_more_is_refused()
    {
        var (g, _, _) = Granted(); // 70 %
        var needed = new DateOnly(2027, 2, 1);
        Decide(g, Draw(null, needed, 1000m)).Requested.Amount.ShouldBe(700m);
        Decide(g, Draw(700m, needed, 1000m)).Requested.Amount.ShouldBe(700m);
        Decide(g, Draw(699.99m, needed, 1000m)).Requested.Amount.ShouldBe(699.99m);
        Rule(g, Draw(700.01m, needed, 1000m)).Errors("amount")[0].ShouldContain("at most 700.00 EUR");
        Decide(g, Draw(null, needed, 999.99m)).Requested.Amount.ShouldBe(699.99m); // 699.993, rounded down to the cent
    }

    [Fact]
    public void with_share_financing_the_amount_due_is_required_and_its_share_must_be_at_least_a_cent()
    {
        var (g, _, _) = Granted();
        var needed = new DateOnly(2027, 2, 1);
        var missing = Rule(g, Draw(700m, needed));
        missing.Fields().ShouldBe(["amountDue"]);
        missing.Problem.Detail!.ShouldContain("ANBest-P Nr. 1.4");
        Rule(g, Draw(null, needed, 0.01m)).Errors("amountDue")[0].ShouldContain("less than a cent"); // 70 % of a cent
        Decide(g, Draw(null, needed, 0.02m)).Requested.Amount.ShouldBe(0.01m);
    }

    [Fact]
    public void gap_and_fixed_amount_grants_draw_the_amount_asked_for()
    {
        var (g, _, _) = Granted(type: FinancingType.FixedAmount);
        var requested = Decide(g, Draw(7000m, new DateOnly(2027, 2, 1))).Requested;
        requested.Amount.ShouldBe(7000m);
        requested.SharePercent.ShouldBeNull();
    }

    // Never beyond the granted amount minus what is already requested, in total and per budget year

    [Fact]
    public void exactly_the_remaining_granted_amount_can_be_drawn_one_cent_more_cannot()
    {
        var (g, _, _) = Granted(type: FinancingType.FixedAmount);
        g.Apply(new GrantPaymentReserved(g.Id, Guid.NewGuid(), 6000m, 2027, Now));
        Decide(g, Draw(1000m, new DateOnly(2027, 2, 1))).Requested.Amount.ShouldBe(1000m);
        var ex = Rule(g, Draw(1000.01m, new DateOnly(2027, 2, 1)));
        ex.Errors("amount").ShouldContain(e => e.Contains("ANBest-P Nr. 1.4: only 1000.00 EUR of the granted 7000.00 EUR remain"));
        // A refused drawdown gives its reservation back.
        g.Apply(new GrantPaymentReservationReleased(g.Id, Guid.NewGuid(), 0.01m, 2027, Now));
        Decide(g, Draw(1000.01m, new DateOnly(2027, 2, 1))).Requested.Amount.ShouldBe(1000.01m);
    }

    [Fact]
    public void a_drawdown_within_the_years_split_is_reserved_in_that_year()
    {
        // Cash principle (§ 72 LHO): the year is the year paid; the release enforces the year split, not the request.
        var (g, _, _) = Granted(start: new DateOnly(2027, 7, 1), end: new DateOnly(2028, 6, 30), split: [new(2027, 3000m), new(2028, 4000m)],
            type: FinancingType.FixedAmount);
        var at = new DateTimeOffset(2027, 7, 1, 10, 0, 0, TimeSpan.Zero);
        Decide(g, Draw(3000m, new DateOnly(2027, 8, 1)), at).Requested.BudgetYear.ShouldBe(2027);
    }

    [Fact]
    public void a_drawdown_needed_in_a_year_without_money_is_reserved_in_a_year_that_has_it()
    {
        var (g, _, _) = Granted(start: new DateOnly(2027, 7, 1), end: new DateOnly(2028, 6, 30), split: [new(2027, 7000m)], type: FinancingType.FixedAmount);
        Decide(g, Draw(100m, new DateOnly(2028, 1, 15)), new DateTimeOffset(2027, 12, 1, 10, 0, 0, TimeSpan.Zero)).Requested.BudgetYear.ShouldBe(2027);
    }

    [Fact]
    public void once_the_final_proof_is_in_nothing_more_is_drawn()
    {
        var (g, _, _) = Granted();
        g.Apply(new FinalProofSubmitted(g.Id, Guid.NewGuid(), 9000m, Now));
        Refused(() => Decide(g, Draw(700m, new DateOnly(2027, 2, 1), 1000m)), 409, ProblemTypes.InvalidState).Problem.Detail!.ShouldContain("ANBest-P Nr. 6.1");
    }

    // Refusal (ANBest-P Nr. 1.4): with a reason, before release; the reservation is released

    [Fact]
    public void a_drawdown_is_refused_with_a_reason_until_it_is_released()
    {
        var (g, _, _) = Granted();
        var (requested, reserved) = Decide(g, Draw(null, new DateOnly(2027, 2, 1), 1000m));
        g.Apply(reserved);
        var payment = Payment.Create(requested);
        Refused(() => RefuseDrawdownEndpoint.Decide(payment, new RefuseDrawdown(" ", 1), Finance, Now), 400, ProblemTypes.Validation).Fields().ShouldBe(["reason"]);
        payment.Apply(CertifyPaymentEndpoint.Decide(payment, Finance, Now).OfType<PaymentCertified>().Single());
        var (refused, released) = RefuseDrawdownEndpoint.Decide(payment, new RefuseDrawdown(" Zwischennachweis fehlt ", 2), Finance2, Now);
        refused.Reason.ShouldBe("Zwischennachweis fehlt");
        refused.RefusedBy.ShouldBe(Finance2.Id);
        released.ShouldBe(new GrantPaymentReservationReleased(g.Id, payment.Id, 700m, 2027, Now));
        g.Apply(released);
        g.Requested.ShouldBe(0m);

        var sent = PaymentIn(g, 700m, PaymentState.Released);
        Refused(() => RefuseDrawdownEndpoint.Decide(sent, new RefuseDrawdown("zu spät", 3), Finance, Now), 409, ProblemTypes.InvalidState);
    }
}
