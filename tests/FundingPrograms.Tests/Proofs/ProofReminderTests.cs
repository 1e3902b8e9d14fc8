using System.Text.Json;
using Alba;
using FundingPrograms.Grants;
using FundingPrograms.Infrastructure;
using FundingPrograms.Notifications;
using FundingPrograms.Programmes;
using FundingPrograms.Proofs;
using FundingPrograms.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine.Tracking;

namespace FundingPrograms.Tests.Proofs;

/// <summary>Reminders are durable: the clock moves while the service is down, and after each restart every due reminder goes out exactly once.</summary>
public sealed class when_a_proof_deadline_approaches_across_restarts
{
    private static async Task<List<DeliveredNotification>> Notifications(IAlbaHost host, Guid org, int atLeast)
    {
        var store = host.Services.GetRequiredService<IDocumentStore>();
        for (var i = 0; i < 60; i++)
        {
            await using var session = store.QuerySession();
            var found = (await session.Query<DeliveredNotification>().Where(n => n.OrganisationId == org).ToListAsync()).ToList();
            if (found.Count >= atLeast) return found;
            await Task.Delay(250);
        }
        throw new TimeoutException($"Fewer than {atLeast} notifications arrived.");
    }

    [Fact]
    public async Task each_stage_is_sent_once_and_a_missed_date_shows_on_the_overdue_list()
    {
        var schema = "reminders_" + Guid.NewGuid().ToString("N")[..8];
        var clock = new TestClock(TestClock.SuiteStart);
        var officer = DevTokens.Create(new AuthOptions { SigningKey = AppFixture.SigningKey }, "anna", "Anna Officer", [Roles.Officer]);
        var today = BerlinTime.Today(clock.GetUtcNow());
        var due = today.AddDays(90);
        var grantId = Guid.NewGuid();
        var org = Guid.NewGuid();

        await using (var first = await AppFixture.StartHost(clock, schema))
        {
            await using var session = first.Services.GetRequiredService<IDocumentStore>().LightweightSession();
            var notice = new GrantNotice(1, "ZB-2026-REMIND01", "Frauencafé", org, "Verein Brücke e.V.", Guid.NewGuid(), new() { ["de"] = "Programm" }, 7000m,
                7000m, null, FinancingType.Share, 10000m, 70m, 7000m, today.AddDays(-200), today.AddDays(-10), "0710/684 10", [new YearAmount(today.Year, 7000m)],
                "Auflagen", "ANBest-P", due, clock.GetUtcNow(), "Bernd Approver", null);
            session.Events.StartStream<Grant>(grantId, new GrantIssued(grantId, Guid.NewGuid(), Guid.NewGuid(), notice, [], clock.GetUtcNow()));
            await session.SaveChangesAsync();
        } // nothing is due yet; the service stops

        clock.Set(clock.GetUtcNow().AddDays(70)); // 20 days before the due date: the 4-week stage
        await using (var second = await AppFixture.StartHost(clock, schema))
        {
            var sent = await Notifications(second, org, 1);
            sent.Single().Subject.ShouldStartWith("Erinnerung: ZB-2026-REMIND01");
        }

        await using (var third = await AppFixture.StartHost(clock, schema))
        {
            await Task.Delay(3000); // the start-up sweep runs again: nothing new is due
            (await Notifications(third, org, 1)).Count.ShouldBe(1);
        }

        clock.Set(clock.GetUtcNow().AddDays(22)); // two days after the due date
        await using var fourth = await AppFixture.StartHost(clock, schema);
        var all = await Notifications(fourth, org, 2);
        all.Count.ShouldBe(2);
        all.ShouldContain(n => n.Subject.StartsWith("Frist versäumt", StringComparison.Ordinal) && n.Body.Contains("Widerruf"));
        await using (var session = fourth.Services.GetRequiredService<IDocumentStore>().QuerySession())
            (await session.Query<SentProofReminder>().Where(r => r.GrantId == grantId).Select(r => r.Stage).ToListAsync()).OrderBy(s => s)
                .ShouldBe(["after-1", "before-28"]);
        var overdue = (await fourth.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {officer}");
            s.Get.Url("/proof-worklist/overdue");
        })).Json();
        overdue.GetArrayLength().ShouldBe(1);
        overdue[0].GetProperty("grantId").GetGuid().ShouldBe(grantId);
        overdue[0].GetProperty("status").GetString().ShouldBe("overdue");
    }
}

/// <summary>
/// The sweeps re-arm from the current clock at every start: after the clock was set back a day (a wrong NTP step, a restored
/// backup), the next reminder still goes out, and /health/ready names a sweep that has not run for more than a day.
/// </summary>
public sealed class when_the_clock_is_set_back_and_forward_again
{
    private static async Task<SweepClock> Sweep(IAlbaHost host, Func<SweepClock, bool> until)
    {
        var store = host.Services.GetRequiredService<IDocumentStore>();
        for (var i = 0; i < 80; i++)
        {
            await using var session = store.QuerySession();
            if (await session.LoadAsync<SweepClock>(RecurringWork.ProofReminders) is { } found && until(found)) return found;
            await Task.Delay(250);
        }
        throw new TimeoutException("The proof reminder sweep was not (re-)armed as expected.");
    }

    private static async Task<JsonElement> Ready(IAlbaHost host) =>
        (await host.Scenario(s => { s.Get.Url("/health/ready"); s.StatusCodeShouldBeOk(); })).Json().GetProperty("checks").GetProperty("recurring-work");

    [Fact]
    public async Task the_sweep_is_rearmed_and_the_next_reminder_is_sent()
    {
        var schema = "rearm_" + Guid.NewGuid().ToString("N")[..8];
        var clock = new TestClock(TestClock.SuiteStart);
        var t0 = clock.GetUtcNow();
        var due = BerlinTime.Today(t0).AddDays(30); // the four-week reminder is due in three days
        var grantId = Guid.NewGuid();
        var org = Guid.NewGuid();

        await using (var first = await AppFixture.StartHost(clock, schema))
        {
            await using (var session = first.Services.GetRequiredService<IDocumentStore>().LightweightSession())
            {
                var notice = new GrantNotice(1, "ZB-REARM-01", "Frauencafé", org, "Verein Brücke e.V.", Guid.NewGuid(), new() { ["de"] = "Programm" }, 7000m,
                    7000m, null, FinancingType.Share, 10000m, 70m, 7000m, due.AddDays(-300), due.AddDays(-120), "0710/684 10",
                    [new YearAmount(due.AddDays(-300).Year, 7000m)], "Auflagen", "ANBest-P", due, t0, "Bernd Approver", null);
                session.Events.StartStream<Grant>(grantId, new GrantIssued(grantId, Guid.NewGuid(), Guid.NewGuid(), notice, [], t0));
                await session.SaveChangesAsync();
            }
            await Sweep(first, s => s.NextAt == ProofReminders.NextSweep(t0));
            var ready = await Ready(first);
            for (var i = 0; i < 40 && ready.GetProperty("status").GetString() != "Healthy"; i++) // the other sweeps arm at start-up too
            {
                await Task.Delay(250);
                ready = await Ready(first);
            }
            ready.GetProperty("status").GetString().ShouldBe("Healthy", ready.ToString());
        }

        clock.Set(t0.AddDays(-1)); // the clock is corrected backwards while the service is down
        await using var second = await AppFixture.StartHost(clock, schema);
        var armed = await Sweep(second, s => s.NextAt == ProofReminders.NextSweep(t0.AddDays(-1))); // re-armed, not left a day ahead

        clock.Set(t0.AddDays(3)); // and forward again while it runs: the chain's next run sends the four-week reminder and goes on
        await second.InvokeMessageAndWaitAsync(new SweepProofReminders(armed.NextAt));
        var store = second.Services.GetRequiredService<IDocumentStore>();
        for (var i = 0; i < 60; i++)
        {
            await using var session = store.QuerySession();
            if (await session.Query<DeliveredNotification>().AnyAsync(n => n.OrganisationId == org)) break;
            await Task.Delay(250);
        }
        await using (var session = store.QuerySession())
        {
            (await session.Query<SentProofReminder>().Where(r => r.GrantId == grantId).Select(r => r.Stage).ToListAsync()).ShouldBe(["before-28"]);
            (await session.Query<DeliveredNotification>().Where(n => n.OrganisationId == org).CountAsync()).ShouldBe(1);
            var record = await session.LoadAsync<SweepClock>(RecurringWork.ProofReminders);
            record!.LastRunAt.ShouldBe(clock.GetUtcNow());
            record.NextAt.ShouldBe(ProofReminders.NextSweep(clock.GetUtcNow()));
        }

        clock.Advance(TimeSpan.FromHours(26)); // nothing ran for more than a day: degraded, naming the sweep and its last run
        var health = await Ready(second);
        health.GetProperty("status").GetString().ShouldBe("Degraded");
        health.GetProperty("description").GetString()!.ShouldContain("proof-reminders: last run " + BerlinTime.Local(t0.AddDays(3)));
    }
}
