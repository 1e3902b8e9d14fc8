using System.Net.Sockets;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace FundingPrograms.Infrastructure;

/// <summary>
/// A database that cannot be reached (refused or broken connections, server shutting down or starting, too many connections,
/// connection timeouts), however Marten or Wolverine wrap it, is 503 with Retry-After: the request did nothing and may be retried.
/// Text PostgreSQL refuses (NUL, invalid encoding) is the client's fault: 400.
/// </summary>
public static class Outages
{
    /// <summary>Seconds a client is asked to wait (Api:RetryAfterSeconds).</summary>
    public static int RetryAfterSeconds { get; set; } = 5;

    public static ProblemDetails? Map(Exception exception, HttpContext http)
    {
        if (Find(exception, e => e is PostgresException { SqlState: "22P05" or "22021" }) is not null)
            return new ProblemDetails
            {
                Status = 400, Type = ProblemTypes.Validation, Title = ProblemTypes.TitleFor(400),
                Detail = "The request contains text the database cannot store (e.g. a NUL character). Nothing was saved.",
            };
        if (Find(exception, IsUnavailable) is null) return null;
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new ProblemDetails
        {
            Status = 503, Type = ProblemTypes.ServiceUnavailable, Title = ProblemTypes.TitleFor(503),
            Detail = $"The database is not reachable at the moment. Nothing was saved; please retry in {RetryAfterSeconds} seconds.",
        };
    }

    public static bool IsUnavailable(Exception e) => e switch
    {
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal)
            || p.SqlState is "57P01" or "57P02" or "57P03" or "53300" or "53400",
        NpgsqlException => true, // not a PostgresException: the client could not talk to the server (socket, I/O, timeout, pool)
        SocketException => true,
        _ => false,
    };

    private static Exception? Find(Exception? e, Func<Exception, bool> match)
    {
        for (var depth = 0; e is not null && depth < 16; depth++)
        {
            if (match(e)) return e;
            if (e is AggregateException { InnerExceptions.Count: > 1 } a)
                return a.InnerExceptions.Select(i => Find(i, match)).FirstOrDefault(f => f is not null);
            e = e.InnerException;
        }
        return null;
    }
}
