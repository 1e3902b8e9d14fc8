using System.Text.Json;
using FundingPrograms.Infrastructure;
using FundingPrograms.Tests.Infrastructure;

namespace FundingPrograms.Tests.Applications;

public sealed class when_a_migrant_self_organisation_applies_for_funding(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task register_verify_draft_submit_return_resubmit_check_and_assess()
    {
        var (programme, call) = await this.OpenCall(Officer, App.Clock);

        // 1. Self-service registration by a volunteer who has no organisation yet: the account is bound to it.
        var volunteer = App.Token(Roles.Applicant, "Ayse Yilmaz", sub: "ayse");
        var created = (await Post(volunteer, "/organisations", ApplicationSamples.Organisation(), 201)).Json();
        var orgId = created.GetProperty("id").GetGuid();
        var mine = (await Get(volunteer, "/me/organisation")).Json();
        mine.GetProperty("id").GetGuid().ShouldBe(orgId);
        mine.GetProperty("verified").GetBoolean().ShouldBeFalse();
        mine.GetProperty("confirmedBankAccount").ValueKind.ShouldBe(JsonValueKind.Null);
        (await Post(volunteer, "/organisations", ApplicationSamples.Organisation("Zweiter Verein"), 409)).ShouldBeProblem(409);

        // 2. An officer verifies it and confirms the bank account entered by the volunteer.
        await Post(Officer, $"/organisations/{orgId}/verify", new { migrationBackgroundDocumented = true, nonProfitStatusChecked = true, evidence = "Satzung, Vorstandsliste, Freistellungsbescheid", version = 1 });
        var change = mine.GetProperty("bankAccounts")[0].GetProperty("changeId").GetGuid();
        created.GetProperty("pendingBankAccountChangeId").GetGuid().ShouldBe(change); // what the next call (confirmation) needs
        await Post(Officer, $"/organisations/{orgId}/bank-accounts/{change}/confirm", new { version = 2 });
        (await Get(volunteer, "/me/organisation")).Json().GetProperty("confirmedBankAccount").GetProperty("iban").GetString().ShouldBe(ApplicationSamples.ValidIban);

        // 3. Draft in two steps; each edit is an event naming what changed.
        var content = ApplicationSamples.Content(App.Clock);
        var id = await this.Draft(volunteer, call, content.With("requestedAmount", null).With("ownCash", 0m));
        var draft = (await Get(volunteer, $"/applications/{id}")).Json();
        draft.GetProperty("state").GetString().ShouldBe("draft");
        draft.GetProperty("findings").TryGetProperty("requestedAmount", out _).ShouldBeTrue();
        draft.GetProperty("figures").GetProperty("totalCosts").GetDecimal().ShouldBe(10000m);
        await Put(volunteer, $"/applications/{id}", new { content, version = 1 });
        var complete = (await Get(volunteer, $"/applications/{id}")).Json();
        complete.GetProperty("findings").EnumerateObject().ShouldBeEmpty();
        complete.GetProperty("figures").GetProperty("requestedSharePercent").GetDecimal().ShouldBe(70m);
        complete.GetProperty("figures").GetProperty("ownContributionPercent").GetDecimal().ShouldBe(25m);
        complete.GetProperty("figures").GetProperty("totalFunding").GetDecimal().ShouldBe(10000m);
        (await Get(Officer, "/inbox")).Json().GetProperty("items").GetArrayLength().ShouldBe(0); // drafts are private

        var dashboard = (await Get(volunteer, "/dashboard")).Json().GetProperty("applications")[0];
        dashboard.GetProperty("state").GetString().ShouldBe("draft");
        dashboard.GetProperty("dueBy").ValueKind.ShouldNotBe(JsonValueKind.Null);

        // 4. Submit; the officer's inbox shows it.
        await Post(volunteer, $"/applications/{id}/submit", new { version = 2 });
        var inbox = (await Get(Officer, $"/inbox?programmeId={programme}")).Json().GetProperty("items");
        inbox.GetArrayLength().ShouldBe(1);
        inbox[0].GetProperty("state").GetString().ShouldBe("submitted");
        inbox[0].GetProperty("organisationName").GetString().ShouldBe("Verein Brücke e.V.");

        // 5. Returned for completion with a due date; the applicant sees what is missing.
        var due = DateOnly.FromDateTime(App.Clock.GetUtcNow().UtcDateTime).AddDays(14);
        await Post(Officer, $"/applications/{id}/return", new { missingItems = new[] { "Kostenvoranschlag Raummiete" }, dueDate = due.ToString("yyyy-MM-dd"), note = "Bitte nachreichen", version = 3 });
        dashboard = (await Get(volunteer, "/dashboard")).Json().GetProperty("applications")[0];
        dashboard.GetProperty("state").GetString().ShouldBe("returnedForCompletion");
        dashboard.GetProperty("missingItems")[0].GetString().ShouldBe("Kostenvoranschlag Raummiete");
        dashboard.GetProperty("overdue").GetBoolean().ShouldBeFalse();

        App.Clock.Advance(TimeSpan.FromDays(20)); // the due date passes: the inbox shows it
        var returned = (await Get(Officer, "/inbox?state=returnedForCompletion")).Json().GetProperty("items")[0];
        returned.GetProperty("completionOverdue").GetBoolean().ShouldBeTrue();
        returned.GetProperty("daysInState").GetInt32().ShouldBe(20);
        (await Get(volunteer, "/dashboard")).Json().GetProperty("applications")[0].GetProperty("overdue").GetBoolean().ShouldBeTrue();

        // 6. Amend and resubmit, then formal check and assessment.
        await Put(volunteer, $"/applications/{id}", new { content = content.With("description", "Beratung, Sprachpraxis, Vernetzung; Kostenvoranschlag liegt bei."), version = 4 });
        await Post(volunteer, $"/applications/{id}/submit", new { version = 5 });
        (await Get(Officer, $"/applications/{id}")).Json().GetProperty("state").GetString().ShouldBe("submitted");
        await Post(Officer, $"/applications/{id}/formal-check", new { note = "vollständig", version = 6 });
        await Post(Officer2, $"/applications/{id}/assess", new
        {
            scores = new[] { new { criterion = "need", score = 80m }, new { criterion = "quality", score = 70m }, new { criterion = "sustainability", score = 60m } },
            recommendation = "approve", recommendedAmount = 6500m, reasons = "Überzeugendes Konzept", version = 7,
        });

        var assessed = (await Get(Officer, $"/applications/{id}")).Json();
        assessed.GetProperty("state").GetString().ShouldBe("assessed");
        assessed.GetProperty("assessment").GetProperty("totalScore").GetDecimal().ShouldBe(71.5m); // (80·40 + 70·35 + 60·25) / 100
        assessed.GetProperty("assessment").GetProperty("assessorName").GetString().ShouldBe("Omar Officer");
        (await Get(volunteer, $"/applications/{id}")).Json().GetProperty("assessment").ValueKind.ShouldBe(JsonValueKind.Null);
        (await Get(Officer, "/inbox?state=assessed")).Json().GetProperty("items").GetArrayLength().ShouldBe(1);

        var history = (await Get(Auditor, $"/applications/{id}/history")).Json().EnumerateArray().ToList();
        history.Select(h => h.GetProperty("type").GetString()).ShouldBe([
            "application_drafted", "application_edited", "application_submitted", "application_returned_for_completion",
            "application_edited", "application_submitted", "application_formally_checked", "application_assessed"]);
        history[1].GetProperty("data").GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()).ShouldBe(["ownCash", "requestedAmount"]);
        history[4].GetProperty("userName").GetString().ShouldBe("Ayse Yilmaz");
        history[5].GetProperty("data").GetProperty("resubmission").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task an_applicant_withdraws_from_an_open_state()
    {
        var (_, call) = await this.OpenCall(Officer, App.Clock);
        var org = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Founder", sub: "founder"), Officer);
        var applicant = Applicant(org);
        var id = await this.Draft(applicant, call, ApplicationSamples.Content(App.Clock));
        await Post(applicant, $"/applications/{id}/submit", new { version = 1 });
        await Post(applicant, $"/applications/{id}/withdraw", new { reason = "Projekt anders finanziert", version = 2 });
        (await Get(applicant, "/dashboard")).Json().GetProperty("applications")[0].GetProperty("state").GetString().ShouldBe("withdrawn");
        (await Post(applicant, $"/applications/{id}/withdraw", new { version = 3 }, 409)).ShouldBeProblem(409);
    }

    [Fact]
    public async Task the_inbox_filters_and_its_cursor_stays_stable_while_new_applications_arrive()
    {
        var (_, call) = await this.OpenCall(Officer, App.Clock);
        var orgA = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "A", sub: "a"), Officer);
        var orgB = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "B", sub: "b"), Officer,
            ApplicationSamples.Organisation("Nachbarschaftsinitiative Bielefeld", "volunteer_initiative", "05711"));
        async Task<Guid> Submitted(Guid org, string district)
        {
            var token = Applicant(org);
            var id = await this.Draft(token, call, ApplicationSamples.Content(App.Clock).With("districts", new[] { district }));
            await Post(token, $"/applications/{id}/submit", new { version = 1 });
            App.Clock.Advance(TimeSpan.FromMinutes(1));
            return id;
        }
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++) ids.Add(await Submitted(i % 2 == 0 ? orgA : orgB, i % 2 == 0 ? "05315" : "05711"));

        var first = (await Get(Officer, "/inbox?limit=2")).Json();
        var cursor = first.GetProperty("nextCursor").GetString();
        first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ShouldBe(ids.Take(2));
        ids.Add(await Submitted(orgA, "05315")); // arrives while the officer pages
        var second = (await Get(Officer, $"/inbox?limit=2&cursor={cursor}")).Json();
        second.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ShouldBe(ids.Skip(2).Take(2));
        var third = (await Get(Officer, $"/inbox?limit=2&cursor={second.GetProperty("nextCursor").GetString()}")).Json();
        third.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ShouldBe(ids.Skip(4).Take(2));
        third.GetProperty("nextCursor").ValueKind.ShouldBe(JsonValueKind.Null);

        (await Get(Officer, "/inbox?district=05711")).Json().GetProperty("items").GetArrayLength().ShouldBe(2);
        (await Get(Officer, "/inbox?organisationType=volunteer_initiative")).Json().GetProperty("items").GetArrayLength().ShouldBe(2);
        (await Get(Officer, $"/inbox?callId={call}&state=submitted")).Json().GetProperty("items").GetArrayLength().ShouldBe(6);
        (await Get(Officer, "/inbox?sort=newest&limit=1")).Json().GetProperty("items")[0].GetProperty("id").GetGuid().ShouldBe(ids[^1]);
        (await Get(Officer, "/inbox?minDaysInState=1")).Json().GetProperty("items").GetArrayLength().ShouldBe(0);
        App.Clock.Advance(TimeSpan.FromDays(2));
        (await Get(Officer, "/inbox?minDaysInState=1")).Json().GetProperty("items").GetArrayLength().ShouldBe(6);
        var bad = (await Get(Officer, "/inbox?cursor=abc&limit=0&sort=random", 400)).ShouldBeProblem(400);
        bad.FieldErrors("cursor").ShouldNotBeEmpty();
        bad.FieldErrors("limit").ShouldNotBeEmpty();
        bad.FieldErrors("sort").ShouldNotBeEmpty();
        (await Get(Applicant(orgA), "/inbox", 403)).ShouldBeProblem(403);
    }
}
