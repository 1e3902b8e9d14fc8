using System.Text;
using Alba;
using FundingPrograms.Infrastructure;

namespace FundingPrograms.Tests.Infrastructure;

public sealed class when_the_service_is_running(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task health_openapi_and_swagger_need_no_token()
    {
        await Get(null, "/health/live");
        var ready = await Get(null, "/health/ready");
        ready.Json().GetProperty("checks").GetProperty("database").GetProperty("status").GetString().ShouldBe("Healthy");
        var doc = await Get(null, "/openapi/v1.json");
        doc.Json().GetProperty("components").GetProperty("securitySchemes").TryGetProperty("Bearer", out _).ShouldBeTrue();
        (await Get(null, "/swagger/index.html")).ReadAsText().ShouldContain("swagger");
    }

    [Fact]
    public async Task an_unknown_route_is_a_404_problem()
    {
        var result = await Get(Officer, "/no/such/thing", 404);
        result.ShouldBeProblem(404, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task every_response_carries_the_correlation_id_it_was_given()
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url("/health/live");
            s.WithRequestHeader(Correlation.Header, "case-4711");
        });
        result.Context.Response.Headers[Correlation.Header].ToString().ShouldBe("case-4711");
    }
}

public sealed class when_a_caller_is_not_authenticated_or_not_allowed(AppFixture app) : ApiTest(app)
{
    private static readonly object Programme = new { name = "MSO-Förderung", description = "Projektförderung für Migrantenselbstorganisationen" };

    [Fact]
    public async Task no_token_is_401()
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(Programme).ToUrl("/programmes");
            s.StatusCodeShouldBe(401);
        });
        result.ShouldBeProblem(401, ProblemTypes.Unauthenticated);
        (await AllEvents()).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_token_signed_with_another_key_is_401()
    {
        var forged = DevTokens.Create(new AuthOptions { SigningKey = "another-key-another-key-another-key-1234" }, "mallory", "Mallory", [Roles.Admin]);
        (await Post(forged, "/programmes", Programme, 401)).ShouldBeProblem(401);
        (await Post("not-a-jwt", "/programmes", Programme, 401)).ShouldBeProblem(401);
    }

    [Fact]
    public async Task an_expired_token_is_401()
    {
        var issued = TimeProvider.System.GetUtcNow().AddHours(-10); // wall clock: JwtBearer checks a token's lifetime against the real time
        var expired = DevTokens.Create(App.Auth, "anna", "Anna Officer", [Roles.Officer], now: issued, lifetime: TimeSpan.FromHours(1));
        (await Post(expired, "/programmes", Programme, 401)).ShouldBeProblem(401);
    }

    [Theory]
    [InlineData(Roles.Applicant)]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Finance)]
    public async Task a_role_that_may_not_create_programmes_is_403(string role)
    {
        var result = await Post(App.Token(role, org: Guid.NewGuid()), "/programmes", Programme, 403);
        result.ShouldBeProblem(403, ProblemTypes.Forbidden);
        (await AllEvents()).ShouldBeEmpty();
    }
}

public sealed class when_a_request_is_malformed(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task broken_json_is_a_400_problem_and_appends_nothing()
    {
        var result = await Send(Officer, s =>
        {
            s.Post.Text("{\"name\": \"oops\", ").ToUrl("/programmes");
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(400);
        });
        result.ShouldBeProblem(400, ProblemTypes.MalformedRequest);
        (await AllEvents()).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_wrong_json_type_is_a_400_problem()
    {
        var result = await Send(Officer, s =>
        {
            s.Post.Text("{\"name\": 42, \"description\": []}").ToUrl("/programmes");
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(400);
        });
        result.ShouldBeProblem(400, ProblemTypes.MalformedRequest);
    }

    [Fact]
    public async Task a_body_that_is_not_json_is_refused_with_415()
    {
        var result = await Send(Officer, s =>
        {
            s.Post.Text("name=x").ToUrl("/programmes");
            s.WithRequestHeader("Content-Type", "text/plain");
            s.StatusCodeShouldBe(415);
        });
        result.ShouldBeProblem(415, ProblemTypes.UnsupportedMediaType);
        (await AllEvents()).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_body_over_the_limit_is_413()
    {
        var huge = new string('x', 1024 * 1024 + 10);
        var result = await Send(Officer, s =>
        {
            s.Post.Text($"{{\"name\":\"{huge}\",\"description\":\"d\"}}").ToUrl("/programmes");
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(413);
        });
        result.ShouldBeProblem(413, ProblemTypes.PayloadTooLarge);
        (await AllEvents()).ShouldBeEmpty();
    }
}
