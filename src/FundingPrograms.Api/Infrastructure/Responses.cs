namespace FundingPrograms.Infrastructure;

/// <summary>The answer to a command: which case, and its new version (also sent as ETag).</summary>
public sealed record CaseVersion(Guid Id, long Version)
{
    public CaseVersion WithETag(HttpContext http)
    {
        http.Response.Headers.ETag = Versioning.ETag(Version);
        return this;
    }

    /// <summary>The answer to a command on an existing case: its new version (and ETag), and the decider's events for Wolverine to append.</summary>
    public static (Ok<CaseVersion>, Wolverine.Marten.Events) After(ICase @case, IReadOnlyList<object> events, HttpContext http) =>
        (TypedResults.Ok(new CaseVersion(@case.Id, @case.Version + events.Count).WithETag(http)), new Wolverine.Marten.Events(events));
}

public static class CaseIds
{
    /// <summary>
    /// The id of a case a command creates. With an Idempotency-Key the id is derived from the caller and the
    /// key, so that parallel retries collide on the stream id and only one of them can commit.
    /// </summary>
    public static Guid New(HttpContext http)
    {
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (string.IsNullOrWhiteSpace(key)) return Guid.CreateVersion7();
        var user = http.User.FindFirst(Claims.Subject)?.Value ?? "";
        var hash = System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes($"{user.Length}:{user}|{http.Request.Path}|{key}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // RFC 9562 version 8 (custom)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
