using Alba;
using FundingPrograms.Infrastructure;

namespace FundingPrograms.Tests.Infrastructure;

/// <summary>No client input may produce a 500: each of these once did, or could have.</summary>
public sealed class when_clients_send_hostile_input(AppFixture app) : ApiTest(app)
{
    private async Task Refused400(string token, string method, string url, string json)
    {
        var result = await Send(token, s =>
        {
            if (method == "PUT") s.Put.Text(json).ToUrl(url); else s.Post.Text(json).ToUrl(url);
            s.WithRequestHeader("Content-Type", "application/json");
            s.IgnoreStatusCode();
        });
        result.Context.Response.StatusCode.ShouldBe(400, $"{method} {url} {json} answered {result.ReadAsText()}");
        result.ShouldBeProblem(400);
    }

    [Fact]
    public async Task null_bodies_and_null_array_elements_are_400()
    {
        var (_, call) = await this.OpenCall(Officer, App.Clock);
        var org = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Founder", sub: "founder"), Officer);
        var applicant = Applicant(org);
        var id = await this.Draft(applicant, call, ApplicationSamples.Content(App.Clock));
        var before = (await AllEvents()).Count;

        await Refused400(Officer, "POST", "/programmes", "null");
        await Refused400(applicant, "POST", $"/applications/{id}/submit", " null ");
        await Refused400(applicant, "POST", "/applications", $"{{\"callId\":\"{call}\",\"content\":{{\"costItems\":[null]}}}}");
        await Refused400(applicant, "POST", "/applications", $"{{\"callId\":\"{call}\",\"content\":{{\"thirdPartyFunds\":[null]}}}}");
        await Refused400(Officer, "POST", "/organisations", "{\"legalName\":\"x\",\"contactPersons\":[null]}");
        await Refused400(Officer, "POST", "/programmes", "{\"assessmentCriteria\":[null]}");
        await Refused400(Officer, "POST", $"/applications/{id}/assess", "{\"scores\":[null],\"version\":1}");
        await Refused400(Approver, "POST", $"/applications/{id}/approve", "{\"yearSplit\":[null],\"acknowledgements\":[null],\"version\":1}");
        (await AllEvents()).Count.ShouldBe(before);
    }

    [Fact]
    public async Task absurd_numbers_and_dates_are_400()
    {
        var (programme, call) = await this.OpenCall(Officer, App.Clock);
        var applicant = Applicant(await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Founder", sub: "founder"), Officer));
        await Refused400(applicant, "POST", "/applications", $"{{\"callId\":\"{call}\",\"content\":{{\"requestedAmount\":1e27}}}}");
        await Refused400(applicant, "POST", "/applications", $"{{\"callId\":\"{call}\",\"content\":{{\"periodStart\":\"9999-01-01\",\"periodEnd\":\"9999-12-31\"}}}}");
        await Refused400(applicant, "POST", "/applications", $"{{\"callId\":\"{call}\",\"content\":{{\"financingType\":\"share,gap\"}}}}");
        await Refused400(applicant, "POST", "/applications", $"{{\"callId\":\"{call}\",\"content\":{{\"costItems\":[{{\"category\":\"material, investment\",\"description\":\"x\",\"amount\":1}}]}}}}");
        await Refused400(Officer, "POST", $"/programmes/{programme}/budget/increase", "{\"budgetLine\":\"0710/684 10\",\"year\":2027,\"amount\":7e28,\"reason\":\"x\",\"version\":4}");
        await Refused400(Officer, "POST", $"/programmes/{programme}/calls", "{\"title\":{\"de\":\"t\"},\"description\":{\"de\":\"d\"},\"opensAt\":\"0001-01-01T00:00\",\"closesAt\":\"0001-01-02T00:00\",\"version\":4}");
        await Refused400(Officer, "POST", $"/programmes/{programme}/calls", "{\"title\":{\"de\":\"t\"},\"description\":{\"de\":\"d\"},\"opensAt\":\"2026-01-01\",\"closesAt\":\"2099-01-02\",\"version\":4}");
    }

    [Theory]
    [InlineData("/programmes?status=xyz")]
    [InlineData("/programmes?status=1")]
    [InlineData("/programmes?page=abc")]
    [InlineData("/programmes?page=2147483647&pageSize=200")]
    [InlineData("/organisations?verified=maybe")]
    [InlineData("/inbox?state=xyz")]
    [InlineData("/inbox?programmeId=abc")]
    [InlineData("/inbox?minDaysInState=2147483647")]
    [InlineData("/inbox?limit=abc")]
    public async Task query_values_that_cannot_be_read_are_400_not_ignored(string url) =>
        (await Get(Officer, url, 400)).ShouldBeProblem(400, ProblemTypes.Validation);

    [Fact]
    public async Task an_applicant_with_extra_identity_provider_roles_is_still_only_an_applicant()
    {
        var victim = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Victim", sub: "victim"), Officer);
        var own = Guid.NewGuid();
        var token = DevTokens.Create(App.Auth, "intruder", "Intruder", [Roles.Applicant, "offline_access", "uma_authorization"], own);
        (await Get(token, $"/organisations/{victim}", 404)).ShouldBeProblem(404);
        (await Post(token, $"/organisations/{victim}/bank-accounts", new { iban = ApplicationSamples.ValidIban, holderName = "x", version = 3 }, 404)).ShouldBeProblem(404);
    }

    [Fact]
    public async Task percentages_are_compared_exactly_not_after_rounding()
    {
        var (_, call) = await this.OpenCall(Officer, App.Clock);
        var applicant = Applicant(await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Founder", sub: "founder"), Officer));
        // 80.005 % requested against an 80 % cap (and 19.995 % own contribution against 20 %): both just over the line.
        var content = ApplicationSamples.Content(App.Clock)
            .With("costItems", new object[] { new { category = "material", description = "Ausstattung", amount = 100000m } })
            .With("requestedAmount", 80004.99m).With("ownCash", 19995.01m).With("ownVolunteerWork", 0m).With("thirdPartyFunds", Array.Empty<object>());
        var id = await this.Draft(applicant, call, content);
        var problem = (await Post(applicant, $"/applications/{id}/submit", new { version = 1 }, 422)).ShouldBeProblem(422);
        problem.FieldErrors("ownCash").ShouldNotBeEmpty();
        problem.FieldErrors("requestedAmount").ShouldNotBeEmpty();
    }
}
