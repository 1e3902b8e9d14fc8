using System.Globalization;

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

    public static void EnsureVersion(long? current, long expected, string what)
    {
        if ((current ?? 0) == expected) return;
        var problem = ProblemException.Of(409, ProblemTypes.VersionConflict,
            $"{what} is at version {current}, but your change was based on version {expected}. Reload it and try again.", "Version conflict.");
        problem.Problem.Extensions["expectedVersion"] = expected;
        problem.Problem.Extensions["currentVersion"] = current;
        throw problem;
    }

    public static string ETag(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";
}
