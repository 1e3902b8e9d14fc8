using FundingPrograms.Applications;
using FundingPrograms.Grants;
using FundingPrograms.Infrastructure;
using FundingPrograms.Programmes;
using static FundingPrograms.Tests.Deciders.Given;

namespace FundingPrograms.Tests.Deciders;

/// <summary>Approval of an assessed application (ApproveApplicationEndpoint.Decide, RejectApplicationEndpoint.Decide): the rule edges, no database.</summary>
public sealed class ApprovalDeciderTests
{
    private static readonly Guid CallId = Guid.NewGuid();
    private static readonly DateOnly Start = new(2027, 1, 1);
    private static readonly DateOnly End = new(2027, 12, 31);

    private static Approval Decide(Application a, Programme p, ApproveApplication? cmd = null, Actor? approver = null,
        IReadOnlyList<DoubleFundingFinding>? findings = null, Guid? grantId = null) =>
        ApproveApplicationEndpoint.Decide(a, p, grantId ?? Guid.NewGuid(), "ZB-2026-000001", cmd ?? Approve(), findings ?? [], approver ?? Approver, Now);

    private static Application Assessed(Programme p, ApplicationContent? content = null, DateOnly? earlyStartFrom = null) =>
        Given.Assessed(p, CallId, content ?? Content(Start, End), earlyStartFrom);

    // The events

    [Fact]
    public void an_approval_approves_the_application_issues_the_grant_and_commits_the_budget_in_the_same_years()
    {
        var p = OpenProgramme(CallId);
        var a = Assessed(p);
        var grantId = Guid.NewGuid();
        var approval = Decide(a, p, grantId: grantId);

        var approved = approval.Approved;
        (approved.ApplicationId, approved.GrantId, approved.GrantedAmount, approved.ApproverId, approved.At).ShouldBe((a.Id, grantId, 7000m, Approver.Id, Now));
        approved.AcknowledgedFindings.ShouldBeEmpty();
        var notice = approval.Issued.Notice;
        approval.Issued.GrantId.ShouldBe(grantId);
        approval.Issued.ApplicationId.ShouldBe(a.Id);
        notice.GrantedAmount.ShouldBe(7000m);
        notice.SharePercent.ShouldBe(70m);
        notice.TotalEligibleCosts.ShouldBe(10000m);
        notice.YearSplit.ShouldBe([new YearAmount(2027, 7000m)]);
        notice.ProofOfUseDue.ShouldBe(new DateOnly(2028, 6, 30));
        notice.IssuedBy.ShouldBe(Approver.Name);
        notice.ReductionReason.ShouldBeNull();
        var committed = approval.Committed;
        (committed.ProgrammeId, committed.GrantId, committed.CallId, committed.BudgetLine).ShouldBe((p.Id, grantId, CallId, Line));
        committed.Years.ShouldBe([new YearAmount(2027, 7000m)]);

        p.Apply(approval.Committed);
        p.BudgetFor(Line, 2027)!.Free.ShouldBe(93_000m);
        p.CallById(CallId)!.Committed.ShouldBe(7000m);
        a.Apply(new JasperFx.Events.Event<ApplicationApproved>(approval.Approved));
        a.State.ShouldBe(ApplicationState.Approved);
    }

    // Four-eyes (rule 5)

    [Fact]
    public void the_assessor_cannot_approve_or_reject_their_own_assessment()
    {
        var p = OpenProgramme(CallId);
        var a = Assessed(p);
        var ex = Refused(() => Decide(a, p, approver: Assessor), 403, ProblemTypes.Forbidden);
        ex.Problem.Detail!.ShouldContain("Four-eyes");
        Refused(() => RejectApplicationEndpoint.Decide(a, p, new RejectApplication("kein Bedarf", 4), "AB-2026-000001", Assessor, Now), 403, ProblemTypes.Forbidden);
        Decide(a, p, approver: Approver).Approved.ApproverId.ShouldBe(Approver.Id);
    }

    [Fact]
    public void only_an_assessed_application_is_decided()
    {
        var p = OpenProgramme(CallId);
        var a = Assessed(p);
        a.Apply(new JasperFx.Events.Event<ApplicationApproved>(Decide(a, p).Approved));
        Refused(() => Decide(a, p), 409, ProblemTypes.InvalidState).Problem.Detail!.ShouldContain("approved");
        Refused(() => RejectApplicationEndpoint.Decide(a, p, new RejectApplication("x", 5), "AB-2026-000001", Approver, Now), 409, ProblemTypes.InvalidState);
    }

    // Bad input: 400 with field names

    [Fact]
    public void missing_terms_are_400_naming_each_field()
    {
        var p = OpenProgramme(CallId);
        var ex = Refused(() => Decide(Assessed(p), p, new ApproveApplication(null, null, " ", null, null, null, null, 4)), 400, ProblemTypes.Validation);
        ex.Fields().ShouldBe(["amount", "budgetLine", "conditions", "generalConditionsVersion"]);
        Refused(() => Decide(Assessed(p), p, Approve(-1m, reductionReason: "x")), 400, ProblemTypes.Validation).Fields().ShouldBe(["amount"]);
    }

    [Fact]
    public void granting_less_than_requested_needs_a_reason_more_than_requested_is_never_granted()
    {
        var p = OpenProgramme(CallId);
        Refused(() => Decide(Assessed(p), p, Approve(6999.99m)), 400, ProblemTypes.Validation).Fields().ShouldBe(["reductionReason"]);
        var cut = Decide(Assessed(p), p, Approve(6999.99m, reductionReason: "Honorare gekürzt")).Issued.Notice;
        cut.GrantedAmount.ShouldBe(6999.99m);
        cut.ReductionReason.ShouldBe("Honorare gekürzt");
        Refused(() => Decide(Assessed(p), p, Approve(7000.01m)), 422, ProblemTypes.BusinessRule).Errors("amount")[0].ShouldContain("requested 7000.00");
    }

    [Fact]
    public void double_funding_findings_must_each_be_acknowledged_with_a_reason()
    {
        var p = OpenProgramme(CallId);
        var a = Assessed(p);
        DoubleFundingFinding[] findings =
            [new("same-post|x", "samePost", "Dieselbe Stelle", CostCategory.Staff, "Koordination", Guid.NewGuid(), p.Id, "Anderes Projekt", ApplicationState.Approved)];
        var ex = Refused(() => Decide(a, p, findings: findings), 422, ProblemTypes.BusinessRule);
        ex.Problem.Extensions["findings"].ShouldBeAssignableTo<DoubleFundingFinding[]>()!.ShouldHaveSingleItem().Id.ShouldBe("same-post|x");
        Refused(() => Decide(a, p, Approve(acknowledgements: [new("same-post|x", " ")]), findings: findings), 400, ProblemTypes.Validation)
            .Fields().ShouldBe(["acknowledgements[0].reason"]);
        var approval = Decide(a, p, Approve(acknowledgements: [new("same-post|x", "Andere Stunden")]), findings: findings);
        approval.Approved.AcknowledgedFindings.ShouldHaveSingleItem().Reason.ShouldBe("Andere Stunden");
        approval.Issued.AcknowledgedFindings.ShouldHaveSingleItem().FindingId.ShouldBe("same-post|x");
    }

    // Budget (rule 4): free exactly equal passes, one cent over is refused; the call's cap

    [Fact]
    public void the_last_free_euro_of_a_budget_year_can_be_granted_one_cent_more_cannot()
    {
        var exact = OpenProgramme(CallId, perYear: 7000m);
        Decide(Assessed(exact), exact).Committed.Years.ShouldBe([new YearAmount(2027, 7000m)]);

        var short1 = OpenProgramme(CallId, perYear: 6999.99m);
        var ex = Refused(() => Decide(Assessed(short1), short1), 422, ProblemTypes.BusinessRule);
        ex.Errors("yearSplit.2027")[0].ShouldContain("6999.99 EUR free in 2027");
    }

    [Fact]
    public void what_other_grants_committed_is_no_longer_free()
    {
        var p = OpenProgramme(CallId, perYear: 14000m);
        var first = Decide(Assessed(p), p);
        p.Apply(first.Committed);
        Decide(Assessed(p), p).Committed.Years.Single().Amount.ShouldBe(7000m); // exactly the rest
        p.Apply(new BudgetCommitted(p.Id, Guid.NewGuid(), CallId, Line, [new YearAmount(2027, 0.01m)], Now));
        Refused(() => Decide(Assessed(p), p), 422, ProblemTypes.BusinessRule).Errors("yearSplit.2027")[0].ShouldContain("6999.99");
    }

    [Fact]
    public void a_budget_line_without_money_for_a_year_of_the_split_is_refused()
    {
        var p = OpenProgramme(CallId, years: [2026]);
        Refused(() => Decide(Assessed(p), p), 422, ProblemTypes.BusinessRule).Errors("yearSplit.2027")[0].ShouldContain("no budget for 2027");
    }

    [Fact]
    public void the_calls_cap_holds_to_the_cent()
    {
        var exact = OpenProgramme(CallId, callCap: 7000m);
        Decide(Assessed(exact), exact).Committed.Years.Sum(y => y.Amount).ShouldBe(7000m);
        var over = OpenProgramme(CallId, callCap: 6999.99m);
        Refused(() => Decide(Assessed(over), over), 422, ProblemTypes.BusinessRule).Errors("amount")[0].ShouldContain("cap of 6999.99 EUR has 6999.99 EUR left");
        var used = OpenProgramme(CallId, callCap: 10000m);
        used.Apply(new BudgetCommitted(used.Id, Guid.NewGuid(), CallId, Line, [new YearAmount(2027, 3000.01m)], Now));
        Refused(() => Decide(Assessed(used), used), 422, ProblemTypes.BusinessRule).Errors("amount")[0].ShouldContain("6999.99 EUR left");
    }

    // Programme caps (rule 2): maximum share, maximum and minimum grant

    [Fact]
    public void the_maximum_share_is_granted_exactly_one_cent_more_is_not()
    {
        var p = OpenProgramme(CallId);
        var content = Content(Start, End, requested: 8000.01m); // 10,000 eligible costs, 80 % = 8,000
        Decide(Assessed(p, content), p, Approve(8000m, reductionReason: "Höchstsatz")).Issued.Notice.SharePercent.ShouldBe(80m);
        Refused(() => Decide(Assessed(p, content), p, Approve(8000.01m)), 422, ProblemTypes.BusinessRule).Errors("amount")[0].ShouldContain("at most 80 %");
    }

    [Fact]
    public void the_maximum_and_minimum_grant_hold_to_the_cent()
    {
        var p = OpenProgramme(CallId);
        var big = Content(Start, End, requested: 15000.01m, material: 20000m); // 29,000 eligible costs: the share is no limit here
        Decide(Assessed(p, big), p, Approve(15000m, reductionReason: "Höchstbetrag")).Issued.Notice.GrantedAmount.ShouldBe(15000m);
        Refused(() => Decide(Assessed(p, big), p, Approve(15000.01m)), 422, ProblemTypes.BusinessRule).Errors("amount")[0].ShouldContain("at most 15000.00 EUR");
        var small = Assessed(p);
        Decide(small, p, Approve(1000m, reductionReason: "gekürzt")).Issued.Notice.GrantedAmount.ShouldBe(1000m);
        Refused(() => Decide(small, p, Approve(999.99m, reductionReason: "gekürzt")), 422, ProblemTypes.BusinessRule).Errors("amount")[0]
            .ShouldContain("at least 1000.00 EUR");
    }

    [Fact]
    public void a_plan_whose_cash_costs_are_not_covered_is_refused()
    {
        var p = OpenProgramme(CallId);
        var unbalanced = Content(Start, End) with { OwnCash = 1499.99m };
        Refused(() => Decide(Assessed(p, unbalanced), p), 422, ProblemTypes.BusinessRule).Errors("plan")[0].ShouldContain("ANBest-P Nr. 1.2");
    }

    // Funding period (rule 3, VV Nr. 1.3 zu § 44 LHO): not before the notice date, unless an early start was approved

    [Fact]
    public void a_period_starting_on_the_notice_date_is_granted_the_day_before_is_not()
    {
        var p = OpenProgramme(CallId);
        Decide(Assessed(p, Content(Today, End)), p, Approve(split: [new(2026, 1000m), new(2027, 6000m)])).Issued.Notice.PeriodStart.ShouldBe(Today);
        var ex = Refused(() => Decide(Assessed(p, Content(Today.AddDays(-1), End)), p, Approve(split: [new(2026, 1000m), new(2027, 6000m)])),
            422, ProblemTypes.BusinessRule);
        ex.Errors("periodStart")[0].ShouldContain("VV Nr. 1.3 zu § 44 LHO");
        ex.Errors("periodStart")[0].ShouldContain("no early start was approved");
    }

    [Fact]
    public void with_an_early_start_the_period_may_begin_on_its_date_not_a_day_earlier()
    {
        var p = OpenProgramme(CallId);
        var from = Today.AddDays(-15);
        YearAmountInput[] split = [new(2026, 1000m), new(2027, 6000m)];
        var notice = Decide(Assessed(p, Content(from, End), earlyStartFrom: from), p, Approve(split: split)).Issued.Notice;
        notice.PeriodStart.ShouldBe(from);
        notice.EarlyStart.ShouldNotBeNull().From.ShouldBe(from);
        var ex = Refused(() => Decide(Assessed(p, Content(from.AddDays(-1), End), earlyStartFrom: from), p, Approve(split: split)), 422, ProblemTypes.BusinessRule);
        ex.Errors("periodStart")[0].ShouldContain($"early start was approved from {from:yyyy-MM-dd}");
    }

    // Year split (rule 4): the budget years add up to the amount, only years of the period, each once

    [Fact]
    public void a_split_over_two_years_must_add_up_to_the_amount_to_the_cent()
    {
        var p = OpenProgramme(CallId);
        var content = Content(new DateOnly(2027, 7, 1), new DateOnly(2028, 6, 30));
        var approval = Decide(Assessed(p, content), p, Approve(split: [new(2028, 4000m), new(2027, 3000m)]));
        approval.Committed.Years.ShouldBe([new YearAmount(2027, 3000m), new YearAmount(2028, 4000m)]); // ordered by year
        approval.Issued.Notice.YearSplit.ShouldBe(approval.Committed.Years);

        var ex = Refused(() => Decide(Assessed(p, content), p, Approve(split: [new(2027, 3000m), new(2028, 3999.99m)])), 422, ProblemTypes.BusinessRule);
        ex.Errors("yearSplit")[0].ShouldContain("add up to 6999.99 EUR, not 7000.00 EUR");
        Refused(() => Decide(Assessed(p, content), p, Approve(split: [new(2027, 3000m), new(2028, 4000.01m)])), 422, ProblemTypes.BusinessRule)
            .Errors("yearSplit").ShouldNotBeEmpty();
    }

    [Fact]
    public void a_split_is_required_for_several_years_and_names_only_years_of_the_period_once()
    {
        var p = OpenProgramme(CallId);
        var content = Content(new DateOnly(2027, 7, 1), new DateOnly(2028, 6, 30));
        Refused(() => Decide(Assessed(p, content), p), 400, ProblemTypes.Validation).Errors("yearSplit")[0].ShouldContain("2027–2028");
        Refused(() => Decide(Assessed(p, content), p, Approve(split: [new(2026, 3000m), new(2028, 4000m)])), 400, ProblemTypes.Validation)
            .Fields().ShouldBe(["yearSplit[0].year"]);
        Refused(() => Decide(Assessed(p, content), p, Approve(split: [new(2027, 3000m), new(2027, 4000m)])), 400, ProblemTypes.Validation)
            .Fields().ShouldBe(["yearSplit"]);
        Refused(() => Decide(Assessed(p, content), p, Approve(split: [new(2027, 7000m), new(2028, 0m)])), 400, ProblemTypes.Validation)
            .Fields().ShouldBe(["yearSplit[1].amount"]);
    }

    // Rejection

    [Fact]
    public void a_rejection_needs_reasons_and_is_a_notice()
    {
        var p = OpenProgramme(CallId);
        var a = Assessed(p);
        Refused(() => RejectApplicationEndpoint.Decide(a, p, new RejectApplication("  ", 4), "AB-2026-000001", Approver, Now), 400, ProblemTypes.Validation).Fields().ShouldBe(["reasons"]);
        var rejected = RejectApplicationEndpoint.Decide(a, p, new RejectApplication(" Bedarf nicht belegt ", 4), "AB-2026-000001", Approver, Now).ShouldHaveSingleItem()
            .ShouldBeOfType<ApplicationRejected>();
        rejected.Reasons.ShouldBe("Bedarf nicht belegt");
        rejected.ApproverId.ShouldBe(Approver.Id);
        rejected.Notice.ShouldNotBeNull().LegalRemedy.Court.ShouldBe("Verwaltungsgericht Düsseldorf"); // no seat given: the authority's court
    }
}
