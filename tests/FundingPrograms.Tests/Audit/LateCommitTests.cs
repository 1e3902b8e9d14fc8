using FundingPrograms.Tests.Infrastructure;
using FundingPrograms.Tests.MultiNode;
using Marten;
using Marten.Events;
using Marten.Services;
using Microsoft.Extensions.DependencyInjection;

namespace FundingPrograms.Tests.Audit;

/// <summary>
/// An append that has its sequence numbers but commits only seconds later (the bulk path: thousands of links hashed before the
/// batch goes out), while other appends commit and the daemon moves on: the chain must still verify, never a false alarm.
/// </summary>
public sealed class when_an_append_commits_long_after_its_sequence_numbers_were_reserved(AppFixture app) : ApiTest(app)
{
    private async Task Append(IDocumentStore store, int batch, HoldBeforeSave? hold = null)
    {
        var options = new SessionOptions();
        if (hold is not null) options.Listeners.Add(hold);
        await using var session = store.LightweightSession(options);
        await session.BeginTransactionAsync(CancellationToken.None); // as the service begins every append (EventMetadataMiddleware)
        for (var i = 0; i < 3; i++)
            session.Events.StartStream(Guid.CreateVersion7(), new LoadTick(batch, i, $"late-commit test {batch}/{i}"), new LoadTick(batch, i + 100, "second"));
        await session.SaveChangesAsync();
    }

    [Fact]
    public async Task the_chain_still_verifies_and_everything_gets_sealed()
    {
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        await Append(store, 0);
        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var hold = new HoldBeforeSave();
        var slow = Append(store, 1, hold);
        await hold.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // Later appends commit while the slow one holds its (lower) sequence numbers; give the daemon time to give up waiting.
        await Append(store, 2);
        for (var i = 0; i < 6; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            await Append(store, 3 + i);
        }
        hold.Release.SetResult();
        await slow;
        await Append(store, 20);
        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(1));
        await Append(store, 21);
        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        var report = (await Get(Auditor, "/audit/verify")).Json();
        report.GetProperty("intact").GetBoolean().ShouldBeTrue(report.ToString());
        report.GetProperty("pendingEvents").GetInt32().ShouldBe(0, report.ToString());
    }
}

/// <summary>
/// An append that took its sequence number and died without an event (as under kill -9; here a transaction held open, then its
/// connection closed): seals stop before the hole while its transaction may still commit, and pass it within seconds once it is gone,
/// not after the two-minute fallback (Audit:GapGraceSeconds).
/// </summary>
public sealed class when_an_append_dies_after_taking_its_sequence_number(AppFixture app) : ApiTest(app)
{
    private static async Task Append(IDocumentStore store, int batch)
    {
        await using var session = store.LightweightSession();
        await session.BeginTransactionAsync(CancellationToken.None);
        session.Events.StartStream(Guid.CreateVersion7(), new LoadTick(batch, 0, $"gap test {batch}"));
        await session.SaveChangesAsync();
    }

    private async Task<System.Text.Json.JsonElement> Verify() => (await Get(Auditor, "/audit/verify")).Json();

    [Fact]
    public async Task seals_pass_the_hole_within_seconds_once_its_transaction_is_gone()
    {
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        var config = Host.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        // A unique sequence range (the suite resets the store between tests; see the slow-append test in Reports).
        await using (var reset = store.LightweightSession())
        {
            reset.QueueSqlCommand($"select setval('{store.Options.Events.DatabaseSchemaName}.mt_events_sequence', ?)", Random.Shared.NextInt64(1_000_000, 1_000_000_000));
            await reset.SaveChangesAsync();
        }
        await Append(store, 0);
        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        long reserved;
        var owner = new Npgsql.NpgsqlConnection(config["ConnectionStrings:Marten"]);
        await owner.OpenAsync();
        await using (var take = new Npgsql.NpgsqlCommand($"begin; select nextval('{store.Options.Events.DatabaseSchemaName}.mt_events_sequence')", owner))
            reserved = (long)(await take.ExecuteScalarAsync())!;
        await Append(store, 1);
        await Append(store, 2);
        // Past the daemon's stale threshold (3 s), after which it hands the range over: the open transaction holds the seals.
        await Task.Delay(TimeSpan.FromSeconds(8));
        (await Verify()).GetProperty("sealedUpTo").GetInt64().ShouldBeLessThan(reserved);

        await owner.DisposeAsync(); // the transaction ends without an event
        var started = System.Diagnostics.Stopwatch.StartNew();
        System.Text.Json.JsonElement report;
        var batch = 3;
        do
        {
            if (started.Elapsed.TotalSeconds >= (batch - 3) * 5) await Append(store, batch++); // a new event now and then wakes the daemon
            await Task.Delay(TimeSpan.FromSeconds(1));
            report = await Verify();
        }
        while (report.GetProperty("pendingEvents").GetInt32() > 0 && started.Elapsed < TimeSpan.FromSeconds(90));
        report.GetProperty("intact").GetBoolean().ShouldBeTrue(report.ToString());
        report.GetProperty("pendingEvents").GetInt32().ShouldBe(0, report.ToString());
        report.GetProperty("sealedUpTo").GetInt64().ShouldBeGreaterThan(reserved);
        // Well inside the two-minute fallback: the hole was decided by PostgreSQL's transaction status, not by the timer.
        started.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(90));
    }
}
