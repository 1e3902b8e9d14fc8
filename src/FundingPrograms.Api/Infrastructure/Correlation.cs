using System.Diagnostics;
using Marten;

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

    public static IApplicationBuilder UseCorrelation(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var id = Id(http);
        http.Response.OnStarting(() =>
        {
            http.Response.Headers[Header] = id;
            return Task.CompletedTask;
        });
        return next(http);
    });
}

/// <summary>
/// Wolverine middleware on every command endpoint: stamps who and which request onto the
/// events the endpoint appends (user name, user id header, correlation and causation id).
/// </summary>
public static class EventMetadataMiddleware
{
    public static void Before(HttpContext http, IDocumentSession session)
    {
        var actor = Actor.From(http.User);
        session.LastModifiedBy = actor.Name;
        session.CorrelationId = Correlation.Id(http);
        var causation = http.Request.Headers["X-Causation-Id"].ToString();
        if (causation.Length is > 0 and <= 100) session.CausationId = causation;
        session.SetHeader("userId", actor.Id);
    }
}
