using System.Text.Json;
using Alba;
using FundingPrograms.Infrastructure;
using FundingPrograms.Programmes;
using FundingPrograms.Tests.Infrastructure;

namespace FundingPrograms.Tests.Programmes;

public sealed class the_reference_data(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task lists_the_53_districts_of_nrw_in_their_5_regions_without_a_token()
    {
        var data = (await Get(null, "/reference-data")).Json();
        var districts = data.GetProperty("districts").EnumerateArray().ToList();
        districts.Count.ShouldBe(53);
        districts.Select(d => d.GetProperty("code").GetString()).Distinct().Count().ShouldBe(53);
        districts.Count(d => d.GetProperty("kind").GetString() == "districtFreeCity").ShouldBe(22);
        var regions = data.GetProperty("regions").EnumerateArray().Select(r => r.GetProperty("code").GetString()).ToArray();
        regions.ShouldBe(["Arnsberg", "Detmold", "Düsseldorf", "Köln", "Münster"]);
        districts.ShouldAllBe(d => regions.Contains(d.GetProperty("region").GetString()));
        districts.Select(d => d.GetProperty("settlement").GetString()).Distinct().OrderBy(x => x).ShouldBe(["rural", "urban"]);
        districts.Single(d => d.GetProperty("code").GetString() == "05315").GetProperty("name").GetString().ShouldBe("Köln");
        data.GetProperty("targetDimensions").GetArrayLength().ShouldBe(3);
        data.GetProperty("targetGroups").GetArrayLength().ShouldBe(13);
        data.GetProperty("organisationTypes").EnumerateArray().Select(o => o.GetProperty("code").GetString())
            .ShouldBe(["mso", "integration_agency", "municipal_integration_centre", "anti_discrimination_service_point", "volunteer_initiative", "other"]);
    }
}

public sealed class when_an_officer_runs_a_programme_from_draft_to_open_call(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task the_public_catalogue_shows_it_in_german_and_english_without_internal_data()
    {
        var id = await this.CreateProgramme(Officer);
        (await Get(null, "/catalogue/programmes")).Json().GetProperty("total").GetInt64().ShouldBe(0); // drafts are not public

        await Post(Officer, $"/programmes/{id}/publish", new { version = 1 });
        await Post(Officer, $"/programmes/{id}/budget/allocate", new { budgetLine = "0710/684 10", year = Year, amount = 750000.50m, reason = "Haushalt beschlossen", version = 2 });
        var call = (await Post(Officer, $"/programmes/{id}/calls", Samples.OpenCallNow(App.Clock, 3, ["05315", "05111"]), 201)).Body<CallCreated>();
        call.Version.ShouldBe(4);

        var german = (await Get(null, "/catalogue/programmes?district=05315")).Json();
        german.GetProperty("total").GetInt64().ShouldBe(1);
        var programme = german.GetProperty("items")[0];
        programme.GetProperty("name").GetString().ShouldBe("Förderung von Migrantenselbstorganisationen");
        programme.GetProperty("calls")[0].GetProperty("state").GetString().ShouldBe("open");
        programme.GetProperty("calls")[0].GetProperty("title").GetString().ShouldBe("Förderaufruf 2026");

        var english = await Host.Scenario(s =>
        {
            s.Get.Url("/catalogue/programmes");
            s.WithRequestHeader("Accept-Language", "en-GB;q=0.9, de;q=0.5");
        });
        english.Json().GetProperty("items")[0].GetProperty("name").GetString().ShouldBe("Funding for migrant self-organisations");
        english.Context.Response.Headers.ContentLanguage.ToString().ShouldBe("en-gb");

        // A language without translation falls back to German.
        (await Get(null, "/catalogue/programmes?lang=tr")).Json().GetProperty("items")[0].GetProperty("name").GetString()
            .ShouldBe("Förderung von Migrantenselbstorganisationen");

        var raw = (await Get(null, $"/catalogue/programmes/{id}?lang=en")).ReadAsText();
        raw.ShouldNotContain("750000");
        raw.ShouldNotContain("budget", Case.Insensitive);
        raw.ShouldNotContain("Haushalt beschlossen");
        raw.ShouldNotContain("Anna Officer");
    }

    [Fact]
    public async Task the_catalogue_filters_by_dimension_group_type_and_district_and_pages()
    {
        var mso = await this.PublishedProgramme(Officer);
        var ki = await this.PublishedProgramme(Officer, Samples.Programme("Kommunale Integrationszentren")
            .With("targetDimensions", new[] { "I" }).With("targetGroups", new[] { "families_with_children" })
            .With("eligibleOrganisationTypes", new[] { "municipal_integration_centre" }));
        await Post(Officer, $"/programmes/{mso}/calls", Samples.OpenCallNow(App.Clock, 3, ["05711"]), 201);
        await Post(Officer, $"/programmes/{ki}/calls", Samples.OpenCallNow(App.Clock, 3), 201);

        async Task<string[]> Names(string query) => (await Get(null, "/catalogue/programmes" + query)).Json()
            .GetProperty("items").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToArray();

        (await Names("?targetDimension=I")).ShouldBe(["Kommunale Integrationszentren"]);
        (await Names("?targetGroup=women")).ShouldBe(["Förderung von Migrantenselbstorganisationen"]);
        (await Names("?organisationType=municipal_integration_centre")).ShouldBe(["Kommunale Integrationszentren"]);
        (await Names("?district=05711")).Length.ShouldBe(2); // Bielefeld: the MSO call targets it, the KI call has no restriction
        (await Names("?district=05315")).ShouldBe(["Kommunale Integrationszentren"]);
        var page2 = (await Get(null, "/catalogue/programmes?page=2&pageSize=1")).Json();
        page2.GetProperty("items").GetArrayLength().ShouldBe(1);
        page2.GetProperty("total").GetInt64().ShouldBe(2);

        var bad = (await Get(null, "/catalogue/programmes?district=99999&targetGroup=aliens&pageSize=1000", 400)).ShouldBeProblem(400, ProblemTypes.Validation);
        bad.FieldErrors("district").ShouldNotBeEmpty();
        bad.FieldErrors("targetGroup").ShouldNotBeEmpty();
        bad.FieldErrors("pageSize").ShouldNotBeEmpty();
    }

    [Fact]
    public async Task officers_see_the_list_with_budget_figures_the_budget_overview_and_the_full_history()
    {
        var id = await this.PublishedProgramme(Officer);
        await Post(Officer, $"/programmes/{id}/budget/allocate", new { budgetLine = "0710/684 10", year = Year + 1, amount = 250000m, version = 3 });
        await Post(Officer2, $"/programmes/{id}/budget/decrease", new { budgetLine = "0710/684 10", year = Year, amount = 100000m, reason = "Haushaltssperre", version = 4 });
        await Put(Officer2, $"/programmes/{id}", new { definition = Samples.Programme("MSO-Förderung 2.0"), reason = "Neue Richtlinie", version = 5 });
        await this.CreateProgramme(Officer);

        var list = (await Get(Officer, "/programmes?status=published")).Json();
        list.GetProperty("total").GetInt64().ShouldBe(1);
        var item = list.GetProperty("items")[0];
        item.GetProperty("allocated").GetDecimal().ShouldBe(650000m);
        item.GetProperty("free").GetDecimal().ShouldBe(650000m);
        item.GetProperty("name").GetString().ShouldBe("MSO-Förderung 2.0");
        (await Get(Officer, "/programmes")).Json().GetProperty("total").GetInt64().ShouldBe(2);

        var budget = (await Get(Officer, $"/programmes/{id}/budget")).Json();
        budget.GetProperty("years").EnumerateArray().Select(y => (y.GetProperty("year").GetInt32(), y.GetProperty("allocated").GetDecimal(),
            y.GetProperty("committed").GetDecimal(), y.GetProperty("paid").GetDecimal(), y.GetProperty("free").GetDecimal()))
            .ShouldBe([(Year, 400000m, 0m, 0m, 400000m), (Year + 1, 250000m, 0m, 0m, 250000m)]);

        var history = (await Get(Auditor, $"/programmes/{id}/history")).Json().EnumerateArray().ToList();
        history.Select(h => h.GetProperty("type").GetString()).ShouldBe(
            ["programme_created", "programme_published", "budget_allocated", "budget_allocated", "budget_decreased", "programme_revised"]);
        var decrease = history[4];
        decrease.GetProperty("userName").GetString().ShouldBe("Omar Officer");
        decrease.GetProperty("reason").GetString().ShouldBe("Haushaltssperre");
        decrease.GetProperty("version").GetInt64().ShouldBe(5);
        history[5].GetProperty("reason").GetString().ShouldBe("Neue Richtlinie");

        (await Get(Applicant(Guid.NewGuid()), $"/programmes/{id}/history", 403)).ShouldBeProblem(403);
        (await Get(Applicant(Guid.NewGuid()), "/programmes", 403)).ShouldBeProblem(403);
    }

    [Fact]
    public async Task a_call_closed_early_keeps_its_reason_and_leaves_the_catalogue()
    {
        var id = await this.PublishedProgramme(Officer);
        var call = (await Post(Officer, $"/programmes/{id}/calls", Samples.OpenCallNow(App.Clock, 3), 201)).Body<CallCreated>();
        await Post(Officer, $"/programmes/{id}/calls/{call.CallId}/close", new { reason = "Mittel ausgeschöpft", version = 4 });
        var view = (await Get(Applicant(Guid.NewGuid()), $"/calls/{call.CallId}")).Json();
        view.GetProperty("state").GetString().ShouldBe("closed");
        view.GetProperty("closedReason").GetString().ShouldBe("Mittel ausgeschöpft");
        view.GetProperty("closedAutomatically").GetBoolean().ShouldBeFalse();
        (await Get(null, $"/catalogue/programmes/{id}")).Json().GetProperty("calls").GetArrayLength().ShouldBe(0);
        (await Post(Officer, $"/programmes/{id}/calls/{call.CallId}/close", new { reason = "again", version = 5 }, 409)).ShouldBeProblem(409);
    }

    [Fact]
    public async Task a_call_shows_as_upcoming_before_it_opens_and_closed_once_the_clock_passes_the_deadline()
    {
        var id = await this.PublishedProgramme(Officer);
        var now = App.Clock.GetUtcNow();
        var call = (await Post(Officer, $"/programmes/{id}/calls",
            Samples.Call(Samples.Berlin(now.AddDays(10)), Samples.Berlin(now.AddDays(40)), version: 3), 201)).Body<CallCreated>();
        (await Get(null, $"/catalogue/programmes/{id}")).Json().GetProperty("calls")[0].GetProperty("state").GetString().ShouldBe("upcoming");
        App.Clock.Advance(TimeSpan.FromDays(11));
        (await Get(Officer, $"/calls/{call.CallId}")).Json().GetProperty("state").GetString().ShouldBe("open");
        App.Clock.Advance(TimeSpan.FromDays(30));
        (await Get(Officer, $"/calls/{call.CallId}")).Json().GetProperty("state").GetString().ShouldBe("closed");
    }
}

public sealed class when_a_call_reaches_its_deadline
{
    [Fact]
    public async Task it_closes_itself_even_if_the_service_restarted_in_between()
    {
        var schema = "restart_" + Guid.NewGuid().ToString("N")[..8];
        var clock = new TestClock(TestClock.SuiteStart);
        var auth = new AuthOptions { SigningKey = AppFixture.SigningKey };
        var officer = DevTokens.Create(auth, "anna", "Anna Officer", [Roles.Officer]);
        Guid programmeId, callId;

        await using (var first = await AppFixture.StartHost(clock, schema))
        {
            Task<IScenarioResult> Post(string url, object body, int status) => first.Scenario(s =>
            {
                s.WithRequestHeader("Authorization", $"Bearer {officer}");
                s.Post.Json(body, JsonStyle.MinimalApi).ToUrl(url);
                s.StatusCodeShouldBe(status);
            });
            programmeId = (await Post("/programmes", Samples.Programme(), 201)).ReadAsJson<CaseVersion>()!.Id;
            await Post($"/programmes/{programmeId}/publish", new { version = 1 }, 200);
            var deadline = clock.GetUtcNow().AddSeconds(4);
            var body = Samples.Call(Samples.Berlin(clock.GetUtcNow().AddDays(-1)), deadline.ToString("yyyy-MM-ddTHH:mm:ssK"), version: 2);
            callId = (await Post($"/programmes/{programmeId}/calls", body, 201)).ReadAsJson<CallCreated>()!.CallId;
        } // the service stops before the deadline

        clock.Advance(TimeSpan.FromMinutes(5));
        await using var second = await AppFixture.StartHost(clock, schema);
        JsonElement call = default;
        for (var i = 0; i < 120; i++)
        {
            var result = await second.Scenario(s =>
            {
                s.WithRequestHeader("Authorization", $"Bearer {officer}");
                s.Get.Url($"/calls/{callId}");
            });
            call = result.Json();
            if (call.GetProperty("closedAt").ValueKind != JsonValueKind.Null) break;
            await Task.Delay(500);
        }
        call.GetProperty("state").GetString().ShouldBe("closed");
        call.GetProperty("closedAutomatically").GetBoolean().ShouldBeTrue();

        await using var session = second.Services.GetService(typeof(Marten.IDocumentStore)) is Marten.IDocumentStore store ? store.QuerySession() : throw new InvalidOperationException();
        var events = await session.Events.FetchStreamAsync(programmeId);
        events.Last().EventTypeName.ShouldBe("call_closed");
        events.Last().UserName.ShouldBe("System");
    }
}
