using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FundingPrograms.Public;

/// <summary>A language of the public pages: its code, its own name, its direction and the culture for numbers and dates.</summary>
public sealed record PublicLanguage(string Code, string Name, bool RightToLeft, CultureInfo Culture, bool NativeDigits = false);

/// <summary>
/// The texts of the public pages, one resource file per language (Public/Texts/{code}.json, embedded). German is binding
/// and first; every file has every key with the same placeholders (a test checks it). Placeholders are {name}.
/// </summary>
public static partial class PublicTexts
{
    public static readonly PublicLanguage[] Languages =
    [
        new("de", "Deutsch", false, Culture("de-DE")),
        new("en", "English", false, Culture("en-GB")),
        new("tr", "Türkçe", false, Culture("tr-TR")),
        new("ar", "العربية", true, Culture("ar-EG")),
        new("uk", "Українська", false, Culture("uk-UA")),
        new("ru", "Русский", false, Culture("ru-RU")),
        new("fa", "فارسی", true, Culture("fa-IR"), NativeDigits: true),
    ];

    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> All = Load();

    public static PublicLanguage? Find(string? code) => Languages.FirstOrDefault(l => l.Code == code);

    /// <summary>The language for an API answer: the one asked for if the pages have it, else German.</summary>
    public static PublicLanguage For(string? code) =>
        Find(code) ?? Find(code?.Split('-')[0]) ?? Languages[0];

    /// <summary>Gregorian dates in every language (deadlines are Berlin dates), with the language's month names and order.</summary>
    private static CultureInfo Culture(string name)
    {
        var culture = (CultureInfo)CultureInfo.GetCultureInfo(name).Clone();
        var gregorian = culture.OptionalCalendars.OfType<GregorianCalendar>().FirstOrDefault();
        if (gregorian is not null && culture.DateTimeFormat.Calendar is not GregorianCalendar) culture.DateTimeFormat.Calendar = gregorian;
        return culture;
    }

    private static Dictionary<string, IReadOnlyDictionary<string, string>> Load()
    {
        var all = new Dictionary<string, IReadOnlyDictionary<string, string>>();
        foreach (var language in Languages)
        {
            using var stream = typeof(PublicTexts).Assembly.GetManifestResourceStream($"FundingPrograms.Public.Texts.{language.Code}.json")
                ?? throw new InvalidOperationException($"Public/Texts/{language.Code}.json is not embedded.");
            all[language.Code] = JsonSerializer.Deserialize<Dictionary<string, string>>(stream)!;
        }
        return all;
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    public static partial Regex Placeholder();

    /// <summary>The text of a key in a language (German if a key were missing), placeholders filled with the given values.</summary>
    public static string T(this PublicLanguage language, string key, params (string Name, string Value)[] values)
    {
        var text = All[language.Code].GetValueOrDefault(key) ?? All["de"].GetValueOrDefault(key) ?? key;
        return values.Length == 0 ? text : Placeholder().Replace(text, m => values.FirstOrDefault(v => v.Name == m.Groups[1].Value).Value ?? m.Value);
    }

    /// <summary>Placeholders whose values are numbers, amounts or times: kept left-to-right inside right-to-left text.</summary>
    private static readonly HashSet<string> Numeric = ["amount", "min", "max", "percent", "from", "to", "time", "days", "count", "grants"];

    /// <summary>HTML-encoded text of a key; on a right-to-left page numbers, amounts and times are isolated left-to-right.</summary>
    public static string H(this PublicLanguage language, string key, params (string Name, string Value)[] values)
    {
        if (!language.RightToLeft || values.Length == 0) return PublicPage.E(language.T(key, values));
        var text = All[language.Code].GetValueOrDefault(key) ?? All["de"].GetValueOrDefault(key) ?? key;
        var parts = Placeholder().Split(text); // text, name, text, name, …
        var html = new System.Text.StringBuilder();
        for (var i = 0; i < parts.Length; i++)
        {
            if (i % 2 == 0) { html.Append(PublicPage.E(parts[i])); continue; }
            var (name, value) = values.FirstOrDefault(v => v.Name == parts[i]);
            if (name is null) html.Append(PublicPage.E("{" + parts[i] + "}"));
            else if (Numeric.Contains(name)) html.Append("<bdi dir=\"ltr\">").Append(PublicPage.E(value)).Append("</bdi>");
            else html.Append(PublicPage.E(value));
        }
        return html.ToString();
    }

    public static string Digits(this PublicLanguage language, string text) => !language.NativeDigits ? text
        : string.Concat(text.Select(c => c is >= '0' and <= '9' ? (char)('۰' + (c - '0')) : c));

    /// <summary>An amount in the language's number format, always with "EUR".</summary>
    public static string Money(this PublicLanguage language, decimal amount) =>
        language.Digits(amount.ToString(amount == decimal.Truncate(amount) ? "N0" : "N2", language.Culture)) + " EUR";

    public static string Number(this PublicLanguage language, decimal value) => language.Digits(value.ToString("0.##", language.Culture));

    public static string Percent(this PublicLanguage language, decimal value) => language.Digits(value.ToString("0.##", language.Culture)) + " %";

    public static string Date(this PublicLanguage language, DateOnly date) =>
        language.Digits(date.ToDateTime(TimeOnly.MinValue).ToString(language.Code == "de" ? "d. MMMM yyyy" : "d MMMM yyyy", language.Culture));

    public static string Time(this PublicLanguage language, DateTime local) => language.Digits(local.ToString("HH:mm", CultureInfo.InvariantCulture));
}
