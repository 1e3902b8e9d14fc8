using Alba;
using FundingPrograms.Infrastructure;
using FundingPrograms.Notifications;
using FundingPrograms.Proofs;
using FundingPrograms.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine.Tracking;

namespace FundingPrograms.Tests.Public;

/// <summary>An organisation's applicants choose the language of its notifications; proof-of-use reminders then come in it.</summary>
public sealed class when_an_organisation_chooses_its_language(AppFixture app) : ApiTest(app)
{
    private static ReminderDue Reminder(Guid org, string what = "final-proof", string stage = "before-14") =>
        new($"test|{Guid.NewGuid()}", Guid.NewGuid(), null, org, what, stage, new DateOnly(2027, 12, 31), "ZB-2027-0001");

    [Fact]
    public async Task its_applicants_set_it_and_the_reminders_follow_it()
    {
        var org = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Founder", sub: "founder-lang"), Officer);
        var other = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Other founder", sub: "founder-other"), Officer,
            ApplicationSamples.Organisation("Anderer Verein e.V.", "mso", "05711"));
        var version = (await Get(Officer, $"/organisations/{org}")).Json().GetProperty("version").GetInt64();

        (await Post(Applicant(org), $"/organisations/{org}/language", new { language = "xx", version }, 400)).ShouldBeProblem(400);
        (await Post(Applicant(other), $"/organisations/{org}/language", new { language = "tr", version }, 404)).ShouldBeProblem(404);
        (await Post(Applicant(org), $"/organisations/{org}/language", new { language = "tr", version })).Body<CaseVersion>().Version.ShouldBe(version + 1);
        (await Get(Officer, $"/organisations/{org}")).Json().GetProperty("language").GetString().ShouldBe("tr");

        await Host.InvokeMessageAndWaitAsync(new SendProofReminder(Reminder(org)));
        await Host.InvokeMessageAndWaitAsync(new SendProofReminder(Reminder(other)));
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        List<DeliveredNotification> delivered = [];
        for (var i = 0; i < 60 && delivered.Count < 2; i++) // a wait loop for the durable queue
        {
            await using var session = store.QuerySession();
            delivered = (await session.Query<DeliveredNotification>().ToListAsync()).ToList();
            if (delivered.Count < 2) await Task.Delay(250);
        }
        var turkish = delivered.Single(n => n.OrganisationId == org);
        turkish.Subject.ShouldBe("Hatırlatma: ZB-2027-0001, son tarih 31 Aralık 2027");
        turkish.Body.ShouldContain("kullanım belgesi (Verwendungsnachweis)");
        delivered.Single(n => n.OrganisationId == other).Subject.ShouldBe("Erinnerung: ZB-2027-0001 fällig am 31.12.2027"); // German by default
    }

    [Fact]
    public void german_reminders_read_as_before_and_the_others_name_the_german_term()
    {
        var org = Guid.NewGuid();
        foreach (var (what, stage) in new[] { ("final-proof", "before-14"), ("interim-proof-2027", "after-1"), ("completion", "before-7") })
        {
            var r = Reminder(org, what, stage);
            ProofReminders.Text(r, "de").ShouldBe(ProofReminders.Text(r));
            ProofReminders.Text(r, "xx").ShouldBe(ProofReminders.Text(r));
        }
        ProofReminders.Text(Reminder(org, "interim-proof-2027", "after-1"), "en").Body
            .ShouldBe("Due on 31 December 2027 and not received: the interim proof (Zwischennachweis) of the money received in the budget year 2027. Please submit it at once; a missed proof of use (Verwendungsnachweis) can lead to revocation of the grant (Widerruf; VV Nr. 11 zu § 44 LHO, § 49 (3) VwVfG NRW).");
        ProofReminders.Text(Reminder(org), "fa").Subject.ShouldContain("۲۰۲۷");
    }
}
