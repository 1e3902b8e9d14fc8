using JasperFx.Events;
using Marten;

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
