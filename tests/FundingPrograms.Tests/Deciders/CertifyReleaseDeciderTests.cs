using FundingPrograms.Infrastructure;
using FundingPrograms.Organisations;
using FundingPrograms.Payments;
using static FundingPrograms.Tests.Deciders.Given;

namespace FundingPrograms.Tests.Deciders;

/// <summary>
/// Certify and release (CertifyPaymentEndpoint.Decide, ReleasePaymentEndpoint.Decide): separation of duties, the confirmed
/// account, the cash principle at release (§ 72 LHO); no database.
/// </summary>
public sealed class CertifyReleaseDeciderTests
{
    private static readonly DateTimeOffset In2027 = new(2027, 2, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void a_requested_payment_is_certified_once()
    {
        var (g, _, _) = Granted();
        var payment = PaymentIn(g, 700m, PaymentState.Requested);
        var certified = CertifyPaymentEndpoint.Decide(payment, Finance, Now).ShouldHaveSingleItem().ShouldBeOfType<PaymentCertified>();
        certified.ShouldBe(new PaymentCertified(payment.Id, Finance.Id, Finance.Name, Now));
        payment.Apply(certified);
        payment.State.ShouldBe(PaymentState.Certified);
        Refused(() => CertifyPaymentEndpoint.Decide(payment, Finance2, Now), 409, ProblemTypes.InvalidState).Problem.Detail!.ShouldContain("certified");
    }

    [Fact]
    public void the_certifier_cannot_release_another_finance_user_releases_to_the_confirmed_account()
    {
        var (g, _, _) = Granted();
        var payment = PaymentIn(g, 700m, PaymentState.Certified); // certified by Finance
        var organisation = OrganisationWithAccount();
        var ex = Refused(() => ReleasePaymentEndpoint.Decide(payment, organisation, Finance, Now), 403, ProblemTypes.Forbidden);
        ex.Problem.Detail!.ShouldContain("Four-eyes");

        var released = ReleasePaymentEndpoint.Decide(payment, organisation, Finance2, Now).ShouldHaveSingleItem().ShouldBeOfType<PaymentReleased>();
        released.Payee.ShouldBe(Account);
        released.BankAccountChangeId.ShouldBe(organisation.ConfirmedAccount!.ChangeId);
        released.Attempt.ShouldBe(1);
        released.ReleasedBy.ShouldBe(Finance2.Id);
        payment.Apply(released);
        payment.State.ShouldBe(PaymentState.Released);
        payment.Payee.ShouldBe(Account);
    }

    [Fact]
    public void only_a_certified_or_returned_payment_is_released()
    {
        var (g, _, _) = Granted();
        var organisation = OrganisationWithAccount();
        Refused(() => ReleasePaymentEndpoint.Decide(PaymentIn(g, 700m, PaymentState.Requested), organisation, Finance2, Now), 409, ProblemTypes.InvalidState)
            .Problem.Detail!.ShouldContain("requested");
        Refused(() => ReleasePaymentEndpoint.Decide(PaymentIn(g, 700m, PaymentState.Released), organisation, Finance2, Now), 409, ProblemTypes.InvalidState);
        Refused(() => ReleasePaymentEndpoint.Decide(PaymentIn(g, 700m, PaymentState.Exported), organisation, Finance2, Now), 409, ProblemTypes.InvalidState);
        Refused(() => ReleasePaymentEndpoint.Decide(PaymentIn(g, 700m, PaymentState.Booked), organisation, Finance2, Now), 409, ProblemTypes.InvalidState);
    }

    [Fact]
    public void a_returned_payment_is_released_again_as_a_new_attempt_still_not_by_the_certifier()
    {
        var (g, _, _) = Granted();
        var payment = PaymentIn(g, 700m, PaymentState.Exported);
        payment.Apply(new PaymentReturned(payment.Id, Guid.NewGuid(), "E-1", "AC04", "Konto erloschen", Now));
        var organisation = OrganisationWithAccount();
        Refused(() => ReleasePaymentEndpoint.Decide(payment, organisation, Finance, Now), 403, ProblemTypes.Forbidden);
        var again = ReleasePaymentEndpoint.Decide(payment, organisation, Finance2, Now).OfType<PaymentReleased>().Single();
        again.Attempt.ShouldBe(2);
        payment.Apply(again);
        payment.EndToEndId.ShouldBeNull(); // the next batch gives it a new end-to-end id
        Payment.EndToEndIdFor(payment.Id, 2).ShouldNotBe(Payment.EndToEndIdFor(payment.Id, 1));
    }

    [Fact]
    public void without_a_confirmed_account_nothing_is_released_and_a_pending_change_is_never_paid_to()
    {
        var (g, _, _) = Granted();
        var payment = PaymentIn(g, 700m, PaymentState.Certified);
        var ex = Refused(() => ReleasePaymentEndpoint.Decide(payment, OrganisationWithAccount(confirmed: false), Finance2, Now), 422, ProblemTypes.BusinessRule);
        ex.Problem.Detail!.ShouldContain("no confirmed bank account");

        var organisation = OrganisationWithAccount();
        var newAccount = new BankAccount("DE89370400440532013000", null, "Verein Brücke e.V.");
        var change = Guid.NewGuid();
        organisation.Apply(new BankAccountChangeRequested(organisation.Id, change, newAccount, Officer.Id, "Bankwechsel", Now));
        ReleasePaymentEndpoint.Decide(payment, organisation, Finance2, Now).OfType<PaymentReleased>().Single().Payee.ShouldBe(Account);
        organisation.Apply(new BankAccountChangeConfirmed(organisation.Id, change, Finance.Id, Now));
        var released = ReleasePaymentEndpoint.Decide(payment, organisation, Finance2, Now).OfType<PaymentReleased>().Single();
        released.Payee.ShouldBe(newAccount);
        released.BankAccountChangeId.ShouldBe(change);
    }

    // Cash principle (§ 72 LHO): the year the payment is released in must have money for it

    [Fact]
    public void a_payment_is_released_only_in_a_budget_year_with_money_for_it_the_year_turns_in_berlin()
    {
        var (g, p, _) = Granted(); // 7,000 for 2027 only
        var payment = PaymentIn(g, 700m, PaymentState.Certified);
        var organisation = OrganisationWithAccount();
        var newYearsEve = new DateTimeOffset(2026, 12, 31, 22, 59, 59, TimeSpan.Zero); // 23:59:59 in Berlin
        var ex = Refused(() => ReleasePaymentEndpoint.Decide(payment, organisation, g, p, Finance2, newYearsEve), 422, ProblemTypes.BusinessRule);
        ex.Errors("budgetYear")[0].ShouldContain("§ 72 LHO");
        ex.Errors("budgetYear")[0].ShouldContain("nothing is granted for that year");
        ReleasePaymentEndpoint.Decide(payment, organisation, g, p, Finance2, newYearsEve.AddSeconds(1)).ShouldHaveSingleItem(); // 1 January 2027
    }

    [Fact]
    public void what_the_grant_has_left_for_the_year_is_released_exactly_one_cent_more_is_not()
    {
        var (g, p, _) = Granted();
        var organisation = OrganisationWithAccount();
        g.Apply(new GrantPaid(g.Id, Guid.NewGuid(), 6300m, 2027, new DateOnly(2027, 1, 20), Now));
        ReleasePaymentEndpoint.Decide(PaymentIn(g, 700m, PaymentState.Certified), organisation, g, p, Finance2, In2027).ShouldHaveSingleItem();
        Refused(() => ReleasePaymentEndpoint.Decide(PaymentIn(g, 700.01m, PaymentState.Certified), organisation, g, p, Finance2, In2027), 422,
            ProblemTypes.BusinessRule).Errors("budgetYear")[0].ShouldContain("the grant has 700.00 EUR left for 2027");
    }

    [Fact]
    public void the_budget_lines_cash_for_the_year_limits_the_release_too()
    {
        var (g, p, _) = Granted();
        var organisation = OrganisationWithAccount();
        p.Apply(new BudgetPaid(p.Id, Guid.NewGuid(), Guid.NewGuid(), Line, 2027, 99_300m, Now)); // 700 cash left on the line
        ReleasePaymentEndpoint.Decide(PaymentIn(g, 700m, PaymentState.Certified), organisation, g, p, Finance2, In2027).ShouldHaveSingleItem();
        p.Apply(new BudgetPaid(p.Id, Guid.NewGuid(), Guid.NewGuid(), Line, 2027, 0.01m, Now));
        Refused(() => ReleasePaymentEndpoint.Decide(PaymentIn(g, 700m, PaymentState.Certified), organisation, g, p, Finance2, In2027), 422,
            ProblemTypes.BusinessRule).Errors("budgetYear")[0].ShouldContain("has 699.99 EUR of cash left in 2027");
    }
}
