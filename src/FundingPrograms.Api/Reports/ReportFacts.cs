using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using FundingPrograms.Applications;
using FundingPrograms.Grants;
using FundingPrograms.Payments;
using FundingPrograms.Programmes;
using FundingPrograms.Proofs;
using JasperFx.Events;
using Marten.Events;
using Marten.Events.Aggregation;

namespace FundingPrograms.Reports;

/// <summary>
/// What the reports need of one application, folded from its stream (async projection, compact): its classifications,
/// its state and the instants of submission and decision.
/// </summary>
public sealed partial class ApplicationFact
{
    public Guid Id { get; set; }
    public Guid ProgrammeId { get; set; }
    public Guid OrganisationId { get; set; }
    public string OrganisationType { get; set; } = "";
    public string? TargetDimension { get; set; }
    public string[] TargetGroups { get; set; } = [];
    public string[] Districts { get; set; } = [];
    public Dictionary<string, decimal>? DistrictShares { get; set; }
    public ApplicationState State { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public Guid? GrantId { get; set; }
    /// <summary>The global sequence of the last event folded in (the report cache loads only facts changed since it last read).</summary>
    public long LastSequence { get; set; }
    /// <summary>The latest domain instant of the events folded in (an asOf read keeps the facts whose events are all before it).</summary>
    public DateTimeOffset LatestAt { get; set; }

    public static ApplicationFact Start(ApplicationDrafted e)
    {
        var fact = new ApplicationFact { Id = e.ApplicationId, ProgrammeId = e.ProgrammeId, OrganisationId = e.OrganisationId, OrganisationType = e.OrganisationType };
        fact.Take(e.Content);
        return fact;
    }

    private void Take(ApplicationContent c)
    {
        TargetDimension = c.TargetDimension;
        TargetGroups = c.TargetGroups;
        Districts = c.Districts;
        DistrictShares = c.DistrictShares;
    }

    public void On(ApplicationEdited e) => Take(e.Content);

    public void On(ApplicationSubmitted e)
    {
        SubmittedAt ??= e.At;
        State = ApplicationState.Submitted;
    }

    public void On(ApplicationReturnedForCompletion e) => State = ApplicationState.ReturnedForCompletion;
    public void On(ApplicationFormallyChecked e) => State = ApplicationState.FormallyChecked;
    public void On(ApplicationAssessed e) => State = ApplicationState.Assessed;

    public void On(ApplicationApproved e)
    {
        State = ApplicationState.Approved;
        DecidedAt = e.At;
        GrantId = e.GrantId;
    }

    public void On(ApplicationRejected e)
    {
        State = ApplicationState.Rejected;
        DecidedAt = e.At;
    }

    public void On(ApplicationWithdrawn e) => State = ApplicationState.Withdrawn;
}

/// <summary>What the reports need of one grant (async projection): the notice in force (amount per budget year) and what was paid.</summary>
public sealed partial class GrantFact
{
    public Guid Id { get; set; }
    public Guid ApplicationId { get; set; }
    public Guid ProgrammeId { get; set; }
    public Guid OrganisationId { get; set; }
    public decimal Granted { get; set; }
    public YearAmount[] GrantedPerYear { get; set; } = [];
    public List<YearAmount> PaidPerYear { get; set; } = [];
    public DateTimeOffset IssuedAt { get; set; }
    /// <summary>When money was first booked to the grant (the bank statement matched a payment).</summary>
    public DateTimeOffset? FirstPaidAt { get; set; }
    public long LastSequence { get; set; }
    public DateTimeOffset LatestAt { get; set; }

    public static GrantFact Start(GrantIssued e) => new()
    {
        Id = e.GrantId, ApplicationId = e.ApplicationId, ProgrammeId = e.Notice.ProgrammeId, OrganisationId = e.Notice.OrganisationId,
        Granted = e.Notice.GrantedAmount, GrantedPerYear = e.Notice.YearSplit, IssuedAt = e.At,
    };

    public void On(GrantAmended e)
    {
        Granted = e.Notice.GrantedAmount;
        GrantedPerYear = e.Notice.YearSplit;
    }

    public void On(GrantPaid e)
    {
        if (e.Amount > 0) FirstPaidAt ??= e.At;
        var i = PaidPerYear.FindIndex(y => y.Year == e.BudgetYear);
        if (i < 0) PaidPerYear.Add(new YearAmount(e.BudgetYear, e.Amount));
        else PaidPerYear[i] = PaidPerYear[i] with { Amount = PaidPerYear[i].Amount + e.Amount };
    }
}

/// <summary>What the processing-times report needs of one proof of use: its grant's programme, first submission and examination.</summary>
public sealed partial class ProofFact
{
    public Guid Id { get; set; }
    public Guid GrantId { get; set; }
    public Guid ProgrammeId { get; set; }
    public ProofKind Kind { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
    public DateTimeOffset? ExaminedAt { get; set; }
    public long LastSequence { get; set; }
    public DateTimeOffset LatestAt { get; set; }

    public static ProofFact Start(ProofDrafted e) => new() { Id = e.ProofId, GrantId = e.GrantId, ProgrammeId = e.ProgrammeId, Kind = e.Kind };
    public void On(ProofSubmitted e) => SubmittedAt ??= e.At;
    public void On(ProofExamined e) => ExaminedAt = e.At;
}

/// <summary>
/// The report facts are async projections (the API's commands do no report work; the daemon folds only the touched streams).
/// Each fact records the sequence and the latest domain instant of what it folded, via one explicit fold shared with replays.
/// </summary>
public sealed partial class ApplicationFactProjection : SingleStreamProjection<ApplicationFact, Guid>
{
    public const string ProjectionName = "report_application_facts";

    public ApplicationFactProjection()
    {
        Name = ProjectionName;
        foreach (var type in Facts.ApplicationEvents) IncludeType(type);
        Options.CacheLimitPerTenant = 1000;
    }

    public override ApplicationFact? Evolve(ApplicationFact? snapshot, Guid id, IEvent e) => Facts.Fold(snapshot, e);
}

public sealed partial class GrantFactProjection : SingleStreamProjection<GrantFact, Guid>
{
    public const string ProjectionName = "report_grant_facts";

    public GrantFactProjection()
    {
        Name = ProjectionName;
        foreach (var type in Facts.GrantEvents) IncludeType(type);
        Options.CacheLimitPerTenant = 1000;
    }

    public override GrantFact? Evolve(GrantFact? snapshot, Guid id, IEvent e) => Facts.Fold(snapshot, e);
}

public sealed partial class ProofFactProjection : SingleStreamProjection<ProofFact, Guid>
{
    public const string ProjectionName = "report_proof_facts";

    public ProofFactProjection()
    {
        Name = ProjectionName;
        foreach (var type in Facts.ProofEvents) IncludeType(type);
        Options.CacheLimitPerTenant = 1000;
    }

    public override ProofFact? Evolve(ProofFact? snapshot, Guid id, IEvent e) => Facts.Fold(snapshot, e);
}

/// <summary>The facts a report is computed from: now (the projections, up to <paramref name="Sequence"/>), as of an instant or as of an edition's pinned sequence.</summary>
public sealed record FactSet(
    IReadOnlyList<ApplicationFact> Applications, IReadOnlyDictionary<Guid, GrantFact> Grants, long? PinnedSequence, DateTimeOffset? AsOf,
    IReadOnlyList<ProofFact>? Proofs = null, long? Sequence = null)
{
    public GrantFact? GrantOf(ApplicationFact a) => a.GrantId is { } g && Grants.TryGetValue(g, out var grant) ? grant : null;
}

public static class Facts
{
    internal static readonly Type[] ApplicationEvents =
    [
        typeof(ApplicationDrafted), typeof(ApplicationEdited), typeof(ApplicationSubmitted), typeof(ApplicationReturnedForCompletion),
        typeof(ApplicationFormallyChecked), typeof(ApplicationAssessed), typeof(ApplicationApproved), typeof(ApplicationRejected),
        typeof(ApplicationWithdrawn),
    ];
    internal static readonly Type[] GrantEvents = [typeof(GrantIssued), typeof(GrantAmended), typeof(GrantPaid)];
    internal static readonly Type[] ProofEvents = [typeof(ProofDrafted), typeof(ProofSubmitted), typeof(ProofExamined)];
    private static readonly Type[] EventTypes = [.. ApplicationEvents, .. GrantEvents, .. ProofEvents];
    private static readonly string[] ProjectionNames =
        [ApplicationFactProjection.ProjectionName, GrantFactProjection.ProjectionName, ProofFactProjection.ProjectionName, FactHistoryProjection.ProjectionName];

    /// <summary>The live facts of one store as of one progress, immutable once published (readers never see a half update).</summary>
    private sealed record Snapshot(
        long Sequence, string? Marker, FactSet Set, Dictionary<Guid, ApplicationFact> Applications, Dictionary<Guid, GrantFact> Grants,
        Dictionary<Guid, ProofFact> Proofs);

    /// <summary>The live facts of one store, kept in memory and brought up to date with the facts changed since (by their sequence).</summary>
    private sealed class Live
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public volatile Snapshot? Current;
    }

    private static readonly ConditionalWeakTable<IDocumentStore, Live> Cache = new();
    private static readonly ConditionalWeakTable<IDocumentStore, ConcurrentDictionary<string, FactSet>> Pinned = new();

    /// <summary>
    /// The live facts: every event up to the sequence all three fact projections have reached (<see cref="FactSet.Sequence"/>).
    /// Held in memory; each call reads the projections' progress and loads only the facts changed since the last call (indexed
    /// by <c>LastSequence</c>). A store that went backwards (reset, rebuild) is loaded afresh.
    /// </summary>
    public static async Task<FactSet> Current(IQuerySession session, CancellationToken ct) => (await Refresh(session, ct)).Set;

    private static async Task<Snapshot> Refresh(IQuerySession session, CancellationToken ct)
    {
        var live = Cache.GetValue(session.DocumentStore, _ => new Live());
        var known = live.Current;
        var (progress, marker) = await Progress(session, known?.Sequence ?? -1, ct);
        if (known is not null && progress == known.Sequence && marker == known.Marker) return known;
        await live.Gate.WaitAsync(ct);
        try
        {
            known = live.Current;
            (progress, marker) = await Progress(session, known?.Sequence ?? -1, ct);
            if (known is not null && progress == known.Sequence && marker == known.Marker) return known;
            var fresh = known is null || progress < known.Sequence || marker != known.Marker;
            var since = fresh ? -1 : known!.Sequence;
            // The progress was read before the facts: every fact folded up to it is among those loaded (later ones are reloaded next time).
            var applications = await session.Query<ApplicationFact>().Where(a => a.LastSequence > since).ToListAsync(ct);
            var grants = await session.Query<GrantFact>().Where(g => g.LastSequence > since).ToListAsync(ct);
            var proofs = await session.Query<ProofFact>().Where(p => p.LastSequence > since).ToListAsync(ct);
            var apps = fresh ? new Dictionary<Guid, ApplicationFact>() : new Dictionary<Guid, ApplicationFact>(known!.Applications);
            var grantMap = fresh ? new Dictionary<Guid, GrantFact>() : new Dictionary<Guid, GrantFact>(known!.Grants);
            var proofMap = fresh ? new Dictionary<Guid, ProofFact>() : new Dictionary<Guid, ProofFact>(known!.Proofs);
            foreach (var a in applications) apps[a.Id] = a;
            foreach (var g in grants) grantMap[g.Id] = g;
            foreach (var p in proofs) proofMap[p.Id] = p;
            // The marker is the timestamp of the event at the new progress: read now that the sequence is known.
            (_, marker) = await Progress(session, progress, ct);
            var next = new Snapshot(progress, marker, Assemble(apps, grantMap, proofMap, null, null, progress), apps, grantMap, proofMap);
            live.Current = next;
            return next;
        }
        finally
        {
            live.Gate.Release();
        }
    }

    private static FactSet Assemble(Dictionary<Guid, ApplicationFact> apps, Dictionary<Guid, GrantFact> grants, Dictionary<Guid, ProofFact> proofs,
        long? pinned, DateTimeOffset? asOf, long? sequence) =>
        new(apps.Values.Where(a => a.SubmittedAt != null).ToList(), grants, pinned, asOf, proofs.Values.ToList(), sequence);

    /// <summary>The fact projections' common progress (the lowest of the three) and the timestamp of the event at <paramref name="at"/>.</summary>
    private static async Task<(long Progress, string? Marker)> Progress(IQuerySession session, long at, CancellationToken ct)
    {
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        var names = string.Join(", ", ProjectionNames.Select(n => $"'{n}'"));
        var found = await session.QueryAsync<string>(
            $"""
            select (select case when count(*) = {ProjectionNames.Length} then min(last_seq_id) else 0 end
                      from {schema}.mt_event_progression where split_part(name, ':', 1) in ({names}))::text
                   || '|' || coalesce((select timestamp::text from {schema}.mt_events where seq_id = {Math.Max(0, at)}), 'none')
            """, ct);
        var parts = found[0].Split('|', 2);
        return (long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), parts[1]);
    }

    /// <summary>The facts at an edition's pinned sequence: immutable, so kept in memory (a few editions) once computed.</summary>
    public static async Task<FactSet> AtSequence(IQuerySession session, Guid edition, long pinned, CancellationToken ct)
    {
        var cache = Pinned.GetValue(session.DocumentStore, _ => new ConcurrentDictionary<string, FactSet>());
        var key = $"{edition}|{pinned}|{await Head(session, ct, pinned)}";
        if (cache.TryGetValue(key, out var facts)) return facts;
        facts = await Cut(session, pinned, null, ct);
        if (cache.Count >= 8) cache.Clear();
        cache[key] = facts;
        return facts;
    }

    /// <summary>The newest event at or below a sequence (all when null), as "sequence|timestamp": it changes with every append and with a reset.</summary>
    private static async Task<string> Head(IQuerySession session, CancellationToken ct, long? upTo = null)
    {
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        var where = upTo is { } u ? $" where seq_id <= {u}" : "";
        var found = await session.QueryAsync<string>(
            $"select seq_id::text || '|' || timestamp::text from {schema}.mt_events{where} order by seq_id desc limit 1", ct);
        return found.Count > 0 ? found[0] : "empty";
    }

    /// <summary>A fact's version in force at a cut, as the history query answers it.</summary>
    private sealed record InForce(Guid Id, bool OutOfOrder, FactVersion? Version);

    /// <summary>
    /// The facts as they were after the events up to an event sequence (an edition, <paramref name="upToSequence"/>) or after
    /// the events whose domain instant is at or before <paramref name="asOf"/> (exactly one is given). Exactly what a fold of
    /// those events gives, without replaying them: a live fact nothing of which comes after the cut is taken as it is; for the
    /// facts changed after the cut ONE indexed query of <see cref="FactHistory"/> answers the version in force at the cut (none:
    /// the fact did not exist yet). Replayed from their events with the same fold are only the streams the projections have not
    /// folded yet (the daemon's lag) and, for an asOf, the rare streams whose instants went backwards (<see cref="FactHistory.OutOfOrder"/>).
    /// </summary>
    public static async Task<FactSet> Cut(IQuerySession session, long? upToSequence, DateTimeOffset? asOf, CancellationToken ct)
    {
        if ((upToSequence is null) == (asOf is null)) throw new ArgumentException("Cut at a sequence or at an instant, exactly one.");
        var live = await Refresh(session, ct);
        var progress = Math.Max(0, live.Sequence);
        bool After(long sequence, DateTimeOffset latest) => upToSequence is { } s ? sequence > s : latest > asOf!.Value;

        var replay = (await session.Events.QueryAllRawEvents().Where(e => e.Sequence > progress && e.EventTypesAre(EventTypes))
            .Select(e => e.StreamId).ToListAsync(ct)).ToHashSet();

        // The versions in force at the cut of the facts changed after it (and folded by the projections: up to the progress).
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        var (column, last, bound) = upToSequence is { } pin ? ("sequence", "last_sequence", pin) : ("ticks", "latest_ticks", asOf!.Value.UtcTicks);
        var first = upToSequence is null ? "first_ticks" : "first_sequence";
        var found = await session.QueryAsync<InForce>(
            $"""
            select jsonb_build_object('id', h.id, 'outOfOrder', h.data->'outOfOrder', 'version',
                (select v from jsonb_array_elements(h.data->'versions') with ordinality x(v, n)
                  where (v->>'sequence')::bigint <= ? and (v->>'{column}')::bigint <= ? order by n desc limit 1))
            from {schema}.mt_doc_facthistory h where h.{first} <= ? and h.{last} > ?
            """, ct, progress, bound, bound, bound);
        var inForce = found.ToDictionary(f => f.Id);

        Dictionary<Guid, T> Take<T>(Dictionary<Guid, T> all, Func<T, long> sequence, Func<T, DateTimeOffset> latest, Func<FactVersion, T?> pick) where T : class
        {
            var taken = new Dictionary<Guid, T>(all.Count);
            foreach (var (id, fact) in all)
            {
                if (replay.Contains(id)) continue;
                if (!After(sequence(fact), latest(fact))) taken[id] = fact;
                else if (inForce.TryGetValue(id, out var hit))
                {
                    if (asOf is not null && hit.OutOfOrder) replay.Add(id);
                    else if (hit.Version is { } v && pick(v) is { } old) taken[id] = old;
                }
                // else: created after the cut
            }
            return taken;
        }

        var applications = Take(live.Applications, a => a.LastSequence, a => a.LatestAt, v => v.Application);
        var grants = Take(live.Grants, g => g.LastSequence, g => g.LatestAt, v => v.Grant);
        var proofs = Take(live.Proofs, p => p.LastSequence, p => p.LatestAt, v => v.Proof);
        foreach (var id in replay)
        {
            applications.Remove(id);
            grants.Remove(id);
            proofs.Remove(id);
        }
        await Replay(session, replay, upToSequence, asOf, applications, grants, proofs, ct);
        return Assemble(applications, grants, proofs, upToSequence, asOf, null);
    }

    /// <summary>Folds the given streams from their events (those up to the sequence, or at or before the instant) into the maps.</summary>
    private static async Task Replay(IQuerySession session, IEnumerable<Guid> streams, long? upToSequence, DateTimeOffset? asOf,
        Dictionary<Guid, ApplicationFact> applications, Dictionary<Guid, GrantFact> grants, Dictionary<Guid, ProofFact> proofs, CancellationToken ct)
    {
        foreach (var chunk in streams.Chunk(5000))
        {
            var query = session.Events.QueryAllRawEvents().Where(e => e.StreamId.IsOneOf(chunk) && e.EventTypesAre(EventTypes));
            if (upToSequence is { } pin) query = query.Where(e => e.Sequence <= pin);
            var events = await query.OrderBy(e => e.Sequence).ToListAsync(ct);
            foreach (var e in events)
            {
                if (asOf is { } instant && InstantOf(e.Data) > instant) continue;
                switch (e.Data)
                {
                    case ApplicationDrafted or ApplicationEdited or ApplicationSubmitted or ApplicationReturnedForCompletion or ApplicationFormallyChecked
                        or ApplicationAssessed or ApplicationApproved or ApplicationRejected or ApplicationWithdrawn:
                        if (Fold(applications.GetValueOrDefault(e.StreamId), e) is { } a) applications[e.StreamId] = a;
                        break;
                    case GrantIssued or GrantAmended or GrantPaid:
                        if (Fold(grants.GetValueOrDefault(e.StreamId), e) is { } g) grants[e.StreamId] = g;
                        break;
                    case ProofDrafted or ProofSubmitted or ProofExamined:
                        if (Fold(proofs.GetValueOrDefault(e.StreamId), e) is { } p) proofs[e.StreamId] = p;
                        break;
                }
            }
        }
    }

    public static DateTimeOffset InstantOf(object data) => data switch
    {
        ApplicationDrafted d => d.At,
        ApplicationEdited d => d.At,
        ApplicationSubmitted d => d.At,
        ApplicationReturnedForCompletion d => d.At,
        ApplicationFormallyChecked d => d.At,
        ApplicationAssessed d => d.At,
        ApplicationApproved d => d.At,
        ApplicationRejected d => d.At,
        ApplicationWithdrawn d => d.At,
        GrantIssued d => d.At,
        GrantAmended d => d.At,
        GrantPaid d => d.At,
        ProofDrafted d => d.At,
        ProofSubmitted d => d.At,
        ProofExamined d => d.At,
        _ => DateTimeOffset.MaxValue,
    };

    /// <summary>
    /// The fold of the fact projections and of replays, one event at a time, into a NEW object (a fact held by the live cache
    /// is never changed in place): the Start/On methods (not Marten's conventional names: the projections fold explicitly), then the event's sequence and instant.
    /// </summary>
    public static ApplicationFact? Fold(ApplicationFact? fact, IEvent e)
    {
        var next = e.Data is ApplicationDrafted drafted ? ApplicationFact.Start(drafted) : Copy(fact);
        if (next is null) return null;
        switch (e.Data)
        {
            case ApplicationEdited d: next.On(d); break;
            case ApplicationSubmitted d: next.On(d); break;
            case ApplicationReturnedForCompletion d: next.On(d); break;
            case ApplicationFormallyChecked d: next.On(d); break;
            case ApplicationAssessed d: next.On(d); break;
            case ApplicationApproved d: next.On(d); break;
            case ApplicationRejected d: next.On(d); break;
            case ApplicationWithdrawn d: next.On(d); break;
        }
        next.LastSequence = e.Sequence;
        next.LatestAt = Max(next.LatestAt, InstantOf(e.Data));
        return next;
    }

    public static GrantFact? Fold(GrantFact? fact, IEvent e)
    {
        var next = e.Data is GrantIssued issued ? GrantFact.Start(issued) : Copy(fact);
        if (next is null) return null;
        switch (e.Data)
        {
            case GrantAmended d: next.On(d); break;
            case GrantPaid d: next.On(d); break;
        }
        next.LastSequence = e.Sequence;
        next.LatestAt = Max(next.LatestAt, InstantOf(e.Data));
        return next;
    }

    public static ProofFact? Fold(ProofFact? fact, IEvent e)
    {
        var next = e.Data is ProofDrafted drafted ? ProofFact.Start(drafted) : Copy(fact);
        if (next is null) return null;
        switch (e.Data)
        {
            case ProofSubmitted d: next.On(d); break;
            case ProofExamined d: next.On(d); break;
        }
        next.LastSequence = e.Sequence;
        next.LatestAt = Max(next.LatestAt, InstantOf(e.Data));
        return next;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static ApplicationFact? Copy(ApplicationFact? f) => f is null ? null : new ApplicationFact
    {
        Id = f.Id, ProgrammeId = f.ProgrammeId, OrganisationId = f.OrganisationId, OrganisationType = f.OrganisationType, TargetDimension = f.TargetDimension,
        TargetGroups = f.TargetGroups, Districts = f.Districts, DistrictShares = f.DistrictShares, State = f.State, SubmittedAt = f.SubmittedAt,
        DecidedAt = f.DecidedAt, GrantId = f.GrantId, LastSequence = f.LastSequence, LatestAt = f.LatestAt,
    };

    private static GrantFact? Copy(GrantFact? f) => f is null ? null : new GrantFact
    {
        Id = f.Id, ApplicationId = f.ApplicationId, ProgrammeId = f.ProgrammeId, OrganisationId = f.OrganisationId, Granted = f.Granted,
        GrantedPerYear = f.GrantedPerYear, PaidPerYear = [.. f.PaidPerYear], IssuedAt = f.IssuedAt, FirstPaidAt = f.FirstPaidAt,
        LastSequence = f.LastSequence, LatestAt = f.LatestAt,
    };

    private static ProofFact? Copy(ProofFact? f) => f is null ? null : new ProofFact
    {
        Id = f.Id, GrantId = f.GrantId, ProgrammeId = f.ProgrammeId, Kind = f.Kind, SubmittedAt = f.SubmittedAt, ExaminedAt = f.ExaminedAt,
        LastSequence = f.LastSequence, LatestAt = f.LatestAt,
    };

    /// <summary>The highest event sequence committed now (an edition pins it).</summary>
    public static async Task<long> HighestSequence(IQuerySession session, CancellationToken ct)
    {
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        var found = await session.QueryAsync<long>($"select coalesce(max(seq_id), 0) from {schema}.mt_events", ct);
        return found.Count > 0 ? found[0] : 0;
    }

    /// <summary>
    /// Splits an amount across the districts exactly to the cent: by the declared shares (percent), else equally. Cents
    /// left by rounding go to the districts with the largest remainders (ties: in district order), so the parts add up.
    /// </summary>
    public static (string District, decimal Amount)[] Split(decimal amount, string[] districts, Dictionary<string, decimal>? shares)
    {
        if (amount < 0) return Split(-amount, districts, shares).Select(p => (p.District, -p.Amount)).ToArray();
        if (districts.Length == 0) return [("", amount)];
        if (districts.Length == 1) return [(districts[0], amount)];
        var ordered = districts.Distinct().OrderBy(d => d, StringComparer.Ordinal).ToArray();
        var valid = shares is { Count: > 0 } && ordered.All(shares.ContainsKey) && ordered.Sum(d => shares[d]) == 100m;
        var cents = decimal.Round(amount * 100m, 0, MidpointRounding.AwayFromZero);
        var raw = ordered.Select(d => cents * (valid ? shares![d] : 100m / ordered.Length) / 100m).ToArray();
        var floor = raw.Select(r => decimal.Floor(r)).ToArray();
        var left = (int)(cents - floor.Sum());
        foreach (var i in Enumerable.Range(0, ordered.Length).OrderByDescending(i => raw[i] - floor[i]).ThenBy(i => i).Take(Math.Max(0, left)))
            floor[i] += 1;
        return ordered.Select((d, i) => (d, floor[i] / 100m)).ToArray();
    }
}
