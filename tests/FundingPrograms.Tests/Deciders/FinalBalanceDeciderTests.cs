using FundingPrograms.Grants;
using FundingPrograms.Infrastructure;
using FundingPrograms.Payments;
using FundingPrograms.Proofs;
using static FundingPrograms.Tests.Deciders.Given;

namespace FundingPrograms.Tests.Deciders;

/// <summary>
/// The balance a final notice leaves to pay (PayFinalBalanceEndpoint.Decide, CashBudget at release): not a drawdown, paid whatever the
/// date, never above the final amount, certified and released four-eyes; no database.
/// </summary>
public sealed class FinalBalanceDeciderTests
{
    /// <summary>Long after the funding period (2027) and the proof-of-use date (30 Jun 2028): the drawdown rules would refuse anything.</summary>
    private static readonly DateTimeOffset Later = new(2029, 3, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A 7,000 EUR grant of which 6,500 were paid in 2027; the final notice sets it at 7,000: 500 left to pay.</summary>
    private static (Grant Grant, FundingPrograms.Programmes.Programme Programme) Closed(decimal final = 7000m)
    {
        var (g, p, _) = Granted();
        var paymentId = Guid.NewGuid();
        g.Apply(new GrantPaymentReserved(g.Id, paymentId, 6500m, 2027, Now));
        g.Apply(new GrantPaid(g.Id, paymentId, 6500m, 2027, new DateOnly(2027, 2, 3), Now));
        g.Apply(new FinalProofSubmitted(g.Id, Guid.NewGuid(), 10000m, Now));
        g.Apply(new FinalNoticeIssued(g.Id, Guid.NewGuid(), 10000m, 10000m, final, 6500m, Math.Max(0, 6500m - final), Math.Max(0, final - 6500m),
            new DateOnly(2028, 8, 1), "Anna", "Bernd", Now));
        g.Apply(new GrantClosed(g.Id, new DateOnly(2028, 8, 1), new DateOnly(2033, 8, 1), Now));
        return (g, p);
    }

    [Fact]
    public void the_balance_is_paid_whatever_the_date_and_counts_in_the_year_it_is_paid()
    {
        var (g, _) = Closed();
        var (requested, reserved) = PayFinalBalanceEndpoint.Decide(g, Guid.NewGuid(), new PayFinalBalance(null, null), Finance, Later);
        requested.Kind.ShouldBe(PaymentKind.FinalBalance);
        requested.Amount.ShouldBe(500m);
        requested.BudgetYear.ShouldBe(2029);
        requested.NeededOn.ShouldBe(new DateOnly(2029, 3, 1));
        requested.Purpose.ShouldBe(PayFinalBalanceEndpoint.DefaultPurpose);
        reserved.Amount.ShouldBe(500m);

        // The drawdown rules refuse the same money: a drawdown or instalment on a closed grant is not how the balance is paid.
        Refused(() => RequestPaymentEndpoint.Decide(g, Guid.NewGuid(), new RequestPayment(500m, new DateOnly(2029, 3, 1), "Rest", 715m), PaymentKind.Instalment, 2,
            Officer, Later), 409, ProblemTypes.InvalidState).Problem.Detail!.ShouldContain("/final-balance");
    }

    [Fact]
    public void never_more_than_the_final_notice_left_to_pay_and_not_before_it()
    {
        var (g, _) = Closed();
        Refused(() => PayFinalBalanceEndpoint.Decide(g, Guid.NewGuid(), new PayFinalBalance(500.01m, null), Finance, Later), 422, ProblemTypes.BusinessRule)
            .Problem.Detail!.ShouldContain("VV Nr. 11 zu § 44 LHO");
        PayFinalBalanceEndpoint.Decide(g, Guid.NewGuid(), new PayFinalBalance(200m, "Erste Rate"), Finance, Later).Requested.Amount.ShouldBe(200m);

        // Once requested, nothing is left: a second request (or a parallel one, on the locked grant stream) is refused.
        var (_, reserved) = PayFinalBalanceEndpoint.Decide(g, Guid.NewGuid(), new PayFinalBalance(null, null), Finance, Later);
        g.Apply(reserved);
        Refused(() => PayFinalBalanceEndpoint.Decide(g, Guid.NewGuid(), new PayFinalBalance(null, null), Finance, Later), 422, ProblemTypes.BusinessRule)
            .Problem.Detail!.ShouldContain("nothing is left to pay");

        // A final notice that recovers money leaves nothing to pay; a grant without a final notice has no balance yet.
        var (over, _) = Closed(final: 6000m);
        Refused(() => PayFinalBalanceEndpoint.Decide(over, Guid.NewGuid(), new PayFinalBalance(null, null), Finance, Later), 422, ProblemTypes.BusinessRule);
        var (open, _, _) = Granted();
        Refused(() => PayFinalBalanceEndpoint.Decide(open, Guid.NewGuid(), new PayFinalBalance(null, null), Finance, Later), 409, ProblemTypes.InvalidState);
    }

    [Fact]
    public void it_is_released_four_eyes_in_a_year_outside_the_grants_split_but_never_above_the_final_amount()
    {
        var (g, p) = Closed();
        var (requested, _) = PayFinalBalanceEndpoint.Decide(g, Guid.NewGuid(), new PayFinalBalance(null, null), Officer, Later);
        var payment = Payment.Create(requested);
        payment.Apply(CertifyPaymentEndpoint.Decide(payment, Finance, Later).OfType<PaymentCertified>().Single());
        var organisation = OrganisationWithAccount();
        Refused(() => ReleasePaymentEndpoint.Decide(payment, organisation, g, p, Finance, Later), 403, ProblemTypes.Forbidden);
        // 2029 is no year of the grant's split (2027): a drawdown would be refused by the cash principle; the balance is owed as decided.
        ReleasePaymentEndpoint.Decide(payment, organisation, g, p, Finance2, Later).ShouldHaveSingleItem().ShouldBeOfType<PaymentReleased>();
        // Another 100 EUR of the grant already on their way: 500 would pay 100 above the final amount.
        Refused(() => ReleasePaymentEndpoint.Decide(payment, organisation, g, p, Finance2, Later, pendingOnGrant: 100m), 422, ProblemTypes.BusinessRule)
            .Errors("amount")[0].ShouldContain("at most 400.00 EUR");
    }

    [Fact]
    public void the_final_notice_releases_what_is_neither_paid_nor_owed_and_the_balance_moves_into_the_year_it_is_paid()
    {
        var (g, p) = Closed(final: 6800m); // 7,000 committed in 2027, 6,500 paid: 300 owed
        var committed = new Dictionary<int, decimal> { [2027] = 7000m };
        GrantCommitment.ReleaseAtFinalNotice(g, committed, 300m, Now).ShouldNotBeNull().Years.ShouldBe([new FundingPrograms.Programmes.YearAmount(2027, 200m)]);
        // Overpaid (final 6,000): the unpaid 500 go back; the 500 overpaid stay committed until they come back (as after a revocation).
        GrantCommitment.ReleaseAtFinalNotice(g, committed, 0m, Now).ShouldNotBeNull().Years.ShouldBe([new FundingPrograms.Programmes.YearAmount(2027, 500m)]);
        // Everything committed is paid or owed: nothing to release.
        GrantCommitment.ReleaseAtFinalNotice(g, committed, 500m, Now).ShouldBeNull();
        // Over two years, the balance is kept in the latest year and the earlier year's unpaid rest goes back.
        GrantCommitment.ReleaseAtFinalNotice(g, new Dictionary<int, decimal> { [2027] = 7000m, [2028] = 1000m }, 300m, Now).ShouldNotBeNull()
            .Years.ShouldBe([new FundingPrograms.Programmes.YearAmount(2027, 500m), new FundingPrograms.Programmes.YearAmount(2028, 700m)]);

        var afterNotice = new Dictionary<int, decimal> { [2027] = 6800m };
        // Paid in 2030, a year without budget on the line: refused, naming the year and what is missing.
        Refused(() => GrantCommitment.MoveForBalance(g, p, afterNotice, 2030, 300m, 0m, Later), 422, ProblemTypes.BusinessRule)
            .Errors("budgetYear")[0].ShouldContain("0.00 EUR uncommitted in 2030");
        p.Apply(new FundingPrograms.Programmes.BudgetAllocated(p.Id, g.Notice.BudgetLine, null, 2030, 1000m, null, Now));
        p.Apply(new FundingPrograms.Programmes.BudgetCommitted(p.Id, Guid.NewGuid(), g.CallId, g.Notice.BudgetLine, [new(2030, 800m)], Now));
        Refused(() => GrantCommitment.MoveForBalance(g, p, afterNotice, 2030, 300m, 0m, Later), 422, ProblemTypes.BusinessRule)
            .Errors("budgetYear")[0].ShouldContain("200.00 EUR uncommitted in 2030; 300.00 EUR are needed");
        var moves = GrantCommitment.MoveForBalance(g, p, afterNotice, 2030, 200m, 0m, Later);
        moves[0].ShouldBeOfType<FundingPrograms.Programmes.BudgetReleased>().Years.ShouldBe([new FundingPrograms.Programmes.YearAmount(2027, 200m)]);
        moves[1].ShouldBeOfType<FundingPrograms.Programmes.BudgetCommitted>().Years.ShouldBe([new FundingPrograms.Programmes.YearAmount(2030, 200m)]);
        // Paid in a year that still holds it (2027): nothing moves.
        GrantCommitment.MoveForBalance(g, p, afterNotice, 2027, 300m, 0m, Later).ShouldBeEmpty();
    }
}
