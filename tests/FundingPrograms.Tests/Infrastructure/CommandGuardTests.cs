using Alba;
using FundingPrograms.Infrastructure;

namespace FundingPrograms.Tests.Infrastructure;

/// <summary>
/// The one guard every command on an existing case passes (CommandGuard): 404 for a missing case or another organisation's
/// (before any version is revealed), 428 without a version, 409 naming both versions — and nothing appended in each case.
/// </summary>
public sealed class when_a_command_meets_its_case(AppFixture app) : ApiTest(app)
{
    private Guid _org;
    private string _applicant = "";
    private Guid _application;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _org = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Founder", sub: "guard-founder"), Officer);
        _applicant = Applicant(_org);
        var (_, call) = await this.OpenCall(Officer, App.Clock);
        _application = await this.Draft(_applicant, call, ApplicationSamples.Content(App.Clock));
    }

    [Fact]
    public async Task without_a_version_it_is_428_and_nothing_is_appended()
    {
        var before = (await AllEvents()).Count;
        (await Post(_applicant, $"/applications/{_application}/submit", new { }, 428)).ShouldBeProblem(428, ProblemTypes.PreconditionRequired);
        (await Post(Officer, $"/organisations/{_org}/bank-accounts", new { iban = "NL91ABNA0417164300", holderName = "Verein Brücke e.V." }, 428))
            .ShouldBeProblem(428, ProblemTypes.PreconditionRequired);
        (await AllEvents()).Count.ShouldBe(before);
        (await StreamEvents(_application)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task a_stale_version_is_409_naming_both_versions_and_nothing_is_appended()
    {
        var before = (await AllEvents()).Count;
        var problem = (await Post(_applicant, $"/applications/{_application}/submit", new { version = 5 }, 409)).ShouldBeProblem(409, ProblemTypes.VersionConflict);
        problem.GetProperty("expectedVersion").GetInt64().ShouldBe(5);
        problem.GetProperty("currentVersion").GetInt64().ShouldBe(1);

        var viaHeader = await Send(_applicant, s =>
        {
            s.Post.Json(new { reason = "Kein Bedarf mehr" }, JsonStyle.MinimalApi).ToUrl($"/applications/{_application}/withdraw");
            s.WithRequestHeader("If-Match", "\"3\"");
            s.StatusCodeShouldBe(409);
        });
        var headerProblem = viaHeader.ShouldBeProblem(409, ProblemTypes.VersionConflict);
        headerProblem.GetProperty("expectedVersion").GetInt64().ShouldBe(3);
        headerProblem.GetProperty("currentVersion").GetInt64().ShouldBe(1);

        (await AllEvents()).Count.ShouldBe(before);
        (await StreamEvents(_application)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task another_organisations_case_is_404_even_with_a_wrong_or_no_version_and_no_version_is_revealed()
    {
        var stranger = Applicant(Guid.NewGuid(), "Mallory Applicant");
        var before = (await AllEvents()).Count;
        foreach (var result in new[]
                 {
                     await Post(stranger, $"/applications/{_application}/submit", new { version = 99 }, 404),
                     await Post(stranger, $"/applications/{_application}/submit", new { }, 404),
                     await Put(stranger, $"/applications/{_application}", new { content = ApplicationSamples.Content(App.Clock), version = 99 }, 404),
                     await Post(stranger, $"/organisations/{_org}/bank-accounts",
                         new { iban = "NL91ABNA0417164300", holderName = "Mallory", version = 99 }, 404),
                 })
        {
            var problem = result.ShouldBeProblem(404, ProblemTypes.NotFound);
            problem.TryGetProperty("currentVersion", out _).ShouldBeFalse();
            problem.TryGetProperty("expectedVersion", out _).ShouldBeFalse();
            result.Context.Response.Headers.ETag.ToString().ShouldBeEmpty();
        }
        (await AllEvents()).Count.ShouldBe(before);
        (await StreamEvents(_application)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task a_missing_case_is_404_with_or_without_a_version_and_nothing_is_appended()
    {
        var before = (await AllEvents()).Count;
        var missing = Guid.NewGuid();
        (await Post(Officer, $"/applications/{missing}/formal-check", new { version = 1 }, 404)).ShouldBeProblem(404, ProblemTypes.NotFound)
            .GetProperty("detail").GetString()!.ShouldContain("application");
        (await Post(Officer, $"/applications/{missing}/formal-check", new { }, 404)).ShouldBeProblem(404, ProblemTypes.NotFound);
        (await Post(Officer, $"/organisations/{missing}/verify", new { evidence = "Satzung", version = 1 }, 404)).ShouldBeProblem(404, ProblemTypes.NotFound);
        (await Post(Approver, $"/grants/{missing}/amendments", new { reason = "Verlängerung", version = 1 }, 404)).ShouldBeProblem(404, ProblemTypes.NotFound)
            .GetProperty("detail").GetString()!.ShouldContain("grant");
        (await AllEvents()).Count.ShouldBe(before);
    }

    [Fact]
    public async Task with_the_current_version_the_command_runs_once()
    {
        var result = await Post(_applicant, $"/applications/{_application}/withdraw", new { reason = "Kein Bedarf mehr", version = 1 });
        result.Json().GetProperty("version").GetInt64().ShouldBe(2);
        result.Context.Response.Headers.ETag.ToString().ShouldBe("\"2\"");
        (await StreamEvents(_application)).Count.ShouldBe(2);
    }
}
