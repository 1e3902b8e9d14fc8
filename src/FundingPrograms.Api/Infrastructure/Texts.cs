using System.Text.RegularExpressions;

namespace FundingPrograms.Infrastructure;

/// <summary>Texts in German with translations, keyed by language code ("de" is required and the fallback).</summary>
public static partial class Texts
{
    public const string Default = "de";

    [GeneratedRegex("^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    private static partial Regex LanguageCode();

    public static Check LocalizedRequired(this Check check, Dictionary<string, string>? text, string field, int maxLength)
    {
        if (text is null || !text.TryGetValue(Default, out var de) || string.IsNullOrWhiteSpace(de))
            return check.Add($"{field}.de", "The German text is required.");
        foreach (var (lang, value) in text)
        {
            check.That(LanguageCode().IsMatch(lang), $"{field}.{lang}", "Use a language code such as 'de', 'en', 'tr' or 'uk'.");
            check.That(!string.IsNullOrWhiteSpace(value), $"{field}.{lang}", "A translation must not be empty.");
            check.That(value is null || value.Length <= maxLength, $"{field}.{lang}", $"At most {maxLength} characters are allowed.");
        }
        return check;
    }

    public static Dictionary<string, string> Clean(Dictionary<string, string> text) =>
        text.Where(t => !string.IsNullOrWhiteSpace(t.Value)).ToDictionary(t => t.Key, t => t.Value.Trim());

    /// <summary>The text in the requested language, else German.</summary>
    public static string In(this Dictionary<string, string> text, string lang) =>
        text.TryGetValue(lang, out var value) ? value
        : lang.Contains('-') && text.TryGetValue(lang[..lang.IndexOf('-')], out var baseValue) ? baseValue
        : text.GetValueOrDefault(Default) ?? text.Values.FirstOrDefault() ?? "";

    /// <summary>The language asked for: ?lang= first, then the best Accept-Language entry, else German.</summary>
    public static string Language(HttpContext http)
    {
        var query = http.Request.Query["lang"].ToString();
        if (LanguageCode().IsMatch(query)) return query;
        var header = http.Request.GetTypedHeaders().AcceptLanguage;
        var best = header
            .Where(h => h.Value.HasValue && h.Value.Value != "*" && (h.Quality ?? 1) > 0)
            .OrderByDescending(h => h.Quality ?? 1)
            .Select(h => h.Value.Value!.ToLowerInvariant())
            .FirstOrDefault(l => LanguageCode().IsMatch(l));
        return best ?? Default;
    }
}
