using FundingPrograms.Grants;
using FundingPrograms.Infrastructure;
using FundingPrograms.Programmes;
using FundingPrograms.Recovery;

namespace FundingPrograms.Tests.Recovery;

/// <summary>§ 49a (3) VwVfG NRW interest, checked against calculations done by hand (no database).</summary>
public sealed class when_interest_is_computed_on_a_recovery_claim
{
    private static readonly BaseRateTable Rates = BaseRateTable.Seeded();

    private static InterestTranche T(string label, DateOnly from, decimal amount) => new(label, null, from, from, amount);

    [Fact]
    public void three_payments_across_three_rate_changes_match_the_hand_calculation()
    {
        // Base rates 1.62 (H1 2023), 3.12 (H2 2023), 3.62 (H1 2024), 3.37 (H2 2024): interest rates 6.62, 8.12, 8.62, 8.37 %.
        // By hand (principal × rate × days / 365, periods [from, to)):
        //   4,000 from 15.03.2023: 108 d × 6.62 % = 78.351781; 184 d × 8.12 % = 163.734795; 182 d × 8.62 % = 171.927671; 71 d × 8.37 % = 65.125479
        //   2,500 from 02.10.2023:  91 d × 8.12 % = 50.610959; 182 d × 8.62 % = 107.454795; 71 d × 8.37 % = 40.703425
        //   1,000 from 20.02.2024: 132 d × 8.62 % = 31.173699;  71 d × 8.37 % = 16.281370
        //   sum 725.363973 → 725.36 EUR (rounded once, at the end)
        var tranches = new[] { T("A", new(2023, 3, 15), 4000m), T("B", new(2023, 10, 2), 2500m), T("C", new(2024, 2, 20), 1000m) };
        var result = InterestCalculator.Calculate(tranches, [], 0m, new DateOnly(2024, 9, 10), Rates);

        result.InterestAccrued.ShouldBe(725.36m);
        result.Periods.Count.ShouldBe(9);
        result.Periods.Select(p => p.Days).ShouldBe([108, 184, 182, 71, 91, 182, 71, 132, 71]);
        result.Periods.Select(p => p.RatePercent).ShouldBe([6.62m, 8.12m, 8.62m, 8.37m, 8.12m, 8.62m, 8.37m, 8.62m, 8.37m]);
        result.Periods[0].ExactAmount.ShouldBe(78.351781m);
        result.Periods[0].Amount.ShouldBe(78.35m);
        result.Periods[7].From.ShouldBe(new DateOnly(2024, 2, 20));
        result.Periods[7].To.ShouldBe(new DateOnly(2024, 7, 1));
        result.Balance.ShouldBe(7500m + 725.36m);
    }

    [Fact]
    public void a_receipt_pays_interest_first_then_principal_and_interest_runs_on_the_rest()
    {
        // 10,000 from 01.01.2025; 5,000 arrive on 01.04.2025. Rates 7.27 % (H1 2025), 6.27 % (H2 2025).
        //   to 01.04.: 90 d × 7.27 % on 10,000 = 179.260274 → 179.26 interest paid, 4,820.74 principal paid, 5,179.26 left
        //   to 01.07.: 91 d × 7.27 % on 5,179.26 = 93.875152; to 01.10.: 92 d × 6.27 % = 81.852174
        //   total exact 354.987600 → 354.99; outstanding interest 354.99 − 179.26 = 175.73
        var result = InterestCalculator.Calculate([T("A", new(2025, 1, 1), 10000m)], [new ClaimReceipt("r1", new(2025, 4, 1), 5000m)], 0m,
            new DateOnly(2025, 10, 1), Rates);
        var receipt = result.Receipts.Single();
        receipt.ToInterest.ShouldBe(179.26m);
        receipt.ToPrincipal.ShouldBe(4820.74m);
        result.PrincipalOutstanding.ShouldBe(5179.26m);
        result.InterestAccrued.ShouldBe(354.99m);
        result.InterestOutstanding.ShouldBe(175.73m);
        result.Balance.ShouldBe(5179.26m + 175.73m);
    }

    [Fact]
    public void costs_come_before_interest_and_a_surplus_is_flagged_as_overpaid()
    {
        var result = InterestCalculator.Calculate([T("A", new(2025, 1, 1), 1000m)], [new ClaimReceipt("r1", new(2025, 1, 1), 1100m)], 20m,
            new DateOnly(2025, 6, 1), Rates);
        var receipt = result.Receipts.Single();
        receipt.ToCosts.ShouldBe(20m);
        receipt.ToInterest.ShouldBe(0m); // paid on the first day: no interest yet
        receipt.ToPrincipal.ShouldBe(1000m);
        receipt.Overpaid.ShouldBe(80m);
        result.Overpaid.ShouldBe(80m);
        result.Balance.ShouldBe(-80m);
        result.InterestAccrued.ShouldBe(0m);
    }

    [Fact]
    public void a_missing_base_rate_is_refused_naming_the_half_year()
    {
        var error = Should.Throw<MissingBaseRateException>(() =>
            InterestCalculator.Calculate([T("A", new(2025, 11, 1), 1000m)], [], 0m, new DateOnly(2026, 2, 1), Rates));
        error.HalfYear.ShouldBe(new DateOnly(2026, 1, 1));
        error.Message.ShouldContain("first half of 2026");
        Should.Throw<MissingBaseRateException>(() => Rates.RateOn(new DateOnly(2016, 6, 30))).HalfYear.ShouldBe(new DateOnly(2016, 1, 1));
        Rates.RateOn(new DateOnly(2020, 3, 1)).ShouldBe(-0.88m); // unchanged from 1 July 2016 to the end of 2022
        InterestCalculator.Calculate([T("A", new(2025, 11, 1), 1000m)], [], 0m, new DateOnly(2026, 1, 1), Rates).Periods.Single().Days.ShouldBe(61);
    }

    [Fact]
    public void a_negative_base_rate_still_gives_five_points_above_it()
    {
        // 1,000 for 365 days at −0.88 + 5 = 4.12 %.
        InterestCalculator.Calculate([T("A", new(2019, 1, 1), 1000m)], [], 0m, new DateOnly(2020, 1, 1), Rates).InterestAccrued.ShouldBe(41.20m);
    }

    [Fact]
    public void the_claim_takes_the_latest_payments_and_interest_never_starts_before_a_payment()
    {
        var p1 = Guid.NewGuid(); var p2 = Guid.NewGuid(); var p3 = Guid.NewGuid();
        var tranches = InterestCalculator.Tranches([(p1, new DateOnly(2027, 1, 15), 3000m), (p2, new DateOnly(2027, 3, 15), 2000m), (p3, new DateOnly(2027, 5, 14), 2000m)],
            3000m, new DateOnly(2027, 2, 1));
        tranches.Count.ShouldBe(2);
        tranches[0].PaymentId.ShouldBe(p2);
        tranches[0].Amount.ShouldBe(1000m);
        tranches[0].InterestFrom.ShouldBe(new DateOnly(2027, 3, 15));
        tranches[1].PaymentId.ShouldBe(p3);
        tranches[1].Amount.ShouldBe(2000m);
        var all = InterestCalculator.Tranches([(p1, new DateOnly(2027, 1, 15), 3000m)], 3000m, new DateOnly(2027, 2, 1));
        all.Single().InterestFrom.ShouldBe(new DateOnly(2027, 2, 1)); // paid before the grant became ineffective: from that day
    }

    [Fact]
    public void a_remission_stops_interest_and_extinguishes_what_was_owed()
    {
        var result = InterestCalculator.Calculate([T("A", new(2025, 1, 1), 1000m)], [], 0m, new DateOnly(2025, 12, 31), Rates, remittedOn: new DateOnly(2025, 4, 1));
        result.InterestAccrued.ShouldBe(17.93m); // 90 d × 7.27 % on 1,000 = 17.926027
        result.Remitted.ShouldBe(1017.93m);
        result.Balance.ShouldBe(0m);
    }
}

public sealed class when_a_revocation_is_decided
{
    private static readonly DateTimeOffset Now = new(2027, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly Actor Officer = new("anna", "Anna Officer", [Roles.Officer], null);

    private static Grant Grant(DateOnly learnedOn, DateOnly? replyDue = null, bool dispensed = false)
    {
        var grant = new Grant { Id = Guid.NewGuid() };
        grant.Revocation.Apply(new RevocationFactsRecorded(grant.Id, Guid.NewGuid(), learnedOn, "Mittel zweckwidrig verwendet", "Prüfbericht",
            RecordRevocationFactsEndpoint.DeadlineFor(learnedOn), "anna", "Anna", Now));
        if (replyDue is { } due) grant.Revocation.Apply(new HearingLetterSent(grant.Id, Guid.NewGuid(), "Anhörung", due, "anna", "Anna", Now));
        if (dispensed) grant.Revocation.Apply(new HearingDispensed(grant.Id, "Zuwendungsempfänger hat selbst zurückgezahlt", "anna", "Anna", Now));
        return grant;
    }

    [Fact]
    public void after_the_one_year_period_it_is_refused_naming_the_last_day()
    {
        var today = new DateOnly(2027, 6, 1);
        RevocationRules.Timely(Grant(new DateOnly(2026, 6, 1)), null, today).DeadlineOn.ShouldBe(today); // the last day still counts
        var problem = Should.Throw<ProblemException>(() => RevocationRules.Timely(Grant(new DateOnly(2026, 5, 31)), null, today));
        problem.Problem.Status.ShouldBe(422);
        problem.Message.ShouldContain("2027-05-31");
        problem.Message.ShouldContain("§ 48 (4)");
    }

    [Fact]
    public void before_the_hearing_reply_is_due_it_is_refused_unless_the_hearing_was_not_needed()
    {
        var today = new DateOnly(2027, 6, 1);
        Should.Throw<ProblemException>(() => RevocationRules.Heard(Grant(new DateOnly(2027, 1, 1)), today)).Message.ShouldContain("§ 28 (1)");
        Should.Throw<ProblemException>(() => RevocationRules.Heard(Grant(new DateOnly(2027, 1, 1), replyDue: today), today)).Message.ShouldContain("2027-06-02");
        RevocationRules.Heard(Grant(new DateOnly(2027, 1, 1), replyDue: today.AddDays(-1)), today);
        RevocationRules.Heard(Grant(new DateOnly(2027, 1, 1), replyDue: today.AddDays(10), dispensed: true), today);
    }

    [Fact]
    public void the_new_split_keeps_paid_years_and_releases_the_rest_latest_year_first()
    {
        YearAmount[] old = [new(2027, 5000m), new(2028, 5000m)];
        ApproveRevocationEndpoint.NewSplit(old, [new(2027, 3000m)], 6000m).ShouldBe([new YearAmount(2027, 5000m), new YearAmount(2028, 1000m)]);
        ApproveRevocationEndpoint.NewSplit(old, [new(2028, 5000m)], 6000m).ShouldBe([new YearAmount(2027, 1000m), new YearAmount(2028, 5000m)]);
        ApproveRevocationEndpoint.NewSplit(old, [new(2027, 5000m), new(2028, 2000m)], 4000m).ShouldBe([new YearAmount(2027, 4000m)]);
        ApproveRevocationEndpoint.NewSplit(old, [], 0m).ShouldBeEmpty();
    }

    [Fact]
    public void the_proposal_needs_a_lower_amount_and_an_effective_day_not_in_the_future()
    {
        var grant = Grant(new DateOnly(2027, 1, 1), dispensed: true);
        grant.Notices.Add(new GrantNotice(1, "ZB-2026-X", "P", Guid.NewGuid(), "Org", Guid.NewGuid(), new() { ["de"] = "P" }, 7000m, 7000m, null,
            FinancingType.Share, 10000m, 70m, 7000m, new(2027, 1, 1), new(2027, 12, 31), "0710", [new(2027, 7000m)], "c", "ANBest-P", new(2028, 6, 30),
            new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), "b", null));
        var ok = ProposeRevocationEndpoint.Decide(grant, new ProposeRevocation("partial", 4000m, new(2027, 2, 1), "Kürzung", "§ 49 Abs. 3 Satz 1 Nr. 1 VwVfG NRW", null, null, 1),
            Guid.NewGuid(), Officer, Now);
        ok.Single().ShouldBeOfType<RevocationProposed>().NewAmount.ShouldBe(4000m);
        Should.Throw<ProblemException>(() => ProposeRevocationEndpoint.Decide(grant,
            new ProposeRevocation("partial", 8000m, new(2027, 2, 1), "x", "y", null, null, 1), Guid.NewGuid(), Officer, Now)).Problem.Status.ShouldBe(422);
        Should.Throw<ProblemException>(() => ProposeRevocationEndpoint.Decide(grant,
            new ProposeRevocation("partial", 4000m, new(2027, 7, 1), "x", "y", null, null, 1), Guid.NewGuid(), Officer, Now)).Problem.Status.ShouldBe(422);
        Should.Throw<ProblemException>(() => ProposeRevocationEndpoint.Decide(grant,
            new ProposeRevocation("sideways", null, new(2027, 2, 1), "x", "y", null, null, 1), Guid.NewGuid(), Officer, Now)).Problem.Status.ShouldBe(400);
    }
}

public sealed class when_a_claim_is_overdue
{
    private static RecoveryClaim Claim(DateOnly due) => RecoveryClaim.Create(new RecoveryClaimRaised(Guid.NewGuid(), "RF-1", Guid.NewGuid(), "ZB", Guid.NewGuid(), "Org",
        Guid.NewGuid(), ClaimBasis.Manual, "r", 1000m, 0m, due.AddDays(-40), [new InterestTranche("A", null, due.AddDays(-40), due.AddDays(-40), 1000m)], due, [],
        "f", "F", DateTimeOffset.UnixEpoch));

    /// <summary>Base rates known up to the end of June 2027 (1.5 % from 2026 on: 6.5 % interest).</summary>
    private static BaseRateTable Rates(DateOnly upTo)
    {
        var t = BaseRateTable.Seeded();
        for (var from = new DateOnly(2026, 1, 1); from <= upTo; from = BaseRateTable.NextHalfYear(from))
            t.Apply(new BaseRateEntered(BaseRateTable.StreamId, from, 1.5m, "Testwert", "f", "F", DateTimeOffset.UnixEpoch));
        return t;
    }

    [Fact]
    public void a_reminder_goes_out_fourteen_days_after_the_due_date_once_per_level()
    {
        var due = new DateOnly(2027, 3, 1);
        var claim = Claim(due);
        var rates = Rates(new DateOnly(2027, 1, 1));
        var now = DateTimeOffset.UnixEpoch;
        DunningStatement On(DateOnly day) => Dunning.Statement(claim, day, rates);
        // On the due date itself the claim is still in time; overdue from the day after.
        Dunning.Decide(claim, new ClaimReminderDue(claim.Id, 1), On(due), due, now).ShouldBe((null, (DateOnly?)due.AddDays(14)));
        claim.OverdueSince(due).ShouldBeNull();
        claim.OverdueSince(due.AddDays(1)).ShouldBe(due.AddDays(1));
        Dunning.Decide(claim, new ClaimReminderDue(claim.Id, 1), On(due.AddDays(13)), due.AddDays(13), now).LookAgainOn.ShouldBe(due.AddDays(14));
        var send = Dunning.Decide(claim, new ClaimReminderDue(claim.Id, 1), On(due.AddDays(14)), due.AddDays(14), now).Send.ShouldNotBeNull();
        send.Level.ShouldBe(1);
        send.OverdueSince.ShouldBe(due.AddDays(1));
        // 1,000 from 20 January to 15 March 2027 (54 days) at 6.5 %: 9.616438 → 9.62; the reminder states principal and interest.
        send.AmountDue.ShouldBe(1009.62m);
        claim.Apply(send);
        Dunning.Decide(claim, new ClaimReminderDue(claim.Id, 1), On(due.AddDays(15)), due.AddDays(15), now).ShouldBe((null, null));
        // The principal paid: no longer overdue (the interest left is owed, but overdue depends on the principal).
        claim.Apply(new RecoveryPaymentReceived(claim.Id, "k", 1000m, due.AddDays(16), "manual", null, null, null, null, now));
        claim.OverdueSince(due.AddDays(28)).ShouldBeNull();
        Dunning.Decide(claim, new ClaimReminderDue(claim.Id, 2), On(due.AddDays(28)), due.AddDays(28), now).ShouldBe((null, null));
    }

    [Fact]
    public void while_a_base_rate_is_missing_a_reminder_states_the_interest_known_so_far_and_more_to_come_in_german()
    {
        // 1,000.00 EUR ineffective from 1 March 2026, due 1 April 2026; rates entered up to the second half of 2026; today 15 February 2027.
        var claim = RecoveryClaim.Create(new RecoveryClaimRaised(Guid.NewGuid(), "RF492027000042", Guid.NewGuid(), "ZB", Guid.NewGuid(), "Org", Guid.NewGuid(),
            ClaimBasis.Manual, "r", 1000m, 0m, new DateOnly(2026, 3, 1), [new InterestTranche("A", null, new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 1), 1000m)],
            new DateOnly(2026, 4, 1), [], "f", "F", DateTimeOffset.UnixEpoch));
        var statement = Dunning.Statement(claim, new DateOnly(2027, 2, 15), Rates(new DateOnly(2026, 7, 1)));
        // 306 days (1 March 2026 up to 1 January 2027) at 6.5 %: 1,000 × 0.065 × 306 / 365 = 54.493151 → 54.49. Before: "Offen sind 1,000.00 EUR".
        statement.Principal.ShouldBe(1000m);
        statement.Interest.ShouldBe(54.49m);
        statement.Total.ShouldBe(1054.49m);
        statement.InterestComplete.ShouldBeFalse();
        statement.InterestUntil.ShouldBe(new DateOnly(2027, 1, 1));
        statement.Text.ShouldContain("Hauptforderung 1.000,00 EUR");
        statement.Text.ShouldContain("Zinsen nach § 49a Abs. 3 VwVfG NRW bis einschließlich 31.12.2026 54,49 EUR");
        statement.Text.ShouldContain("zusammen 1.054,49 EUR");
        statement.Text.ShouldContain("zuzüglich weiterer Zinsen nach § 49a Abs. 3 VwVfG NRW ab dem 01.01.2027");
        // Overdue since the day after the due date, whether or not the rate is known.
        claim.OverdueSince(new DateOnly(2027, 2, 15)).ShouldBe(new DateOnly(2026, 4, 2));
        var send = Dunning.Decide(claim, new ClaimReminderDue(claim.Id, 1), statement, new DateOnly(2027, 2, 15), DateTimeOffset.UnixEpoch).Send.ShouldNotBeNull();
        send.AmountDue.ShouldBe(1054.49m);

        // Complete when every rate is known: still "zuzüglich weiterer Zinsen" (they run until the money arrives).
        var known = Dunning.Statement(claim, new DateOnly(2027, 2, 15), Rates(new DateOnly(2027, 1, 1)));
        known.InterestComplete.ShouldBeTrue();
        known.Text.ShouldContain("zuzüglich weiterer Zinsen nach § 49a Abs. 3 VwVfG NRW bis zum Tag des Zahlungseingangs.");
        known.Total.ShouldBeGreaterThan(statement.Total);
    }

    [Fact]
    public void with_instalments_only_an_uncovered_instalment_is_overdue_from_the_day_after_it()
    {
        var claim = Claim(new DateOnly(2027, 3, 1));
        claim.Apply(new RecoveryInstalmentsAgreed(claim.Id, [new(new(2027, 3, 1), 500m), new(new(2027, 4, 1), 510m)], "r", "f", "F", DateTimeOffset.UnixEpoch));
        claim.OverdueSince(new DateOnly(2027, 3, 1)).ShouldBeNull();
        claim.OverdueSince(new DateOnly(2027, 3, 10)).ShouldBe(new DateOnly(2027, 3, 2));
        claim.Apply(new RecoveryPaymentReceived(claim.Id, "k", 500m, new(2027, 3, 5), "manual", null, null, null, null, DateTimeOffset.UnixEpoch));
        claim.OverdueSince(new DateOnly(2027, 3, 10)).ShouldBeNull();
        claim.OverdueSince(new DateOnly(2027, 4, 2)).ShouldBe(new DateOnly(2027, 4, 2));
    }
}
