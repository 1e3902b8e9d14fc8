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
