using FundingPrograms.Audit;
using Alba;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace FundingPrograms.Tests.MultiNode;

[Collection(nameof(MultiNodeCollection))]
public sealed class when_the_daemon_leader_changes_under_load(TwoNodes nodes)
{
    private static void Trace(string line) => File.AppendAllText("/tmp/multinode-trace.txt", $"{DateTime.UtcNow:HH:mm:ss.fff} {line}\n");

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

    [Fact]
    public async Task the_chain_stays_continuous_and_verifiable_and_is_handed_over_within_seconds()
    {
        var stop = new CancellationTokenSource();
        var load = Task.WhenAll(Task.Run(() => Load(nodes.A.Services.GetRequiredService<IDocumentStore>(), 1, stop.Token)),
            Task.Run(() => Load(nodes.B.Services.GetRequiredService<IDocumentStore>(), 2, stop.Token)));
        try
        {
            var started = DateTime.UtcNow;
            while ((await nodes.Chain()).SealedUpTo == 0 && DateTime.UtcNow - started < TimeSpan.FromSeconds(30)) await Task.Delay(200);
            Trace($"first seal after {(DateTime.UtcNow - started).TotalSeconds:0.0} s: {await nodes.Chain()}");
            (await nodes.Chain()).SealedUpTo.ShouldBeGreaterThan(0, "the chain is sealed while the load runs");
            for (var change = 0; change < 2; change++)
            {
                // The leader loses its lock in the middle of its work (batches of 200 events arrive every few ms).
                Trace($"terminating lock holders at {await nodes.Chain()}");
                (await nodes.TerminateLockHolders()).ShouldBeGreaterThan(0);
                await Task.Delay(4000);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await load;
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
