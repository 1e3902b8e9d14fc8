using System.Globalization;

namespace FundingPrograms.Infrastructure;

/// <summary>Deadlines are given in Europe/Berlin local time and stored as instants.</summary>
public static class BerlinTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <summary>Parses "2026-05-31T23:59" (local Berlin time; an explicit offset is honoured) into an instant.</summary>
    public static DateTimeOffset? Parse(string? value, string field, Check check)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            check.Add(field, "This field is required.");
            return null;
        }
        if (DateTimeOffset.TryParseExact(value, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"],
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset) && HasOffset(value))
        {
            if (withOffset.Year is >= 2000 and <= 2100) return withOffset;
            check.Add(field, "The date must be between 2000 and 2100.");
            return null;
        }
        if (!DateTime.TryParseExact(value, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var local))
        {
            check.Add(field, "Use a local Berlin date and time like 2026-05-31T23:59.");
            return null;
        }
        if (local.Year is < 2000 or > 2100)
        {
            check.Add(field, "The date must be between 2000 and 2100.");
            return null;
        }
        if (Zone.IsInvalidTime(local))
        {
            check.Add(field, "This local time does not exist (clocks move forward that night).");
            return null;
        }
        var offset = Zone.IsAmbiguousTime(local) ? Zone.GetAmbiguousTimeOffsets(local).Max() : Zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    private static bool HasOffset(string value) => value.EndsWith('Z') || value.LastIndexOfAny(['+', '-']) > 10;

    /// <summary>Today's date in Berlin.</summary>
    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Zone).DateTime);

    public static string Local(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, Zone).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>
/// <c>?asOf=</c> on every route is ISO 8601 only: <c>2027-03-02</c>, <c>2027-03-02T12:00</c>, <c>2027-03-02T12:00:00</c> (fractions
/// allowed), with <c>Z</c> or an offset such as <c>+01:00</c>. Anything else (e.g. <c>3.2.2027</c>, which a lenient parser reads as
/// 2 March) is 400 naming the expected form. Without an offset the time is Europe/Berlin local time (a date alone: its midnight
/// in Berlin); the query is rewritten to the instant in UTC before any endpoint binds it.
/// </summary>
public static class AsOfQuery
{
    public const string Name = "asOf";
    public const string Expected = "an ISO 8601 date or date-time, e.g. 2027-03-02, 2027-03-02T12:00 (Europe/Berlin time) or 2027-03-02T12:00:00Z / +01:00";

    private static readonly string[] WithOffset = ["yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];
    private static readonly string[] Local = ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF"];

    /// <summary>The instant an asOf value names, or an error sentence.</summary>
    public static (DateTimeOffset? Instant, string? Error) Parse(string value)
    {
        var offset = value.Length > 10 && (value.EndsWith('Z') || value.LastIndexOfAny(['+', '-']) > 10);
        if (offset)
            return DateTimeOffset.TryParseExact(value, WithOffset, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)
                ? (instant, null) : (null, $"'{Shown(value)}' is not a date-time; use {Expected}.");
        if (!DateTime.TryParseExact(value, Local, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            return (null, $"'{Shown(value)}' is not a date; use {Expected}.");
        if (BerlinTime.Zone.IsInvalidTime(local))
            return (null, $"{value} does not exist in Berlin (clocks move forward that night); give an offset or another time.");
        var berlin = BerlinTime.Zone.IsAmbiguousTime(local) ? BerlinTime.Zone.GetAmbiguousTimeOffsets(local).Max() : BerlinTime.Zone.GetUtcOffset(local);
        return (new DateTimeOffset(local, berlin), null);
    }

    private static string Shown(string value) => value.Length <= 40 ? value : value[..40] + "…";

    public static IApplicationBuilder UseAsOfQuery(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var query = http.Request.Query;
        if (!query.TryGetValue(Name, out var values)) return next(http);
        var errors = new List<string>();
        var normalised = new List<string?>();
        foreach (var value in values)
        {
            if (string.IsNullOrEmpty(value)) { normalised.Add(value); continue; }
            var (instant, error) = Parse(value);
            if (error is not null) errors.Add(error);
            // As UTC: the store takes instants in UTC only (an offset of +01:00 used to reach PostgreSQL and answer 500).
            else normalised.Add(instant!.Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
        }
        if (errors.Count > 0) throw ProblemException.Validation(new Dictionary<string, string[]> { [Name] = [.. errors] });
        var rewritten = query.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        rewritten[Name] = new Microsoft.Extensions.Primitives.StringValues([.. normalised]);
        http.Request.Query = new QueryCollection(rewritten);
        return next(http);
    });
}
