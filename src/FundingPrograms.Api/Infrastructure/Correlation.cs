using System.Diagnostics;

namespace FundingPrograms.Infrastructure;

/// <summary>
/// Every request gets a correlation id: X-Correlation-Id if the client sent a sane one, else the W3C
/// trace id (traceparent), else a new one. It is echoed in the response and stored on every event.
/// </summary>
public static class Correlation
{
    public const string Header = "X-Correlation-Id";
    private const string Key = "correlation-id";

    public static string Id(HttpContext http) => http.Items[Key] as string ?? Assign(http);

    private static string Assign(HttpContext http)
    {
        var sent = http.Request.Headers[Header].ToString();
        var id = IsSane(sent) ? sent
            : Activity.Current is { } a && a.TraceId != default ? a.TraceId.ToHexString()
            : Guid.NewGuid().ToString("N");
        http.Items[Key] = id;
        return id;
    }

    private static bool IsSane(string value) =>
        value.Length is > 0 and <= 100 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');

    public static IApplicationBuilder UseCorrelation(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var id = Id(http);
        http.Response.OnStarting(() =>
        {
            http.Response.Headers[Header] = id;
            return Task.CompletedTask;
        });
        await next(http);
        ClientMistakes.Log(http);
    });
}

/// <summary>
/// Wolverine middleware on every command endpoint and on every message handler that takes a session: begins the session's
/// transaction first, then stamps who and which request onto the events it appends (user name, user id header, correlation
/// and causation id).
/// <para>
/// The transaction comes first because Marten's Rich append mode reserves the events' sequence numbers (nextval) before it
/// writes them. Reserved outside a transaction, a slow append (seconds, e.g. a large batch or a saturated machine) looks to
/// the async daemon like a dead gap with no live transaction, and after its stale threshold (3 s) the daemon skips the range:
/// events committed later inside it would never reach the async projections (the report facts). Reserved inside the
/// transaction, the daemon sees the live transaction and waits for it
/// (<c>when_an_append_commits_seconds_after_its_sequence_numbers_were_reserved</c>).
/// </para>
/// </summary>
public static class EventMetadataMiddleware
{
    public static async Task Before(HttpContext http, IDocumentSession session, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        var actor = Actor.From(http.User);
        session.LastModifiedBy = actor.Name;
        session.CorrelationId = Correlation.Id(http);
        var causation = http.Request.Headers["X-Causation-Id"].ToString();
        if (causation.Length is > 0 and <= 100) session.CausationId = causation;
        session.SetHeader("userId", actor.Id);
    }
}

/// <summary>The same for message handlers (background work): their appends begin their transaction first.</summary>
public static class HandlerTransactionMiddleware
{
    public static ValueTask Before(IDocumentSession session, CancellationToken ct) => session.BeginTransactionAsync(ct);
}
