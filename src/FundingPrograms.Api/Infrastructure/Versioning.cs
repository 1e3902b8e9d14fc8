using System.Globalization;
using Marten;
using JasperFx.Events;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FundingPrograms.Infrastructure;

/// <summary>Optimistic concurrency on streams: expected version in, new version out (ETag).</summary>
public static class Versioning
{
    /// <summary>
    /// The version the client expects the stream to be at: the body's <c>version</c> field or the
    /// <c>If-Match</c> header. One of them is required for commands on an existing stream.
    /// </summary>
    public static long Expected(HttpContext http, long? bodyVersion)
    {
        long? header = null;
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (!string.IsNullOrWhiteSpace(ifMatch))
        {
            var raw = ifMatch.Trim();
            if (raw.StartsWith("W/", StringComparison.Ordinal)) raw = raw[2..];
            raw = raw.Trim('"');
            if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                throw ProblemException.Validation(new Dictionary<string, string[]> { ["If-Match"] = ["If-Match must be the ETag of the case, e.g. \"3\"."] });
            header = parsed;
        }

        if (header is not null && bodyVersion is not null && header != bodyVersion)
            throw ProblemException.Validation(new Dictionary<string, string[]>
            {
                ["version"] = [$"The body says version {bodyVersion} but If-Match says {header}; send one of them."],
            });

        return header ?? bodyVersion ?? throw ProblemException.Of(428, ProblemTypes.PreconditionRequired,
            "Send the version you last read, as the 'version' field or an If-Match header, so that nobody's change is overwritten.");
    }

    /// <summary>Loads a stream for a command and checks the expected version; 404 if it does not exist.</summary>
    /// <remarks><paramref name="visible"/> hides cases the caller may not see (another organisation's) as 404, before any version is revealed.</remarks>
    public static async Task<IEventStream<T>> FetchForCommand<T>(this IDocumentSession session, Guid id, long expected, string what, CancellationToken ct,
        Func<T, bool>? visible = null)
        where T : class
    {
        var stream = await session.Events.FetchForWriting<T>(id, ct);
        if (stream.Aggregate is null || (visible is not null && !visible(stream.Aggregate))) throw ProblemException.NotFound(what);
        EnsureVersion(stream.CurrentVersion, expected, what);
        return stream;
    }

    public static void EnsureVersion(long? current, long expected, string what)
    {
        if ((current ?? 0) == expected) return;
        var problem = ProblemException.Of(409, ProblemTypes.VersionConflict,
            $"{what} is at version {current}, but your change was based on version {expected}. Reload it and try again.", "Version conflict.");
        problem.Problem.Extensions["expectedVersion"] = expected;
        problem.Problem.Extensions["currentVersion"] = current;
        throw problem;
    }

    /// <summary>
    /// The usual command on an existing stream: check the expected version, let the pure decider turn state and
    /// command into events, append them, and answer with the new version (and ETag).
    /// </summary>
    public static async Task<Ok<CaseVersion>> Decide<T>(this IDocumentSession session, HttpContext http, Guid id, long? bodyVersion,
        string what, Func<T, IReadOnlyList<object>> decide, CancellationToken ct, Func<T, bool>? visible = null) where T : class
    {
        var expected = Expected(http, bodyVersion);
        var stream = await session.FetchForCommand(id, expected, what, ct, visible);
        var events = decide(stream.Aggregate!);
        stream.AppendMany(events);
        return TypedResults.Ok(new CaseVersion(id, expected + events.Count).WithETag(http));
    }

    public static string ETag(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";
}
