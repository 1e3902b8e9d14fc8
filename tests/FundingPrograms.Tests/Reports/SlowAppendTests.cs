using FundingPrograms.Applications;
using FundingPrograms.Infrastructure;
using FundingPrograms.Reports;
using FundingPrograms.Tests.Deciders;
using FundingPrograms.Tests.Infrastructure;
using Marten;
using Marten.Events;
using Marten.Services;
using Microsoft.Extensions.DependencyInjection;

namespace FundingPrograms.Tests.Reports;

/// <summary>
/// An append whose sequence numbers are reserved seconds before it commits (a large batch, a saturated machine), while other
/// appends commit and the async daemon moves on. Begun the way the service begins every append (transaction first, see
/// EventMetadataMiddleware), the daemon waits for it and the report facts get its events. Reserved outside a transaction,
/// the daemon would skip the range after 3 s and the facts would never see the application (this test then fails).
/// </summary>
public sealed class when_an_append_commits_seconds_after_its_sequence_numbers_were_reserved(AppFixture app) : ApiTest(app)
{
    private static async Task<Guid> Draft(IDocumentStore store, HoldBeforeSave? hold = null)
    {
        var options = new SessionOptions();
        if (hold is not null) options.Listeners.Add(hold);
        await using var session = store.LightweightSession(options);
        await session.BeginTransactionAsync(CancellationToken.None);
        var id = Guid.CreateVersion7();
        var start = BerlinTime.Today(TestClock.SuiteStart).AddDays(30);
        session.Events.StartStream<Application>(id, new ApplicationDrafted(id, Guid.NewGuid(), "Verein Brücke e.V.", "mso", Guid.NewGuid(),
            Guid.NewGuid(), Given.Content(start, start.AddMonths(11)), TestClock.SuiteStart));
        await session.SaveChangesAsync();
        return id;
    }

    [Fact]
    public async Task the_report_facts_still_get_its_events()
    {
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        // The suite resets the store between tests, so sequence numbers start again at 1 while the daemon's gap detector may
        // still remember a stuck gap of an earlier test at the same number (its first sighting, long before this
        // transaction began). A fresh, unique range keeps this test about late commits, as in production, where numbers never repeat.
        await using (var reset = store.LightweightSession())
        {
            reset.QueueSqlCommand($"select setval('{store.Options.Events.DatabaseSchemaName}.mt_events_sequence', ?)", Random.Shared.NextInt64(1_000_000, 1_000_000_000));
            await reset.SaveChangesAsync();
        }
        await Draft(store);
        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var hold = new HoldBeforeSave();
        var slow = Draft(store, hold);
        await hold.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // Later appends commit above the slow one's reserved numbers; longer than the daemon's stale threshold (3 s).
        var others = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            others.Add(await Draft(store));
            await Task.Delay(TimeSpan.FromSeconds(1.5));
        }
        hold.Release.SetResult();
        var late = await slow;
        others.Add(await Draft(store));
        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        await using var query = store.QuerySession();
        (await query.LoadAsync<ApplicationFact>(late)).ShouldNotBeNull("the late-committed application is missing from the report facts");
        foreach (var id in others) (await query.LoadAsync<ApplicationFact>(id)).ShouldNotBeNull();
    }
}
