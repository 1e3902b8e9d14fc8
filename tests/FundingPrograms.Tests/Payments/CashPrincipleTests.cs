using FundingPrograms.Applications;
using FundingPrograms.Grants;
using FundingPrograms.Infrastructure;
using FundingPrograms.Organisations;
using FundingPrograms.Payments;
using FundingPrograms.Programmes;
using FundingPrograms.ReferenceData;
using FundingPrograms.Tests.Grants;
using FundingPrograms.Tests.Infrastructure;

namespace FundingPrograms.Tests.Payments;

/// <summary>Cash principle (§ 72 LHO) at release and at drawdown, as pure rules: released-but-unbooked money and the year a drawdown is reserved in.</summary>
public sealed class cash_principle_rules
{
    private static readonly DateTimeOffset Now = new(2027, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Applicant = new("app-1", "Aylin Applicant", [Roles.Applicant], null);

    /// <summary>A gap-financed grant of 7,000 EUR: 3,500 in 2027 and 3,500 in 2028, on budget line 0710.</summary>
    private static Grant Grant()
    {
        var notice = new GrantNotice(1, "ZB-2027-X", "P", Guid.NewGuid(), "Org", Guid.NewGuid(), new() { ["de"] = "P" }, 7000m, 7000m, null,
            FinancingType.Gap, 10000m, 70m, 7000m, new(2027, 7, 1), new(2028, 6, 30), "0710", [new(2027, 3500m), new(2028, 3500m)], "c", "ANBest-P",
            new(2028, 12, 31), Now.AddMonths(-6), "b", null);
        var grant = new Grant { Id = Guid.NewGuid(), State = GrantState.Issued };
        grant.Notices.Add(notice);
        return grant;
    }

    private static Programme Programme(decimal cash)
    {
        var definition = new ProgrammeInput(new() { ["de"] = "P" }, new() { ["de"] = "D" }, new LegalBasisInput("Richtlinie MSO", new DateOnly(2024, 1, 15)),
            ["II"], ["women"], ["mso"], new FinancingRulesInput(["gap"], 80, 1000, 15000, 20, 15, null, null), [], "Verwaltungsgericht Köln")
            .Validate(ReferenceCatalogue.Instance);
        var p = FundingPrograms.Programmes.Programme.Create(new ProgrammeCreated(Guid.NewGuid(), definition, Now.AddYears(-1)));
        foreach (var year in new[] { 2027, 2028 }) p.Apply(new BudgetAllocated(p.Id, "0710", null, year, cash, null, Now));
        return p;
    }

    private static Payment Payment(Grant grant, decimal amount) => new() { Id = Guid.NewGuid(), GrantId = grant.Id, Amount = amount, State = PaymentState.Certified };

    private static string[] Errors(Action act) =>
        ((IDictionary<string, string[]>)Should.Throw<ProblemException>(act).Problem.Extensions["errors"]!)["budgetYear"];

    [Fact]
    public void released_but_unbooked_money_of_the_year_counts_against_the_grants_year()
    {
        var grant = Grant();
        var programme = Programme(100_000m);
        CashBudget.EnsureRoom(Payment(grant, 2000m), grant, programme, 2027, pendingOnGrant: 1500m, pendingOnLine: 1500m); // exactly 3,500: allowed
        Errors(() => CashBudget.EnsureRoom(Payment(grant, 2000m), grant, programme, 2027, pendingOnGrant: 1500.01m, pendingOnLine: 1500.01m))[0]
            .ShouldContain("1999.99 EUR left for 2027 (1500.01 EUR of it are released and not yet booked)");
    }

    [Fact]
    public void released_but_unbooked_money_of_the_year_counts_against_the_budget_lines_cash()
    {
        var grant = Grant();
        var programme = Programme(5000m);
        CashBudget.EnsureRoom(Payment(grant, 1000m), grant, programme, 2027, pendingOnLine: 4000m);
        Errors(() => CashBudget.EnsureRoom(Payment(grant, 1000m), grant, programme, 2027, pendingOnLine: 4000.01m))
            .ShouldHaveSingleItem().ShouldContain("999.99 EUR of cash left in 2027 after 4000.01 EUR released and not yet booked");
    }

    [Fact]
    public void a_drawdown_is_reserved_in_the_year_it_is_expected_to_be_paid_not_the_year_it_is_needed()
    {
        var grant = Grant();
        // Requested on 1 Dec 2027 for 15 Jan 2028: it can be paid in December, and 2027 has room, so it is reserved in 2027.
        var (requested, reserved) = RequestPaymentEndpoint.Decide(grant, Guid.NewGuid(), new RequestPayment(3500m, new DateOnly(2028, 1, 15), "Honorare"),
            PaymentKind.Drawdown, 2, Applicant, Now);
        requested.BudgetYear.ShouldBe(2027);
        reserved.BudgetYear.ShouldBe(2027);
        grant.Apply(reserved);
        // 2027 is now fully reserved: the next one waits for January's money.
        RequestPaymentEndpoint.Decide(grant, Guid.NewGuid(), new RequestPayment(0.01m, new DateOnly(2028, 1, 15), "Honorare"), PaymentKind.Drawdown, 2, Applicant, Now)
            .Reserved.BudgetYear.ShouldBe(2028);
    }

    [Fact]
    public void a_drawdown_after_the_period_is_reserved_in_the_year_it_is_paid_and_not_refused_for_the_year()
    {
        var grant = Grant();
        // The period ended 30 Jun 2028; with the proof of use due 31 Mar 2029, money for June is drawn on 20 Jan 2029.
        var january = new DateTimeOffset(2029, 1, 20, 9, 0, 0, TimeSpan.Zero);
        grant.Notices[0] = grant.Notice with { ProofOfUseDue = new DateOnly(2029, 3, 31) };
        var (requested, _) = RequestPaymentEndpoint.Decide(grant, Guid.NewGuid(), new RequestPayment(1000m, new DateOnly(2028, 6, 15), "Juni"), PaymentKind.Drawdown, 2,
            Applicant, january);
        requested.BudgetYear.ShouldBe(2029);
        // Paid in 2029, it needs 2029's money: the release names the cash principle.
        Errors(() => CashBudget.EnsureRoom(FundingPrograms.Payments.Payment.Create(requested), grant, Programme(100_000m), 2029))[0].ShouldContain("§ 72 LHO");
    }
}

/// <summary>Two releases in parallel cannot together exceed the year's cash on the budget line (§ 72 LHO).</summary>
public sealed class when_two_payments_are_released_at_once(AppFixture app) : GrantTest(app)
{
    [Fact]
    public async Task only_one_fits_the_years_cash_and_the_other_is_refused()
    {
        var fundingYear = FundingYear;
        const string line = "0710/684 77";
        // 5,000 EUR cash for next year and a commitment appropriation of 10,000 EUR: two grants of 7,000 EUR are committed, but only 5,000 can be paid.
        await Post(Officer, $"/programmes/{ProgrammeId}/budget/allocate", new { budgetLine = line, year = fundingYear, amount = 5000m, version = ProgrammeVersion });
        await Post(Officer, $"/programmes/{ProgrammeId}/budget/commitment-appropriations",
            new { budgetLine = line, year = fundingYear, amount = 10000m, reason = "VE Haushaltsplan", version = ProgrammeVersion + 1 });
        var grants = new List<Guid>();
        foreach (var purpose in new[] { "Erste Stelle", "Zweite Stelle" })
        {
            var id = await Assessed(purpose);
            grants.Add((await Post(Approver, $"/applications/{id}/approve", GrantSamples.Approval(budgetLine: line))).Json().GetProperty("grantId").GetGuid());
        }
        var december = new DateTimeOffset(FundingYear - 1, 12, 1, 9, 0, 0, TimeSpan.Zero);
        if (App.Clock.GetUtcNow() < december) App.Clock.Set(december);
        var payments = new List<Guid>();
        foreach (var grant in grants)
        {
            var payment = (await Post(ApplicantToken, $"/grants/{grant}/drawdowns",
                new { amount = 3000m, amountDue = 4300m, neededOn = $"{fundingYear}-01-15", purpose = "Honorare Januar" }, 201)).Body<CaseVersion>().Id;
            await Post(Finance, $"/payments/{payment}/certify", new { version = 1 });
            payments.Add(payment);
        }
        App.Clock.Set(new DateTimeOffset(fundingYear, 1, 2, 9, 0, 0, TimeSpan.Zero));

        var finance2 = App.Token(Roles.Finance, "Felix Finance");
        var results = await Task.WhenAll(payments.Select(p => Host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {finance2}");
            s.Post.Json(new { version = 2 }).ToUrl($"/payments/{p}/release");
            s.IgnoreStatusCode();
        })));
        var statuses = results.Select(r => r.Context.Response.StatusCode).Order().ToArray();
        statuses.ShouldBe([200, 422]);
        var refused = results.Single(r => r.Context.Response.StatusCode == 422).ShouldBeProblem(422);
        refused.FieldErrors("budgetYear")[0].ShouldContain("2000.00 EUR of cash left");
        refused.FieldErrors("budgetYear")[0].ShouldContain("3000.00 EUR released and not yet booked");
        var states = new List<string?>();
        foreach (var p in payments) states.Add((await Get(Finance, $"/payments/{p}")).Json().GetProperty("state").GetString());
        states.Order().ShouldBe(["certified", "released"]);
    }
}
