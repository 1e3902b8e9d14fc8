using JasperFx.Events;

namespace FundingPrograms.Infrastructure;

/// <summary>One entry of a case's history: who did what, when, why, in which request.</summary>
public sealed record HistoryEntry(
    long Version,
    long Sequence,
    string Type,
    string Summary,
    DateTimeOffset At,
    string? UserName,
    string? UserId,
    string? Reason,
    string? CorrelationId,
    object Data);

public static class CaseHistory
{
    private static readonly Dictionary<Type, (string Name, string Summary)> Catalogue =
        EventCatalogue.All.ToDictionary(e => e.Type, e => (e.Name, e.Summary));

    public static HistoryEntry ToEntry(IEvent e)
    {
        var (name, summary) = Catalogue.TryGetValue(e.EventType, out var known) ? known : (e.EventTypeName, e.EventTypeName);
        // A letter says which letter it is (the catalogue's line covers every kind).
        if (e.Data is Letters.LetterIssued letter) summary = Letters.LetterKinds.Describe(letter);
        var reason = e.EventType.GetProperty("Reason")?.GetValue(e.Data) as string;
        var userId = e.Headers?.TryGetValue("userId", out var id) == true ? id?.ToString() : null;
        return new HistoryEntry(e.Version, e.Sequence, name, summary, e.Timestamp, e.UserName, userId, reason, e.CorrelationId, e.Data);
    }

    /// <summary>The full history of a stream, oldest first; 404 when the stream does not exist.</summary>
    public static async Task<IReadOnlyList<HistoryEntry>> Of(IQuerySession session, Guid id, string what, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(id, token: ct);
        if (events.Count == 0) throw ProblemException.NotFound(what);
        return events.Select(ToEntry).ToList();
    }
}

public static class TimeTravel
{
    /// <summary>
    /// The state of a case as of a stream version or an instant, folded from its events (not from a snapshot);
    /// null when neither is asked for. 404 when the case did not exist yet.
    /// </summary>
    public static async Task<T?> AsOf<T>(IQuerySession session, HttpContext http, Guid id, long? version, DateTimeOffset? asOf, string what, CancellationToken ct)
        where T : class
    {
        new Check().Bound(http, "version", version).Bound(http, "asOf", asOf)
            .That(version is null || asOf is null, "version", "Ask for a version or an instant (asOf), not both.")
            .That(version is null or >= 1, "version", "Versions start at 1.")
            .ThrowIfAny();
        if (version is null && asOf is null) return null;
        return await session.Events.AggregateStreamAsync<T>(id, version ?? 0, asOf, token: ct) ?? throw ProblemException.NotFound($"{what} at that point");
    }
}
