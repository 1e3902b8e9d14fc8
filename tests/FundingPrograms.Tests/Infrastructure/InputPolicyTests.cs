using System.Text;
using Alba;
using FundingPrograms.Infrastructure;

namespace FundingPrograms.Tests.Infrastructure;

/// <summary>The global input policy (InputGuard): every JSON body of every endpoint, before the endpoint sees it.</summary>
public sealed class when_a_body_breaks_the_input_policy(AppFixture app) : ApiTest(app)
{
    private Task<IScenarioResult> Raw(string token, string url, string body, string? contentType = "application/json") => Send(token, s =>
    {
        s.Post.Text(body).ToUrl(url);
        if (contentType is null) s.ConfigureHttpContext(c => c.Request.ContentType = null);
        else s.WithRequestHeader("Content-Type", contentType);
        s.IgnoreStatusCode();
    });

    private static string Organisation(string legalName, string holderName = "Verein Brücke e.V.", string contact = "Ayşe Yılmaz") =>
        System.Text.Json.JsonSerializer.Serialize(ApplicationSamples.Organisation(legalName)
            .With("contactPersons", new[] { new { name = contact, role = "Vorsitzende", email = "a@b.example", phone = "+49 221 1" } })
            .With("bankAccount", new { iban = ApplicationSamples.ValidIban, holderName }));

    [Theory]
    [InlineData("Verein\u0000Brücke", "legalName")]
    [InlineData("Verein \u202EeV", "legalName")]
    [InlineData("Verein\u200BBrücke", "legalName")]
    [InlineData("Verein\u0085Brücke", "legalName")]
    [InlineData("Verein\u009BBrücke", "legalName")]
    [InlineData("Verein\u2028Brücke", "legalName")]
    [InlineData("Verein\nBrücke", "legalName")]
    public async Task invisible_and_control_characters_in_a_name_are_400_naming_the_field(string legalName, string field)
    {
        var applicant = App.Token(Roles.Applicant, "Founder", sub: "founder");
        var result = await Raw(applicant, "/organisations", Organisation(legalName));
        result.ShouldBeProblem(400, ProblemTypes.Validation).FieldErrors(field).ShouldNotBeEmpty();
        (await AllEvents()).ShouldBeEmpty();
    }

    [Fact]
    public async Task nested_fields_are_named_by_their_path()
    {
        var applicant = App.Token(Roles.Applicant, "Founder", sub: "founder");
        (await Raw(applicant, "/organisations", Organisation("Verein", holderName: "Verein\u0000"))).ShouldBeProblem(400)
            .FieldErrors("bankAccount.holderName").ShouldNotBeEmpty();
        (await Raw(applicant, "/organisations", Organisation("Verein", contact: "Ay\u200Dse"))).ShouldBeProblem(400)
            .FieldErrors("contactPersons[0].name").ShouldNotBeEmpty();
        (await AllEvents()).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_nul_in_a_draft_field_is_400_and_multi_line_text_keeps_its_line_breaks()
    {
        var (_, call) = await this.OpenCall(Officer, App.Clock);
        var applicant = Applicant(await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Founder", sub: "founder"), Officer));
        var before = (await AllEvents()).Count;
        var bad = System.Text.Json.JsonSerializer.Serialize(new { callId = call, content = ApplicationSamples.Content(App.Clock).With("description", "a\u0000b") });
        (await Raw(applicant, "/applications", bad)).ShouldBeProblem(400).FieldErrors("content.description").ShouldNotBeEmpty();
        (await AllEvents()).Count.ShouldBe(before);
        await this.Draft(applicant, call, ApplicationSamples.Content(App.Clock).With("description", "Zeile 1\nZeile 2\tmit Tab"));
    }

    [Fact]
    public async Task names_are_stored_in_nfc()
    {
        var decomposed = "Verein Bru\u0308cke e.V.";
        var applicant = App.Token(Roles.Applicant, "Founder", sub: "founder");
        var result = await Raw(applicant, "/organisations", Organisation(decomposed, holderName: decomposed));
        result.Context.Response.StatusCode.ShouldBe(201, result.ReadAsText());
        var id = result.Json().GetProperty("id").GetGuid();
        var view = (await Get(Officer, $"/organisations/{id}")).Json();
        view.GetProperty("profile").GetProperty("legalName").GetString().ShouldBe("Verein Br\u00FCcke e.V.");
        view.GetProperty("bankAccounts")[0].GetProperty("holderName").GetString().ShouldBe("Verein Br\u00FCcke e.V.");
    }

    [Fact]
    public async Task duplicate_keys_are_400()
    {
        var body = Organisation("Verein Brücke e.V.");
        var twice = body.Replace("\"legalName\":", "\"legalName\":\"Erster Name\",\"legalName\":");
        (await Raw(App.Token(Roles.Applicant, "Founder", sub: "founder"), "/organisations", twice)).ShouldBeProblem(400)
            .FieldErrors("legalName").ShouldNotBeEmpty();
        (await AllEvents()).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_json_body_without_or_with_another_content_type_is_415()
    {
        var body = System.Text.Json.JsonSerializer.Serialize(Samples.Programme());
        (await Raw(Officer, "/programmes", body, contentType: null)).ShouldBeProblem(415, ProblemTypes.UnsupportedMediaType);
        (await Raw(Officer, "/programmes", body, contentType: "text/plain")).ShouldBeProblem(415, ProblemTypes.UnsupportedMediaType);
        (await AllEvents()).ShouldBeEmpty();
        (await Raw(Officer, "/programmes", body, contentType: "application/json; charset=utf-8")).Context.Response.StatusCode.ShouldBe(201);
    }

    [Fact]
    public async Task every_array_is_bounded()
    {
        var (_, call) = await this.OpenCall(Officer, App.Clock);
        var applicant = Applicant(await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Founder", sub: "founder"), Officer));
        var before = (await AllEvents()).Count;
        var groups = Enumerable.Repeat("women", 90_000).ToArray();
        var body = System.Text.Json.JsonSerializer.Serialize(new { callId = call, content = ApplicationSamples.Content(App.Clock).With("targetGroups", groups) });
        (await Raw(applicant, "/applications", body)).ShouldBeProblem(400).FieldErrors("content.targetGroups").ShouldNotBeEmpty();
        (await AllEvents()).Count.ShouldBe(before);
    }
}
