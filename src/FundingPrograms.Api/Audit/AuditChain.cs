using System.Security.Cryptography;
using System.Text;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
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
}

/// <summary>
/// One event as stored, read straight from PostgreSQL: data as jsonb text (PostgreSQL's canonical form of the JSON) and its
/// metadata (timestamp in microseconds, user name, correlation and causation id, headers with the user id), so that
/// "who and when" are as tamper-evident as "what".
/// </summary>
public sealed record RawEvent(long Sequence, Guid StreamId, long Version, string Type, string Data, string Metadata);

public sealed class EventReader(IConfiguration config)
{
    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(config.GetConnectionString("Marten")!);
    private readonly string _schema = config["Marten:Schema"] ?? "funding";

    /// <summary>Every event in sequence order, streamed from the server (not held in memory).</summary>
    public async IAsyncEnumerable<RawEvent> All([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand(
            $"select seq_id, stream_id, version, type, data::text, (extract(epoch from timestamp) * 1000000)::bigint::text || '|' || coalesce(user_name, '') || '|' || coalesce(correlation_id, '') || '|' || coalesce(causation_id, '') || '|' || coalesce(headers::text, '') from {_schema}.mt_events where type <> 'tombstone' order by seq_id");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            yield return new RawEvent(reader.GetInt64(0), reader.GetGuid(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4), reader.GetString(5));
    }

    /// <summary>Every chain link in sequence order, streamed.</summary>
    public async IAsyncEnumerable<ChainLink> Links([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand(
            $"select id, data->>'streamId', (data->>'version')::bigint, data->>'type', data->>'hash' from {_schema}.mt_doc_chainlink order by id");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            yield return new ChainLink
            {
                Id = reader.GetInt64(0), StreamId = Guid.Parse(reader.GetString(1)), Version = reader.GetInt64(2), Type = reader.GetString(3), Hash = reader.GetString(4),
            };
    }

    /// <summary>Events with floor &lt; seq ≤ ceiling (Marten's tombstones for rolled-back appends excluded), in sequence order.</summary>
    public async Task<List<RawEvent>> Read(long floor, long ceiling, CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand(
            $"select seq_id, stream_id, version, type, data::text, (extract(epoch from timestamp) * 1000000)::bigint::text || '|' || coalesce(user_name, '') || '|' || coalesce(correlation_id, '') || '|' || coalesce(causation_id, '') || '|' || coalesce(headers::text, '') from {_schema}.mt_events where seq_id > $1 and seq_id <= $2 and type <> 'tombstone' order by seq_id");
        cmd.Parameters.AddWithValue(floor);
        cmd.Parameters.AddWithValue(ceiling);
        var list = new List<RawEvent>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            list.Add(new RawEvent(reader.GetInt64(0), reader.GetGuid(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4), reader.GetString(5)));
        return list;
    }
}

public static class Chain
{
    public const string Genesis = "GENESIS";

    public static string Link(AuditKey key, string previous, RawEvent e) => key.Hash(previous, e.StreamId, e.Version, e.Type, e.Data, e.Metadata);

    public static string Digest(IEnumerable<string> linkHashes) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(",", linkHashes))));

    public static string SealHash(AuditKey key, string previous, long from, long to, int count, string digest) =>
        key.Hash("seal", previous, from, to, count, digest);
}

/// <summary>
/// Runs in Marten's async daemon, which hands over events in sequence order once no earlier append can still commit:
/// links every event to its stream's previous one and seals each processed range.
/// </summary>
public sealed class AuditChainSubscription : SubscriptionBase
{
    private readonly AuditKey key;
    private readonly EventReader reader;
    private readonly TimeProvider clock;
    private readonly RecentHeads _recent = new();
    // Pages of one daemon batch share a session that commits at the end: the newest seal and links are kept in memory.
    private Seal? _lastSeal;

    public AuditChainSubscription(AuditKey key, EventReader reader, TimeProvider clock)
    {
        this.key = key;
        this.reader = reader;
        this.clock = clock;
        Name = "AuditChain";
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations,
        CancellationToken ct)
    {
        if (_lastSeal is not null && page.SequenceFloor < _lastSeal.ToSequence)
        {
            // The daemon went back (a replay, a retried batch, or the store was reset): forget what is held in memory.
            _lastSeal = null;
            _recent.Clear();
        }
        var lastSeal = _lastSeal ?? await operations.Query<Seal>().OrderByDescending(s => s.Id).FirstOrDefaultAsync(ct);
        // Events sealed before (a replay) keep their links and seals: only what lies beyond the newest seal is chained.
        var events = (await reader.Read(Math.Max(page.SequenceFloor, lastSeal?.ToSequence ?? 0), page.SequenceCeiling, ct));
        if (events.Count == 0) return NullChangeListener.Instance;

        // The link each stream continues from: the one just before its first event in this page. Recently chained streams come
        // from memory (pages of one daemon batch commit together, so a query would not see them yet); the rest in one query.
        var heads = new Dictionary<Guid, string>();
        var firsts = new List<RawEvent>();
        foreach (var first in events.GroupBy(e => e.StreamId).Select(g => g.First()).Where(e => e.Version > 1))
        {
            if (_recent.TryGetValue(first.StreamId, out var known) && known.Version == first.Version - 1) heads[first.StreamId] = known.Hash;
            else firsts.Add(first);
        }
        var streams = firsts.Select(e => e.StreamId).ToArray();
        var versions = firsts.Select(e => e.Version - 1).Distinct().ToArray();
        if (streams.Length > 0)
            foreach (var l in (await operations.Query<ChainLink>().Where(l => streams.Contains(l.StreamId) && versions.Contains(l.Version)).ToListAsync(ct))
                         .Where(l => firsts.Any(e => e.StreamId == l.StreamId && e.Version - 1 == l.Version)))
                heads[l.StreamId] = l.Hash;
        var links = new List<ChainLink>();
        foreach (var e in events)
        {
            var previous = heads.GetValueOrDefault(e.StreamId, Chain.Genesis);
            var hash = Chain.Link(key, previous, e);
            heads[e.StreamId] = hash;
            _recent.Set(e.StreamId, (e.Version, hash));
            var link = new ChainLink { Id = e.Sequence, StreamId = e.StreamId, Version = e.Version, Type = e.Type, Hash = hash };
            links.Add(link);
            operations.Store(link);
        }

        var digest = Chain.Digest(links.Select(l => l.Hash));
        var from = lastSeal?.ToSequence ?? 0;
        var to = events[^1].Sequence;
        var previousSeal = lastSeal?.Hash ?? Chain.Genesis;
        _lastSeal = new Seal
        {
            Id = (lastSeal?.Id ?? 0) + 1, FromSequence = from, ToSequence = to, Count = links.Count, Digest = digest, PreviousHash = previousSeal,
            Hash = Chain.SealHash(key, previousSeal, from, to, links.Count, digest), SealedAt = clock.GetUtcNow(),
        };
        operations.Store(_lastSeal);
        return NullChangeListener.Instance;
    }
}

/// <summary>
/// The newest link of recently chained streams, in two generations of at most 250,000 each: memory stays bounded, and a
/// stream chained within the last 250,000 streams is always found (far more than one daemon batch holds).
/// </summary>
public sealed class RecentHeads
{
    private const int Generation = 250_000;
    private Dictionary<Guid, (long Version, string Hash)> _current = new();
    private Dictionary<Guid, (long Version, string Hash)> _previous = new();

    public bool TryGetValue(Guid stream, out (long Version, string Hash) head) =>
        _current.TryGetValue(stream, out head) || _previous.TryGetValue(stream, out head);

    public void Set(Guid stream, (long Version, string Hash) head)
    {
        if (_current.Count >= Generation && !_current.ContainsKey(stream))
        {
            _previous = _current;
            _current = new Dictionary<Guid, (long Version, string Hash)>();
        }
        _current[stream] = head;
    }

    public void Clear()
    {
        _current.Clear();
        _previous.Clear();
    }
}
