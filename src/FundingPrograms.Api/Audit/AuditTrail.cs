using JasperFx.Events;

namespace FundingPrograms.Audit;

public sealed record TrailEntry(Guid StreamId, string? StreamType, HistoryEntry Entry);

public sealed record TrailPage(IReadOnlyList<TrailEntry> Items, string? NextCursor);

public static class AuditTrailEndpoint
{
    /// <summary>Every event in the store: who, when, what, why, correlation id; filtered and paged by sequence (cursor).</summary>
    [WolverineGet("/audit/events", OperationId = "AuditTrail"), Authorize(Roles = Roles.Auditors)]
    [Tags("Audit"), EndpointSummary("The global audit trail, filterable by user, time range, event type and case")]
    public static async Task<TrailPage> Get(string? user, DateTimeOffset? from, DateTimeOffset? to, string? type, Guid? caseId, string? cursor, int? limit,
        IQuerySession session, HttpContext http, CancellationToken ct)
    {
        long after = 0;
        var size = limit ?? 100;
        new Check()
            .Bound(http, "from", from).Bound(http, "to", to).Bound(http, "caseId", caseId).Bound(http, "limit", limit)
            .That(cursor is null || (long.TryParse(cursor, out after) && after >= 0), "cursor", "Use the nextCursor of the previous page.")
            .That(size is >= 1 and <= 500, "limit", "Between 1 and 500.")
            .That(type is null || EventCatalogue.All.Any(e => e.Name == type), "type", "Unknown event type (see contracts/events.md).")
            .ThrowIfAny();
        var query = session.Events.QueryAllRawEvents().Where(e => e.Sequence > after && e.EventTypeName != "tombstone");
        if (user is not null) query = query.Where(e => e.UserName == user);
        if (from is { } f) query = query.Where(e => e.Timestamp >= f);
        if (to is { } t) query = query.Where(e => e.Timestamp < t);
        if (type is not null) query = query.Where(e => e.EventTypeName == type);
        if (caseId is { } c) query = query.Where(e => e.StreamId == c);
        var events = await query.OrderBy(e => e.Sequence).Take(size + 1).ToListAsync(ct);
        var items = events.Take(size).Select(e => new TrailEntry(e.StreamId, StreamType(e.EventType), CaseHistory.ToEntry(e))).ToList();
        return new TrailPage(items, events.Count > size ? events[size - 1].Sequence.ToString() : null);
    }

    private static string? StreamType(Type eventType) => eventType.Namespace?.Split('.').LastOrDefault();
}

public static class CaseTrailEndpoint
{
    [WolverineGet("/audit/cases/{id}", OperationId = "CaseAuditTrail"), Authorize(Roles = Roles.Auditors)]
    [Tags("Audit"), EndpointSummary("The complete history of one case (any stream: programme, organisation, application, grant, payment, batch, statement)")]
    public static Task<IReadOnlyList<HistoryEntry>> Get(Guid id, IQuerySession session, CancellationToken ct) => CaseHistory.Of(session, id, "The case", ct);
}
