using Alba;
using FundingPrograms.Infrastructure;
using FundingPrograms.Programmes;
using FundingPrograms.ReferenceData;
using FundingPrograms.Tests.Infrastructure;

namespace FundingPrograms.Tests.Programmes;

public sealed class when_an_officer_sends_bad_programme_input(AppFixture app) : ApiTest(app)
{
    private async Task<System.Text.Json.JsonElement> Refused(string url, object body, int status, string? field = null)
    {
        var before = (await AllEvents()).Count;
        var problem = (await Post(Officer, url, body, status)).ShouldBeProblem(status);
        if (field is not null) problem.FieldErrors(field).ShouldNotBeEmpty();
        (await AllEvents()).Count.ShouldBe(before, "a refused command appends nothing");
        return problem;
    }

    [Fact]
    public async Task a_call_that_closes_before_it_opens_is_400()
    {
        var id = await this.PublishedProgramme(Officer);
        var now = App.Clock.GetUtcNow();
        await Refused($"/programmes/{id}/calls", Samples.Call(Samples.Berlin(now.AddDays(20)), Samples.Berlin(now.AddDays(10)), version: 3), 400, "closesAt");
        await Refused($"/programmes/{id}/calls", Samples.Call("31.05.2026", "tomorrow", version: 3), 400, "opensAt");
    }

    [Fact]
    public async Task overlapping_windows_are_422_unless_the_districts_are_disjoint()
    {
        var id = await this.PublishedProgramme(Officer);
        await Post(Officer, $"/programmes/{id}/calls", Samples.OpenCallNow(App.Clock, 3, ["05315", "05314"]), 201);
        var now = App.Clock.GetUtcNow();
        var overlapping = Samples.Call(Samples.Berlin(now.AddDays(5)), Samples.Berlin(now.AddDays(60)), ["05314"], version: 4);
        (await Refused($"/programmes/{id}/calls", overlapping, 422)).GetProperty("detail").GetString()!.ShouldContain("overlaps");
        await Refused($"/programmes/{id}/calls", Samples.Call(Samples.Berlin(now.AddDays(5)), Samples.Berlin(now.AddDays(60)), version: 4), 422);
        // Disjoint districts (Bielefeld) may run at the same time.
        await Post(Officer, $"/programmes/{id}/calls", Samples.Call(Samples.Berlin(now.AddDays(5)), Samples.Berlin(now.AddDays(60)), ["05711"], version: 4), 201);
    }

    [Fact]
    public async Task a_call_on_a_draft_or_closed_programme_is_409()
    {
        var draft = await this.CreateProgramme(Officer);
        await Refused($"/programmes/{draft}/calls", Samples.OpenCallNow(App.Clock, 1), 409);

        var closed = await this.PublishedProgramme(Officer);
        await Post(Officer, $"/programmes/{closed}/close", new { reason = "Förderphase beendet", version = 3 });
        await Refused($"/programmes/{closed}/calls", Samples.OpenCallNow(App.Clock, 4), 409);
    }

    [Fact]
    public async Task negative_money_or_more_than_two_decimals_is_400()
    {
        var id = await this.PublishedProgramme(Officer);
        await Refused($"/programmes/{id}/budget/increase", new { budgetLine = "0710/684 10", year = Year, amount = -5m, reason = "x", version = 3 }, 400, "amount");
        await Refused($"/programmes/{id}/budget/increase", new { budgetLine = "0710/684 10", year = Year, amount = 10.005m, reason = "x", version = 3 }, 400, "amount");
        await Refused("/programmes", Samples.Programme().With("financing", Samples.Financing().With("maxGrant", 15000.001m)), 400, "financing.maxGrant");
        await Refused("/programmes", Samples.Programme().With("financing", Samples.Financing().With("minGrant", -1m)), 400, "financing.minGrant");
        await Refused($"/programmes/{id}/calls", Samples.OpenCallNow(App.Clock, 3).With("budgetCap", -100m), 400, "budgetCap");
    }

    [Fact]
    public async Task a_share_outside_0_to_100_and_a_minimum_above_the_maximum_are_400()
    {
        await Refused("/programmes", Samples.Programme().With("financing", Samples.Financing().With("maxSharePercent", 120m)), 400, "financing.maxSharePercent");
        await Refused("/programmes", Samples.Programme().With("financing", Samples.Financing().With("minOwnContributionPercent", -1m)), 400, "financing.minOwnContributionPercent");
        await Refused("/programmes", Samples.Programme().With("financing", Samples.Financing().With("minGrant", 20000m)), 400, "financing.minGrant");
        await Refused("/programmes", Samples.Programme().With("financing", Samples.Financing().With("allowedTypes", new[] { "loan" })), 400, "financing.allowedTypes[0]");
    }

    [Fact]
    public async Task unknown_districts_target_groups_and_organisation_types_are_400()
    {
        var problem = await Refused("/programmes", Samples.Programme()
            .With("targetGroups", new[] { "women", "martians" })
            .With("eligibleOrganisationTypes", new[] { "corporation" })
            .With("targetDimensions", new[] { "IV" }), 400);
        problem.FieldErrors("targetGroups[1]").ShouldNotBeEmpty();
        problem.FieldErrors("eligibleOrganisationTypes[0]").ShouldNotBeEmpty();
        problem.FieldErrors("targetDimensions[0]").ShouldNotBeEmpty();
        var id = await this.PublishedProgramme(Officer);
        await Refused($"/programmes/{id}/calls", Samples.OpenCallNow(App.Clock, 3, ["05315", "12345"]), 400, "districts[1]");
    }

    [Fact]
    public async Task a_budget_decrease_below_what_is_left_is_422()
    {
        var id = await this.PublishedProgramme(Officer);
        var problem = await Refused($"/programmes/{id}/budget/decrease", new { budgetLine = "0710/684 10", year = Year, amount = 500000.01m, reason = "Kürzung", version = 3 }, 422);
        problem.GetProperty("detail").GetString()!.ShouldContain("500000.00");
        await Refused($"/programmes/{id}/budget/decrease", new { budgetLine = "0710/684 10", year = Year, amount = 1m, version = 3 }, 400, "reason");
        await Refused($"/programmes/{id}/budget/decrease", new { budgetLine = "9999/999 99", year = Year, amount = 1m, reason = "x", version = 3 }, 422);
        await Refused($"/programmes/{id}/budget/allocate", new { budgetLine = "0710/684 10", year = Year, amount = 1m, version = 3 }, 422);
    }

    [Fact]
    public async Task an_archived_programme_cannot_be_edited()
    {
        var id = await this.PublishedProgramme(Officer);
        await Post(Officer, $"/programmes/{id}/close", new { reason = "Ende der Förderphase", version = 3 });
        await Post(Officer, $"/programmes/{id}/archive", new { reason = "Abgeschlossen", version = 4 });
        var before = (await AllEvents()).Count;
        (await Put(Officer, $"/programmes/{id}", new { definition = Samples.Programme(), reason = "late change", version = 5 }, 409)).ShouldBeProblem(409, ProblemTypes.InvalidState);
        await Refused($"/programmes/{id}/budget/increase", new { budgetLine = "0710/684 10", year = Year, amount = 1m, reason = "x", version = 5 }, 409);
        await Refused($"/programmes/{id}/publish", new { version = 5 }, 409);
        (await AllEvents()).Count.ShouldBe(before);
    }

    [Fact]
    public async Task a_stale_version_is_409()
    {
        var id = await this.PublishedProgramme(Officer);
        var problem = await Refused($"/programmes/{id}/budget/increase", new { budgetLine = "0710/684 10", year = Year, amount = 1m, reason = "x", version = 2 }, 409);
        problem.GetProperty("currentVersion").GetInt64().ShouldBe(3);
    }

    [Fact]
    public async Task an_auditor_can_read_but_not_change_a_programme()
    {
        var id = await this.PublishedProgramme(Officer);
        await Get(Auditor, $"/programmes/{id}/budget");
        (await Post(Auditor, $"/programmes/{id}/budget/increase", new { budgetLine = "0710/684 10", year = Year, amount = 1m, reason = "x", version = 3 }, 403)).ShouldBeProblem(403);
    }
}

public sealed class when_officers_cut_the_same_budget_in_parallel(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task the_budget_never_goes_below_zero_and_adds_up_to_the_cent()
    {
        var id = await this.PublishedProgramme(Officer); // 500,000.00 allocated
        async Task<int> Decrease(int n)
        {
            for (var attempt = 0; attempt < 50; attempt++)
            {
                var version = (await Get(Officer, $"/programmes/{id}")).Json().GetProperty("version").GetInt64();
                var result = await Host.Scenario(s =>
                {
                    s.WithRequestHeader("Authorization", $"Bearer {Officer}");
                    s.Post.Json(new { budgetLine = "0710/684 10", year = Year, amount = 120000.25m, reason = $"Kürzung {n}", version }).ToUrl($"/programmes/{id}/budget/decrease");
                    s.IgnoreStatusCode();
                });
                if (result.Context.Response.StatusCode != 409) return result.Context.Response.StatusCode;
            }
            return 409;
        }
        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(Decrease));
        statuses.Count(s => s == 200).ShouldBe(4);
        statuses.Count(s => s == 422).ShouldBe(4);
        var budget = (await Get(Officer, $"/programmes/{id}/budget")).Json();
        budget.GetProperty("allocated").GetDecimal().ShouldBe(500000m - 4 * 120000.25m);
        (await AllEvents()).Count(e => e.EventTypeName == "budget_decreased").ShouldBe(4);
    }
}

public sealed class programme_deciders
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);

    private static Programme Published()
    {
        var definition = new ProgrammeInput(new() { ["de"] = "P" }, new() { ["de"] = "D" }, new LegalBasisInput("RL", new DateOnly(2024, 1, 1)),
            ["II"], ["women"], ["mso"], new FinancingRulesInput(["share"], 80, 0, 15000, 20, 15, null, null), []).Validate(ReferenceCatalogue.Instance);
        var p = Programme.Create(new ProgrammeCreated(Guid.NewGuid(), definition, Now));
        p.Apply(new ProgrammePublished(p.Id, Now));
        p.Apply(new BudgetAllocated(p.Id, "0710/684 10", null, 2026, 100_000m, null, Now));
        return p;
    }

    [Fact]
    public void a_decrease_below_the_committed_amount_is_refused()
    {
        var p = Published();
        p.BudgetFor("0710/684 10", 2026)!.Committed = 70_000m; // committed by grants
        var ex = Should.Throw<ProblemException>(() => DecreaseBudgetEndpoint.Decide(p, new ChangeBudget("0710/684 10", null, 2026, 30_000.01m, "Kürzung", 3), Now));
        ex.Problem.Status.ShouldBe(422);
        DecreaseBudgetEndpoint.Decide(p, new ChangeBudget("0710/684 10", null, 2026, 30_000m, "Kürzung", 3), Now).Single()
            .ShouldBeOfType<BudgetDecreased>().Amount.ShouldBe(30_000m);
    }

    [Fact]
    public void defaults_apply_for_drawdown_horizon_and_proof_deadline()
    {
        var p = Published();
        p.Definition.Financing.DrawdownHorizonMonths.ShouldBe(2);
        p.Definition.Financing.ProofOfUseDeadlineMonths.ShouldBe(6);
    }

    [Fact]
    public void the_scheduled_close_does_nothing_when_the_call_was_closed_early_or_moved()
    {
        var p = Published();
        var callId = Guid.NewGuid();
        p.Apply(new CallOpened(p.Id, callId, new() { ["de"] = "C" }, new() { ["de"] = "D" }, Now, Now.AddDays(30), [], null, Now));
        var deadline = Now.AddDays(30);
        CloseCallAtDeadlineHandler.Decide(p, new CloseCallAtDeadline(p.Id, callId, deadline), deadline).Count.ShouldBe(1);
        CloseCallAtDeadlineHandler.Decide(p, new CloseCallAtDeadline(p.Id, callId, deadline), deadline.AddSeconds(-1)).ShouldBeEmpty(); // early: clock set back
        CloseCallAtDeadlineHandler.Decide(p, new CloseCallAtDeadline(p.Id, callId, Now.AddDays(20)), deadline).ShouldBeEmpty();
        p.Apply(new CallClosed(p.Id, callId, "early", false, Now.AddDays(1)));
        CloseCallAtDeadlineHandler.Decide(p, new CloseCallAtDeadline(p.Id, callId, deadline), deadline).ShouldBeEmpty();
    }

    [Fact]
    public void berlin_local_time_becomes_the_right_instant_across_daylight_saving()
    {
        var check = new Check();
        BerlinTime.Parse("2026-01-15T12:00", "x", check).ShouldBe(new DateTimeOffset(2026, 1, 15, 11, 0, 0, TimeSpan.Zero));
        BerlinTime.Parse("2026-07-15T12:00", "x", check).ShouldBe(new DateTimeOffset(2026, 7, 15, 10, 0, 0, TimeSpan.Zero));
        BerlinTime.Parse("2026-03-29T02:30", "x", check).ShouldBeNull(); // does not exist
        check.HasErrors.ShouldBeTrue();
    }
}
