using Alba;
using FundingPrograms.Infrastructure;
using FundingPrograms.Tests.Infrastructure;

namespace FundingPrograms.Tests.Programmes;

public sealed class when_an_officer_creates_a_programme(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task it_is_created_and_anyone_with_a_role_reads_it_back()
    {
        var created = await Host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {Officer}");
            s.WithRequestHeader(Correlation.Header, "corr-create-1");
            s.Post.Json(Samples.Programme()).ToUrl("/programmes");
            s.StatusCodeShouldBe(201);
        });
        var body = created.Body<CaseVersion>();
        body.Version.ShouldBe(1);
        created.Context.Response.Headers.Location.ToString().ShouldBe($"/programmes/{body.Id}");
        created.Context.Response.Headers.ETag.ToString().ShouldBe("\"1\"");

        foreach (var reader in new[] { Officer, Auditor, Approver, Finance, Admin })
        {
            var read = (await Get(reader, $"/programmes/{body.Id}")).Json();
            read.GetProperty("definition").GetProperty("name").GetProperty("de").GetString().ShouldBe("Förderung von Migrantenselbstorganisationen");
            read.GetProperty("status").GetString().ShouldBe("draft");
        }

        var events = await StreamEvents(body.Id);
        events.Count.ShouldBe(1);
        events[0].EventTypeName.ShouldBe("programme_created");
        events[0].UserName.ShouldBe("Anna Officer");
        events[0].CorrelationId.ShouldBe("corr-create-1");
        events[0].Headers!["userId"].ToString().ShouldBe("anna-officer");
    }

    [Fact]
    public async Task an_applicant_reads_a_published_programme_without_budget_figures_and_never_a_draft()
    {
        var published = await this.PublishedProgramme(Officer);
        var draft = await this.CreateProgramme(Officer);
        var applicant = Applicant(Guid.NewGuid());
        var read = (await Get(applicant, $"/programmes/{published}")).Json();
        read.GetProperty("budget").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        (await Get(Officer, $"/programmes/{published}")).Json().GetProperty("budget").GetArrayLength().ShouldBe(1);
        (await Get(applicant, $"/programmes/{draft}", 404)).ShouldBeProblem(404);
    }

    [Fact]
    public async Task missing_fields_are_listed_and_nothing_is_appended()
    {
        var problem = (await Post(Officer, "/programmes", new { name = new { de = " " } }, 400)).ShouldBeProblem(400, ProblemTypes.Validation);
        problem.FieldErrors("name.de").ShouldNotBeEmpty();
        problem.FieldErrors("description.de").ShouldNotBeEmpty();
        problem.FieldErrors("financing").ShouldNotBeEmpty();
        problem.FieldErrors("targetDimensions").ShouldNotBeEmpty();
        (await AllEvents()).ShouldBeEmpty();
    }

    [Fact]
    public async Task an_unknown_programme_is_404()
    {
        (await Get(Officer, $"/programmes/{Guid.NewGuid()}", 404)).ShouldBeProblem(404, ProblemTypes.NotFound);
    }
}

public sealed class when_two_officers_edit_the_same_programme(AppFixture app) : ApiTest(app)
{
    private static object Revision(string name, long? version, string? reason = null) =>
        new { definition = Samples.Programme(name), reason, version };

    [Fact]
    public async Task the_stale_version_is_refused_with_409_naming_both_versions()
    {
        var id = await this.CreateProgramme(Officer);
        (await Put(Officer, $"/programmes/{id}", Revision("KOMM-AN NRW", 1)))
            .Context.Response.Headers.ETag.ToString().ShouldBe("\"2\"");

        var problem = (await Put(Officer2, $"/programmes/{id}", Revision("KOMM-AN 2", 1), 409))
            .ShouldBeProblem(409, ProblemTypes.VersionConflict);
        problem.GetProperty("expectedVersion").GetInt64().ShouldBe(1);
        problem.GetProperty("currentVersion").GetInt64().ShouldBe(2);
        (await StreamEvents(id)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task if_match_works_as_the_expected_version_and_a_missing_version_is_428()
    {
        var id = await this.CreateProgramme(Officer);
        await Send(Officer, s =>
        {
            s.Put.Json(Revision("KOMM-AN NRW", null)).ToUrl($"/programmes/{id}");
            s.WithRequestHeader("If-Match", "\"1\"");
            s.StatusCodeShouldBe(200);
        });
        (await Put(Officer, $"/programmes/{id}", Revision("n", null), 428)).ShouldBeProblem(428);
    }

    [Fact]
    public async Task of_many_parallel_edits_on_one_version_exactly_one_wins()
    {
        var id = await this.CreateProgramme(Officer);
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {Officer}");
            s.Put.Json(Revision($"Name {i}", 1)).ToUrl($"/programmes/{id}");
            s.IgnoreStatusCode();
        })));
        var statuses = results.Select(r => r.Context.Response.StatusCode).ToArray();
        statuses.Count(s => s == 200).ShouldBe(1);
        statuses.Count(s => s == 409).ShouldBe(9);
        (await StreamEvents(id)).Count.ShouldBe(2);
    }
}

public sealed class when_a_client_retries_with_an_idempotency_key(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task the_retry_gets_the_first_response_and_appends_nothing()
    {
        var body = Samples.Programme("Integrationsagenturen");
        var first = await Post(Officer, "/programmes", body, 201, idempotencyKey: "key-1");
        var second = await Post(Officer, "/programmes", body, 201, idempotencyKey: "key-1");
        second.ReadAsText().ShouldBe(first.ReadAsText());
        second.Context.Response.Headers.Location.ToString().ShouldBe(first.Context.Response.Headers.Location.ToString());
        (await AllEvents()).Count.ShouldBe(1);
    }

    [Fact]
    public async Task the_same_key_with_another_body_is_422()
    {
        await Post(Officer, "/programmes", Samples.Programme("A"), 201, idempotencyKey: "key-2");
        (await Post(Officer, "/programmes", Samples.Programme("B"), 422, idempotencyKey: "key-2")).ShouldBeProblem(422);
        (await AllEvents()).Count.ShouldBe(1);
    }

    [Fact]
    public async Task another_user_with_the_same_key_gets_their_own_result()
    {
        await Post(Officer, "/programmes", Samples.Programme("A"), 201, idempotencyKey: "key-5");
        await Post(Officer2, "/programmes", Samples.Programme("A"), 201, idempotencyKey: "key-5");
        (await AllEvents()).Count.ShouldBe(2);
    }

    [Fact]
    public async Task parallel_retries_create_one_programme()
    {
        var body = Samples.Programme("Kommunale Integrationszentren");
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {Officer}");
            s.WithRequestHeader("Idempotency-Key", "key-3");
            s.Post.Json(body).ToUrl("/programmes");
            s.IgnoreStatusCode();
        })));
        results.ShouldAllBe(r => r.Context.Response.StatusCode == 201 || r.Context.Response.StatusCode == 409);
        (await AllEvents()).Count.ShouldBe(1);
    }

    [Fact]
    public async Task a_failed_request_does_not_burn_the_key()
    {
        await Post(Officer, "/programmes", new { name = "" }, 400, idempotencyKey: "key-4");
        await Post(Officer, "/programmes", Samples.Programme(), 201, idempotencyKey: "key-4");
        (await AllEvents()).Count.ShouldBe(1);
    }
}
