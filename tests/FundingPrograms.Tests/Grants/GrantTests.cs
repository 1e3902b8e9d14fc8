using System.Text.Json;
using Alba;
using FundingPrograms.Infrastructure;
using FundingPrograms.Tests.Infrastructure;

namespace FundingPrograms.Tests.Grants;

/// <summary>Shared set-up: a published programme with budget for the funding year, a call open until it begins, a verified MSO.</summary>
public abstract class GrantTest(AppFixture app) : ApiTest(app)
{
    protected Guid ProgrammeId;
    protected Guid CallId;
    protected Guid OrgId;
    protected string ApplicantToken = "";
    protected long ProgrammeVersion;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        // The call stays open until the funding year begins: payment tests move the clock to the December before it and still apply.
        ProgrammeId = await this.PublishedProgramme(Officer);
        CallId = (await Post(Officer, $"/programmes/{ProgrammeId}/calls",
            Samples.Call(Samples.Berlin(App.Clock.GetUtcNow().AddDays(-1)), $"{FundingYear - 1}-12-31T23:59", version: 3), 201)).Body<FundingPrograms.Programmes.CallCreated>().CallId;
        await Post(Officer, $"/programmes/{ProgrammeId}/budget/allocate", new { budgetLine = "0710/684 10", year = FundingYear, amount = 100000m, version = 4 });
        ProgrammeVersion = 5;
        OrgId = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Founder", sub: "founder"), Officer);
        ApplicantToken = Applicant(OrgId);
    }

    /// <summary>The organisation chooses the language of its notifications and of its letters' reading copies (issue 28).</summary>
    protected Task ChooseLanguage(string language) => Letters.ReadingCopyChecks.ChooseLanguage(this, OrgId, ApplicantToken, language);

    protected Task<Guid> Assessed(string purpose = "Koordination") =>
        this.AssessedApplication(ApplicantToken, CallId, GrantSamples.NextYearContent(App.Clock, purpose), Officer2);

    protected async Task<JsonElement> Budget(int year) =>
        (await Get(Officer, $"/programmes/{ProgrammeId}/budget")).Json().GetProperty("years").EnumerateArray().Single(y => y.GetProperty("year").GetInt32() == year);

    protected async Task<JsonElement> Notifications(int atLeast)
    {
        for (var i = 0; i < 100; i++)
        {
            var page = (await Get(ApplicantToken, "/me/notifications")).Json();
            if (page.GetProperty("total").GetInt64() >= atLeast) return page.GetProperty("items");
            await Task.Delay(100);
        }
        throw new TimeoutException("The notification did not arrive.");
    }
}

public sealed class when_an_approver_approves_an_assessed_application(AppFixture app) : GrantTest(app)
{
    [Fact]
    public async Task the_grant_notice_is_issued_the_budget_committed_and_the_applicant_notified()
    {
        var id = await Assessed();
        var result = (await Post(Approver, $"/applications/{id}/approve", GrantSamples.Approval(6500m, reductionReason: "Sachkosten gekürzt"))).Json();
        var grantId = result.GetProperty("grantId").GetGuid();
        result.GetProperty("version").GetInt64().ShouldBe(5);

        var notice = (await Get(ApplicantToken, $"/grants/{grantId}/notice")).Json();
        notice.GetProperty("grantedAmount").GetDecimal().ShouldBe(6500m);
        notice.GetProperty("requestedAmount").GetDecimal().ShouldBe(7000m);
        notice.GetProperty("reductionReason").GetString().ShouldBe("Sachkosten gekürzt");
        notice.GetProperty("financingType").GetString().ShouldBe("share");
        notice.GetProperty("sharePercent").GetDecimal().ShouldBe(65m);
        notice.GetProperty("maximumAmount").GetDecimal().ShouldBe(6500m);
        notice.GetProperty("generalConditionsVersion").GetString().ShouldBe("ANBest-P (Fassung 2023)");
        notice.GetProperty("yearSplit")[0].GetProperty("year").GetInt32().ShouldBe(FundingYear);
        notice.GetProperty("proofOfUseDue").GetString().ShouldBe($"{FundingYear + 1}-06-30");
        notice.GetProperty("issuedBy").GetString().ShouldBe("Bernd Approver");

        await LettersIssued(); // the letter follows the decision's commit
        var html = await Host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {ApplicantToken}");
            s.Get.Url($"/grants/{grantId}/notice.html");
            s.ContentTypeShouldBe("text/html; charset=utf-8");
        });
        html.ReadAsText().ShouldContain("Zuwendungsbescheid");
        html.ReadAsText().ShouldContain("6.500,00&#xA0;EUR"); // a no-break space between amount and unit
        (await Get(ApplicantToken, $"/grants/{grantId}/notice.html?lang=en")).ReadAsText().ShouldContain("Grant awarded");

        var budget = await Budget(FundingYear);
        budget.GetProperty("committed").GetDecimal().ShouldBe(6500m);
        budget.GetProperty("free").GetDecimal().ShouldBe(93500m);

        var ledger = (await Get(Officer, $"/grants/{grantId}")).Json();
        ledger.GetProperty("granted").GetDecimal().ShouldBe(6500m);
        ledger.GetProperty("paid").GetDecimal().ShouldBe(0m);
        ledger.GetProperty("outstanding").GetDecimal().ShouldBe(6500m);
        (await Get(ApplicantToken, $"/organisations/{OrgId}/grants")).Json().GetProperty("total").GetInt64().ShouldBe(1);
        (await Get(Officer, $"/programmes/{ProgrammeId}/grants")).Json().GetProperty("items")[0].GetProperty("granted").GetDecimal().ShouldBe(6500m);

        var dashboard = (await Get(ApplicantToken, "/dashboard")).Json().GetProperty("applications")[0];
        dashboard.GetProperty("state").GetString().ShouldBe("approved");
        dashboard.GetProperty("decision").GetProperty("grantId").GetGuid().ShouldBe(grantId);

        var notification = (await Notifications(1))[0];
        notification.GetProperty("subject").GetString()!.ShouldStartWith("Zuwendungsbescheid ZB-");
        notification.GetProperty("link").GetString().ShouldBe($"/grants/{grantId}/notice.html");

        var events = await AllEvents();
        events.Where(e => e.EventTypeName is "application_approved" or "grant_issued" or "budget_committed").Select(e => e.CorrelationId).Distinct().Count().ShouldBe(1);
    }

    [Fact]
    public async Task a_rejection_carries_reasons_the_applicant_sees()
    {
        var id = await Assessed();
        await Post(Approver, $"/applications/{id}/reject", new { reasons = "Die Zielgruppe ist nicht ausreichend beschrieben.", version = 4 });
        var decision = (await Get(ApplicantToken, "/dashboard")).Json().GetProperty("applications")[0].GetProperty("decision");
        decision.GetProperty("approved").GetBoolean().ShouldBeFalse();
        decision.GetProperty("reasons").GetString().ShouldBe("Die Zielgruppe ist nicht ausreichend beschrieben.");
        (await Notifications(1))[0].GetProperty("body").GetString()!.ShouldContain("nicht ausreichend");
        (await Budget(FundingYear)).GetProperty("committed").GetDecimal().ShouldBe(0m);
    }

    [Fact]
    public async Task the_assessor_cannot_decide_the_same_application()
    {
        var id = await Assessed();
        var sameAsAssessor = DevTokens.Create(App.Auth, "omar-officer", "Omar Officer", [Roles.Approver, Roles.Officer]);
        var before = (await AllEvents()).Count;
        (await Post(sameAsAssessor, $"/applications/{id}/approve", GrantSamples.Approval(), 403)).ShouldBeProblem(403).GetProperty("detail").GetString()!.ShouldContain("Four-eyes");
        (await Post(sameAsAssessor, $"/applications/{id}/reject", new { reasons = "x", version = 4 }, 403)).ShouldBeProblem(403);
        (await AllEvents()).Count.ShouldBe(before);
        (await Post(Officer, $"/applications/{id}/approve", GrantSamples.Approval(), 403)).ShouldBeProblem(403); // officers do not approve
    }
}

public sealed class when_an_approval_is_bad(AppFixture app) : GrantTest(app)
{
    private async Task<JsonElement> Refused(Guid id, object body, int status, string? field = null)
    {
        var before = (await AllEvents()).Count;
        var problem = (await Post(Approver, $"/applications/{id}/approve", body, status)).ShouldBeProblem(status);
        if (field is not null) problem.FieldErrors(field).ShouldNotBeEmpty();
        (await AllEvents()).Count.ShouldBe(before);
        return problem;
    }

    [Fact]
    public async Task a_non_assessed_withdrawn_or_decided_application_is_409()
    {
        var submitted = await this.Draft(ApplicantToken, CallId, GrantSamples.NextYearContent(App.Clock, "A"));
        await Post(ApplicantToken, $"/applications/{submitted}/submit", new { version = 1 });
        await Refused(submitted, GrantSamples.Approval(version: 2), 409);

        var withdrawn = await Assessed("B");
        await Post(ApplicantToken, $"/applications/{withdrawn}/withdraw", new { version = 4 });
        await Refused(withdrawn, GrantSamples.Approval(version: 5), 409);

        var decided = await Assessed("C");
        await Post(Approver, $"/applications/{decided}/approve", GrantSamples.Approval());
        await Refused(decided, GrantSamples.Approval(version: 5), 409);
        (await Post(Approver, $"/applications/{decided}/reject", new { reasons = "zu spät", version = 5 }, 409)).ShouldBeProblem(409);
    }

    [Fact]
    public async Task amounts_above_requested_or_lower_without_reason_are_refused()
    {
        var id = await Assessed();
        await Refused(id, GrantSamples.Approval(7000.01m), 422, "amount");
        await Refused(id, GrantSamples.Approval(6000m), 400, "reductionReason");
        await Refused(id, GrantSamples.Approval(-1m), 400, "amount");
        await Refused(id, GrantSamples.Approval(6999.999m, reductionReason: "x"), 400, "amount");
    }

    [Fact]
    public async Task a_year_split_that_does_not_add_up_or_a_budget_without_money_is_422()
    {
        var id = await Assessed();
        await Refused(id, GrantSamples.Approval(yearSplit: new[] { new { year = FundingYear, amount = 6000m } }), 422, "yearSplit");
        await Refused(id, GrantSamples.Approval(yearSplit: new[] { new { year = FundingYear + 2, amount = 7000m } }), 400, "yearSplit[0].year");
        await Refused(id, GrantSamples.Approval(budgetLine: "0710/999 99"), 422, $"yearSplit.{FundingYear}");
        await Post(Officer, $"/programmes/{ProgrammeId}/budget/decrease", new { budgetLine = "0710/684 10", year = FundingYear, amount = 95000m, reason = "Sperre", version = ProgrammeVersion });
        (await Refused(id, GrantSamples.Approval(), 422, $"yearSplit.{FundingYear}")).FieldErrors($"yearSplit.{FundingYear}")[0].ShouldContain("5000.00");
    }

    [Fact]
    public async Task a_stale_version_is_409()
    {
        var id = await Assessed();
        (await Refused(id, GrantSamples.Approval(version: 3), 409)).GetProperty("currentVersion").GetInt64().ShouldBe(4);
    }
}

public sealed class when_many_approvals_race_for_the_last_euros(AppFixture app) : GrantTest(app)
{
    [Fact]
    public async Task exactly_as_many_succeed_as_the_budget_holds()
    {
        await Post(Officer, $"/programmes/{ProgrammeId}/budget/allocate", new { budgetLine = "0710/684 99", year = FundingYear, amount = 35000.50m, version = ProgrammeVersion });
        var ids = new List<Guid>();
        for (var i = 0; i < 12; i++) ids.Add(await Assessed($"Stelle {i}"));

        var results = await Task.WhenAll(ids.Select(id => Host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {Approver}");
            s.Post.Json(GrantSamples.Approval(budgetLine: "0710/684 99")).ToUrl($"/applications/{id}/approve");
            s.IgnoreStatusCode();
        })));
        var statuses = results.Select(r => r.Context.Response.StatusCode).ToArray();
        statuses.Count(s => s == 200).ShouldBe(5, string.Join(",", statuses));
        statuses.Count(s => s == 422).ShouldBe(7, string.Join(",", statuses));

        var line = (await Budget(FundingYear)).GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("budgetLine").GetString() == "0710/684 99");
        line.GetProperty("committed").GetDecimal().ShouldBe(35000m);
        line.GetProperty("free").GetDecimal().ShouldBe(0.50m);
        var events = await AllEvents();
        events.Count(e => e.EventTypeName == "grant_issued").ShouldBe(5);
        events.Count(e => e.EventTypeName == "application_approved").ShouldBe(5);
        (await Get(Officer, $"/programmes/{ProgrammeId}/grants")).Json().GetProperty("total").GetInt64().ShouldBe(5);
    }
}

public sealed class when_the_same_post_is_funded_twice(AppFixture app) : GrantTest(app)
{
    [Fact]
    public async Task the_approver_sees_the_findings_and_must_acknowledge_each()
    {
        // A second programme of another ministry unit funds the same organisation's coordinator post in the same year.
        var other = await this.PublishedProgramme(Officer, Samples.Programme("Zweites Programm"));
        await Post(Officer, $"/programmes/{other}/budget/allocate", new { budgetLine = "0710/684 10", year = FundingYear, amount = 100000m, version = 3 });
        var otherCall = (await Post(Officer, $"/programmes/{other}/calls", Samples.OpenCallNow(App.Clock, 4), 201)).Body<FundingPrograms.Programmes.CallCreated>().CallId;
        var first = await this.AssessedApplication(ApplicantToken, otherCall, GrantSamples.NextYearContent(App.Clock, "Koordination"), Officer2);
        await Post(Approver, $"/applications/{first}/approve", GrantSamples.Approval());

        var second = await Assessed("Koordination");
        var findings = (await Get(Approver, $"/applications/{second}/double-funding")).Json().EnumerateArray().ToList();
        // The coordinator post and the material item each overlap, and each is funded at 140 % across both grants; the purpose is the same too.
        findings.Select(f => f.GetProperty("kind").GetString()).ShouldBe(["overlap", "overfunded", "overlap", "overfunded", "similar-purpose"]);
        findings[0].GetProperty("otherApplicationId").GetGuid().ShouldBe(first);
        findings[0].GetProperty("otherProgrammeId").GetGuid().ShouldBe(other);

        var before = (await AllEvents()).Count;
        var refused = (await Post(Approver, $"/applications/{second}/approve", GrantSamples.Approval(), 422)).ShouldBeProblem(422);
        refused.GetProperty("findings").GetArrayLength().ShouldBe(5);
        var partial = findings.Take(2).Select(f => new { findingId = f.GetProperty("id").GetString(), reason = "geprüft" }).ToArray();
        (await Post(Approver, $"/applications/{second}/approve", GrantSamples.Approval(acknowledgements: partial), 422))
            .ShouldBeProblem(422).GetProperty("findings").GetArrayLength().ShouldBe(3);
        (await AllEvents()).Count.ShouldBe(before);

        var all = findings.Select(f => new { findingId = f.GetProperty("id").GetString(), reason = "Zweites Projekt an anderem Standort, Stelle aufgestockt" }).ToArray();
        await Post(Approver, $"/applications/{second}/approve", GrantSamples.Approval(acknowledgements: all));
        var approved = (await AllEvents()).Last(e => e.EventTypeName == "application_approved");
        ((FundingPrograms.Applications.ApplicationApproved)approved.Data).AcknowledgedFindings.Select(a => a.Reason).Distinct()
            .ShouldBe(["Zweites Projekt an anderem Standort, Stelle aufgestockt"]);
    }
}

public sealed class when_a_grant_is_amended(AppFixture app) : GrantTest(app)
{
    [Fact]
    public async Task each_amendment_is_a_new_notice_version_readable_as_of_any_version_or_instant()
    {
        var year = FundingYear; // the funding year, fixed before the clock moves
        var id = await Assessed();
        var grantId = (await Post(Approver, $"/applications/{id}/approve", GrantSamples.Approval(6000m, reductionReason: "gekürzt"))).Json().GetProperty("grantId").GetGuid();
        var issuedAt = App.Clock.GetUtcNow();

        App.Clock.Advance(TimeSpan.FromDays(30));
        // A raise is only proposed by the officer; the approver issues it (four-eyes).
        var proposal = (await Post(Officer, $"/grants/{grantId}/amendments", new { amount = 7000m, reason = "Mehrbedarf Raummiete", version = 1 })).Json();
        proposal.GetProperty("status").GetString().ShouldBe("proposed");
        (await Budget(year)).GetProperty("committed").GetDecimal().ShouldBe(6000m);
        await Post(Approver, $"/grants/{grantId}/amendments/{proposal.GetProperty("proposalId").GetGuid()}/approve", new { version = 2 });
        (await Budget(year)).GetProperty("committed").GetDecimal().ShouldBe(7000m);
        var afterFirst = App.Clock.GetUtcNow();

        App.Clock.Advance(TimeSpan.FromDays(30));
        await Post(Officer, $"/grants/{grantId}/amendments", new
        {
            amount = 5000m, periodEnd = $"{year}-10-31", conditions = "Neue Auflage: Zwischenbericht zum 30.06.", reason = "Projekt verkürzt", version = 3,
        });
        (await Budget(year)).GetProperty("committed").GetDecimal().ShouldBe(5000m); // the decrease released 2,000

        async Task<JsonElement> Notice(string query) => (await Get(Approver, $"/grants/{grantId}/notice{query}")).Json();
        (await Notice("?version=1")).GetProperty("grantedAmount").GetDecimal().ShouldBe(6000m);
        (await Notice("?version=2")).GetProperty("grantedAmount").GetDecimal().ShouldBe(7000m);
        (await Notice("?version=2")).GetProperty("amendmentReason").GetString().ShouldBe("Mehrbedarf Raummiete");
        var v3 = await Notice("");
        v3.GetProperty("noticeVersion").GetInt32().ShouldBe(3);
        v3.GetProperty("periodEnd").GetString().ShouldBe($"{year}-10-31");
        v3.GetProperty("proofOfUseDue").GetString().ShouldBe($"{year + 1}-04-30");
        v3.GetProperty("conditions").GetString().ShouldBe("Neue Auflage: Zwischenbericht zum 30.06.");
        (await Notice($"?asOf={Uri.EscapeDataString(issuedAt.AddDays(1).ToString("O"))}")).GetProperty("noticeVersion").GetInt32().ShouldBe(1);
        (await Notice($"?asOf={Uri.EscapeDataString(afterFirst.AddDays(1).ToString("O"))}")).GetProperty("noticeVersion").GetInt32().ShouldBe(2);
        (await Get(Approver, $"/grants/{grantId}/notice?version=9", 404)).ShouldBeProblem(404);
        (await Get(Approver, $"/grants/{grantId}/notice?asOf={Uri.EscapeDataString(issuedAt.AddDays(-1).ToString("O"))}", 404)).ShouldBeProblem(404);
        await LettersIssued(); // the letter follows the decision's commit
        (await Get(ApplicantToken, $"/grants/{grantId}/notice.html?version=2")).ReadAsText().ShouldContain("Änderungsbescheid");
        (await Get(ApplicantToken, $"/grants/{grantId}")).Json().GetProperty("noticeVersion").GetInt32().ShouldBe(3);

        (await Notifications(3)).EnumerateArray().Select(n => n.GetProperty("subject").GetString()!.Split(' ')[0])
            .ShouldBe(["Änderungsbescheid", "Änderungsbescheid", "Zuwendungsbescheid"]);
    }

    [Fact]
    public async Task an_amendment_without_reason_above_the_budget_or_the_programme_maximum_is_refused()
    {
        var id = await Assessed();
        var grantId = (await Post(Approver, $"/applications/{id}/approve", GrantSamples.Approval())).Json().GetProperty("grantId").GetGuid();
        var before = (await AllEvents()).Count;
        (await Post(Officer, $"/grants/{grantId}/amendments", new { amount = 6000m, version = 1 }, 400)).ShouldBeProblem(400).FieldErrors("reason").ShouldNotBeEmpty();
        (await Post(Officer, $"/grants/{grantId}/amendments", new { amount = 15000.01m, reason = "mehr", version = 1 }, 422)).ShouldBeProblem(422).FieldErrors("amount").ShouldNotBeEmpty();
        (await Post(Officer, $"/grants/{grantId}/amendments", new { reason = "nichts", version = 1 }, 400)).ShouldBeProblem(400);
        (await Post(Officer, $"/grants/{grantId}/amendments", new { amount = 6000m, reason = "x", version = 7 }, 409)).ShouldBeProblem(409);
        (await Post(ApplicantToken, $"/grants/{grantId}/amendments", new { amount = 6000m, reason = "x", version = 1 }, 403)).ShouldBeProblem(403);
        (await AllEvents()).Count.ShouldBe(before);
        (await Get(Applicant(Guid.NewGuid()), $"/grants/{grantId}", 404)).ShouldBeProblem(404);
        (await Get(Applicant(Guid.NewGuid()), $"/grants/{grantId}/notice", 404)).ShouldBeProblem(404);
    }
}
