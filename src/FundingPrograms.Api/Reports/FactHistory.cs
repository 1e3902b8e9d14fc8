using System.Text.Json;
using System.Text.Json.Nodes;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace FundingPrograms.Reports;

/// <summary>
/// One version of a report fact: the fact as it was after the event at <paramref name="Sequence"/>; <paramref name="Ticks"/> is
/// its latest domain instant (<c>LatestAt</c>, UTC ticks, exact). Exactly one of the three facts is set.
/// </summary>
public sealed record FactVersion(long Sequence, long Ticks, ApplicationFact? Application = null, GrantFact? Grant = null, ProofFact? Proof = null);

/// <summary>
/// Every version of one report fact (application, grant or proof), in event order: an asOf or edition read takes, for the
/// few facts changed after its cut, the version in force at the cut instead of replaying the stream. The indexed columns
/// (first/last sequence and instant) find the facts changed after a cut; <see cref="OutOfOrder"/> marks a stream whose
/// domain instants went backwards once (then the versions are no prefix by instant and an asOf read replays that stream).
/// </summary>
public sealed partial class FactHistory
{
    public Guid Id { get; set; }
    /// <summary>The sequence of the event that created the fact (the first version holds from it).</summary>
    public long FirstSequence { get; set; }
    /// <summary>The sequence of the last event folded in (the current version holds from it).</summary>
    public long LastSequence { get; set; }
    /// <summary>The domain instant of the creating event, UTC ticks.</summary>
    public long FirstTicks { get; set; }
    /// <summary>The latest domain instant folded in, UTC ticks.</summary>
    public long LatestTicks { get; set; }
    public bool OutOfOrder { get; set; }
    public List<FactVersion> Versions { get; set; } = [];
}

/// <summary>The version history of the report facts (async, with the same fold as the facts; rebuilt like them).</summary>
public sealed partial class FactHistoryProjection : SingleStreamProjection<FactHistory, Guid>
{
    public const string ProjectionName = "report_fact_history";

    public FactHistoryProjection()
    {
        Name = ProjectionName;
        foreach (var type in Facts.ApplicationEvents.Concat(Facts.GrantEvents).Concat(Facts.ProofEvents)) IncludeType(type);
        Options.CacheLimitPerTenant = 1000;
    }

    public override FactHistory? Evolve(FactHistory? snapshot, Guid id, IEvent e) => Record(snapshot, e);

    /// <summary>
    /// Whether two versions give the same figures in every report: the facts compared member by member as stored, all but
    /// <c>lastSequence</c> and <c>latestAt</c> (which every event moves). Derived from the facts themselves, so a figure added
    /// to a fact is compared without anyone remembering to list it here.
    /// </summary>
    public static bool SameFigures(FactVersion a, FactVersion b) => JsonNode.DeepEquals(Figures(a), Figures(b));

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static JsonNode? Figures(FactVersion v)
    {
        var node = JsonSerializer.SerializeToNode((object?)v.Application ?? (object?)v.Grant ?? v.Proof, Json);
        if (node is JsonObject fact)
        {
            fact.Remove("lastSequence");
            fact.Remove("latestAt");
            fact["kind"] = v.Application is not null ? "application" : v.Grant is not null ? "grant" : "proof";
        }
        return node;
    }

    /// <summary>Adds the version after <paramref name="e"/> (the facts' own fold of the previous version).</summary>
    public static FactHistory? Record(FactHistory? history, IEvent e)
    {
        var last = history?.Versions.Count > 0 ? history.Versions[^1] : null;
        var type = e.Data.GetType();
        var next = Facts.GrantEvents.Contains(type)
                ? Facts.Fold(last?.Grant, e) is { } g ? new FactVersion(e.Sequence, g.LatestAt.UtcTicks, Grant: g) : null
            : Facts.ProofEvents.Contains(type)
                ? Facts.Fold(last?.Proof, e) is { } p ? new FactVersion(e.Sequence, p.LatestAt.UtcTicks, Proof: p) : null
            : Facts.ApplicationEvents.Contains(type)
                ? Facts.Fold(last?.Application, e) is { } a ? new FactVersion(e.Sequence, a.LatestAt.UtcTicks, Application: a) : null
            : null;
        if (next is null) return history;
        var instant = Facts.InstantOf(e.Data).UtcTicks;
        if (history is null || last is null)
        {
            history ??= new FactHistory { Id = e.StreamId };
            history.FirstSequence = e.Sequence;
            history.FirstTicks = instant;
        }
        else if (instant < history.LatestTicks)
        {
            history.OutOfOrder = true;
        }
        // A version that changes nothing the reports read (an edit of the summary, say) is not kept: the one before answers
        // the same figures for every cut after it.
        if (last is null || !SameFigures(last, next)) history.Versions.Add(next);
        history.LastSequence = e.Sequence;
        history.LatestTicks = next.Ticks;
        return history;
    }
}
