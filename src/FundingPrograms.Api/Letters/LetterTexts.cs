using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FundingPrograms.Letters;

/// <summary>
/// The reading copies' texts beyond German and English (issue 28): one resource file per language (Letters/Texts/{code}.json,
/// embedded), keyed by the English text of the letter with its values numbered {0}, {1}, … in the order the code writes them
/// (<see cref="LetterTextHandler"/> records that template). The German and English texts stay inline in the mappings, so the
/// binding German letter is exactly what it was; a translation only ever changes a reading copy.
/// <para>A text missing from a file falls back to the English text (a reading copy is never withheld for it) and is recorded
/// in <see cref="Missing"/>; the letter tests render every letter in every language and require that set to stay empty.</para>
/// </summary>
public static partial class LetterTexts
{
    /// <summary>The languages with a resource file: every language an organisation can choose besides German and English.</summary>
    public static readonly string[] Translated = ["tr", "ar", "uk", "ru", "fa"];

    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> All = Load();

    /// <summary>English templates some rendering looked up in vain (language, template): a test failure, never a runtime one.</summary>
    public static readonly ConcurrentDictionary<(string Language, string Template), byte> Missing = new();

    [GeneratedRegex(@"\{(\d+)\}")]
    public static partial Regex Numbered();

    /// <summary>The translation of an English template with its values filled in; the English text where there is none.</summary>
    public static string Translate(string lang, string template, IReadOnlyList<string> values)
    {
        if (!All.TryGetValue(lang, out var texts) || !texts.TryGetValue(template, out var text))
        {
            Missing.TryAdd((lang, template), 0);
            text = template;
        }
        return values.Count == 0 ? text : Numbered().Replace(text, m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) is var i && i < values.Count ? values[i] : m.Value);
    }

    private static Dictionary<string, IReadOnlyDictionary<string, string>> Load()
    {
        var all = new Dictionary<string, IReadOnlyDictionary<string, string>>();
        foreach (var code in Translated)
        {
            using var stream = typeof(LetterTexts).Assembly.GetManifestResourceStream($"FundingPrograms.Letters.Texts.{code}.json")
                ?? throw new InvalidOperationException($"Letters/Texts/{code}.json is not embedded.");
            all[code] = JsonSerializer.Deserialize<Dictionary<string, string>>(stream)!;
        }
        return all;
    }
}

/// <summary>
/// The English side of <see cref="LetterText.T(string, string, LetterTextHandler)"/>: builds the English text exactly as the
/// interpolated string would (current culture, as before) and, beside it, its template ("Grant notice {0}") and the values of its
/// holes, so a translation can be looked up by the template and filled with the same values. Whole numbers (a version, a count)
/// are also written in the reading copy's digits; strings (amounts and dates already formatted, references, IBANs) pass unchanged.
/// A plain string converts to a template without values.
/// </summary>
[InterpolatedStringHandler]
public struct LetterTextHandler
{
    private readonly StringBuilder _text;
    private readonly StringBuilder _template;
    private readonly List<(string Value, bool Number)> _values;

    public LetterTextHandler(int literalLength, int formattedCount)
    {
        _text = new StringBuilder(literalLength + formattedCount * 12);
        _template = new StringBuilder(literalLength + formattedCount * 4);
        _values = new List<(string, bool)>(formattedCount);
    }

    private LetterTextHandler(string text)
    {
        _text = new StringBuilder(text);
        _template = new StringBuilder(text);
        _values = [];
    }

    public static implicit operator LetterTextHandler(string text) => new(text);

    public readonly void AppendLiteral(string s)
    {
        _text.Append(s);
        _template.Append(s);
    }

    public readonly void AppendFormatted(string? s) => Hole(s ?? "", false);

    public readonly void AppendFormatted<T>(T value)
    {
        var s = value?.ToString() ?? "";
        Hole(s, value is int or long or short or byte or uint or ulong);
    }

    public readonly void AppendFormatted<T>(T value, string? format) where T : IFormattable =>
        Hole(value.ToString(format, null), value is int or long or short or byte or uint or ulong);

    private readonly void Hole(string value, bool number)
    {
        _text.Append(value);
        _template.Append('{').Append(_values.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('}');
        _values.Add((value, number));
    }

    public readonly string Text => _text.ToString();
    public readonly string Template => _template.ToString();
    public readonly IReadOnlyList<string> Values(string lang) => _values.Select(v => v.Number ? LetterText.Digits(v.Value, lang) : v.Value).ToList();
}
