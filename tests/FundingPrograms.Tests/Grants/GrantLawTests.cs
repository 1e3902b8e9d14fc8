using System.Text.Json;
using FundingPrograms.Infrastructure;
using FundingPrograms.Tests.Infrastructure;

namespace FundingPrograms.Tests.Grants;

/// <summary>Issue 12 over HTTP: refusals answer 422 naming the legal source and append nothing.</summary>
public sealed class when_grant_law_is_applied(AppFixture app) : GrantTest(app)
{

    private static object Split(DateOnly start, DateOnly end, decimal amount = 7000m) => start.Year == end.Year
        ? new[] { new { year = start.Year, amount } }
        : new[] { new { year = start.Year, amount = amount / 2 }, new { year = end.Year, amount = amount / 2 } };

    private async Task<JsonElement> Refused(string token, string url, object body, int status, string? field = null)
    {
        var before = (await AllEvents()).Count;
        var problem = (await Post(token, url, body, status)).ShouldBeProblem(status);
        if (field is not null) problem.FieldErrors(field).ShouldNotBeEmpty();
        (await AllEvents()).Count.ShouldBe(before);
        return problem;
    }

    [Fact]
    public async Task a_project_begun_before_the_notice_is_refused_unless_an_early_start_was_approved_beforehand()
    {
        var start = Today.AddDays(2);
        var end = start.AddDays(20);
        var version = ProgrammeVersion;
        var budgeted = (await Get(Officer, $"/programmes/{ProgrammeId}/budget")).Json().GetProperty("years").EnumerateArray()
            .Select(y => y.GetProperty("year").GetInt32()).ToHashSet();
        foreach (var year in new[] { start.Year, end.Year }.Distinct().Where(y => !budgeted.Contains(y))) // the project runs now, not in the funding year
            await Post(Officer, $"/programmes/{ProgrammeId}/budget/allocate", new { budgetLine = "0710/684 10", year, amount = 100000m, version = version++ });
        Dictionary<string, object?> Content(string purpose) => GrantSamples.NextYearContent(App.Clock, purpose)
            .With("periodStart", start.ToString("yyyy-MM-dd")).With("periodEnd", end.ToString("yyyy-MM-dd"))
            .With("earlyStartRequested", true).With("earlyStartReason", "Kursbeginn mit dem Schulhalbjahr");
        var withEarlyStart = await this.AssessedApplication(ApplicantToken, CallId, Content("Sprachkurs"), Officer2);
        var without = await this.AssessedApplication(ApplicantToken, CallId, Content("Elterncafé"), Officer2);
        (await Get(Officer, $"/applications/{withEarlyStart}")).Json().GetProperty("content").GetProperty("earlyStartRequested").GetBoolean().ShouldBeTrue();

        await Refused(Officer, $"/applications/{withEarlyStart}/early-start", new { from = Today.AddDays(-1).ToString("yyyy-MM-dd"), reason = "x", version = 4 }, 422, "from");
        await Refused(Officer, $"/applications/{withEarlyStart}/early-start", new { version = 4 }, 400, "reason");
        await Refused(ApplicantToken, $"/applications/{withEarlyStart}/early-start", new { reason = "x", version = 4 }, 403);
        await Post(Officer, $"/applications/{withEarlyStart}/early-start", new { reason = "Kursbeginn vor Bescheid unvermeidbar", version = 4 });

        App.Clock.Advance(TimeSpan.FromDays(5)); // the notice comes after the project began
        var problem = await Refused(Approver, $"/applications/{without}/approve", GrantSamples.Approval(yearSplit: Split(start, end)), 422, "periodStart");
        problem.FieldErrors("periodStart")[0].ShouldContain("VV Nr. 1.3 zu § 44 LHO");

        var grantId = (await Post(Approver, $"/applications/{withEarlyStart}/approve", GrantSamples.Approval(yearSplit: Split(start, end), version: 5)))
            .Json().GetProperty("grantId").GetGuid();
        var notice = (await Get(ApplicantToken, $"/grants/{grantId}/notice")).Json();
        notice.GetProperty("earlyStart").GetProperty("from").GetString().ShouldBe(Today.AddDays(-5).ToString("yyyy-MM-dd"));
        notice.GetProperty("earlyStart").GetProperty("note").GetString()!.ShouldContain("keinen Anspruch");
        await LettersIssued(); // the letter follows the decision's commit
        (await Get(ApplicantToken, $"/grants/{grantId}/notice.html")).ReadAsText().ShouldContain("Vorzeitiger Maßnahmebeginn");
    }

    [Fact]
    public async Task an_amendment_beyond_36_months_is_refused_and_a_raise_needs_a_second_person()
    {
        var id = await Assessed();
        var grantId = (await Post(Approver, $"/applications/{id}/approve", GrantSamples.Approval(6000m, reductionReason: "gekürzt"))).Json().GetProperty("grantId").GetGuid();
        var problem = await Refused(Officer, $"/grants/{grantId}/amendments",
            new { periodEnd = $"{FundingYear + 3}-12-31", yearSplit = new[] { new { year = FundingYear, amount = 6000m } }, reason = "Verlängerung", version = 1 }, 422, "periodEnd");
        problem.FieldErrors("periodEnd")[0].ShouldContain("36 months");

        var proposal = (await Post(Officer, $"/grants/{grantId}/amendments", new { amount = 7000m, reason = "Mehrbedarf", version = 1 })).Json();
        proposal.GetProperty("status").GetString().ShouldBe("proposed");
        var proposalId = proposal.GetProperty("proposalId").GetGuid();
        (await Get(Officer, $"/grants/{grantId}/notice")).Json().GetProperty("grantedAmount").GetDecimal().ShouldBe(6000m);
        await Refused(Officer, $"/grants/{grantId}/amendments/{proposalId}/approve", new { version = 2 }, 403); // officers do not approve
        var proposerApprover = App.Token(Roles.Approver, "Anna Officer", sub: "anna-officer");
        await Refused(proposerApprover, $"/grants/{grantId}/amendments/{proposalId}/approve", new { version = 2 }, 403);
        await Refused(Approver, $"/grants/{grantId}/amendments/{Guid.NewGuid()}/approve", new { version = 2 }, 404);
        var issued = (await Post(Approver, $"/grants/{grantId}/amendments/{proposalId}/approve", new { version = 2 })).Json();
        issued.GetProperty("status").GetString().ShouldBe("issued");
        (await Get(Officer, $"/grants/{grantId}/notice")).Json().GetProperty("grantedAmount").GetDecimal().ShouldBe(7000m);
        (await Budget(FundingYear)).GetProperty("committed").GetDecimal().ShouldBe(7000m);

        // A decrease and a shorter period are one officer's decision; the proof of use is due at the end of the sixth month after.
        var cut = (await Post(Officer, $"/grants/{grantId}/amendments", new { amount = 6500m, periodEnd = $"{FundingYear}-06-30", reason = "Projekt verkürzt", version = 3 })).Json();
        cut.GetProperty("status").GetString().ShouldBe("issued");
        var ledger = (await Get(Officer, $"/grants/{grantId}")).Json();
        ledger.GetProperty("proofOfUseDue").GetString().ShouldBe($"{FundingYear}-12-31");
        ledger.GetProperty("retentionUntil").GetString().ShouldBe($"{FundingYear + 5}-12-31");
    }

    [Fact]
    public async Task volunteer_work_does_not_cover_cash_costs_at_submission()
    {
        var content = GrantSamples.NextYearContent(App.Clock).With("costItems", new object[]
        {
            new { category = "staff", description = "Stelle", amount = 8000m, postSharePercent = 25m, months = 12, post = "Koordination" },
            new { category = "material", description = "Material", amount = 2000m },
        }); // 10,000 cash costs against 7,000 + 1,500 + 500 cash: the 1,000 volunteer work cannot fill the gap
        var id = await this.Draft(ApplicantToken, CallId, content);
        var problem = await Refused(ApplicantToken, $"/applications/{id}/submit", new { version = 1 }, 422, "plan");
        problem.FieldErrors("plan")[0].ShouldContain("never covers cash costs");
        problem.FieldErrors("plan")[0].ShouldContain("ANBest-P Nr. 1.2");
        var figures = (await Get(ApplicantToken, $"/applications/{id}")).Json().GetProperty("figures");
        figures.GetProperty("cashCosts").GetDecimal().ShouldBe(10000m);
        figures.GetProperty("totalCosts").GetDecimal().ShouldBe(11000m);
    }

    [Fact]
    public async Task the_notice_carries_what_vv_4_2_requires_and_a_rejection_is_a_notice_too()
    {
        var id = await Assessed();
        var grantId = (await Post(Approver, $"/applications/{id}/approve", GrantSamples.Approval())).Json().GetProperty("grantId").GetGuid();
        var notice = (await Get(ApplicantToken, $"/grants/{grantId}/notice")).Json();
        notice.GetProperty("legalBasis").GetProperty("guideline").GetString().ShouldBe("Richtlinie über die Förderung von Migrantenselbstorganisationen");
        notice.GetProperty("purpose").GetString().ShouldBe("Wöchentlicher Treffpunkt für neu zugewanderte Frauen.");
        var terms = notice.GetProperty("terms");
        terms.GetProperty("type").GetString().ShouldBe("share");
        terms.GetProperty("sharePercent").GetDecimal().ShouldBe(70m);
        terms.GetProperty("maximumAmount").GetDecimal().ShouldBe(7000m);
        notice.GetProperty("eligibleCosts").GetArrayLength().ShouldBe(3);
        // The organisation sits in Köln (05315): the court of its seat (§ 52 Nr. 3 Satz 2 VwGO, § 17 JustG NRW).
        notice.GetProperty("legalRemedy").GetProperty("court").GetString().ShouldBe("Verwaltungsgericht Köln");
        notice.GetProperty("proofOfUseDue").GetString().ShouldBe($"{FundingYear + 1}-06-30");
        await LettersIssued(); // the letter follows the decision's commit
        var html = (await Get(ApplicantToken, $"/grants/{grantId}/notice.html")).ReadAsText();
        html.ShouldContain("Rechtsbehelfsbelehrung");
        html.ShouldContain("innerhalb eines Monats");
        html.ShouldContain("Rechtsgrundlage");

        var rejected = await Assessed("Abgelehnt");
        await Post(Approver, $"/applications/{rejected}/reject", new { reasons = "Der Bedarf ist nicht belegt.", version = 4 });
        var rejection = (await Get(ApplicantToken, $"/applications/{rejected}/rejection-notice")).Json();
        rejection.GetProperty("reasons").GetString().ShouldBe("Der Bedarf ist nicht belegt.");
        rejection.GetProperty("legalRemedy").GetProperty("text").GetString()!.ShouldContain("Verwaltungsgericht Köln");
        await LettersIssued(); // the letter follows the decision's commit
        var page = (await Get(ApplicantToken, $"/applications/{rejected}/rejection-notice.html")).ReadAsText();
        page.ShouldContain("Ablehnungsbescheid");
        page.ShouldContain("Der Bedarf ist nicht belegt.");
        (await Get(Applicant(Guid.NewGuid()), $"/applications/{rejected}/rejection-notice", 404)).ShouldBeProblem(404);
        (await Get(ApplicantToken, $"/applications/{id}/rejection-notice", 404)).ShouldBeProblem(404);
        (await Notifications(2)).EnumerateArray().Any(n => n.GetProperty("link").GetString() == $"/applications/{rejected}/rejection-notice.html").ShouldBeTrue();
    }

    [Fact]
    public async Task an_association_in_bielefeld_is_directed_to_vg_minden_and_the_reference_data_lists_the_seven_courts()
    {
        var bielefeld = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Gründerin", sub: "bielefeld-founder"), Officer,
            ApplicationSamples.Organisation("Integrationsverein Bielefeld e.V.", district: "05711"));
        var token = Applicant(bielefeld);
        var approved = await this.AssessedApplication(token, CallId, GrantSamples.NextYearContent(App.Clock, "Bielefeld"), Officer2);
        var grantId = (await Post(Approver, $"/applications/{approved}/approve", GrantSamples.Approval())).Json().GetProperty("grantId").GetGuid();
        var remedy = (await Get(token, $"/grants/{grantId}/notice")).Json().GetProperty("legalRemedy");
        remedy.GetProperty("court").GetString().ShouldBe("Verwaltungsgericht Minden");
        remedy.GetProperty("courtAddress").GetString().ShouldBe("Königswall 8, 32423 Minden");
        remedy.GetProperty("text").GetString()!.ShouldContain("innerhalb eines Monats nach Bekanntgabe Klage beim Verwaltungsgericht Minden");
        await LettersIssued(); // the letter follows the decision's commit
        (await Get(token, $"/grants/{grantId}/notice.html")).ReadAsText().ShouldContain("Verwaltungsgericht Minden");

        var rejected = await this.AssessedApplication(token, CallId, GrantSamples.NextYearContent(App.Clock, "Abgelehnt Bielefeld"), Officer2);
        await Post(Approver, $"/applications/{rejected}/reject", new { reasons = "Der Bedarf ist nicht belegt.", version = 4 });
        (await Get(token, $"/applications/{rejected}/rejection-notice")).Json().GetProperty("legalRemedy").GetProperty("court").GetString()
            .ShouldBe("Verwaltungsgericht Minden");

        var reference = (await Get(null, "/reference-data")).Json();
        var courts = reference.GetProperty("administrativeCourts").EnumerateArray().ToList();
        courts.Count.ShouldBe(7);
        courts.Single(c => c.GetProperty("name").GetString() == "Verwaltungsgericht Minden").GetProperty("districts").EnumerateArray()
            .Select(d => d.GetString()).ShouldContain("05711");
        reference.GetProperty("administrativeCourtsSource").GetString()!.ShouldContain("§ 17 Justizgesetz Nordrhein-Westfalen");
    }

    [Fact]
    public async Task a_programme_names_its_administrative_court_and_an_unknown_court_is_refused()
    {
        (await Post(Officer, "/programmes", Samples.Programme().With("administrativeCourt", "Amtsgericht Köln"), 400)).ShouldBeProblem(400)
            .FieldErrors("administrativeCourt").ShouldNotBeEmpty();
        await Post(Officer, "/programmes", Samples.Programme().With("administrativeCourt", "Verwaltungsgericht Köln"), 201);
    }

    [Fact]
    public async Task later_years_are_committed_against_commitment_appropriations_which_become_cash_when_the_year_comes()
    {
        var later = FundingYear + 1;
        var before = (await AllEvents()).Count;
        await Refused(Officer, $"/programmes/{ProgrammeId}/budget/commitment-appropriations",
            new { budgetLine = "0710/684 10", year = Year, amount = 5000m, reason = "VE", version = ProgrammeVersion }, 422, "year");
        (await AllEvents()).Count.ShouldBe(before);
        await Post(Officer, $"/programmes/{ProgrammeId}/budget/commitment-appropriations",
            new { budgetLine = "0710/684 10", year = later, amount = 5000m, reason = "VE laut Haushaltsplan", version = ProgrammeVersion });

        var content = GrantSamples.NextYearContent(App.Clock, "Zweijährig").With("periodStart", $"{FundingYear}-07-01").With("periodEnd", $"{later}-06-30");
        var tooMuch = await this.AssessedApplication(ApplicantToken, CallId, content, Officer2);
        var split = new[] { new { year = FundingYear, amount = 1500m }, new { year = later, amount = 5500m } };
        (await Refused(Approver, $"/applications/{tooMuch}/approve", GrantSamples.Approval(yearSplit: split), 422, $"yearSplit.{later}"))
            .FieldErrors($"yearSplit.{later}")[0].ShouldContain("5000.00");
        await Post(Approver, $"/applications/{tooMuch}/approve",
            GrantSamples.Approval(yearSplit: new[] { new { year = FundingYear, amount = 3500m }, new { year = later, amount = 3500m } }));

        var year = await Budget(later);
        year.GetProperty("allocated").GetDecimal().ShouldBe(0m);
        year.GetProperty("commitmentAppropriation").GetDecimal().ShouldBe(5000m);
        year.GetProperty("commitmentAppropriationUsed").GetDecimal().ShouldBe(3500m);
        year.GetProperty("free").GetDecimal().ShouldBe(1500m);

        await Refused(Officer, $"/programmes/{ProgrammeId}/budget/commitment-appropriations/convert",
            new { budgetLine = "0710/684 10", year = later, reason = "Haushaltsjahr begonnen", version = ProgrammeVersion + 2 }, 422, "year");
        App.Clock.Set(new DateTimeOffset(later, 1, 5, 9, 0, 0, TimeSpan.Zero));
        await Post(Officer, $"/programmes/{ProgrammeId}/budget/commitment-appropriations/convert",
            new { budgetLine = "0710/684 10", year = later, reason = "Haushaltsjahr begonnen", version = ProgrammeVersion + 2 });
        year = await Budget(later);
        year.GetProperty("allocated").GetDecimal().ShouldBe(5000m);
        year.GetProperty("commitmentAppropriation").GetDecimal().ShouldBe(0m);
        year.GetProperty("committed").GetDecimal().ShouldBe(3500m);
        year.GetProperty("free").GetDecimal().ShouldBe(1500m);
    }
}
