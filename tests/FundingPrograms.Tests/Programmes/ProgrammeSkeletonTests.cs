using Alba;
using FundingPrograms.Infrastructure;
using FundingPrograms.Programmes;
using FundingPrograms.Tests.Infrastructure;

namespace FundingPrograms.Tests.Programmes;

public sealed class when_an_officer_creates_a_programme(AppFixture app) : ApiTest(app)
{
    private static readonly object Programme = new { name = "Förderung von Migrantenselbstorganisationen", description = "Projektförderung bis 15.000 EUR" };

    [Fact]
    public async Task it_is_created_and_anyone_with_a_role_reads_it_back()
    {
        var created = await Host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {Officer}");
            s.WithRequestHeader(Correlation.Header, "corr-create-1");
            s.Post.Json(Programme).ToUrl("/programmes");
            s.StatusCodeShouldBe(201);
        });
        var body = created.Body<CaseVersion>();
        body.Version.ShouldBe(1);
        created.Context.Response.Headers.Location.ToString().ShouldBe($"/programmes/{body.Id}");
        created.Context.Response.Headers.ETag.ToString().ShouldBe("\"1\"");

        foreach (var reader in new[] { Officer, Auditor, Approver, Applicant(Guid.NewGuid()) })
        {
            var read = (await Get(reader, $"/programmes/{body.Id}")).Json();
            read.GetProperty("name").GetString().ShouldBe("Förderung von Migrantenselbstorganisationen");
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
    public async Task missing_fields_are_listed_and_nothing_is_appended()
    {
        var problem = (await Post(Officer, "/programmes", new { name = " " }, 400)).ShouldBeProblem(400, ProblemTypes.Validation);
        problem.FieldErrors("name").ShouldNotBeEmpty();
        problem.FieldErrors("description").ShouldNotBeEmpty();
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
    private async Task<Guid> CreateProgramme() =>
        (await Post(Officer, "/programmes", new { name = "KOMM-AN", description = "Ankommen" }, 201)).Body<CaseVersion>().Id;

    [Fact]
    public async Task the_stale_version_is_refused_with_409_naming_both_versions()
    {
        var id = await CreateProgramme();
        (await Put(Officer, $"/programmes/{id}/details", new { name = "KOMM-AN NRW", description = "Ankommen", version = 1 }))
            .Context.Response.Headers.ETag.ToString().ShouldBe("\"2\"");

        var problem = (await Put(Officer2, $"/programmes/{id}/details", new { name = "KOMM-AN 2", description = "x", version = 1 }, 409))
            .ShouldBeProblem(409, ProblemTypes.VersionConflict);
        problem.GetProperty("expectedVersion").GetInt64().ShouldBe(1);
        problem.GetProperty("currentVersion").GetInt64().ShouldBe(2);
        (await StreamEvents(id)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task if_match_works_as_the_expected_version_and_a_missing_version_is_428()
    {
        var id = await CreateProgramme();
        await Send(Officer, s =>
        {
            s.Put.Json(new { name = "KOMM-AN NRW", description = "Ankommen" }).ToUrl($"/programmes/{id}/details");
            s.WithRequestHeader("If-Match", "\"1\"");
            s.StatusCodeShouldBe(200);
        });
        (await Put(Officer, $"/programmes/{id}/details", new { name = "n", description = "d" }, 428)).ShouldBeProblem(428);
    }

    [Fact]
    public async Task of_many_parallel_edits_on_one_version_exactly_one_wins()
    {
        var id = await CreateProgramme();
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {Officer}");
            s.Put.Json(new { name = $"Name {i}", description = "d", version = 1 }).ToUrl($"/programmes/{id}/details");
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
        var body = new { name = "Integrationsagenturen", description = "Förderung der Integrationsagenturen" };
        var first = await Post(Officer, "/programmes", body, 201, idempotencyKey: "key-1");
        var second = await Post(Officer, "/programmes", body, 201, idempotencyKey: "key-1");
        second.ReadAsText().ShouldBe(first.ReadAsText());
        second.Context.Response.Headers.Location.ToString().ShouldBe(first.Context.Response.Headers.Location.ToString());
        (await AllEvents()).Count.ShouldBe(1);
    }

    [Fact]
    public async Task the_same_key_with_another_body_is_422()
    {
        await Post(Officer, "/programmes", new { name = "A", description = "a" }, 201, idempotencyKey: "key-2");
        (await Post(Officer, "/programmes", new { name = "B", description = "b" }, 422, idempotencyKey: "key-2")).ShouldBeProblem(422);
        (await AllEvents()).Count.ShouldBe(1);
    }

    [Fact]
    public async Task parallel_retries_create_one_programme()
    {
        var body = new { name = "KI", description = "Kommunale Integrationszentren" };
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
        await Post(Officer, "/programmes", new { name = "" }, 400, idempotencyKey: "key-4");
        (await AllEvents()).ShouldBeEmpty();
    }
}

public sealed class programme_details_decider
{
    private static Programme Draft() => Programme.Create(new ProgrammeCreated(Guid.NewGuid(), "n", "d", DateTimeOffset.UnixEpoch));

    [Fact]
    public void a_draft_changes_without_a_reason()
    {
        var e = ChangeProgrammeDetailsEndpoint.Decide(Draft(), new ChangeProgrammeDetails(" New ", "Desc", null, 1), DateTimeOffset.UnixEpoch);
        e.Name.ShouldBe("New");
    }

    [Fact]
    public void a_published_programme_needs_a_reason()
    {
        var programme = Draft();
        programme.Status = ProgrammeStatus.Published;
        var ex = Should.Throw<ProblemException>(() =>
            ChangeProgrammeDetailsEndpoint.Decide(programme, new ChangeProgrammeDetails("New", "Desc", null, 1), DateTimeOffset.UnixEpoch));
        ex.Problem.Status.ShouldBe(400);
    }
}
