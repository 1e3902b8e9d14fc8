using Alba;
using FundingPrograms.Audit;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace FundingPrograms.Tests.MultiNode;

[Collection(nameof(MultiNodeCollection))]
public sealed class when_the_daemon_leader_changes_under_load(TwoNodes nodes)
{
    private static readonly System.Diagnostics.Stopwatch Elapsed = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>A line in the test's output, stamped with the time elapsed (a monotonic clock, not the wall clock).</summary>
    private static void Trace(string line) => TestContext.Current.TestOutputHelper?.WriteLine($"{Elapsed.Elapsed:mm\\:ss\\.fff} {line}");

    /// <summary>Appends batches of events through a node's own store (links are written by its appending transactions).</summary>
    private static async Task Load(IDocumentStore store, int node, CancellationToken ct)
    {
        var batch = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var session = store.LightweightSession();
                session.LastModifiedBy = $"Load {node}";
                for (var s = 0; s < 5; s++)
                    session.Events.StartStream(Guid.CreateVersion7(), Enumerable.Range(0, 40).Select(i => (object)new LoadTick(batch, i, $"node {node}")).ToArray());
                await session.SaveChangesAsync(CancellationToken.None);
                batch++;
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                // A terminated backend fails the append that used it; the next one gets a fresh connection.
            }
            await Task.Delay(20, CancellationToken.None);
        }
    }

    private async Task<long> AdvancesWithin(long from, TimeSpan limit)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < limit)
        {
            var sealedUpTo = (await nodes.Chain()).SealedUpTo;
            if (sealedUpTo > from) return sealedUpTo;
            await Task.Delay(200);
        }
        return from;
    }

    [Fact]
    public async Task the_chain_stays_continuous_and_verifiable_and_is_handed_over_within_seconds()
    {
        var a = nodes.A.Services.GetRequiredService<IProjectionCoordinator>();
        var b = nodes.B.Services.GetRequiredService<IProjectionCoordinator>();
        (await nodes.SealedWithin(TimeSpan.FromSeconds(30))).ShouldBeTrue();
        var stop = new CancellationTokenSource();
        var load = Task.WhenAll(Task.Run(() => Load(nodes.A.Services.GetRequiredService<IDocumentStore>(), 1, stop.Token)),
            Task.Run(() => Load(nodes.B.Services.GetRequiredService<IDocumentStore>(), 2, stop.Token)));
        try
        {
            // A leads (B stands aside) and seals under load.
            await b.PauseAsync();
            await nodes.TerminateLockHolders();
            var sealedUpTo = await AdvancesWithin((await nodes.Chain()).SealedUpTo, TimeSpan.FromSeconds(30));
            Trace($"A leads: {await nodes.Chain()}");

            // A loses its lock in the middle of its work; B takes over within seconds.
            await b.ResumeAsync();
            await nodes.TerminateLockHolders();
            await Task.Delay(300);
            await a.PauseAsync();
            await nodes.TerminateLockHolders();
            var next = await AdvancesWithin(sealedUpTo, TimeSpan.FromSeconds(15));
            next.ShouldBeGreaterThan(sealedUpTo, "B takes over within seconds");
            Trace($"B leads: {await nodes.Chain()}");
            await Task.Delay(2000);

            // B loses its lock mid-batch, and A leads again with whatever it remembers from before.
            await a.ResumeAsync();
            await nodes.TerminateLockHolders();
            await Task.Delay(300);
            await b.PauseAsync();
            await nodes.TerminateLockHolders();
            sealedUpTo = (await nodes.Chain()).SealedUpTo;
            (await AdvancesWithin(sealedUpTo, TimeSpan.FromSeconds(15))).ShouldBeGreaterThan(sealedUpTo, "A takes over again within seconds");
            Trace($"A leads again: {await nodes.Chain()}");
            await Task.Delay(2000);
        }
        finally
        {
            await stop.CancelAsync();
            await load;
            await b.ResumeAsync();
        }

        Trace($"load stopped at {await nodes.Chain()}");
        (await nodes.SealedWithin(TimeSpan.FromSeconds(20))).ShouldBeTrue($"the chain reaches the newest event within seconds: {await nodes.Chain()}");
        var report = await nodes.B.Services.GetRequiredService<ChainVerifier>().Verify(CancellationToken.None);
        report.Intact.ShouldBeTrue(report.FirstBroken?.Problem);
        report.PendingEvents.ShouldBe(0);
        report.EventsChecked.ShouldBeGreaterThan(1000);
    }

    [Fact]
    public async Task readiness_fails_within_seconds_when_the_chain_stops_advancing_while_events_arrive()
    {
        (await nodes.SealedWithin(TimeSpan.FromSeconds(30))).ShouldBeTrue();
        var coordinators = new[] { nodes.A, nodes.B }.Select(n => n.Services.GetRequiredService<IProjectionCoordinator>()).ToArray();
        foreach (var c in coordinators) await c.PauseAsync();
        try
        {
            await using (var session = nodes.A.Services.GetRequiredService<IDocumentStore>().LightweightSession())
            {
                session.Events.StartStream(Guid.CreateVersion7(), new LoadTick(0, 0, "while the chain stands still"));
                await session.SaveChangesAsync();
            }
            await Task.Delay(4500);
            var ready = await nodes.A.Scenario(s =>
            {
                s.Get.Url("/health/ready");
                s.StatusCodeShouldBe(503);
            });
            ready.ReadAsText().ShouldContain("audit chain");
        }
        finally
        {
            foreach (var c in coordinators) await c.ResumeAsync();
        }
        (await nodes.SealedWithin(TimeSpan.FromSeconds(30))).ShouldBeTrue("the chain catches up after the pause");
        await nodes.A.Scenario(s =>
        {
            s.Get.Url("/health/ready");
            s.StatusCodeShouldBe(200);
        });
    }
}
