using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten.Subscriptions;
using Npgsql;

namespace FundingPrograms.Audit;

/// <summary>
/// The key of the audit chain (Audit:ChainKey, at least 32 bytes). It lives in configuration or a secret store,
/// never in the database: whoever can write to PostgreSQL cannot recompute a valid chain.
/// </summary>
public sealed class AuditKey
{
    private readonly byte[] _key;

    public AuditKey(IConfiguration config)
    {
        var key = config["Audit:ChainKey"];
        if (string.IsNullOrWhiteSpace(key) || Encoding.UTF8.GetByteCount(key) < 32)
            throw new InvalidOperationException("Audit:ChainKey must be set to at least 32 bytes (from a secret store in production).");
        _key = Encoding.UTF8.GetBytes(key);
    }

    public string Hash(params object[] parts)
    {
        var text = string.Join("\u001f", parts.Select(p => p switch { DateTimeOffset d => d.ToString("O"), _ => p.ToString() }));
        return Convert.ToHexString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text)));
    }
}

/// <summary>The keyed hash of one event, chained to the previous event of its stream.</summary>
public sealed class ChainLink
{
    /// <summary>The event's global sequence number.</summary>
    public long Id { get; set; }
    public Guid StreamId { get; set; }
    public long Version { get; set; }
    public string Type { get; set; } = "";
    public string Hash { get; set; } = "";
}

/// <summary>A seal over a range of the event sequence, chained to the previous seal: catches deleted streams, reordering and truncation.</summary>
public sealed class Seal
{
    public long Id { get; set; }
    public long FromSequence { get; set; }
    public long ToSequence { get; set; }
    public int Count { get; set; }
    public string Digest { get; set; } = "";
    public string PreviousHash { get; set; } = "";
    public string Hash { get; set; } = "";
    public DateTimeOffset SealedAt { get; set; }
    /// <summary>ECDSA P-256 signature of <see cref="SealSigner.Statement"/>: checkable with the published public key alone.</summary>
    public string? Signature { get; set; }
}

/// <summary>
/// One event as stored, read straight from PostgreSQL, in the canonical form its link covers: the data as canonical JSON
/// (<see cref="CanonicalJson"/>) and its metadata (timestamp in microseconds, user name, correlation and causation id,
/// headers with the user id as canonical JSON), so that "who and when" are as tamper-evident as "what".
/// </summary>
public sealed record RawEvent(long Sequence, Guid StreamId, long Version, string Type, string Data, string Metadata, bool IsArchived = false);

public sealed class EventReader(IConfiguration config)
{
    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(config.GetConnectionString("Marten")!);
    private readonly string _schema = config["Marten:Schema"] ?? "funding";

    private string Select(string where) =>
        $"select seq_id, stream_id, version, type, data::text, timestamp, user_name, correlation_id, causation_id, headers::text, is_archived from {_schema}.mt_events where type <> 'tombstone' {where} order by seq_id";

    private static RawEvent Row(NpgsqlDataReader r) => new(r.GetInt64(0), r.GetGuid(1), r.GetInt64(2), r.GetString(3), CanonicalJson.Of(r.GetString(4)),
        Chain.Metadata(r.GetFieldValue<DateTime>(5), r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7),
            r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : CanonicalJson.Of(r.GetString(9))), r.GetBoolean(10));

    /// <summary>
    /// Two connections reading one and the same snapshot of the store (REPEATABLE READ, the second importing the snapshot the
    /// first exported): events and links are streamed side by side and an append committing meanwhile is in neither or both.
    /// </summary>
    public async Task<SnapshotPair> Snapshot(CancellationToken ct)
    {
        var events = await _source.OpenConnectionAsync(ct);
        var links = await _source.OpenConnectionAsync(ct);
        var pair = new SnapshotPair(events, links);
        try
        {
            await using (var begin = new NpgsqlCommand("begin isolation level repeatable read read only", events)) await begin.ExecuteNonQueryAsync(ct);
            await using var export = new NpgsqlCommand("select pg_export_snapshot()", events);
            var id = (string)(await export.ExecuteScalarAsync(ct))!;
            await using var import = new NpgsqlCommand($"begin isolation level repeatable read read only; set transaction snapshot '{id}'", links);
            await import.ExecuteNonQueryAsync(ct);
            return pair;
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    public sealed class SnapshotPair(NpgsqlConnection events, NpgsqlConnection links) : IAsyncDisposable
    {
        public NpgsqlConnection Events { get; } = events;
        public NpgsqlConnection Links { get; } = links;

        public async ValueTask DisposeAsync()
        {
            await Events.DisposeAsync();
            await Links.DisposeAsync();
        }
    }

    /// <summary>Every event in sequence order, streamed from the server (not held in memory).</summary>
    public async IAsyncEnumerable<RawEvent> All([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct) { await foreach (var e in All(null, ct)) yield return e; }

    /// <summary>Every event in sequence order on the given connection (its snapshot), streamed.</summary>
    public async IAsyncEnumerable<RawEvent> All(NpgsqlConnection? connection, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var cmd = connection is null ? _source.CreateCommand(Select("")) : new NpgsqlCommand(Select(""), connection);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) yield return Row(reader);
    }

    /// <summary>Every chain link in sequence order, streamed.</summary>
    public IAsyncEnumerable<ChainLink> Links(CancellationToken ct) => Links(null, ct);

    /// <summary>Every chain link in sequence order on the given connection (its snapshot), streamed.</summary>
    public async IAsyncEnumerable<ChainLink> Links(NpgsqlConnection? connection, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var sql = $"select id, data->>'streamId', (data->>'version')::bigint, data->>'type', data->>'hash' from {_schema}.mt_doc_chainlink order by id";
        await using var cmd = connection is null ? _source.CreateCommand(sql) : new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            yield return new ChainLink
            {
                Id = reader.GetInt64(0), StreamId = Guid.Parse(reader.GetString(1)), Version = reader.GetInt64(2), Type = reader.GetString(3), Hash = reader.GetString(4),
            };
    }

    /// <summary>
    /// The sequence numbers in floor &lt; seq ≤ ceiling that have no row in mt_events (not even a tombstone), as ranges
    /// [first, last]: reserved by an append that has not committed yet, or lost for good. Ordered by sequence.
    /// </summary>
    public async Task<List<(long First, long Last)>> Holes(long floor, long ceiling, CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand(
            $"select prev + 1, seq_id - 1 from (select seq_id, lag(seq_id, 1, $1) over (order by seq_id) as prev from {_schema}.mt_events where seq_id > $1 and seq_id <= $2) x where seq_id <> prev + 1 " +
            $"union all select coalesce(max(seq_id), $1) + 1, $2 from {_schema}.mt_events where seq_id > $1 and seq_id <= $2 having coalesce(max(seq_id), $1) < $2 order by 1");
        cmd.Parameters.AddWithValue(floor);
        cmd.Parameters.AddWithValue(ceiling);
        var holes = new List<(long, long)>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) holes.Add((reader.GetInt64(0), reader.GetInt64(1)));
        return holes;
    }

    /// <summary>PostgreSQL's clock: a hole seen now belongs to a transaction that began before this instant, if to any.</summary>
    public async Task<DateTime> ServerNow(CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand("select clock_timestamp()");
        return (DateTime)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Whether another session of this database still runs a transaction that began before <paramref name="at"/> (or one this role
    /// may not look at). When none does, no sequence number reserved before that instant can still commit: a hole is final. Every
    /// append of the service begins its transaction before Marten reserves its numbers (EventMetadataMiddleware), so the owner of a
    /// reserved number is among these until it commits or ends, as Marten's own daemon assumes when it skips a gap.
    /// </summary>
    public async Task<bool> TransactionOpenSince(DateTime at, CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand(
            "select exists (select 1 from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() " +
            "and backend_type = 'client backend' and (xact_start < $1 or state is null))");
        cmd.Parameters.AddWithValue(at);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Events with floor &lt; seq ≤ ceiling (Marten's tombstones for rolled-back appends excluded), in sequence order.</summary>
    public async Task<List<RawEvent>> Read(long floor, long ceiling, CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand(Select("and seq_id > $1 and seq_id <= $2"));
        cmd.Parameters.AddWithValue(floor);
        cmd.Parameters.AddWithValue(ceiling);
        var list = new List<RawEvent>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) list.Add(Row(reader));
        return list;
    }
}

/// <summary>
/// The canonical text of a JSON value, in the spirit of RFC 8785 (JCS): object members sorted by name (ordinal), no
/// whitespace, strings escaped one fixed way, numbers in their shortest decimal form (1.50 and 1.5 are one value). The writer
/// computes it from the JSON it serialises, the verifier from PostgreSQL's jsonb text: both meet in the same text.
/// </summary>
public static class CanonicalJson
{
    public static string Of(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var text = new StringBuilder(json.Length);
        Write(doc.RootElement, text);
        return text.ToString();
    }

    private static void Write(JsonElement e, StringBuilder text)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                var first = true;
                foreach (var p in e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (!first) text.Append(',');
                    first = false;
                    text.Append(JsonSerializer.Serialize(p.Name)).Append(':');
                    Write(p.Value, text);
                }
                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    if (i++ > 0) text.Append(',');
                    Write(item, text);
                }
                text.Append(']');
                break;
            case JsonValueKind.String:
                text.Append(JsonSerializer.Serialize(e.GetString()));
                break;
            case JsonValueKind.Number:
                var raw = e.GetRawText();
                text.Append(decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                    ? d.ToString("G29", CultureInfo.InvariantCulture)
                    : double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture));
                break;
            default:
                text.Append(e.GetRawText());
                break;
        }
    }
}

public static class Chain
{
    public const string Genesis = "GENESIS";

    public static string Link(AuditKey key, string previous, RawEvent e) => key.Hash(previous, e.StreamId, e.Version, e.Type, e.Data, e.Metadata);

    /// <summary>The metadata a link covers: instant (microseconds since 1970, as PostgreSQL stores it), user, correlation, causation, headers.</summary>
    public static string Metadata(DateTime timestampUtc, string? userName, string? correlationId, string? causationId, string? canonicalHeaders) =>
        string.Join('|', ((timestampUtc.Ticks - DateTime.UnixEpoch.Ticks) / 10).ToString(CultureInfo.InvariantCulture), userName ?? "", correlationId ?? "",
            causationId ?? "", canonicalHeaders is null or "{}" ? "" : canonicalHeaders);

    public static string Digest(IEnumerable<string> linkHashes) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(",", linkHashes))));

    public static string SealHash(AuditKey key, string previous, long from, long to, int count, string digest) =>
        key.Hash("seal", previous, from, to, count, digest);
}

/// <summary>
/// Writes every event's link in the transaction that appends it (after Marten assigned versions, sequences and timestamps,
/// before the batch goes to PostgreSQL): a row that reaches mt_events any other way has no valid link, and verification says so.
/// <para>The previous link of a continuing stream comes from the heads this process committed itself (a link, once committed,
/// never changes: events are never rewritten and erasure destroys keys, not rows), and from PostgreSQL only when the head held
/// here is not exactly the version before the first new event (another node appended meanwhile, or it was never seen here).
/// A head is remembered only after its transaction committed, so a rolled-back append never leaves a link to chain on.</para>
/// </summary>
public sealed class AuditLinkWriter(AuditKey key) : DocumentSessionListenerBase
{
    /// <summary>The most stream heads remembered; beyond it the memory starts over (a miss costs one query, never correctness).</summary>
    public const int MaxHeads = 20_000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, (long Version, string Hash)> _heads = new();

    public override async Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        var streams = session.PendingChanges.Streams().Where(s => s.Events.Count > 0).ToList();
        if (streams.Count == 0) return;
        var serializer = session.DocumentStore.Options.Serializer();
        var heads = new Dictionary<Guid, string>();
        var continuing = new List<(Guid Id, long Version)>();
        foreach (var s in streams.Where(s => s.Events[0].Version > 1))
        {
            var before = s.Events[0].Version - 1;
            if (_heads.TryGetValue(s.Id, out var head) && head.Version == before) heads[s.Id] = head.Hash;
            else continuing.Add((s.Id, before));
        }
        if (continuing.Count > 0)
        {
            var ids = continuing.Select(c => c.Id).Distinct().ToArray();
            var versions = continuing.Select(c => c.Version).Distinct().ToArray();
            foreach (var l in await session.Query<ChainLink>().Where(l => ids.Contains(l.StreamId) && versions.Contains(l.Version)).ToListAsync(token))
                if (continuing.Contains((l.StreamId, l.Version))) heads[l.StreamId] = l.Hash;
        }
        foreach (var stream in streams)
        {
            var previous = heads.GetValueOrDefault(stream.Id, Chain.Genesis);
            foreach (var e in stream.Events)
            {
                var raw = new RawEvent(e.Sequence, stream.Id, e.Version, e.EventTypeName, CanonicalJson.Of(serializer.ToJson(e.Data)),
                    Chain.Metadata(e.Timestamp.UtcDateTime, e.UserName, e.CorrelationId, e.CausationId,
                        e.Headers is { Count: > 0 } ? CanonicalJson.Of(serializer.ToJson(e.Headers)) : null));
                previous = Chain.Link(key, previous, raw);
                session.Insert(new ChainLink { Id = e.Sequence, StreamId = stream.Id, Version = e.Version, Type = e.EventTypeName, Hash = previous });
            }
        }
    }

    public override Task AfterCommitAsync(IDocumentSession session, Marten.Services.IChangeSet commit, CancellationToken token)
    {
        if (_heads.Count > MaxHeads) _heads.Clear();
        foreach (var link in commit.Inserted.OfType<ChainLink>())
            _heads.AddOrUpdate(link.StreamId, (link.Version, link.Hash), (_, old) => link.Version > old.Version ? (link.Version, link.Hash) : old);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Runs in Marten's async daemon and seals the links in sequence order. The daemon's high-water mark is not trusted as proof
/// that every earlier append has committed: a seal only reaches up to the first sequence number that has no row in mt_events
/// (an append still in flight, whose events would otherwise commit later inside an already sealed range and make the seal
/// look broken). A hole is final, and sealed over at the next poll, once no transaction that began before it was first seen is
/// still running (pg_stat_activity; the owner of a reserved number is such a transaction until it ends, see
/// <see cref="EventReader.TransactionOpenSince"/>): an append killed with its process leaves a hole that is passed within
/// seconds, not minutes. Audit:GapGraceSeconds (default 120) remains the fallback when PostgreSQL cannot tell (another role's
/// sessions) or a transaction stays open that long. Each seal continues from the newest seal in the store, whatever
/// range the daemon hands over, so links committed late behind the daemon's mark are sealed with the next seal.
/// The newest seal is read from PostgreSQL at the start of every daemon batch (the batch runs under the daemon's lock), never
/// carried over from an earlier batch, and seals are inserted, never overwritten: a node that lost the lock cannot rewrite
/// what another node sealed meanwhile.
/// </summary>
public sealed class AuditChainSubscription : SubscriptionBase
{
    private readonly AuditKey key;
    private readonly TimeProvider clock;
    private readonly SealSigner signer;
    private readonly SealAnchor anchor;
    private readonly EventReader reader;
    private readonly TimeSpan grace;
    private readonly ILogger<AuditChainSubscription> logger;
    // Pages of one daemon batch share a session that commits at the end: the seal written for the previous page of the same
    // session is the only state kept between pages.
    private (IDocumentOperations Session, long Ceiling, Seal Seal)? _pending;
    // When each open hole was first seen: real elapsed time (not the injectable clock) for the fallback, PostgreSQL's clock for the
    // transaction check.
    private readonly Dictionary<long, (long Since, DateTime ServerAt)> _holesSeen = [];

    public AuditChainSubscription(AuditKey key, TimeProvider clock, SealSigner signer, SealAnchor anchor, EventReader reader, IConfiguration config,
        ILogger<AuditChainSubscription> logger)
    {
        this.key = key;
        this.clock = clock;
        this.signer = signer;
        this.anchor = anchor;
        this.reader = reader;
        grace = TimeSpan.FromSeconds(double.TryParse(config["Audit:GapGraceSeconds"], CultureInfo.InvariantCulture, out var s) ? s : 120);
        this.logger = logger;
        Name = "AuditChain";
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations,
        CancellationToken ct)
    {
        var lastSeal = _pending is { } p && ReferenceEquals(p.Session, operations) && p.Ceiling == page.SequenceFloor ? p.Seal
            : await operations.Query<Seal>().OrderByDescending(s => s.Id).FirstOrDefaultAsync(ct);
        var from = lastSeal?.ToSequence ?? 0;
        // Events sealed before (a replay) keep their seals: only what lies beyond the newest seal is sealed.
        if (from >= page.SequenceCeiling) return NullChangeListener.Instance;
        var ceiling = await SafeCeiling(from, page.SequenceCeiling, ct);
        var links = ceiling <= from ? [] : await operations.Query<ChainLink>().Where(l => l.Id > from && l.Id <= ceiling).OrderBy(l => l.Id).ToListAsync(ct);
        if (links.Count == 0)
        {
            if (lastSeal is not null) _pending = (operations, page.SequenceCeiling, lastSeal);
            return NullChangeListener.Instance;
        }

        var digest = Chain.Digest(links.Select(l => l.Hash));
        var sealFrom = from;
        var to = links[^1].Id;
        var previousSeal = lastSeal?.Hash ?? Chain.Genesis;
        var seal = new Seal
        {
            Id = (lastSeal?.Id ?? 0) + 1, FromSequence = sealFrom, ToSequence = to, Count = links.Count, Digest = digest, PreviousHash = previousSeal,
            Hash = Chain.SealHash(key, previousSeal, sealFrom, to, links.Count, digest), SealedAt = clock.GetUtcNow(),
        };
        seal.Signature = signer.Sign(seal);
        operations.Insert(seal);
        _pending = (operations, page.SequenceCeiling, seal);
        return new AnchorOnCommit(anchor, [seal], logger);
    }

    /// <summary>The highest sequence up to <paramref name="ceiling"/> below which every number is committed (or given up on).</summary>
    private async Task<long> SafeCeiling(long from, long ceiling, CancellationToken ct)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        var holes = await reader.Holes(from, ceiling, ct);
        foreach (var seen in _holesSeen.Keys.Where(k => !holes.Any(h => h.First == k)).ToList()) _holesSeen.Remove(seen);
        foreach (var (first, last) in holes)
        {
            if (!_holesSeen.TryGetValue(first, out var seen)) _holesSeen[first] = seen = (now, await reader.ServerNow(ct));
            if (!await reader.TransactionOpenSince(seen.ServerAt, ct))
            {
                logger.LogWarning("Sequence numbers {First}–{Last} are not committed and no transaction that could commit them is running: sealed over as lost",
                    first, last);
                continue;
            }
            if (System.Diagnostics.Stopwatch.GetElapsedTime(seen.Since, now) < grace) return first - 1;
            logger.LogWarning("Sequence numbers {First}–{Last} stayed uncommitted for {Grace}: sealed over as lost", first, last, grace);
        }
        return ceiling;
    }
}
