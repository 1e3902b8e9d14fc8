using FundingPrograms.Grants;
using FundingPrograms.Infrastructure;
using FundingPrograms.Payments;
using FundingPrograms.Programmes;
using FundingPrograms.Proofs;
using static FundingPrograms.Tests.Deciders.Given;

namespace FundingPrograms.Tests.Deciders;

/// <summary>
/// Amendments (AmendGrantEndpoint.Decide, ApproveGrantAmendmentEndpoint.Decide): the rules of a first notice, four-eyes for a
/// raise, the budget for what changes; no database.
/// </summary>
public sealed class AmendmentDeciderTests
{
    private static AmendGrant Amend(decimal? amount = null, DateOnly? start = null, DateOnly? end = null, YearAmountInput[]? split = null,
        string? conditions = null, string? reason = "Änderung") =>
        new(amount, split, start, end, conditions, null, reason, 1);

    private static AmendmentDecision Decide(Grant g, Programme p, AmendGrant cmd, Actor? officer = null) =>
        AmendGrantEndpoint.Decide(g, p, cmd, officer ?? Officer, Guid.NewGuid(), Now);

    private static Amendment Issued(Grant g, Programme p, AmendGrant cmd) => Decide(g, p, cmd).Issued.ShouldNotBeNull();

    // A raise: proposed by one, approved by another (four-eyes), neither of them the assessor

    [Fact]
    public void a_raise_is_only_proposed_and_commits_nothing_yet()
    {
        var (g, p, _) = Granted();
        var decision = Decide(g, p, Amend(amount: 7500m, reason: " mehr Stunden "));
        decision.Issued.ShouldBeNull();
        var proposal = decision.Proposed.ShouldNotBeNull();
        proposal.GrantId.ShouldBe(g.Id);
        proposal.ProposedById.ShouldBe(Officer.Id);
        proposal.Terms.Amount.ShouldBe(7500m);
        proposal.Terms.YearSplit.ShouldBe([new YearAmount(2027, 7500m)]);
        proposal.Terms.Reason.ShouldBe("mehr Stunden");
        g.Apply(proposal);
        g.PendingAmendment.ShouldBe(proposal);
        g.Notice.GrantedAmount.ShouldBe(7000m);
    }

    [Fact]
    public void the_proposer_and_the_assessor_cannot_approve_the_raise_another_approver_can()
    {
        var (g, p, application) = Granted();
        var proposal = Decide(g, p, Amend(amount: 7500m), officer: Approver).Proposed.ShouldNotBeNull();
        g.Apply(proposal);
        var assessorId = application.Assessment!.AssessorId;

        Refused(() => ApproveGrantAmendmentEndpoint.Decide(g, p, proposal.ProposalId, Approver, assessorId, Now), 403, ProblemTypes.Forbidden)
            .Problem.Detail!.ShouldContain("you proposed this raise");
        Refused(() => ApproveGrantAmendmentEndpoint.Decide(g, p, proposal.ProposalId, Assessor, assessorId, Now), 403, ProblemTypes.Forbidden)
            .Problem.Detail!.ShouldContain("you assessed this application");
        Refused(() => ApproveGrantAmendmentEndpoint.Decide(g, p, Guid.NewGuid(), Approver2, assessorId, Now), 404, ProblemTypes.NotFound);

        var issued = ApproveGrantAmendmentEndpoint.Decide(g, p, proposal.ProposalId, Approver2, assessorId, Now);
        issued.Amended.ProposalId.ShouldBe(proposal.ProposalId);
        issued.Amended.ProposedBy.ShouldBe(Approver.Name);
        issued.Amended.Notice.IssuedBy.ShouldBe(Approver2.Name);
        issued.Amended.Notice.NoticeVersion.ShouldBe(2);
        issued.Amended.Notice.GrantedAmount.ShouldBe(7500m);
        issued.Amended.Changes.ShouldBe(["amount", "yearSplit"]);
        issued.Committed.ShouldNotBeNull().Years.ShouldBe([new YearAmount(2027, 500m)]);
        issued.Released.ShouldBeNull();

        g.Apply(issued.Amended);
        g.PendingAmendment.ShouldBeNull();
        g.State.ShouldBe(GrantState.Amended);
        Refused(() => ApproveGrantAmendmentEndpoint.Decide(g, p, proposal.ProposalId, Approver2, assessorId, Now), 404, ProblemTypes.NotFound);
    }

    [Fact]
    public void a_decrease_or_a_change_of_conditions_is_issued_at_once_and_gives_budget_back()
    {
        var (g, p, _) = Granted();
        var cut = Issued(g, p, Amend(amount: 6000m));
        cut.Amended.Changes.ShouldBe(["amount", "yearSplit"]);
        cut.Amended.ProposalId.ShouldBeNull();
        cut.Committed.ShouldBeNull();
        cut.Released.ShouldNotBeNull().Years.ShouldBe([new YearAmount(2027, 1000m)]);
        p.Apply(cut.Released);
        p.BudgetFor(Line, 2027)!.Free.ShouldBe(94_000m);

        var conditions = Issued(g, p, Amend(conditions: "Neue Auflage"));
        conditions.Amended.Changes.ShouldBe(["conditions"]);
        conditions.Committed.ShouldBeNull();
        conditions.Released.ShouldBeNull();
    }

    // Bad input and state

    [Fact]
    public void an_amendment_needs_a_reason_and_must_change_something()
    {
        var (g, p, _) = Granted();
        Refused(() => Decide(g, p, Amend(amount: 6000m, reason: " ")), 400, ProblemTypes.Validation).Fields().ShouldBe(["reason"]);
        Refused(() => Decide(g, p, Amend(amount: 7000m)), 400, ProblemTypes.Validation).Errors("amount")[0].ShouldContain("changes nothing");
        Refused(() => Decide(g, p, Amend(start: new DateOnly(2027, 6, 1), end: new DateOnly(2027, 5, 31))), 400, ProblemTypes.Validation)
            .Fields().ShouldBe(["periodEnd"]);
    }

    [Fact]
    public void a_grant_whose_final_proof_is_in_or_that_is_closed_cannot_be_amended()
    {
        var (g, p, _) = Granted();
        g.Apply(new FinalProofSubmitted(g.Id, Guid.NewGuid(), 9000m, Now));
        Refused(() => Decide(g, p, Amend(amount: 6000m)), 409, ProblemTypes.InvalidState).Problem.Detail!.ShouldContain("final proof");
        g.Apply(new GrantClosed(g.Id, Today, Today.AddYears(5), Now));
        Refused(() => Decide(g, p, Amend(amount: 6000m)), 409, ProblemTypes.InvalidState).Problem.Detail!.ShouldContain("closed");
    }

    // Period (VV Nr. 4.2 zu § 44 LHO: the rules of the first notice)

    [Fact]
    public void a_period_of_exactly_36_months_is_allowed_one_day_more_is_not()
    {
        var (g, p, _) = Granted();
        YearAmountInput[] split = [new(2027, 7000m)];
        var issued = Issued(g, p, Amend(end: new DateOnly(2029, 12, 31), split: split));
        issued.Amended.Changes.ShouldBe(["period"]);
        issued.Amended.Notice.ProofOfUseDue.ShouldBe(new DateOnly(2030, 6, 30));
        Refused(() => Decide(g, p, Amend(end: new DateOnly(2030, 1, 1), split: split)), 422, ProblemTypes.BusinessRule)
            .Errors("periodEnd")[0].ShouldContain("at most 36 months (until 2029-12-31)");
    }

    [Fact]
    public void without_an_early_start_the_start_moves_to_the_amendments_date_at_the_earliest()
    {
        var (g, p, _) = Granted(start: Today.AddDays(10), end: new DateOnly(2027, 6, 30), split: [new(2026, 1000m), new(2027, 6000m)]);
        YearAmountInput[] split = [new(2026, 1000m), new(2027, 6000m)];
        Issued(g, p, Amend(start: Today, split: split)).Amended.Notice.PeriodStart.ShouldBe(Today);
        var ex = Refused(() => Decide(g, p, Amend(start: Today.AddDays(-1), split: split)), 422, ProblemTypes.BusinessRule);
        ex.Fields().ShouldBe(["periodStart"]);
        ex.Errors("periodStart")[0].ShouldContain("VV Nr. 1.3 zu § 44 LHO");
        // A period that started on the notice date cannot move a single day earlier.
        var (onNoticeDate, q, _) = Granted(start: Today, end: new DateOnly(2027, 6, 30), split: [new(2026, 1000m), new(2027, 6000m)]);
        Refused(() => Decide(onNoticeDate, q, Amend(start: Today.AddDays(-1), split: split)), 422, ProblemTypes.BusinessRule).Fields().ShouldBe(["periodStart"]);
    }

    [Fact]
    public void with_an_early_start_the_start_moves_to_its_date_and_never_before_the_call_opened()
    {
        var opened = DateOnly.FromDateTime(CallOpens.Date); // 2026-10-28
        var (g, p, _) = Granted(start: Today.AddDays(10), end: new DateOnly(2027, 6, 30), split: [new(2026, 1000m), new(2027, 6000m)], earlyStartFrom: opened);
        YearAmountInput[] split = [new(2026, 1000m), new(2027, 6000m)];
        Issued(g, p, Amend(start: opened, split: split)).Amended.Notice.PeriodStart.ShouldBe(opened);
        var ex = Refused(() => Decide(g, p, Amend(start: opened.AddDays(-1), split: split)), 422, ProblemTypes.BusinessRule);
        ex.Errors("periodStart").ShouldContain(e => e.Contains("before the call opened (2026-10-28)"));
        ex.Errors("periodStart").ShouldContain(e => e.Contains("early start was approved from 2026-10-28"));
    }

    [Fact]
    public void a_start_already_before_the_notice_may_stay_where_it_is()
    {
        var from = Today.AddDays(-10);
        var (g, p, _) = Granted(start: from, end: new DateOnly(2027, 6, 30), split: [new(2026, 1000m), new(2027, 6000m)], earlyStartFrom: from);
        // Only moving the start earlier is checked against the notice date: a later end leaves it alone.
        Issued(g, p, Amend(end: new DateOnly(2027, 9, 30), split: [new(2026, 1000m), new(2027, 6000m)])).Amended.Notice.PeriodStart.ShouldBe(from);
    }

    // Caps of the programme

    [Fact]
    public void a_raise_to_the_maximum_share_is_proposed_one_cent_more_is_refused()
    {
        var (g, p, _) = Granted();
        Decide(g, p, Amend(amount: 8000m)).Proposed.ShouldNotBeNull(); // 80 % of 10,000 exactly
        Refused(() => Decide(g, p, Amend(amount: 8000.01m)), 422, ProblemTypes.BusinessRule).Errors("amount")[0].ShouldContain("at most 80 %");
    }

    [Fact]
    public void a_cut_to_the_minimum_grant_is_issued_one_cent_less_is_refused()
    {
        var (g, p, _) = Granted();
        Issued(g, p, Amend(amount: 1000m)).Amended.Notice.GrantedAmount.ShouldBe(1000m);
        Refused(() => Decide(g, p, Amend(amount: 999.99m)), 422, ProblemTypes.BusinessRule).Errors("amount")[0].ShouldContain("at least 1000.00 EUR");
    }

    [Fact]
    public void a_raise_to_the_maximum_grant_is_proposed_one_cent_more_is_refused()
    {
        var (g, p, _) = Granted(amount: 14000m, material: 20000m); // 29,000 eligible costs: the share is no limit here
        Decide(g, p, Amend(amount: 15000m)).Proposed.ShouldNotBeNull();
        Refused(() => Decide(g, p, Amend(amount: 15000.01m)), 422, ProblemTypes.BusinessRule).Errors("amount")
            .ShouldContain(e => e.Contains("at most 15000.00 EUR"));
    }

    // Money already requested or paid

    [Fact]
    public void a_cut_stops_at_what_is_requested_already_also_per_year()
    {
        var (g, p, _) = Granted(start: new DateOnly(2027, 7, 1), end: new DateOnly(2028, 6, 30), split: [new(2027, 3000m), new(2028, 4000m)]);
        g.Apply(new GrantPaymentReserved(g.Id, Guid.NewGuid(), 3000m, 2027, Now));
        Issued(g, p, Amend(amount: 5000m, split: [new(2027, 3000m), new(2028, 2000m)])).Released.ShouldNotBeNull().Years.ShouldBe([new YearAmount(2028, 2000m)]);
        Refused(() => Decide(g, p, Amend(amount: 2999.99m, split: [new(2027, 2999.99m)], end: new DateOnly(2027, 12, 31))), 422, ProblemTypes.BusinessRule)
            .Errors("amount")[0].ShouldContain("3000.00 EUR are requested or paid already");
        Refused(() => Decide(g, p, Amend(split: [new(2027, 2999.99m), new(2028, 4000.01m)])), 422, ProblemTypes.BusinessRule)
            .Errors("yearSplit")[0].ShouldContain("3000.00 EUR are requested or paid for 2027");
    }

    [Fact]
    public void the_year_split_of_an_amendment_adds_up_to_the_amount()
    {
        var (g, p, _) = Granted(start: new DateOnly(2027, 7, 1), end: new DateOnly(2028, 6, 30), split: [new(2027, 3000m), new(2028, 4000m)]);
        Refused(() => Decide(g, p, Amend(amount: 6000m, split: [new(2027, 3000m), new(2028, 2999.99m)])), 422, ProblemTypes.BusinessRule)
            .Errors("yearSplit")[0].ShouldContain("add up to 5999.99 EUR, not 6000.00 EUR");
        // Moving money between years without changing the amount commits one year and releases the other.
        var moved = Issued(g, p, Amend(split: [new(2027, 2000m), new(2028, 5000m)]));
        moved.Amended.Changes.ShouldBe(["yearSplit"]);
        moved.Committed.ShouldNotBeNull().Years.ShouldBe([new YearAmount(2028, 1000m)]);
        moved.Released.ShouldNotBeNull().Years.ShouldBe([new YearAmount(2027, 1000m)]);
    }

    // Budget for a raise: checked when proposed and again when approved

    [Fact]
    public void a_raise_takes_the_last_free_euro_one_cent_more_is_refused_also_when_the_budget_shrank_before_approval()
    {
        var (g, p, application) = Granted();
        p.Apply(new BudgetCommitted(p.Id, Guid.NewGuid(), Guid.NewGuid(), Line, [new YearAmount(2027, 92_000m)], Now)); // 1,000 free in 2027
        var proposal = Decide(g, p, Amend(amount: 8000m)).Proposed.ShouldNotBeNull();
        g.Apply(proposal);
        p.Apply(new BudgetCommitted(p.Id, Guid.NewGuid(), Guid.NewGuid(), Line, [new YearAmount(2027, 0.01m)], Now)); // now 999.99 free
        Refused(() => Decide(g, p, Amend(amount: 8000m)), 422, ProblemTypes.BusinessRule)
            .Errors("yearSplit.2027")[0].ShouldContain("999.99 EUR free in 2027; 1000.00 EUR do not fit");
        Refused(() => ApproveGrantAmendmentEndpoint.Decide(g, p, proposal.ProposalId, Approver2, application.Assessment!.AssessorId, Now), 422,
            ProblemTypes.BusinessRule).Errors("yearSplit.2027")[0].ShouldContain("999.99 EUR free in 2027");
    }

    [Fact]
    public void a_raise_stays_within_the_calls_cap()
    {
        var (g, p, _) = Granted(callCap: 7999.99m);
        Decide(g, p, Amend(amount: 7999.99m)).Proposed.ShouldNotBeNull();
        Refused(() => Decide(g, p, Amend(amount: 8000m)), 422, ProblemTypes.BusinessRule).Errors("amount")[0].ShouldContain("has 999.99 EUR left");
    }
}
