using System.Text.Json;
using Alba;
using FundingPrograms.Infrastructure;
using FundingPrograms.Organisations;
using FundingPrograms.Tests.Infrastructure;

namespace FundingPrograms.Tests.Applications;

public sealed class when_an_organisation_registers_with_bad_data(AppFixture app) : ApiTest(app)
{
    [Theory]
    [InlineData("DE89370400440532013001", "check digits")] // one digit off
    [InlineData("US12345678901234567890", "SEPA")]
    [InlineData("DE8937040044053201300", "22 characters")]
    [InlineData("DE89-3704", "letters and digits")]
    public async Task an_iban_with_a_wrong_checksum_country_or_length_is_400(string iban, string hint)
    {
        var body = ApplicationSamples.Organisation().With("bankAccount", new { iban, holderName = "Verein Brücke e.V." });
        var problem = (await Post(Applicant(Guid.NewGuid()), "/organisations", body, 400)).ShouldBeProblem(400, ProblemTypes.Validation);
        problem.FieldErrors("bankAccount.iban")[0].ShouldContain(hint);
        (await AllEvents()).ShouldBeEmpty();
    }

    [Fact]
    public async Task missing_fields_unknown_codes_and_bad_emails_are_listed_by_field()
    {
        var body = ApplicationSamples.Organisation().With("organisationType", "company").With("district", "99999")
            .With("contactPersons", new[] { new { name = "X", role = "Y", email = "not-an-email" } })
            .With("address", new { street = "a", postalCode = "123", city = "b" }).With("taxOfficeNoticeDate", null);
        var problem = (await Post(Officer, "/organisations", body, 400)).ShouldBeProblem(400);
        foreach (var field in new[] { "organisationType", "district", "contactPersons[0].email", "address.postalCode", "taxOfficeNoticeDate" })
            problem.FieldErrors(field).ShouldNotBeEmpty();
    }

    [Theory]
    [InlineData("DE89370400440532013000")]
    [InlineData("NL91ABNA0417164300")]
    [InlineData("AT611904300234573201")]
    [InlineData("FR1420041010050500013M02606")]
    public void valid_ibans_pass_the_mod_97_check(string iban) => Iban.Problem(iban).ShouldBeNull();
}

public sealed class when_a_bank_account_changes(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task it_takes_effect_only_when_a_second_person_confirms_it()
    {
        var org = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Founder", sub: "founder"), Officer);
        await Post(Officer, $"/organisations/{org}/bank-accounts", new { iban = "NL91ABNA0417164300", holderName = "Verein Brücke e.V.", reason = "Bankwechsel", version = 3 });
        var view = (await Get(Officer, $"/organisations/{org}")).Json();
        view.GetProperty("confirmedBankAccount").GetProperty("iban").GetString().ShouldBe(ApplicationSamples.ValidIban); // the old one still pays
        var pending = view.GetProperty("bankAccounts")[1];
        pending.GetProperty("status").GetString().ShouldBe("pending");
        var change = pending.GetProperty("changeId").GetGuid();

        var before = (await AllEvents()).Count;
        (await Post(Officer, $"/organisations/{org}/bank-accounts/{change}/confirm", new { version = 4 }, 403)).ShouldBeProblem(403, ProblemTypes.Forbidden)
            .GetProperty("detail").GetString()!.ShouldContain("Four-eyes");
        (await AllEvents()).Count.ShouldBe(before);

        await Post(Officer2, $"/organisations/{org}/bank-accounts/{change}/confirm", new { version = 4 });
        var after = (await Get(Officer, $"/organisations/{org}")).Json();
        after.GetProperty("confirmedBankAccount").GetProperty("iban").GetString().ShouldBe("NL91ABNA0417164300");
        after.GetProperty("bankAccounts").EnumerateArray().Select(b => b.GetProperty("status").GetString()).ShouldBe(["superseded", "confirmed"]);
    }
}

public sealed class when_an_application_breaks_the_rules(AppFixture app) : ApiTest(app)
{
    private Guid _call;
    private string _applicant = "";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        (_, _call) = await this.OpenCall(Officer, App.Clock);
        var org = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Founder", sub: "founder"), Officer);
        _applicant = Applicant(org);
    }

    private async Task<JsonElement> SubmitRefused(Dictionary<string, object?> content, params string[] fields)
    {
        var id = await this.Draft(_applicant, _call, content);
        var before = (await AllEvents()).Count;
        var problem = (await Post(_applicant, $"/applications/{id}/submit", new { version = 1 }, 422)).ShouldBeProblem(422, ProblemTypes.BusinessRule);
        foreach (var field in fields) problem.FieldErrors(field).ShouldNotBeEmpty();
        (await AllEvents()).Count.ShouldBe(before);
        return problem;
    }

    private Dictionary<string, object?> Content => ApplicationSamples.Content(App.Clock);

    [Fact]
    public async Task a_plan_that_does_not_balance_is_refused() =>
        (await SubmitRefused(Content.With("ownCash", 1400m), "plan")).FieldErrors("plan")[0].ShouldContain("difference 100.00");

    [Fact]
    public async Task a_share_or_amount_over_the_programme_caps_is_refused()
    {
        await SubmitRefused(Content.With("requestedAmount", 8500m).With("ownCash", 0m).With("ownVolunteerWork", 1000m), "requestedAmount");
        var big = Content.With("costItems", new object[] { new { category = "material", description = "Ausstattung", amount = 30000m } })
            .With("requestedAmount", 20000m).With("ownCash", 9500m).With("ownVolunteerWork", 0m);
        (await SubmitRefused(big, "requestedAmount")).FieldErrors("requestedAmount")[0].ShouldContain("15000.00");
    }

    [Fact]
    public async Task an_own_contribution_below_the_minimum_or_volunteer_work_over_its_cap_is_refused()
    {
        await SubmitRefused(Content.With("ownCash", 500m).With("ownVolunteerWork", 1000m).With("thirdPartyFunds",
            new[] { new { source = "Stiftung", amount = 1500m, confirmed = false } }), "ownCash");
        await SubmitRefused(Content.With("ownCash", 0m).With("ownVolunteerWork", 2500m), "ownVolunteerWork");
    }

    [Fact]
    public async Task a_period_outside_the_rules_is_refused()
    {
        var start = ApplicationSamples.Start(App.Clock);
        await SubmitRefused(Content.With("periodStart", start.AddDays(-60).ToString("yyyy-MM-dd")), "periodStart");
        await SubmitRefused(Content.With("periodEnd", start.AddMonths(40).ToString("yyyy-MM-dd")), "periodEnd");
        (await Post(_applicant, "/applications", new { callId = _call, content = Content.With("periodEnd", start.AddDays(-1).ToString("yyyy-MM-dd")) }, 400))
            .ShouldBeProblem(400).FieldErrors("periodEnd").ShouldNotBeEmpty();
    }

    [Fact]
    public async Task an_incomplete_form_lists_every_missing_field()
    {
        var problem = await SubmitRefused(new Dictionary<string, object?> { ["title"] = "Nur ein Titel" }, "summary", "costItems", "requestedAmount", "financingType", "districts");
        problem.GetProperty("errors").TryGetProperty("title", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task submitting_after_the_deadline_or_to_a_closed_call_is_refused()
    {
        var id = await this.Draft(_applicant, _call, Content);
        App.Clock.Advance(TimeSpan.FromDays(31)); // past the deadline by server time
        (await Post(_applicant, $"/applications/{id}/submit", new { version = 1 }, 422)).ShouldBeProblem(422).GetProperty("detail").GetString()!.ShouldContain("closed");
        App.Clock.Reset();

        var programme = (await Get(Officer, $"/calls/{_call}")).Json().GetProperty("programmeId").GetGuid();
        await Post(Officer, $"/programmes/{programme}/calls/{_call}/close", new { reason = "Mittel ausgeschöpft", version = 4 });
        var before = (await AllEvents()).Count;
        (await Post(_applicant, $"/applications/{id}/submit", new { version = 1 }, 422)).ShouldBeProblem(422);
        (await Post(_applicant, "/applications", new { callId = _call, content = Content }, 422)).ShouldBeProblem(422);
        (await AllEvents()).Count.ShouldBe(before);
    }

    [Fact]
    public async Task editing_after_submission_is_409()
    {
        var id = await this.Draft(_applicant, _call, Content);
        await Post(_applicant, $"/applications/{id}/submit", new { version = 1 });
        (await Put(_applicant, $"/applications/{id}", new { content = Content.With("title", "Neu"), version = 2 }, 409)).ShouldBeProblem(409, ProblemTypes.InvalidState);
        (await Post(_applicant, $"/applications/{id}/submit", new { version = 2 }, 409)).ShouldBeProblem(409);
    }

    [Fact]
    public async Task a_stale_version_is_409()
    {
        var id = await this.Draft(_applicant, _call, Content);
        await Put(_applicant, $"/applications/{id}", new { content = Content.With("title", "Zweiter Titel"), version = 1 });
        (await Put(_applicant, $"/applications/{id}", new { content = Content.With("title", "Dritter Titel"), version = 1 }, 409))
            .ShouldBeProblem(409, ProblemTypes.VersionConflict).GetProperty("currentVersion").GetInt64().ShouldBe(2);
    }

    [Fact]
    public async Task an_organisation_of_an_ineligible_type_cannot_submit()
    {
        var agency = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Agency", sub: "agency"), Officer,
            ApplicationSamples.Organisation("Integrationsagentur Köln", "integration_agency"));
        var token = Applicant(agency);
        var id = await this.Draft(token, _call, Content);
        (await Post(token, $"/applications/{id}/submit", new { version = 1 }, 422)).ShouldBeProblem(422).FieldErrors("organisation").ShouldNotBeEmpty();
    }
}

public sealed class when_an_officer_assesses(AppFixture app) : ApiTest(app)
{
    private static readonly object Scores = new
    {
        scores = new[] { new { criterion = "need", score = 50m }, new { criterion = "quality", score = 50m }, new { criterion = "sustainability", score = 50m } },
        recommendation = "reject", reasons = "Bedarf nicht belegt", version = 3,
    };

    [Fact]
    public async Task an_application_of_an_unverified_organisation_cannot_be_assessed()
    {
        var (_, call) = await this.OpenCall(Officer, App.Clock);
        var founder = App.Token(Roles.Applicant, "Founder", sub: "founder");
        await Post(founder, "/organisations", ApplicationSamples.Organisation(), 201);
        var id = await this.Draft(founder, call, ApplicationSamples.Content(App.Clock)); // unverified may draft and submit
        await Post(founder, $"/applications/{id}/submit", new { version = 1 });
        await Post(Officer, $"/applications/{id}/formal-check", new { version = 2 });
        var before = (await AllEvents()).Count;
        (await Post(Officer, $"/applications/{id}/assess", Scores, 422)).ShouldBeProblem(422).GetProperty("detail").GetString()!.ShouldContain("not verified");
        (await AllEvents()).Count.ShouldBe(before);
    }

    [Fact]
    public async Task scores_must_cover_every_criterion_and_the_state_must_be_formally_checked()
    {
        var (_, call) = await this.OpenCall(Officer, App.Clock);
        var org = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Founder", sub: "founder"), Officer);
        var id = await this.Draft(Applicant(org), call, ApplicationSamples.Content(App.Clock));
        await Post(Applicant(org), $"/applications/{id}/submit", new { version = 1 });
        (await Post(Officer, $"/applications/{id}/assess", new { version = 2 }, 400)).ShouldBeProblem(400).FieldErrors("recommendation").ShouldNotBeEmpty();
        (await Post(Officer, $"/applications/{id}/assess", new
        {
            scores = new[] { new { criterion = "need", score = 150m } }, recommendation = "approve", recommendedAmount = 99999m, version = 2,
        }, 400)).ShouldBeProblem(400).FieldErrors("scores.quality").ShouldNotBeEmpty();
        (await Post(Officer, $"/applications/{id}/assess", new
        {
            scores = new[] { new { criterion = "need", score = 50m }, new { criterion = "quality", score = 50m }, new { criterion = "sustainability", score = 50m } },
            recommendation = "reject", reasons = "x", version = 2,
        }, 409)).ShouldBeProblem(409, ProblemTypes.InvalidState);
        (await Post(Applicant(org), $"/applications/{id}/formal-check", new { version = 2 }, 403)).ShouldBeProblem(403);
    }
}

public sealed class when_an_applicant_reaches_for_another_organisations_data(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task every_applicant_endpoint_answers_404()
    {
        var (_, call) = await this.OpenCall(Officer, App.Clock);
        var victim = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Victim", sub: "victim"), Officer);
        var application = await this.Draft(Applicant(victim), call, ApplicationSamples.Content(App.Clock));
        var intruderOrg = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Intruder", sub: "intruder"), Officer,
            ApplicationSamples.Organisation("Anderer Verein e.V."));
        var intruder = Applicant(intruderOrg, "Intruder");
        var selfRegistered = App.Token(Roles.Applicant, "Intruder", sub: "intruder"); // bound by registration, no org claim
        var before = (await AllEvents()).Count;

        foreach (var token in new[] { intruder, selfRegistered })
        {
            (await Get(token, $"/organisations/{victim}", 404)).ShouldBeProblem(404);
            (await Get(token, $"/organisations/{victim}/history", 404)).ShouldBeProblem(404);
            (await Post(token, $"/organisations/{victim}/bank-accounts", new { iban = ApplicationSamples.ValidIban, holderName = "Dieb", version = 3 }, 404)).ShouldBeProblem(404);
            (await Get(token, $"/applications/{application}", 404)).ShouldBeProblem(404);
            (await Get(token, $"/applications/{application}/history", 404)).ShouldBeProblem(404);
            (await Put(token, $"/applications/{application}", new { content = ApplicationSamples.Content(App.Clock), version = 1 }, 404)).ShouldBeProblem(404);
            (await Put(token, $"/applications/{application}", new { content = ApplicationSamples.Content(App.Clock), version = 99 }, 404)).ShouldBeProblem(404);
            (await Post(token, $"/applications/{application}/submit", new { version = 1 }, 404)).ShouldBeProblem(404);
            (await Post(token, $"/applications/{application}/withdraw", new { version = 1 }, 404)).ShouldBeProblem(404);
            (await Get(token, "/dashboard")).Json().GetProperty("applications").GetArrayLength().ShouldBe(0);
            (await Get(token, "/me/organisation")).Json().GetProperty("id").GetGuid().ShouldBe(intruderOrg);
            (await Get(token, "/organisations", 403)).ShouldBeProblem(403);
        }
        (await AllEvents()).Count.ShouldBe(before);
        // The victim still sees its own.
        (await Get(Applicant(victim), $"/applications/{application}")).Json().GetProperty("id").GetGuid().ShouldBe(application);
    }
}
