using FundingPrograms.Grants;
using FundingPrograms.Infrastructure;
using FundingPrograms.Payments;
using FundingPrograms.Programmes;

namespace FundingPrograms.Tests.Payments;

/// <summary>No money is drawn once the final proof is in, the grant is closed or wholly revoked (pure decider, no database).</summary>
public sealed class when_a_grant_is_settled_or_gone
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Applicant = new("app-1", "Aylin Applicant", [Roles.Applicant], null);

    private static GrantNotice Notice(decimal granted) => new(1, "ZB-2026-X", "P", Guid.NewGuid(), "Org", Guid.NewGuid(), new() { ["de"] = "P" }, 7000m, granted, null,
        FinancingType.Gap, 10000m, 70m, granted, new(2027, 1, 1), new(2027, 12, 31), "0710", [new(2027, granted)], "c", "ANBest-P", new(2028, 6, 30),
        new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), "b", null);

    private static Grant Grant(GrantState state, decimal granted = 7000m, decimal requested = 0m, decimal? final = null)
    {
        var grant = new Grant { Id = Guid.NewGuid(), State = state, Requested = requested, FinalAmount = final };
        grant.Notices.Add(Notice(granted));
        if (requested > 0) grant.RequestedPerYear.Add(new YearAmount(2027, requested));
        return grant;
    }

    private static (PaymentRequested, GrantPaymentReserved) Request(Grant grant, decimal amount, PaymentKind kind = PaymentKind.Drawdown) =>
        RequestPaymentEndpoint.Decide(grant, Guid.NewGuid(), new RequestPayment(amount, new DateOnly(2027, 3, 15), "Honorare"), kind, 2, Applicant, Now);

    private static ProblemException Refused(Grant grant, decimal amount = 1000m, PaymentKind kind = PaymentKind.Drawdown) =>
        Should.Throw<ProblemException>(() => Request(grant, amount, kind));

    [Fact]
    public void an_open_or_partly_revoked_grant_can_be_drawn()
    {
        Request(Grant(GrantState.Issued), 1000m).Item1.Amount.ShouldBe(1000m);
        Request(Grant(GrantState.Amended), 1000m).Item1.Amount.ShouldBe(1000m);
        Request(Grant(GrantState.Revoked, granted: 4000m), 1000m).Item1.Amount.ShouldBe(1000m); // partly revoked: the rest stays
    }

    [Fact]
    public void after_the_final_proof_is_submitted_nothing_more_is_drawn()
    {
        var problem = Refused(Grant(GrantState.FinalProofSubmitted)).Problem;
        problem.Status.ShouldBe(409);
        problem.Detail!.ShouldContain("final proof of use is submitted");
        problem.Detail!.ShouldContain("ANBest-P Nr. 6.1");
        Refused(Grant(GrantState.FinalProofSubmitted), kind: PaymentKind.Instalment).Problem.Status.ShouldBe(409);
    }

    [Fact]
    public void a_closed_grant_takes_no_drawdown_and_no_instalment_its_balance_is_paid_as_such()
    {
        var problem = Refused(Grant(GrantState.Closed, requested: 5000m, final: 6000m)).Problem;
        problem.Status.ShouldBe(409);
        problem.Detail!.ShouldContain("closed by its final notice");
        // What the final notice left to pay is not an instalment under the drawdown rules: POST /grants/{id}/final-balance (FinalBalanceDeciderTests).
        var instalment = Refused(Grant(GrantState.Closed, requested: 5000m, final: 6000m), 1000m, PaymentKind.Instalment).Problem;
        instalment.Status.ShouldBe(409);
        instalment.Detail!.ShouldContain("/final-balance");
        PayFinalBalanceEndpoint.Decide(Grant(GrantState.Closed, requested: 5000m, final: 6000m), Guid.NewGuid(), new PayFinalBalance(null, null),
            new Actor("fatma", "Fatma", [Roles.Finance], null), DateTimeOffset.UnixEpoch).Requested.Amount.ShouldBe(1000m);
    }

    [Fact]
    public void a_wholly_revoked_grant_takes_nothing()
    {
        var grant = Grant(GrantState.Revoked, granted: 0m);
        var problem = Refused(grant).Problem;
        problem.Status.ShouldBe(409);
        problem.Detail!.ShouldContain("wholly revoked");
        Refused(grant, kind: PaymentKind.Instalment).Problem.Status.ShouldBe(409);
    }
}
