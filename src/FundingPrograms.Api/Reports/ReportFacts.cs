using FundingPrograms.Applications;
using FundingPrograms.Grants;
using FundingPrograms.Infrastructure;
using FundingPrograms.Payments;
using FundingPrograms.Programmes;
using JasperFx.Events;
using Marten;
using Marten.Events;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace FundingPrograms.Reports;

/// <summary>
/// What the reports need of one application, folded from its stream (inline projection, compact): its classifications,
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

    public static ApplicationFact Create(ApplicationDrafted e)
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

    public void Apply(ApplicationEdited e) => Take(e.Content);

    public void Apply(ApplicationSubmitted e)
    {
        SubmittedAt ??= e.At;
        State = ApplicationState.Submitted;
    }

    public void Apply(ApplicationReturnedForCompletion e) => State = ApplicationState.ReturnedForCompletion;
    public void Apply(ApplicationFormallyChecked e) => State = ApplicationState.FormallyChecked;
    public void Apply(ApplicationAssessed e) => State = ApplicationState.Assessed;

    public void Apply(ApplicationApproved e)
    {
        State = ApplicationState.Approved;
        DecidedAt = e.At;
        GrantId = e.GrantId;
    }

    public void Apply(ApplicationRejected e)
    {
        State = ApplicationState.Rejected;
        DecidedAt = e.At;
    }

    public void Apply(ApplicationWithdrawn e) => State = ApplicationState.Withdrawn;
}

/// <summary>What the reports need of one grant (inline projection): the notice in force (amount per budget year) and what was paid.</summary>
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

    public static GrantFact Create(GrantIssued e) => new()
    {
        Id = e.GrantId, ApplicationId = e.ApplicationId, ProgrammeId = e.Notice.ProgrammeId, OrganisationId = e.Notice.OrganisationId,
        Granted = e.Notice.GrantedAmount, GrantedPerYear = e.Notice.YearSplit, IssuedAt = e.At,
    };

    public void Apply(GrantAmended e)
    {
        Granted = e.Notice.GrantedAmount;
        GrantedPerYear = e.Notice.YearSplit;
    }

    public void Apply(GrantPaid e)
    {
        if (e.Amount > 0) FirstPaidAt ??= e.At;
        var i = PaidPerYear.FindIndex(y => y.Year == e.BudgetYear);
        if (i < 0) PaidPerYear.Add(new YearAmount(e.BudgetYear, e.Amount));
        else PaidPerYear[i] = PaidPerYear[i] with { Amount = PaidPerYear[i].Amount + e.Amount };
    }
}

/// <summary>The facts a report is computed from: now (the projections), as of an instant or as of an edition's pinned event sequence.</summary>
public sealed record FactSet(IReadOnlyList<ApplicationFact> Applications, IReadOnlyDictionary<Guid, GrantFact> Grants, long? PinnedSequence, DateTimeOffset? AsOf)
{
    public GrantFact? GrantOf(ApplicationFact a) => a.GrantId is { } g && Grants.TryGetValue(g, out var grant) ? grant : null;
}

public static class Facts
{
    private static readonly Type[] EventTypes =
    [
        typeof(ApplicationDrafted), typeof(ApplicationEdited), typeof(ApplicationSubmitted), typeof(ApplicationReturnedForCompletion),
        typeof(ApplicationFormallyChecked), typeof(ApplicationAssessed), typeof(ApplicationApproved), typeof(ApplicationRejected),
        typeof(ApplicationWithdrawn), typeof(GrantIssued), typeof(GrantAmended), typeof(GrantPaid),
    ];

    private sealed record Cached(string Head, FactSet Facts);
    private static readonly ConditionalWeakTable<IDocumentStore, StrongBox<Cached?>> Live = new();
    private static readonly ConditionalWeakTable<IDocumentStore, ConcurrentDictionary<string, FactSet>> Pinned = new();

    /// <summary>
    /// The live facts, from the projections. They are kept in memory for as long as the newest event (sequence and
    /// timestamp) is the same, so repeated reports on an unchanged store do not reload them; any append reloads.
    /// </summary>
    public static async Task<FactSet> Current(IQuerySession session, CancellationToken ct)
    {
        var head = await Head(session, ct);
        var box = Live.GetValue(session.DocumentStore, _ => new StrongBox<Cached?>());
        if (box.Value is { } cached && cached.Head == head) return cached.Facts;
        var facts = await Load(session, ct);
        box.Value = new Cached(head, facts);
        return facts;
    }

    /// <summary>The facts at an edition's pinned sequence: immutable, so kept in memory (a few editions) once replayed.</summary>
    public static async Task<FactSet> AtSequence(IQuerySession session, Guid edition, long pinned, CancellationToken ct)
    {
        var cache = Pinned.GetValue(session.DocumentStore, _ => new ConcurrentDictionary<string, FactSet>());
        var key = $"{edition}|{pinned}|{await Head(session, ct, pinned)}";
        if (cache.TryGetValue(key, out var facts)) return facts;
        facts = await Replay(session, pinned, null, ct);
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

    private static async Task<FactSet> Load(IQuerySession session, CancellationToken ct)
    {
        var applications = await session.Query<ApplicationFact>().Where(a => a.SubmittedAt != null).ToListAsync(ct);
        var grants = await session.Query<GrantFact>().ToListAsync(ct);
        return new FactSet(applications, grants.ToDictionary(g => g.Id), null, null);
    }

    /// <summary>
    /// Recomputed from the events: those up to an event sequence (an edition) and/or those whose domain instant is at or
    /// before <paramref name="asOf"/>, folded by the projections' own Create/Apply methods.
    /// </summary>
    public static async Task<FactSet> Replay(IQuerySession session, long? upToSequence, DateTimeOffset? asOf, CancellationToken ct)
    {
        var query = session.Events.QueryAllRawEvents().Where(e => e.EventTypesAre(EventTypes));
        if (upToSequence is { } pin) query = query.Where(e => e.Sequence <= pin);
        var events = await query.OrderBy(e => e.Sequence).ToListAsync(ct);
        var applications = new Dictionary<Guid, ApplicationFact>();
        var grants = new Dictionary<Guid, GrantFact>();
        foreach (var e in events)
        {
            if (asOf is { } instant && InstantOf(e.Data) > instant) continue;
            Fold(e, applications, grants);
        }
        return new FactSet(applications.Values.Where(a => a.SubmittedAt != null).ToList(), grants, upToSequence, asOf);
    }

    private static DateTimeOffset InstantOf(object data) => data switch
    {
        ApplicationDrafted d => d.At, ApplicationEdited d => d.At, ApplicationSubmitted d => d.At, ApplicationReturnedForCompletion d => d.At,
        ApplicationFormallyChecked d => d.At, ApplicationAssessed d => d.At, ApplicationApproved d => d.At, ApplicationRejected d => d.At,
        ApplicationWithdrawn d => d.At, GrantIssued d => d.At, GrantAmended d => d.At, GrantPaid d => d.At,
        _ => DateTimeOffset.MaxValue,
    };

    private static void Fold(IEvent e, Dictionary<Guid, ApplicationFact> applications, Dictionary<Guid, GrantFact> grants)
    {
        ApplicationFact? A() => applications.GetValueOrDefault(e.StreamId);
        GrantFact? G() => grants.GetValueOrDefault(e.StreamId);
        switch (e.Data)
        {
            case ApplicationDrafted d: applications[e.StreamId] = ApplicationFact.Create(d); break;
            case ApplicationEdited d: A()?.Apply(d); break;
            case ApplicationSubmitted d: A()?.Apply(d); break;
            case ApplicationReturnedForCompletion d: A()?.Apply(d); break;
            case ApplicationFormallyChecked d: A()?.Apply(d); break;
            case ApplicationAssessed d: A()?.Apply(d); break;
            case ApplicationApproved d: A()?.Apply(d); break;
            case ApplicationRejected d: A()?.Apply(d); break;
            case ApplicationWithdrawn d: A()?.Apply(d); break;
            case GrantIssued d: grants[e.StreamId] = GrantFact.Create(d); break;
            case GrantAmended d: G()?.Apply(d); break;
            case GrantPaid d: G()?.Apply(d); break;
        }
    }

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
