using FundingPrograms.Audit;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace FundingPrograms.Tests.MultiNode;

/// <summary>
/// The link writer remembers the stream heads its own node committed (no query per append): whichever node appends next,
/// each link must still continue the stream's newest committed link, and a rolled-back append must leave nothing to chain on.
/// </summary>
[Collection(nameof(MultiNodeCollection))]
public sealed class when_both_nodes_append_to_one_stream(TwoNodes nodes)
{
    private static async Task Append(IDocumentStore store, Guid stream, int n)
    {
        await using var session = store.LightweightSession();
        session.LastModifiedBy = $"Shared {n}";
        session.Events.Append(stream, new LoadTick(n, 0, "shared"));
        await session.SaveChangesAsync();
    }

    [Fact]
    public async Task each_link_continues_the_newest_link_whichever_node_wrote_it_and_a_failed_append_is_not_remembered()
    {
        var a = nodes.A.Services.GetRequiredService<IDocumentStore>();
        var b = nodes.B.Services.GetRequiredService<IDocumentStore>();
        var stream = Guid.CreateVersion7();
        await using (var start = a.LightweightSession())
        {
            start.Events.StartStream(stream, new LoadTick(0, 0, "shared"));
            await start.SaveChangesAsync();
        }
        // A twice (its own head), then B (never saw the stream), A again (its head is stale: B appended), B, B.
        var n = 1;
        foreach (var store in new[] { a, a, b, a, b, b }) await Append(store, stream, n++);
        await Append(a, stream, n++);
        // A loses a race: it read the stream, B appended meanwhile, A's append (links computed on A's head) is rolled back.
        // A must not remember the link it computed for it, or its next append would chain on a link that never committed.
        await Append(b, stream, n++);
        await using (var stale = a.LightweightSession())
        {
            // A still believes the stream ends at version 8 (its own append): the new event would be version 9.
            stale.Events.Append(stream, 9, new LoadTick(99, 0, "lost"));
            await Should.ThrowAsync<Exception>(() => stale.SaveChangesAsync());
        }
        await Append(a, stream, n);

        var report = await nodes.A.Services.GetRequiredService<ChainVerifier>().Verify(CancellationToken.None);
        report.Intact.ShouldBeTrue(report.FirstBroken?.Problem);
        await using var query = a.QuerySession();
        (await query.Query<ChainLink>().Where(l => l.StreamId == stream).CountAsync()).ShouldBe(10);
    }
}
