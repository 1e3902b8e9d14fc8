using System.Security.Cryptography;
using System.Text;

namespace FundingPrograms.Audit;

public sealed record BrokenLink(long? Sequence, Guid? StreamId, long? Version, string Problem);

/// <summary>The result of checking the whole store: the first broken link, or how much is proven.</summary>
public sealed record VerificationReport(bool Intact, int EventsChecked, int SealsChecked, long SealedUpTo, int PendingEvents, string? LatestSealHash,
    BrokenLink? FirstBroken, DateTimeOffset CheckedAt, int AnchoredSeals = 0, string? SealKeyId = null);

/// <summary>Recomputes every link and seal from the events as stored, with the key from configuration.</summary>
public sealed class ChainVerifier(AuditKey key, EventReader reader, IDocumentStore store, TimeProvider clock, SealSigner signer, SealAnchor anchor)
{
    /// <summary>
    /// Streams events and links side by side in sequence order (memory stays flat however large the store), recomputing each
    /// stream's chain and each seal's digest; the first problem found in sequence order is reported.
    /// </summary>
    public async Task<VerificationReport> Verify(CancellationToken ct)
    {
        // The outside anchor is read before the store: a seal committed (and anchored) while this check runs is then either in
        // neither or in the store as well, never "anchored but missing".
        var anchoredSeals = await anchor.Read(ct);
        var anchored = anchoredSeals.Count;
        await using var session = store.QuerySession();
        var seals = (await session.Query<Seal>().OrderBy(s => s.Id).ToListAsync(ct)).ToList();
        var sealedUpTo = seals.Count > 0 ? seals[^1].ToSequence : 0;
        int checkedEvents = 0, pending = 0;
        VerificationReport Report(BrokenLink? broken) => new(broken is null, checkedEvents, seals.Count, sealedUpTo, pending, seals.LastOrDefault()?.Hash,
            broken, clock.GetUtcNow(), anchored, signer.KeyId);

        // The outside anchor: every seal recorded outside the database must still be in the store.
        if (anchor.FirstMissing(seals, anchoredSeals) is { } missing)
            return Report(new BrokenLink(missing.ToSequence, null, null,
                $"Seal {missing.Id} (sequence {missing.FromSequence}–{missing.ToSequence}, hash {missing.Hash}) is recorded in the outside anchor but missing from the store: the tail was truncated together with its seals ({missing.Line})."));

        // The seal chain itself: ranges contiguous, each seal keyed and linked to the one before.
        var previousSeal = Chain.Genesis;
        long previousTo = 0;
        foreach (var seal in seals)
        {
            if (seal.FromSequence != previousTo || seal.PreviousHash != previousSeal
                || seal.Hash != Chain.SealHash(key, previousSeal, seal.FromSequence, seal.ToSequence, seal.Count, seal.Digest))
                return Report(new BrokenLink(seal.ToSequence, null, null, $"Seal {seal.Id} is not a valid continuation of the seal chain: seals were changed or removed."));
            if (!signer.Verify(seal))
                return Report(new BrokenLink(seal.ToSequence, null, null, $"Seal {seal.Id} does not carry a valid signature of the published seal key {signer.KeyId}."));
            previousSeal = seal.Hash;
            previousTo = seal.ToSequence;
        }

        var heads = new Dictionary<Guid, (long Version, string Hash)>();
        var sealIndex = 0;
        var digest = new DigestBuilder();
        BrokenLink? CloseSeal()
        {
            var seal = seals[sealIndex++];
            var (count, value) = digest.Finish();
            return count == seal.Count && value == seal.Digest ? null : new BrokenLink(seal.ToSequence, null, null,
                $"Seal {seal.Id} covered {seal.Count} events up to sequence {seal.ToSequence}; the store now has {count} there or different ones: events were deleted, swapped or the tail truncated.");
        }

        // Events and links from one snapshot (taken after the seals were read): an append committing meanwhile is in both or neither.
        await using var snapshot = await reader.Snapshot(ct);
        await using var links = reader.Links(snapshot.Links, ct).GetAsyncEnumerator(ct);
        var hasLink = await links.MoveNextAsync();
        await foreach (var e in reader.All(snapshot.Events, ct))
        {
            // Links before this event whose events are gone: deleted events or streams.
            if (hasLink && links.Current.Id < e.Sequence)
            {
                var l = links.Current;
                return Report(new BrokenLink(l.Id, l.StreamId, l.Version,
                    $"Event {l.Id} (stream {l.StreamId} version {l.Version}, {l.Type}) was chained but is no longer in the store: it was deleted."));
            }
            while (sealIndex < seals.Count && e.Sequence > seals[sealIndex].ToSequence)
                if (CloseSeal() is { } broken) return Report(broken);

            if (e.IsArchived)
                return Report(new BrokenLink(e.Sequence, e.StreamId, e.Version,
                    $"Event {e.Sequence} ({e.Type}, stream {e.StreamId} version {e.Version}) is marked archived: the service never archives events, and a rebuild would silently drop it."));
            var (lastVersion, previous) = heads.TryGetValue(e.StreamId, out var head) ? head : (0, Chain.Genesis);
            if (e.Version != lastVersion + 1)
                return Report(new BrokenLink(e.Sequence, e.StreamId, e.Version,
                    $"Stream {e.StreamId} jumps from version {lastVersion} to {e.Version}: events are missing or were reordered."));
            var hash = Chain.Link(key, previous, e);
            var link = hasLink && links.Current.Id == e.Sequence ? links.Current : null;
            if (link is null)
                return Report(new BrokenLink(e.Sequence, e.StreamId, e.Version,
                    $"Event {e.Sequence} ({e.Type}, stream {e.StreamId} version {e.Version}) has no link: it was not appended by the service (links are written in the appending transaction) but inserted into the store directly."));
            if (link.Hash != hash)
                return Report(new BrokenLink(e.Sequence, e.StreamId, e.Version,
                    $"Event {e.Sequence} ({e.Type}, stream {e.StreamId} version {e.Version}) does not match its keyed hash: its data, type or position was changed, or it was inserted without the key."));
            hasLink = await links.MoveNextAsync();
            heads[e.StreamId] = (e.Version, hash);
            if (e.Sequence <= sealedUpTo) digest.Add(hash); else pending++;
            checkedEvents++;
        }
        if (hasLink)
        {
            var l = links.Current;
            return Report(new BrokenLink(l.Id, l.StreamId, l.Version,
                $"Event {l.Id} (stream {l.StreamId} version {l.Version}, {l.Type}) was chained but is no longer in the store: it was deleted (the tail was truncated)."));
        }
        while (sealIndex < seals.Count)
            if (CloseSeal() is { } broken) return Report(broken);
        // Archived letters: their bytes against the SHA-256 their (chained) letter_issued events recorded.
        if (await Letters.LetterArchiveVerification.Verify(session, ct) is { } letterBroken) return Report(letterBroken);
        return Report(null);
    }

    /// <summary>Chain.Digest computed incrementally: SHA-256 over the link hashes joined by commas.</summary>
    private sealed class DigestBuilder
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private int _count;

        public void Add(string linkHash)
        {
            if (_count++ > 0) _hash.AppendData(","u8);
            _hash.AppendData(Encoding.UTF8.GetBytes(linkHash));
        }

        public (int Count, string Digest) Finish()
        {
            var result = (_count, Convert.ToHexString(_hash.GetHashAndReset()));
            _count = 0;
            return result;
        }
    }
}

public static class VerifyChainEndpoint
{
    [WolverineGet("/audit/verify", OperationId = "VerifyAuditChain"), Authorize(Roles = Roles.Auditors)]
    [Tags("Audit"), EndpointSummary("Check the whole event store against the keyed hash chain and seals; names the first broken link")]
    public static Task<VerificationReport> Get(ChainVerifier verifier, CancellationToken ct) => verifier.Verify(ct);
}
