using FundingPrograms.Applications;
using FundingPrograms.Grants;
using FundingPrograms.Infrastructure;
using FundingPrograms.Payments;
using FundingPrograms.Programmes;
using FundingPrograms.ReferenceData;

namespace FundingPrograms.Tests.Grants;

/// <summary>The grant-law rules of issue 12 as pure decider tests (no database): each rule and its edge.</summary>
public sealed class grant_law_deciders
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero); // notice date 2026-11-27 (Berlin)
    private static readonly DateOnly Today = new(2026, 11, 27);
    private static readonly DateOnly YearEnd = new(2026, 12, 31);
    private static readonly Actor Officer = new("anna", "Anna Officer", [Roles.Officer], null);
    private static readonly Actor Officer2 = new("olaf", "Olaf Officer", [Roles.Officer], null);
    private static readonly Actor Approver = new("bernd", "Bernd Approver", [Roles.Approver], null);
    private static readonly Actor Finance = new("fatma", "Fatma Finance", [Roles.Finance], null);

    private static Programme Programme(string[]? types = null)
    {
        var definition = new ProgrammeInput(new() { ["de"] = "P" }, new() { ["de"] = "D" }, new LegalBasisInput("Richtlinie MSO", new DateOnly(2024, 1, 15)),
            ["II"], ["women"], ["mso"], new FinancingRulesInput(types ?? ["share", "fixedAmount"], 80, 1000, 15000, 20, 15, null, null), [],
            "Verwaltungsgericht Köln").Validate(ReferenceCatalogue.Instance);
        var p = FundingPrograms.Programmes.Programme.Create(new ProgrammeCreated(Guid.NewGuid(), definition, Now.AddYears(-1)));
        p.Apply(new ProgrammePublished(p.Id, Now.AddYears(-1)));
        foreach (var year in new[] { 2026, 2027, 2028, 2029 }) p.Apply(new BudgetAllocated(p.Id, "0710/684 10", null, year, 100_000m, null, Now));
        p.Apply(new CallOpened(p.Id, CallId, new() { ["de"] = "C" }, new() { ["de"] = "D" }, Now.AddDays(-30), Now.AddDays(30), [], null, Now.AddDays(-30)));
        return p;
    }

    private static readonly Guid CallId = Guid.NewGuid();

    private static ApplicationContent Content(DateOnly start, DateOnly end, decimal material = 1000m, FinancingType type = FinancingType.Share) =>
        new("Frauencafé", "Treffpunkt für neu zugewanderte Frauen", "Beschreibung", "II", ["women"], ["05315"], start, end,
            [new CostItem(CostCategory.Staff, "Koordination", 8000m, 25, 12, "Koordination"), new CostItem(CostCategory.Material, "Material", material, null, null, null)],
            1500m, 1000m, [new ThirdPartyFund("Stadt", 500m, true)], 7000m, type);

    private static Application Assessed(ApplicationContent content, ApplicationEarlyStartApproved? earlyStart = null) => new()
    {
        Id = Guid.NewGuid(), OrganisationId = Guid.NewGuid(), OrganisationName = "Verein Brücke e.V.", OrganisationType = "mso", CallId = CallId,
        Content = content, State = ApplicationState.Assessed, EarlyStart = earlyStart,
        Assessment = new ApplicationAssessed(Guid.NewGuid(), [], 80, Recommendation.Approve, 7000m, null, "omar", "Omar Officer", Now),
    };

    private static ApproveApplication Approve(decimal amount = 7000m, YearAmountInput[]? split = null) =>
        new(amount, amount < 7000m ? "gekürzt" : null, "0710/684 10", split, "Zweckbindung", "ANBest-P (Fassung 2023)", [], 4);

    private static Approval Approved(Application a, Programme p, ApproveApplication? cmd = null, string? seatDistrict = null) =>
        ApproveApplicationEndpoint.Decide(a, p, Guid.NewGuid(), "ZB-2026-000001", cmd ?? Approve(), [], Approver, Now, seatDistrict);

    private static ProblemException Refused(Action act, int status)
    {
        var ex = Should.Throw<ProblemException>(act);
        ex.Problem.Status.ShouldBe(status);
        return ex;
    }

    private static string[] Errors(ProblemException ex, string field) =>
        ((IDictionary<string, string[]>)ex.Problem.Extensions["errors"]!)[field];

    // 1. No funding of projects already begun (VV Nr. 1.3 zu § 44 LHO)

    [Fact]
    public void a_period_starting_on_the_notice_date_is_allowed_the_day_before_is_not()
    {
        var p = Programme();
        Approved(Assessed(Content(Today, YearEnd)), p).Issued.Notice.PeriodStart.ShouldBe(Today);
        var ex = Refused(() => Approved(Assessed(Content(Today.AddDays(-1), YearEnd)), p), 422);
        Errors(ex, "periodStart")[0].ShouldContain("VV Nr. 1.3 zu § 44 LHO");
    }

    [Fact]
    public void an_early_start_approved_beforehand_allows_a_start_from_its_date_and_the_notice_mentions_it()
    {
        var p = Programme();
        var a = Assessed(Content(Today.AddDays(-10), YearEnd));
        var early = (ApplicationEarlyStartApproved)ApproveEarlyStartEndpoint.Decide(a, new ApproveEarlyStart(null, "Beginn vor Schuljahr nötig", 4), Officer, Now.AddDays(-20)).Single();
        early.From.ShouldBe(Today.AddDays(-20));
        var notice = Approved(Assessed(a.Content, early), p).Issued.Notice;
        notice.EarlyStart.ShouldNotBeNull().From.ShouldBe(Today.AddDays(-20));
        notice.EarlyStart.Note.ShouldContain("keinen Anspruch");
        // Not before the early start's own date.
        var tooEarly = Assessed(Content(Today.AddDays(-21), YearEnd), early);
        Errors(Refused(() => Approved(tooEarly, p), 422), "periodStart")[0].ShouldContain("VV Nr. 1.3");
    }

    [Fact]
    public void an_early_start_cannot_be_backdated_given_twice_or_for_a_draft()
    {
        var a = Assessed(Content(Today, Today.AddMonths(12)));
        Errors(Refused(() => ApproveEarlyStartEndpoint.Decide(a, new ApproveEarlyStart(Today.AddDays(-1), "x", 4), Officer, Now), 422), "from").ShouldNotBeEmpty();
        ApproveEarlyStartEndpoint.Decide(a, new ApproveEarlyStart(Today, "x", 4), Officer, Now).ShouldHaveSingleItem();
        Refused(() => ApproveEarlyStartEndpoint.Decide(a, new ApproveEarlyStart(null, null, 4), Officer, Now), 400);
        var draft = new Application { Id = a.Id, Content = a.Content, State = ApplicationState.Draft };
        Refused(() => ApproveEarlyStartEndpoint.Decide(draft, new ApproveEarlyStart(null, "x", 1), Officer, Now), 409);
        var given = new Application
        {
            Id = a.Id, Content = a.Content, State = ApplicationState.Submitted,
            EarlyStart = new ApplicationEarlyStartApproved(a.Id, Today, "x", "anna", "Anna", Now)
        };
        Refused(() => ApproveEarlyStartEndpoint.Decide(given, new ApproveEarlyStart(null, "x", 2), Officer, Now), 409);
    }

    // 2. Amendments obey the rules of the first notice

    private static (Grant Grant, Programme Programme) Granted(DateOnly? start = null, decimal amount = 7000m)
    {
        var p = Programme();
        var s = start ?? new DateOnly(2027, 1, 1);
        var approval = Approved(Assessed(Content(s, new DateOnly(s.Year, 12, 31))), p, Approve(amount));
        p.Apply(approval.Committed);
        return (Grant.Create(approval.Issued), p);
    }

    private static AmendGrant Amend(decimal? amount = null, DateOnly? start = null, DateOnly? end = null, YearAmountInput[]? split = null, string? conditions = null) =>
        new(amount, split, start, end, conditions, null, "Änderung", 1);

    [Fact]
    public void a_period_of_exactly_36_months_is_allowed_one_day_more_is_not()
    {
        var (g, p) = Granted();
        YearAmountInput[] split = [new(2027, 7000m)];
        AmendGrantEndpoint.Decide(g, p, Amend(end: new DateOnly(2029, 12, 31), split: split), Officer, Guid.NewGuid(), Now).Issued.ShouldNotBeNull()
            .Amended.Notice.PeriodEnd.ShouldBe(new DateOnly(2029, 12, 31));
        var ex = Refused(() => AmendGrantEndpoint.Decide(g, p, Amend(end: new DateOnly(2030, 1, 1), split: split), Officer, Guid.NewGuid(), Now), 422);
        Errors(ex, "periodEnd")[0].ShouldContain("36 months");
    }

    [Fact]
    public void an_amendment_cannot_move_the_start_before_the_call_or_before_its_date_without_early_start()
    {
        var (g, p) = Granted(start: Today.AddDays(10), amount: 7000m);
        YearAmountInput[] split = [new(2026, 7000m)];
        Errors(Refused(() => AmendGrantEndpoint.Decide(g, p, Amend(start: Today.AddDays(-1), split: split), Officer, Guid.NewGuid(), Now), 422), "periodStart")[0]
            .ShouldContain("VV Nr. 1.3");
        Errors(Refused(() => AmendGrantEndpoint.Decide(g, p, Amend(start: Today.AddDays(-40), split: split), Officer, Guid.NewGuid(), Now), 422), "periodStart")
            .ShouldContain(e => e.Contains("call opened"));
        AmendGrantEndpoint.Decide(g, p, Amend(start: Today, split: split), Officer, Guid.NewGuid(), Now).Issued.ShouldNotBeNull(); // the amendment's date itself
    }

    [Fact]
    public void a_raise_is_only_proposed_and_needs_another_approver_a_decrease_is_issued_at_once()
    {
        var (g, p) = Granted(amount: 6000m);
        var decision = AmendGrantEndpoint.Decide(g, p, Amend(amount: 7000m), Officer, Guid.NewGuid(), Now);
        decision.Issued.ShouldBeNull();
        var proposal = decision.Proposed.ShouldNotBeNull();
        g.Apply(proposal);
        Refused(() => ApproveGrantAmendmentEndpoint.Decide(g, p, proposal.ProposalId, Officer, "omar", Now), 403); // the proposer
        Refused(() => ApproveGrantAmendmentEndpoint.Decide(g, p, proposal.ProposalId, new Actor("omar", "Omar", [Roles.Approver], null), "omar", Now), 403); // the assessor
        Refused(() => ApproveGrantAmendmentEndpoint.Decide(g, p, Guid.NewGuid(), Approver, "omar", Now), 404);
        var issued = ApproveGrantAmendmentEndpoint.Decide(g, p, proposal.ProposalId, Approver, "omar", Now);
        issued.Amended.Notice.GrantedAmount.ShouldBe(7000m);
        issued.Amended.ProposedBy.ShouldBe("Anna Officer");
        issued.Committed.ShouldNotBeNull().Years.Single().Amount.ShouldBe(1000m);

        var cut = AmendGrantEndpoint.Decide(g, p, Amend(amount: 5000m), Officer2, Guid.NewGuid(), Now);
        cut.Proposed.ShouldBeNull();
        cut.Issued.ShouldNotBeNull().Released.ShouldNotBeNull().Years.Single().Amount.ShouldBe(1000m);
        AmendGrantEndpoint.Decide(g, p, Amend(conditions: "Neue Auflage"), Officer, Guid.NewGuid(), Now).Issued.ShouldNotBeNull();
    }

    [Fact]
    public void an_amendment_keeps_the_programme_caps()
    {
        var (g, p) = Granted();
        Errors(Refused(() => AmendGrantEndpoint.Decide(g, p, Amend(amount: 8000.01m), Officer, Guid.NewGuid(), Now), 422), "amount")[0].ShouldContain("80");
        AmendGrantEndpoint.Decide(g, p, Amend(amount: 8000m), Officer, Guid.NewGuid(), Now).Proposed.ShouldNotBeNull(); // 80 % exactly
        Errors(Refused(() => AmendGrantEndpoint.Decide(g, p, Amend(amount: 999.99m), Officer, Guid.NewGuid(), Now), 422), "amount")[0].ShouldContain("at least");
    }

    // 4. Proof-of-use deadline (ANBest-P Nr. 6.1)

    [Theory]
    [InlineData("2027-06-30", 6, "2027-12-31")]
    [InlineData("2027-06-15", 6, "2027-12-31")]
    [InlineData("2027-01-31", 6, "2027-07-31")]
    [InlineData("2027-08-31", 6, "2028-02-29")]
    [InlineData("2027-12-31", 6, "2028-06-30")]
    [InlineData("2027-06-30", 3, "2027-09-30")]
    public void proof_of_use_is_due_at_the_end_of_the_nth_month_after_the_period(string end, int months, string due) =>
        ProofOfUse.DueDate(DateOnly.Parse(end), months).ShouldBe(DateOnly.Parse(due));

    [Fact]
    public void the_notice_and_the_retention_follow_the_due_date()
    {
        var (g, _) = Granted(start: new DateOnly(2027, 1, 1));
        g.Notice.ProofOfUseDue.ShouldBe(new DateOnly(2028, 6, 30));
        GrantLedger.Retention(g.Notice).ShouldBe(new DateOnly(2033, 6, 30));
    }

    // 5. Volunteer work never covers cash costs

    [Fact]
    public void volunteer_work_counts_as_cost_and_own_contribution_but_never_covers_cash_costs()
    {
        // The case from the issue: 10,000 cash costs, 9,000 grant and 1,000 volunteer work does not balance.
        var bad = new ApplicationContent("T", "S", "D", "II", ["women"], ["05315"], Today, Today.AddMonths(6),
            [new CostItem(CostCategory.Material, "Material", 10000m, null, null, null)], 0m, 1000m, [], 9000m, FinancingType.Full);
        var f = PlanFigures.Of(bad, null);
        f.CashCosts.ShouldBe(10000m);
        f.TotalCosts.ShouldBe(11000m);
        var check = ApplicationRules.CashCovered(f, new Check());
        check.HasErrors.ShouldBeTrue();
        check.Errors["plan"][0].ShouldContain("never covers cash costs");
        ApplicationRules.CashCovered(PlanFigures.Of(bad with { RequestedAmount = 10000m }, null), new Check()).HasErrors.ShouldBeFalse();

        // Approval refuses such a plan too (a case submitted under the old rule).
        var p = Programme(["share", "fixedAmount", "full"]);
        Errors(Refused(() => Approved(Assessed(Content(Today, YearEnd, material: 2000m)), p), 422), "plan")[0].ShouldContain("ANBest-P Nr. 1.2");
    }

    // 8. The notice's content (VV Nr. 4.2 zu § 44 LHO)

    [Fact]
    public void the_notice_names_legal_basis_purpose_terms_eligible_costs_deadline_and_the_court()
    {
        var (g, _) = Granted();
        var n = g.Notice;
        n.LegalBasis.ShouldNotBeNull().Guideline.ShouldBe("Richtlinie MSO");
        n.LegalBasis.Provisions.ShouldContain("VV zu § 44 LHO NRW");
        n.Purpose.ShouldBe("Treffpunkt für neu zugewanderte Frauen");
        n.Terms.ShouldBe(new FinancingTerms(FinancingType.Share, 70m, 7000m, null));
        n.EligibleCosts!.Sum(c => c.Amount).ShouldBe(10000m);
        n.EligibleCosts!.ShouldContain(c => c.Category == "volunteerWork" && c.Amount == 1000m);
        // The programme names Köln, but the ministry's competence is Land-wide: without a known seat, the authority's court (§ 52 Nr. 3 Satz 3, Nr. 5 VwGO).
        n.LegalRemedy.ShouldNotBeNull().Court.ShouldBe("Verwaltungsgericht Düsseldorf");
        n.LegalRemedy.Text.ShouldContain("innerhalb eines Monats");
        var html = NoticePage.Render(n, "de");
        html.ShouldContain("Rechtsbehelfsbelehrung");
        html.ShouldContain("Anteil an den zuwendungsfähigen Ausgaben");
    }

    [Theory]
    [InlineData("05711", "Verwaltungsgericht Minden")]        // Bielefeld
    [InlineData("05315", "Verwaltungsgericht Köln")]
    [InlineData("05913", "Verwaltungsgericht Gelsenkirchen")] // Dortmund, Regierungsbezirk Arnsberg
    [InlineData("05978", "Verwaltungsgericht Gelsenkirchen")] // Kreis Unna
    [InlineData("05113", "Verwaltungsgericht Gelsenkirchen")] // Essen, Regierungsbezirk Düsseldorf
    [InlineData("05117", "Verwaltungsgericht Düsseldorf")]    // Mülheim an der Ruhr
    [InlineData("05914", "Verwaltungsgericht Arnsberg")]      // Hagen
    [InlineData("05334", "Verwaltungsgericht Aachen")]
    [InlineData("05515", "Verwaltungsgericht Münster")]
    [InlineData("09162", "Verwaltungsgericht Düsseldorf")]    // München: no seat in NRW, the authority's court
    public void the_court_of_the_rechtsbehelfsbelehrung_is_the_one_of_the_organisations_seat(string seat, string court)
    {
        var p = Programme();
        NoticeContent.Remedy(p.Definition, seat).Court.ShouldBe(court);
        Approved(Assessed(Content(new DateOnly(2027, 1, 1), new DateOnly(2027, 12, 31))), p, seatDistrict: seat).Issued.Notice.LegalRemedy!.Court.ShouldBe(court);
        var rejected = (ApplicationRejected)RejectApplicationEndpoint.Decide(Assessed(Content(Today, Today.AddMonths(6))), p,
            new RejectApplication("Bedarf nicht belegt", 4), "AB-2026-000001", Approver, Now, seat).Single();
        rejected.Notice!.LegalRemedy.Court.ShouldBe(court);
    }

    [Fact]
    public void every_nrw_district_has_exactly_one_court_and_only_a_local_authority_keeps_its_own()
    {
        var reference = ReferenceCatalogue.Instance;
        reference.Districts.ShouldAllBe(d => reference.AdministrativeCourts.Count(c => c.Districts.Contains(d.Code)) == 1);
        reference.AdministrativeCourts.Length.ShouldBe(7);
        reference.AdministrativeCourtsSource.ShouldContain("§ 17");
        // A programme of a Bezirksregierung whose competence is local names its court (§ 52 Nr. 3 Satz 1 VwGO): it applies whatever the seat.
        var local = Programme().Definition with { AdministrativeCourt = "Verwaltungsgericht Arnsberg", LocalAuthority = true };
        NoticeContent.Remedy(local, "05711").Court.ShouldBe("Verwaltungsgericht Arnsberg");
        // Without local competence the programme's court is no override (the ministry's programmes name one by default).
        NoticeContent.Remedy(local with { LocalAuthority = false }, "05711").Court.ShouldBe("Verwaltungsgericht Minden");
        Should.Throw<ProblemException>(() => new ProgrammeInput(new() { ["de"] = "P" }, new() { ["de"] = "D" }, new LegalBasisInput("Richtlinie", new DateOnly(2024, 1, 1)),
            ["II"], ["women"], ["mso"], new FinancingRulesInput(["share"], 80, 1000, 15000, 20, 15, null, null), [], null, true).Validate(reference))
            .Problem.Status.ShouldBe(400);
    }

    [Fact]
    public void a_fixed_amount_notice_prints_no_share()
    {
        var p = Programme();
        var n = Approved(Assessed(Content(new DateOnly(2027, 1, 1), new DateOnly(2027, 12, 31), type: FinancingType.FixedAmount)), p).Issued.Notice;
        n.Terms.ShouldBe(new FinancingTerms(FinancingType.FixedAmount, null, null, 7000m));
        // The notice itself carries no share either (before: the ratio 70.00 of amount to costs, inviting a recalculation by share).
        n.SharePercent.ShouldBeNull();
        var html = NoticePage.Render(n, "de");
        html.ShouldContain("Festbetrag");
        html.ShouldNotContain("Anteil an den zuwendungsfähigen Ausgaben");

        // An amendment of a fixed-amount grant keeps it share-free; a share grant's amendment restates its rate.
        var approval = Approved(Assessed(Content(new DateOnly(2027, 1, 1), new DateOnly(2027, 12, 31), type: FinancingType.FixedAmount)), p);
        p.Apply(approval.Committed);
        var g = Grant.Create(approval.Issued);
        var amended = AmendGrantEndpoint.Decide(g, p, Amend(amount: 6000m), Officer, Guid.NewGuid(), Now).Issued.ShouldNotBeNull().Amended.Notice;
        amended.SharePercent.ShouldBeNull();
        amended.Terms.ShouldBe(new FinancingTerms(FinancingType.FixedAmount, null, null, 6000m));
        var (share, sp) = Granted();
        AmendGrantEndpoint.Decide(share, sp, Amend(amount: 6000m), Officer, Guid.NewGuid(), Now).Issued.ShouldNotBeNull().Amended.Notice.SharePercent.ShouldBe(60m);
    }

    [Fact]
    public void a_rejection_is_a_notice_with_reasons_and_the_rechtsbehelfsbelehrung()
    {
        var p = Programme();
        var a = Assessed(Content(Today, Today.AddMonths(6)));
        var rejected = (ApplicationRejected)RejectApplicationEndpoint.Decide(a, p, new RejectApplication("Bedarf nicht belegt", 4), "AB-2026-000001", Approver, Now).Single();
        var n = rejected.Notice.ShouldNotBeNull();
        n.Reasons.ShouldBe("Bedarf nicht belegt");
        n.LegalRemedy.Court.ShouldBe("Verwaltungsgericht Düsseldorf");
        n.Reference.ShouldStartWith("AB-2026-");
        NoticePage.RenderRejection(n, "de").ShouldContain("Ablehnungsbescheid");
    }

    // 3. and 9. Drawdowns: after the period until the proof is due; share financing; refusal

    private static RequestPayment Draw(decimal? amount, DateOnly needed, decimal? due = null) => new(amount, needed, "Honorare", due);

    [Fact]
    public void a_drawdown_for_expenses_due_in_the_period_is_possible_until_the_proof_of_use_is_due()
    {
        var (g, _) = Granted(start: new DateOnly(2027, 1, 1)); // period 2027, proof due 2028-06-30
        var lastDay = new DateTimeOffset(2028, 6, 30, 10, 0, 0, TimeSpan.Zero);
        RequestPaymentEndpoint.Decide(g, Guid.NewGuid(), Draw(700m, new DateOnly(2027, 12, 31), 1000m), PaymentKind.Drawdown, 2, Officer, lastDay)
            .Requested.Amount.ShouldBe(700m);
        Errors(Refused(() => RequestPaymentEndpoint.Decide(g, Guid.NewGuid(), Draw(700m, new DateOnly(2027, 12, 31), 1000m), PaymentKind.Drawdown, 2, Officer,
            lastDay.AddDays(1)), 422), "neededOn")[0].ShouldContain("ANBest-P Nr. 1.4, 6.1");
        Errors(Refused(() => RequestPaymentEndpoint.Decide(g, Guid.NewGuid(), Draw(700m, new DateOnly(2028, 1, 1), 1000m), PaymentKind.Drawdown, 2, Officer,
            lastDay), 422), "neededOn")[0].ShouldContain("within the funding period");
    }

    [Fact]
    public void with_share_financing_only_the_grants_share_of_what_is_due_is_paid()
    {
        var (g, _) = Granted(start: new DateOnly(2027, 1, 1)); // 70 %
        var at = new DateTimeOffset(2027, 1, 10, 10, 0, 0, TimeSpan.Zero);
        var needed = new DateOnly(2027, 2, 1);
        RequestPaymentEndpoint.ShareOf(1000m, 70m).ShouldBe(700m);
        RequestPaymentEndpoint.ShareOf(0.99m, 70m).ShouldBe(0.69m); // rounded down
        RequestPaymentEndpoint.Decide(g, Guid.NewGuid(), Draw(null, needed, 1000m), PaymentKind.Drawdown, 2, Officer, at).Requested.Amount.ShouldBe(700m);
        RequestPaymentEndpoint.Decide(g, Guid.NewGuid(), Draw(700m, needed, 1000m), PaymentKind.Drawdown, 2, Officer, at).Requested.Amount.ShouldBe(700m);
        Errors(Refused(() => RequestPaymentEndpoint.Decide(g, Guid.NewGuid(), Draw(700.01m, needed, 1000m), PaymentKind.Drawdown, 2, Officer, at), 422), "amount")[0]
            .ShouldContain("ANBest-P Nr. 1.4");
        Errors(Refused(() => RequestPaymentEndpoint.Decide(g, Guid.NewGuid(), Draw(700m, needed), PaymentKind.Drawdown, 2, Officer, at), 422), "amountDue")
            .ShouldNotBeEmpty();
    }

    [Fact]
    public void a_drawdown_is_refused_with_a_reason_only_before_release_and_gives_its_reservation_back()
    {
        var (g, _) = Granted(start: new DateOnly(2027, 1, 1));
        var (requested, reserved) = RequestPaymentEndpoint.Decide(g, Guid.NewGuid(), Draw(700m, new DateOnly(2027, 2, 1), 1000m), PaymentKind.Drawdown, 2, Officer,
            new DateTimeOffset(2027, 1, 10, 10, 0, 0, TimeSpan.Zero));
        g.Apply(reserved);
        var payment = Payment.Create(requested);
        Refused(() => RefuseDrawdownEndpoint.Decide(payment, new RefuseDrawdown(" ", 1), Finance, Now), 400);
        var (refused, released) = RefuseDrawdownEndpoint.Decide(payment, new RefuseDrawdown("Zwischennachweis fehlt", 1), Finance, Now);
        refused.Reason.ShouldBe("Zwischennachweis fehlt");
        g.Apply(released);
        g.Requested.ShouldBe(0m);
        payment.Apply(refused);
        Refused(() => RefuseDrawdownEndpoint.Decide(payment, new RefuseDrawdown("again", 2), Finance, Now), 409);
    }

    // 6. Cash principle (§ 72 LHO)

    [Fact]
    public void a_payment_is_released_only_in_a_budget_year_with_money_for_it()
    {
        var (g, p) = Granted(start: new DateOnly(2027, 1, 1)); // 7,000 in 2027 only
        var (requested, _) = RequestPaymentEndpoint.Decide(g, Guid.NewGuid(), Draw(2000m, new DateOnly(2027, 1, 15), 3000m), PaymentKind.Drawdown, 2, Officer,
            new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
        var payment = Payment.Create(requested);
        Errors(Refused(() => CashBudget.EnsureRoom(payment, g, p, 2026), 422), "budgetYear")[0].ShouldContain("§ 72 LHO");
        CashBudget.EnsureRoom(payment, g, p, 2027);
        g.Apply(new GrantPaid(g.Id, Guid.NewGuid(), 6000m, 2027, new DateOnly(2027, 3, 1), Now));
        Errors(Refused(() => CashBudget.EnsureRoom(payment, g, p, 2027), 422), "budgetYear")[0].ShouldContain("1000.00");
    }

    // 7. Commitment appropriations (§ 38 LHO)

    [Fact]
    public void a_commitment_appropriation_is_for_later_years_and_becomes_cash_only_when_its_year_has_come()
    {
        var p = Programme();
        Errors(Refused(() => GrantCommitmentAppropriationEndpoint.Decide(p, new("0710/684 10", null, 2026, 1000m, "VE", 1), Now), 422), "year").ShouldNotBeEmpty();
        var granted = (CommitmentAppropriationGranted)GrantCommitmentAppropriationEndpoint.Decide(p, new("0710/684 10", null, 2030, 1000m, "VE", 1), Now).Single();
        p.Apply(granted);
        p.BudgetFor("0710/684 10", 2030)!.Free.ShouldBe(1000m);
        Errors(Refused(() => ConvertCommitmentAppropriationEndpoint.Decide(p, new("0710/684 10", 2030, "Jahr begonnen", 2), Now), 422), "year").ShouldNotBeEmpty();
        var converted = (CommitmentAppropriationConverted)ConvertCommitmentAppropriationEndpoint.Decide(p, new("0710/684 10", 2030, "Jahr begonnen", 2),
            new DateTimeOffset(2030, 1, 2, 9, 0, 0, TimeSpan.Zero)).Single();
        converted.Amount.ShouldBe(1000m);
        p.Apply(converted);
        p.BudgetFor("0710/684 10", 2030)!.Allocated.ShouldBe(1000m);
        Refused(() => ConvertCommitmentAppropriationEndpoint.Decide(p, new("0710/684 10", 2030, "nochmal", 3), new DateTimeOffset(2030, 1, 2, 9, 0, 0, TimeSpan.Zero)), 422);
    }
}
