using System.Text.Json;
using FundingPrograms.Grants;
using FundingPrograms.Infrastructure;
using FundingPrograms.Payments;
using FundingPrograms.Programmes;
using FundingPrograms.Proofs;
using FundingPrograms.Recovery;
using FundingPrograms.Tests.Infrastructure;
using FundingPrograms.Tests.Proofs;

namespace FundingPrograms.Tests.Recovery;

/// <summary>§ 49a (4) VwVfG NRW interest on money not used within the drawdown horizon, against a hand calculation (no database).</summary>
public sealed class when_money_lies_idle_after_a_drawdown
{
    private static readonly BaseRateTable Rates = BaseRateTable.Seeded();
    private static readonly Guid P1 = new("00000000-0000-0000-0000-000000000001");
    private static readonly Guid P2 = new("00000000-0000-0000-0000-000000000002");

    private static Receipt R(int no, DateOnly date, decimal amount, DateOnly? paidOn) => new(no, $"B-{no}", date, "Payee", "Zweck", 1, amount, paidOn);

    [Fact]
    public void expenses_use_the_earliest_payments_first_and_interest_runs_per_payment_across_the_rate_change()
    {
        // Payments: P1 3,000 booked 15.11.2024 (horizon ends 15.01.2025), P2 2,000 booked 10.01.2025 (ends 10.03.).
        // Money used after the horizon bears interest from the payment (§ 49a (4) VwVfG NRW, ANBest-P Nr. 8.5), not from the horizon's end.
        // Base rates 3.37 % (H2 2024), 2.27 % (H1 2025), 1.27 % (H2 2025): 8.37 %, 7.27 % and 6.27 %. FIFO by the day of payment:
        //   R1 1,000 paid 20.12.2024 → P1, in time: nothing.
        //   R2 1,500 paid 01.03.2025 → P1, late, 106 d from 15.11.: 47 d × 8.37 % = 16.166712, 59 d × 7.27 % = 17.627260
        //   R4   300 with no day of payment: its receipt date 01.04.2025 counts (order by day of use: R2, R4, R3)
        //        → P1, 137 d: 47 d × 8.37 % = 3.233342, 90 d × 7.27 % = 5.377808
        //   R3 1,200 paid 15.08.2025 → P1's last 200, 273 d: 47 d × 8.37 % = 2.155562, 181 d × 7.27 % = 7.210247, 45 d × 6.27 % = 1.546027
        //                              → P2 1,000, 217 d: 172 d × 7.27 % (10.01.→01.07.) = 34.258630, 45 d × 6.27 % = 7.730137
        //   P2's other 1,000 is not used (recovered with § 49a (3) interest, not here).
        //   P1: 53.316959 → 53.32; P2: 41.988767 → 41.99; total 95.31.
        var payments = new[] { new BookedPayment(P2, new(2025, 1, 10), 2000m), new BookedPayment(P1, new(2024, 11, 15), 3000m) };
        var receipts = new[]
        {
            R(1, new(2024, 12, 18), 1000m, new(2024, 12, 20)), R(2, new(2025, 2, 20), 1500m, new(2025, 3, 1)),
            R(3, new(2025, 8, 1), 1200m, new(2025, 8, 15)), R(4, new(2025, 4, 1), 300m, null),
        };
        var result = IdleMoneyInterest.Calculate(payments, receipts, 100m, 2, Rates);

        var p1 = result.Payments[0];
        p1.PaymentId.ShouldBe(P1);
        p1.UseBy.ShouldBe(new DateOnly(2025, 1, 15));
        p1.Uses.Select(u => (u.ReceiptNo, u.Amount, u.IdleDays)).ShouldBe([(1, 1000m, 0), (2, 1500m, 106), (4, 300m, 137), (3, 200m, 273)]);
        p1.Uses.Single(u => u.ReceiptNo == 4).UsedOnFromReceiptDate.ShouldBeTrue();
        p1.UsedInTime.ShouldBe(1000m);
        p1.UsedLate.ShouldBe(2000m);
        p1.NotUsed.ShouldBe(0m);
        p1.Periods.Select(p => (p.Days, p.RatePercent)).ShouldBe([(47, 8.37m), (59, 7.27m), (47, 8.37m), (90, 7.27m), (47, 8.37m), (181, 7.27m), (45, 6.27m)]);
        p1.Periods.Select(p => p.ExactAmount).ShouldBe([16.166712m, 17.627260m, 3.233342m, 5.377808m, 2.155562m, 7.210247m, 1.546027m]);
        p1.Periods[0].From.ShouldBe(new DateOnly(2024, 11, 15));
        p1.Interest.ShouldBe(53.32m);

        var p2 = result.Payments[1];
        p2.UseBy.ShouldBe(new DateOnly(2025, 3, 10));
        p2.Uses.Select(u => (u.ReceiptNo, u.Amount, u.IdleDays)).ShouldBe([(3, 1000m, 217)]);
        p2.Periods.Select(p => (p.From, p.To, p.Days)).ShouldBe([(new DateOnly(2025, 1, 10), new DateOnly(2025, 7, 1), 172), (new DateOnly(2025, 7, 1), new DateOnly(2025, 8, 15), 45)]);
        p2.Periods.Select(p => p.ExactAmount).ShouldBe([34.258630m, 7.730137m]);
        p2.NotUsed.ShouldBe(1000m);
        p2.Interest.ShouldBe(41.99m);
        result.Interest.ShouldBe(95.31m);
    }

    [Fact]
    public void money_used_after_the_two_months_bears_interest_from_the_payment_and_money_used_on_the_horizons_last_day_bears_none()
    {
        // The case: 2,000.00 paid on 4 Aug 2025, used on 3 Nov 2025. 91 days (4 Aug up to 3 Nov), not the 29 days after 4 Oct:
        // 2,000 × 6.27 % × 91 / 365 = 31.264110 → 31.26 EUR.
        var late = IdleMoneyInterest.Calculate([new BookedPayment(P1, new(2025, 8, 4), 2000m)], [R(1, new(2025, 11, 3), 2000m, new(2025, 11, 3))], 100m, 2, Rates)
            .Payments.Single();
        late.UseBy.ShouldBe(new DateOnly(2025, 10, 4));
        late.Uses.Single().IdleDays.ShouldBe(91);
        late.Periods.Single().ShouldBe(new InterestPeriod("Zahlung vom 04.08.2025, Beleg 1 (B-1)", new(2025, 8, 4), new(2025, 11, 3), 91, 2000m, 1.27m, 6.27m, 31.26m, 31.264110m));
        late.Interest.ShouldBe(31.26m);

        // Used on the horizon's last day (4 Oct) or the day after (5 Oct: 62 days from the payment, 2,000 × 6.27 % × 62 / 365 = 21.300822).
        IdleMoneyInterest.Calculate([new BookedPayment(P1, new(2025, 8, 4), 2000m)], [R(1, new(2025, 10, 4), 2000m, null)], 100m, 2, Rates).Interest.ShouldBe(0m);
        IdleMoneyInterest.Calculate([new BookedPayment(P1, new(2025, 8, 4), 2000m)], [R(1, new(2025, 10, 5), 2000m, null)], 100m, 2, Rates).Interest.ShouldBe(21.30m);
    }

    [Fact]
    public void with_share_financing_only_the_grants_share_is_used_and_money_paid_ahead_counts_on_the_day_it_arrived()
    {
        // 70 % share: an expense of 1,000 uses 700 of the grant. The first was paid before the money came (pre-financed): used on the booking day.
        var payments = new[] { new BookedPayment(P1, new(2025, 1, 10), 1400m) };
        var receipts = new[] { R(1, new(2024, 12, 1), 1000m, new(2024, 12, 1)), R(2, new(2025, 3, 10), 1000m, new(2025, 3, 10)) };
        var result = IdleMoneyInterest.Calculate(payments, receipts, 70m, 2, Rates);
        var p = result.Payments.Single();
        p.Uses.Select(u => (u.UsedOn, u.Amount, u.IdleDays)).ShouldBe([(new DateOnly(2025, 1, 10), 700m, 0), (new DateOnly(2025, 3, 10), 700m, 0)]);
        result.Interest.ShouldBe(0m); // 10 March is the horizon's last day (§ 188 (2) BGB): in time

        var late = IdleMoneyInterest.Calculate(payments, [R(1, new(2025, 3, 12), 1000m, null)], 70m, 2, Rates).Payments.Single();
        late.Uses.Single().IdleDays.ShouldBe(61); // from the payment on 10 January: 700 × 7.27 % × 61 / 365 = 8.504904
        late.Interest.ShouldBe(8.50m);
    }

    [Fact]
    public void a_use_in_a_half_year_without_a_base_rate_is_refused_naming_the_half_year()
    {
        var e = Should.Throw<MissingBaseRateException>(() =>
            IdleMoneyInterest.Calculate([new BookedPayment(P1, new(2025, 10, 1), 100m)], [R(1, new(2026, 2, 1), 100m, null)], 100m, 2, Rates));
        e.HalfYear.ShouldBe(new DateOnly(2026, 1, 1));
        e.Message.ShouldContain("first half of 2026");
        // In time: no rate is needed at all.
        IdleMoneyInterest.Calculate([new BookedPayment(P1, new(2025, 12, 1), 100m)], [R(1, new(2026, 1, 20), 100m, null)], 100m, 2, Rates).Interest.ShouldBe(0m);
    }

    private static Proof Examined() => new() { Id = Guid.NewGuid(), Kind = ProofKind.Final, State = ProofState.Examined };

    private static readonly Actor Fatma = new("fatma", "Fatma Finance", [Roles.Finance], null);
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void finance_decides_once_on_an_examined_proof_and_a_waiver_needs_a_reason()
    {
        var grant = Guid.NewGuid();
        var owed = new IdleInterestResult("m", 2, 100m, [], 12.34m);
        var claimed = (IdleInterestClaimed)ClaimIdleInterestEndpoint.Decide(null, grant, Examined(), owed, Guid.NewGuid(), "RF492027000042", Fatma, Now).Single();
        claimed.Interest.ShouldBe(12.34m);
        claimed.FileId.ShouldBe(IdleMoneyInterest.FileId(grant));
        claimed.ClaimReference.ShouldBe("RF492027000042");

        var file = IdleInterestFile.Create(claimed);
        Should.Throw<ProblemException>(() => ClaimIdleInterestEndpoint.Decide(file, grant, Examined(), owed, Guid.NewGuid(), "RF492027000042", Fatma, Now)).Problem.Status.ShouldBe(409);
        Should.Throw<ProblemException>(() => WaiveIdleInterestEndpoint.Decide(file, grant, Examined(), owed, new WaiveIdleInterest("x"), Fatma, Now)).Problem.Status.ShouldBe(409);
        Should.Throw<ProblemException>(() => WaiveIdleInterestEndpoint.Decide(null, grant, Examined(), owed, new WaiveIdleInterest(" "), Fatma, Now)).Problem.Status.ShouldBe(400);
        var submitted = Examined();
        submitted.State = ProofState.Submitted;
        Should.Throw<ProblemException>(() => ClaimIdleInterestEndpoint.Decide(null, grant, submitted, owed, Guid.NewGuid(), "RF492027000042", Fatma, Now)).Problem.Status.ShouldBe(409);
        Should.Throw<ProblemException>(() => ClaimIdleInterestEndpoint.Decide(null, grant, Examined(), owed with { Interest = 0m }, Guid.NewGuid(), "RF492027000042", Fatma, Now))
            .Problem.Status.ShouldBe(422);
        var waived = (IdleInterestWaived)WaiveIdleInterestEndpoint.Decide(null, grant, Examined(), owed, new WaiveIdleInterest(" Geringfügig "), Fatma, Now).Single();
        waived.Reason.ShouldBe("Geringfügig");
        IdleInterestFile.Create(waived).Decision!.Outcome.ShouldBe(IdleInterestOutcome.Waived);
    }

    [Fact]
    public void an_interest_only_claim_owes_the_fixed_interest_first_and_does_not_accrue()
    {
        var raised = new RecoveryClaimRaised(Guid.NewGuid(), "RF-2026-X", Guid.NewGuid(), "ZB", Guid.NewGuid(), "Org", Guid.NewGuid(), ClaimBasis.IdleMoneyInterest, "r",
            0m, 0m, new(2026, 3, 1), [], new(2026, 3, 31), [], "f", "F", Now, 55.83m);
        var claim = RecoveryClaim.Create(raised);
        var account = claim.Account(new DateOnly(2030, 1, 1), Rates); // no tranche: no base rate is needed, nothing accrues
        account.InterestAccrued.ShouldBe(55.83m);
        account.Balance.ShouldBe(55.83m);
        var paid = claim.Account(new DateOnly(2026, 4, 1), Rates,
            [new RecoveryPaymentReceived(claim.Id, "k", 60m, new(2026, 3, 20), "manual", null, null, null, null, Now)]);
        paid.Receipts.Single().ToInterest.ShouldBe(55.83m);
        paid.Overpaid.ShouldBe(4.17m);
    }
}

/// <summary>Which payments block a revocation (no database).</summary>
public sealed class when_a_revocation_meets_payments_in_flight
{
    private static readonly DateTimeOffset Now = new(2027, 9, 1, 10, 0, 0, TimeSpan.Zero);

    private static Grant RevocableGrant()
    {
        var grant = new Grant { Id = Guid.NewGuid(), ProgrammeId = Guid.NewGuid(), CallId = Guid.NewGuid() };
        grant.Notices.Add(new GrantNotice(1, "ZB-2026-X", "P", Guid.NewGuid(), "Org", grant.ProgrammeId, new() { ["de"] = "P" }, 10000m, 10000m, null,
            FinancingType.Share, 12500m, 80m, 10000m, new(2027, 1, 1), new(2028, 12, 31), "0710", [new(2027, 5000m), new(2028, 5000m)], "c", "ANBest-P",
            new(2029, 6, 30), new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), "b", null));
        grant.PaidPerYear.Add(new YearAmount(2027, 4000m));
        var factsId = Guid.NewGuid();
        grant.Revocation.Apply(new RevocationFactsRecorded(grant.Id, factsId, new(2027, 8, 1), "f", "e", new(2028, 8, 1), "anna", "Anna", Now));
        grant.Revocation.Apply(new HearingDispensed(grant.Id, "verzichtet", "anna", "Anna", Now));
        grant.Revocation.Apply(new RevocationProposed(grant.Id, Guid.NewGuid(), RevocationScope.Partial, 2000m, new(2027, 6, 1), "r", "§ 49", factsId, null, "anna", "Anna", Now));
        return grant;
    }

    [Theory]
    [InlineData(PaymentState.Released)]
    [InlineData(PaymentState.Batched)]
    [InlineData(PaymentState.Exported)]
    [InlineData(PaymentState.Requested)]
    [InlineData(PaymentState.Certified)]
    public void a_payment_on_its_way_or_still_open_refuses_it_with_422(PaymentState state)
    {
        var booked = new Payment { Id = Guid.NewGuid(), State = PaymentState.Booked, Amount = 4000m };
        var other = new Payment { Id = Guid.NewGuid(), State = state, Amount = 500m, EndToEndId = "E2E-1" };
        var problem = Should.Throw<ProblemException>(() =>
            ApproveRevocationEndpoint.Decide(RevocableGrant(), [booked, other], 0m, Guid.NewGuid(), new Actor("bernd", "Bernd", [Roles.Approver], null), Now)).Problem;
        problem.Status.ShouldBe(422);
        problem.Detail!.ShouldContain("500.00 EUR");
    }

    [Theory]
    [InlineData(PaymentState.Returned)]
    [InlineData(PaymentState.Rejected)]
    [InlineData(PaymentState.Refused)]
    public void a_payment_that_paid_nothing_does_not_block_it(PaymentState state)
    {
        var booked = new Payment { Id = Guid.NewGuid(), State = PaymentState.Booked, Amount = 4000m };
        var other = new Payment { Id = Guid.NewGuid(), State = state, Amount = 500m };
        ApproveRevocationEndpoint.Decide(RevocableGrant(), [booked, other], 0m, Guid.NewGuid(), new Actor("bernd", "Bernd", [Roles.Approver], null), Now)
            .Revoked.RecoveryAmount.ShouldBe(2000m);
    }
}

/// <summary>The § 49a (4) calculation, claim and waiver over HTTP against PostgreSQL.</summary>
public sealed class when_finance_settles_interest_on_money_not_used_in_time(AppFixture app) : ProofTest(app)
{
    private object Receipts() => new object[]
    {
        new { number = "M-1", date = $"{FundingYear}-02-15", payee = "Raumvermietung Müller", purpose = "Miete", planLine = 2, amount = 500m, paidOn = $"{FundingYear}-02-15" },
        new { number = "H-1", date = $"{FundingYear}-03-31", payee = "Honorarkraft Öztürk", purpose = "Koordination Q1", planLine = 1, amount = 2000m, paidOn = $"{FundingYear}-03-10" },
        new { number = "H-2", date = $"{FundingYear}-06-30", payee = "Honorarkraft Öztürk", purpose = "Koordination Q2", planLine = 1, amount = 2000m, paidOn = $"{FundingYear}-06-30" },
        new { number = "M-2", date = $"{FundingYear}-08-15", payee = "Bürobedarf Schäfer", purpose = "Material", planLine = 2, amount = 500m, paidOn = $"{FundingYear}-08-15" },
        new { number = "H-3", date = $"{FundingYear}-09-30", payee = "Honorarkraft Öztürk", purpose = "Koordination Q3", planLine = 1, amount = 2000m, paidOn = $"{FundingYear}-09-30" },
        new { number = "H-4", date = $"{FundingYear}-12-31", payee = "Honorarkraft Öztürk", purpose = "Koordination Q4", planLine = 1, amount = 2000m, paidOn = $"{FundingYear}-12-31" },
    };

    private async Task<Guid> ExaminedProof(Guid grant, bool examine = true)
    {
        var id = (await Post(ApplicantToken, $"/grants/{grant}/proofs", new { kind = "final", content = new { report = Report(), numbers = Numbers(), receipts = Receipts() } }, 201))
            .Body<CaseVersion>().Id;
        (await Proof(id, ApplicantToken)).GetProperty("findings").GetArrayLength().ShouldBe(0);
        await Post(ApplicantToken, $"/proofs/{id}/submit", new { version = 1 });
        if (!examine) return id;
        await Post(Officer, $"/proofs/{id}/examination", new { depth = "simple", version = 2 });
        await Post(Officer, $"/proofs/{id}/examine", new { note = "Plausibel.", version = 3 });
        return id;
    }

    [Fact]
    public async Task the_calculation_matches_the_hand_calculation_and_finance_claims_it_once_or_waives_it_with_a_reason()
    {
        var claimed = await ApprovedGrant("share", "Zinsen A");
        var waived = await ApprovedGrant("share", "Zinsen B");
        await PayOut(claimed, waived); // 7,000 each, booked 16 January: the horizon ends 16 March, interest from 17 March
        App.Clock.Set(new DateTimeOffset(FundingYear + 1, 2, 1, 9, 0, 0, TimeSpan.Zero));
        (await Get(Finance, $"/grants/{claimed}/idle-interest", 409)).ShouldBeProblem(409).GetProperty("detail").GetString()!.ShouldContain("final proof");

        var bad = await Post(ApplicantToken, $"/grants/{claimed}/proofs", new
        {
            kind = "final", content = new { receipts = new[] { new { number = "X", date = $"{FundingYear}-02-15", payee = "P", purpose = "Z", planLine = 1, amount = 5m, paidOn = "15.02.2027" } } },
        }, 400);
        bad.ShouldBeProblem(400);
        var proof = await ExaminedProof(claimed, examine: false);
        await ExaminedProof(waived);

        // No base rate for the funding year yet: refused, naming the half-year.
        var missing = (await Get(Finance, $"/grants/{claimed}/idle-interest", 422)).ShouldBeProblem(422);
        missing.GetProperty("detail").GetString()!.ShouldContain($"first half of {FundingYear}");
        var version = (await Get(Finance, "/base-rates")).Json().GetProperty("version").GetInt64();
        for (var from = new DateOnly(2026, 1, 1); from <= new DateOnly(FundingYear, 7, 1); from = BaseRateTable.NextHalfYear(from))
            await Post(Finance, "/base-rates", new { validFrom = from.ToString("yyyy-MM-dd"), percent = from.Month == 7 && from.Year == FundingYear ? 2.5m : 1.5m, publication = "Testwert", version = version++ });

        // Share financing (70 %): each expense uses 70 % of it from the grant; FIFO by the day of payment, one payment of 7,000 booked 16.01.
        //   M-1 350 (15.02.) and H-1 1,400 (10.03.): in time.   Rates 6.5 % (H1) and 7.5 % (H2), days / 365; money used later bears
        //   interest from the payment (§ 49a (4) VwVfG NRW, ANBest-P Nr. 8.5). Non-leap year (a leap year adds a day to each H1 part):
        //   H-2 1,400 on 30.06.: 165 d × 6.5 %                 = 41.136986                       (leap: 166 d, 41.386301)
        //   M-2   350 on 15.08.: 166 d × 6.5 % + 45 d × 7.5 %  = 10.346575 + 3.236301            (leap: 167 d, 10.408904)
        //   H-3 1,400 on 30.09.: 166 d × 6.5 % + 91 d × 7.5 %  = 41.386301 + 26.178082           (leap: 41.635616)
        //   H-4 1,400 on 31.12.: 166 d × 6.5 % + 183 d × 7.5 % = 41.386301 + 52.643836           (leap: 41.635616)
        //   sum 216.314384 → 216.31 EUR (leap: 217.124658 → 217.12); 700 of the 7,000 not used.
        var leap = DateTime.IsLeapYear(FundingYear) ? 1 : 0;
        var expected = leap == 1 ? 217.12m : 216.31m;
        var view = (await Get(ApplicantToken, $"/grants/{claimed}/idle-interest")).Json();
        view.GetProperty("interest").GetDecimal().ShouldBe(expected);
        view.GetProperty("horizonMonths").GetInt32().ShouldBe(2);
        view.GetProperty("grantSharePercent").GetDecimal().ShouldBe(70m);
        view.GetProperty("usedInTime").GetDecimal().ShouldBe(1750m);
        view.GetProperty("usedLate").GetDecimal().ShouldBe(4550m);
        view.GetProperty("notUsed").GetDecimal().ShouldBe(700m);
        var payment = view.GetProperty("payments")[0];
        payment.GetProperty("bookedOn").GetString().ShouldBe($"{FundingYear}-01-16");
        payment.GetProperty("useBy").GetString().ShouldBe($"{FundingYear}-03-16");
        var periods = payment.GetProperty("periods").EnumerateArray().ToList();
        periods.Select(p => p.GetProperty("days").GetInt32()).ShouldBe([165 + leap, 166 + leap, 45, 166 + leap, 91, 166 + leap, 183]);
        periods.Select(p => p.GetProperty("ratePercent").GetDecimal()).ShouldBe([6.5m, 6.5m, 7.5m, 6.5m, 7.5m, 6.5m, 7.5m]);
        periods[0].GetProperty("from").GetString().ShouldBe($"{FundingYear}-01-16");
        periods[0].GetProperty("exactAmount").GetDecimal().ShouldBe(leap == 1 ? 41.386301m : 41.136986m);
        (!view.TryGetProperty("decision", out var none) || none.ValueKind == JsonValueKind.Null).ShouldBeTrue();
        (await Get(Applicant(Guid.NewGuid()), $"/grants/{claimed}/idle-interest", 404)).ShouldBeProblem(404);

        // Finance decides only once the examination confirmed the dates of use; applicants cannot decide.
        (await Post(Finance, $"/grants/{claimed}/idle-interest/claim", new { }, 409)).ShouldBeProblem(409);
        await Post(ApplicantToken, $"/grants/{claimed}/idle-interest/claim", new { }, 403);
        await Post(Officer, $"/proofs/{proof}/examination", new { depth = "simple", version = 2 });
        await Post(Officer, $"/proofs/{proof}/examine", new { note = "Plausibel.", version = 3 });

        var before = (await AllEvents()).Count;
        (await Post(Finance, $"/grants/{claimed}/idle-interest/claim", new { dueOn = "2000-01-01" }, 422)).ShouldBeProblem(422);
        (await AllEvents()).Count.ShouldBe(before);
        var result = (await Post(Finance, $"/grants/{claimed}/idle-interest/claim", new { dueOn = $"{FundingYear + 1}-03-31" }, 201)).Json();
        result.GetProperty("interest").GetDecimal().ShouldBe(expected);
        var claimId = result.GetProperty("claimId").GetGuid();
        var claim = (await Get(ApplicantToken, $"/recovery-claims/{claimId}")).Json();
        claim.GetProperty("claim").GetProperty("basis").GetString().ShouldBe("idleMoneyInterest");
        claim.GetProperty("claim").GetProperty("principal").GetDecimal().ShouldBe(0m);
        claim.GetProperty("claim").GetProperty("fixedInterest").GetDecimal().ShouldBe(expected);
        claim.GetProperty("interestToDate").GetDecimal().ShouldBe(expected);
        claim.GetProperty("balance").GetDecimal().ShouldBe(expected);
        claim.GetProperty("claim").GetProperty("reference").GetString().ShouldBe(result.GetProperty("claimReference").GetString());
        // The interest is fixed by the claim's own letter: a Leistungsbescheid with its Rechtsbehelfsbelehrung (issue 26).
        var demand = await FundingPrograms.Tests.Letters.DecisionLetterChecks.Letter(this, ApplicantToken, Applicant(Guid.NewGuid(), "Someone Else"), "payment_demand", legalRemedy: true);
        demand.ShouldContain("Leistungsbescheid und Zahlungsaufforderung");
        demand.ShouldContain("setze ich Zinsen nach § 49a Abs. 4 VwVfG NRW in Höhe von");
        demand.ShouldContain($"bis zum 31.03.{FundingYear + 1} unter Angabe des Kassenzeichens");
        demand.ShouldContain("Die Zinsen sind als fester Betrag festgesetzt");
        var decided = (await StreamEvents(IdleMoneyInterest.FileId(claimed))).Single().Data.ShouldBeOfType<IdleInterestClaimed>();
        decided.Payments.Single().Periods.Count.ShouldBe(7);
        (await Get(Finance, $"/grants/{claimed}/idle-interest")).Json().GetProperty("decision").GetProperty("outcome").GetString().ShouldBe("claimed");
        (await Post(Finance, $"/grants/{claimed}/idle-interest/claim", new { }, 409)).ShouldBeProblem(409);
        (await Post(Finance, $"/grants/{claimed}/idle-interest/waiver", new { reason = "doch nicht" }, 409)).ShouldBeProblem(409);

        // The other grant: waived with a reason (recorded), then nothing more to decide.
        (await Post(Finance, $"/grants/{waived}/idle-interest/waiver", new { reason = "" }, 400)).ShouldBeProblem(400);
        await Post(Finance, $"/grants/{waived}/idle-interest/waiver", new { reason = "Verzögerung durch den Träger nicht verschuldet (Lieferengpass)." });
        var decision = (await Get(ApplicantToken, $"/grants/{waived}/idle-interest")).Json().GetProperty("decision");
        decision.GetProperty("outcome").GetString().ShouldBe("waived");
        decision.GetProperty("interest").GetDecimal().ShouldBe(expected);
        decision.GetProperty("reason").GetString()!.ShouldContain("Lieferengpass");
        (await Post(Finance, $"/grants/{waived}/idle-interest/claim", new { }, 409)).ShouldBeProblem(409);
        (await Get(Finance, $"/recovery-claims?grantId={waived}")).Json().GetProperty("total").GetInt64().ShouldBe(0);
    }
}

/// <summary>Revocation while a payment is on its way to the bank; a pain.002 rejection; an overpaying credit in a camt.053 statement.</summary>
public sealed class when_payments_are_in_flight_or_rejected(AppFixture app) : RecoveryTest(app)
{
    [Fact]
    public async Task a_revocation_waits_for_the_bank_and_a_rejected_payment_is_its_own_state()
    {
        await Booked(3000m, NeededOn, new(FundingYear, 1, 15));
        var (payment, batch) = await Exported(1000m);
        var today = BerlinTime.Today(App.Clock.GetUtcNow());
        await Post(Officer, $"/grants/{GrantId}/revocation/facts", new { learnedOn = today.ToString("yyyy-MM-dd"), facts = "Projekt abgebrochen", evidence = "Mitteilung", version = await GrantVersion() });
        await Post(Officer, $"/grants/{GrantId}/revocation/hearing/dispense", new { reason = "Der Verein hat auf Anhörung verzichtet", version = await GrantVersion() });
        await Post(Officer, $"/grants/{GrantId}/revocation/proposal", new
        {
            scope = "partial", newAmount = 2000m, effectiveFrom = today.ToString("yyyy-MM-dd"), reasons = "Zweck teilweise verfehlt", legalBasis = "§ 49 Abs. 3 Satz 1 Nr. 1 VwVfG NRW",
            version = await GrantVersion(),
        });
        var e2e = (await Payment(payment)).GetProperty("endToEndId").GetString()!;
        var before = (await AllEvents()).Count;
        var refused = (await Post(Approver, $"/grants/{GrantId}/revocation/approve", new { version = await GrantVersion() }, 422)).ShouldBeProblem(422);
        refused.GetProperty("detail").GetString()!.ShouldContain("not yet booked or returned");
        refused.GetProperty("detail").GetString()!.ShouldContain(e2e);
        (await AllEvents()).Count.ShouldBe(before);

        // The bank rejects it (pain.002 RJCT AC04): its own state and event, nothing was paid.
        var messageId = (await Get(Finance, $"/payment-batches/{batch}")).Json().GetProperty("messageId").GetString()!;
        var report = Sample("pain002-rejected.xml", true).Replace("E2E-TEST-0001", e2e).Replace("ORIGINAL-MSG-ID", messageId);
        (await Send(Finance, s => { s.Post.Text(report).ToUrl("/payment-status-reports"); s.WithRequestHeader("Content-Type", "application/xml"); }))
            .Json().GetProperty("rejected").GetInt32().ShouldBe(1);
        var rejected = await Payment(payment);
        rejected.GetProperty("state").GetString().ShouldBe("rejected");
        rejected.GetProperty("rejectionReasonCode").GetString().ShouldBe("AC04");
        (!rejected.TryGetProperty("returnReasonCode", out var rc) || rc.ValueKind == JsonValueKind.Null).ShouldBeTrue();
        (await StreamEvents(payment)).Last().Data.ShouldBeOfType<PaymentRejected>().Status.ShouldBe("RJCT");
        var dashboard = (await Get(Finance, "/finance/dashboard")).Json();
        dashboard.GetProperty("rejections").EnumerateArray().Single().GetProperty("reasonCode").GetString().ShouldBe("AC04");
        dashboard.GetProperty("returns").GetArrayLength().ShouldBe(0);
        (await Get(Finance, $"/payment-batches/{batch}")).Json().GetProperty("rejected").GetDecimal().ShouldBe(1000m);

        // Now the amount paid is known: the revocation goes through, and the rejected payment can no longer pay above the lowered grant.
        (await Post(Approver, $"/grants/{GrantId}/revocation/approve", new { version = await GrantVersion() })).Json().GetProperty("recoveryAmount").GetDecimal().ShouldBe(1000m);
        InJanuary();
        (await Post(Finance2, $"/payments/{payment}/release", new { version = 6 }, 422)).ShouldBeProblem(422).GetProperty("detail").GetString()!.ShouldContain("2000.00 EUR");
    }

    [Fact]
    public async Task a_camt053_credit_that_overpays_a_claim_is_named_in_the_answer()
    {
        await Booked(3000m, NeededOn, new(FundingYear, 1, 15));
        SetToday(FundingYear, 2, 1);
        var claimId = (await Post(Finance, $"/grants/{GrantId}/recovery-claims",
            new { principal = 400m, ineffectiveFrom = $"{FundingYear}-01-20", reason = "Überzahlung" }, 201)).Body<CaseVersion>().Id;
        await EnterRates(new DateOnly(FundingYear, 1, 1));
        var reference = (await Claim(claimId)).GetProperty("claim").GetProperty("reference").GetString()!;

        // 500 arrive on 1 February: 400 principal + 12 days × 6.5 % on 400 = 0.854795 → 0.85 interest; 99.15 too much.
        var result = (await Import(Camt053(new Entry(500m, false, new(FundingYear, 2, 1), null, "DE02120300000000202051", "Kassenverwalter", $"Rueckforderung {reference}")))).Json();
        result.GetProperty("creditsToClaims").GetInt32().ShouldBe(1);
        var overpaid = result.GetProperty("overpaidCredits").EnumerateArray().Single();
        overpaid.GetProperty("claimReference").GetString().ShouldBe(reference);
        overpaid.GetProperty("amount").GetDecimal().ShouldBe(500m);
        overpaid.GetProperty("overpaid").GetDecimal().ShouldBe(99.15m);
        result.GetProperty("message").GetString()!.ShouldContain($"on {reference}: 99.15 EUR too much");
        (await Claim(claimId)).GetProperty("status").GetString().ShouldBe("overpaid");
    }
}
