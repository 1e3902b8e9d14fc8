namespace FundingPrograms.Reports;

/// <summary>
/// One fact projection checked against the events: how far it has processed them (<paramref name="HighWaterMark"/>), how many
/// streams of its kind have fact events up to there, and those whose fact does not reflect the last of them (missing, or
/// folded only up to an earlier event: the daemon skipped it), with the first few ids.
/// </summary>
public sealed record FactProjectionCheck(string Fact, string Projection, long HighWaterMark, int Streams, int Mismatching, Guid[] FirstMismatching);

/// <summary>The report facts' watchdog: consistent when every fact projection reflects every event it has passed.</summary>
public sealed record ReportFactsHealth(bool Consistent, IReadOnlyList<FactProjectionCheck> Projections);

public static class ReportFactsHealthEndpoint
{
    private static readonly (string Fact, string Projection, string Table, Type[] Events)[] Checked =
    [
        ("application", ApplicationFactProjection.ProjectionName, "mt_doc_applicationfact", Facts.ApplicationEvents),
        ("grant", GrantFactProjection.ProjectionName, "mt_doc_grantfact", Facts.GrantEvents),
        ("proof", ProofFactProjection.ProjectionName, "mt_doc_prooffact", Facts.ProofEvents),
    ];

    /// <summary>
    /// ONE query: per fact projection, the last fact event of each stream up to the projection's high-water mark
    /// (<c>mt_event_progression</c>) compared with the fact's <c>lastSequence</c>. Events above the mark are the daemon's
    /// normal lag and not counted.
    /// </summary>
    public static async Task<ReportFactsHealth> Check(IQuerySession session, CancellationToken ct)
    {
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        var events = session.DocumentStore.Options.Events.DatabaseSchemaName;
        var parts = Checked.Select(c =>
        {
            var types = string.Join(", ", EventCatalogue.All.Where(x => c.Events.Contains(x.Type)).Select(x => $"'{x.Name}'"));
            return $"""
                select '{c.Fact}' fact, h.mark, e.stream_id id, (max(e.seq_id) is distinct from max((f.data->>'lastSequence')::bigint)) bad
                from (select coalesce(max(last_seq_id), 0) mark from {events}.mt_event_progression where split_part(name, ':', 1) = '{c.Projection}') h
                join {events}.mt_events e on e.seq_id <= h.mark and e.type in ({types})
                left join {schema}.{c.Table} f on f.id = e.stream_id
                group by h.mark, e.stream_id
                """;
        });
        var rows = await session.QueryAsync<Row>(
            $"""
            with checked as ({string.Join("\nunion all\n", parts)})
            select jsonb_build_object('fact', fact, 'mark', max(mark), 'streams', count(*), 'mismatching', count(*) filter (where bad),
                   'first', coalesce((array_agg(id order by id) filter (where bad))[1:5], array[]::uuid[]))
            from checked group by fact
            """, ct);
        var found = rows.ToDictionary(r => r.Fact);
        var checks = Checked.Select(c => found.TryGetValue(c.Fact, out var r)
            ? new FactProjectionCheck(c.Fact, c.Projection, r.Mark, r.Streams, r.Mismatching, r.First)
            : new FactProjectionCheck(c.Fact, c.Projection, 0, 0, 0, [])).ToList();
        return new ReportFactsHealth(checks.All(c => c.Mismatching == 0), checks);
    }

    private sealed record Row(string Fact, long Mark, int Streams, int Mismatching, Guid[] First);

    /// <summary>
    /// Whether the async report facts reflect every event their projections have passed (Marten's daemon can skip a sequence
    /// gap that stays open too long): the counts and first ids per fact; <c>ops/rebuild</c> repairs a mismatch.
    /// </summary>
    [WolverineGet("/reports/facts/health", OperationId = "ReportFactsHealth"), Authorize(Roles = Roles.OfficersAndAuditors)]
    [Tags("Reports"), EndpointSummary("Watchdog of the report facts: every fact reflects the last event its projection has passed")]
    public static Task<ReportFactsHealth> Get(IQuerySession session, CancellationToken ct) => Check(session, ct);
}
