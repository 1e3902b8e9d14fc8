using FundingPrograms.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace FundingPrograms.Audit;

public sealed record BrokenLink(long? Sequence, Guid? StreamId, long? Version, string Problem);

/// <summary>The result of checking the whole store: the first broken link, or how much is proven.</summary>
public sealed record VerificationReport(bool Intact, int EventsChecked, int SealsChecked, long SealedUpTo, int PendingEvents, string? LatestSealHash,
    BrokenLink? FirstBroken, DateTimeOffset CheckedAt);

/// <summary>Recomputes every link and seal from the events as stored, with the key from configuration.</summary>
public sealed class ChainVerifier(AuditKey key, EventReader reader, IDocumentStore store, TimeProvider clock)
{
    public async Task<VerificationReport> Verify(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var events = await reader.Read(0, long.MaxValue, ct);
        var links = (await session.Query<ChainLink>().OrderBy(l => l.Id).ToListAsync(ct)).ToDictionary(l => l.Id);
        var seals = (await session.Query<Seal>().OrderBy(s => s.Id).ToListAsync(ct)).ToList();
        var sealedUpTo = seals.Count > 0 ? seals[^1].ToSequence : 0;
        VerificationReport Report(BrokenLink? broken) => new(broken is null, events.Count, seals.Count, sealedUpTo,
            events.Count(e => e.Sequence > sealedUpTo), seals.LastOrDefault()?.Hash, broken, clock.GetUtcNow());

        // 1. Every event against its stream's chain: changed data or type, a missing or reordered version.
        var heads = new Dictionary<Guid, (long Version, string Hash)>();
        var recomputed = new Dictionary<long, string>();
        foreach (var e in events)
        {
            var (lastVersion, previous) = heads.TryGetValue(e.StreamId, out var head) ? head : (0, Chain.Genesis);
            if (e.Version != lastVersion + 1)
                return Report(new BrokenLink(e.Sequence, e.StreamId, e.Version,
                    $"Stream {e.StreamId} jumps from version {lastVersion} to {e.Version}: events are missing or were reordered."));
            var hash = Chain.Link(key, previous, e);
            if (links.TryGetValue(e.Sequence, out var link) && link.Hash != hash)
                return Report(new BrokenLink(e.Sequence, e.StreamId, e.Version,
                    $"Event {e.Sequence} ({e.Type}, stream {e.StreamId} version {e.Version}) does not match its keyed hash: its data, type or position was changed."));
            if (link is null && e.Sequence <= sealedUpTo)
                return Report(new BrokenLink(e.Sequence, e.StreamId, e.Version, $"Event {e.Sequence} lies in the sealed range but was never chained: it was inserted afterwards."));
            heads[e.StreamId] = (e.Version, hash);
            recomputed[e.Sequence] = hash;
        }

        // 2. Links whose event is gone: deleted events or streams.
        var missing = links.Values.FirstOrDefault(l => !recomputed.ContainsKey(l.Id));
        if (missing is not null)
            return Report(new BrokenLink(missing.Id, missing.StreamId, missing.Version,
                $"Event {missing.Id} (stream {missing.StreamId} version {missing.Version}, {missing.Type}) was chained but is no longer in the store: it was deleted."));

        // 3. The seal chain: each seal's range, count and digest recomputed from the events, each seal linked to the one before.
        var previousSeal = Chain.Genesis;
        long previousTo = 0;
        foreach (var seal in seals)
        {
            var inRange = events.Where(e => e.Sequence > seal.FromSequence && e.Sequence <= seal.ToSequence).Select(e => recomputed[e.Sequence]).ToList();
            var digest = Chain.Digest(inRange);
            var expected = Chain.SealHash(key, previousSeal, seal.FromSequence, seal.ToSequence, seal.Count, seal.Digest);
            if (seal.FromSequence != previousTo || seal.PreviousHash != previousSeal || seal.Hash != expected)
                return Report(new BrokenLink(seal.ToSequence, null, null, $"Seal {seal.Id} is not a valid continuation of the seal chain: seals were changed or removed."));
            if (inRange.Count != seal.Count || digest != seal.Digest)
                return Report(new BrokenLink(seal.ToSequence, null, null,
                    $"Seal {seal.Id} covered {seal.Count} events up to sequence {seal.ToSequence}; the store now has {inRange.Count} there or different ones: events were deleted, swapped or the tail truncated."));
            previousSeal = seal.Hash;
            previousTo = seal.ToSequence;
        }
        return Report(null);
    }
}

public static class VerifyChainEndpoint
{
    [WolverineGet("/audit/verify", OperationId = "VerifyAuditChain"), Authorize(Roles = "auditor,admin")]
    [Tags("Audit"), EndpointSummary("Check the whole event store against the keyed hash chain and seals; names the first broken link")]
    public static Task<VerificationReport> Get(ChainVerifier verifier, CancellationToken ct) => verifier.Verify(ct);
}
