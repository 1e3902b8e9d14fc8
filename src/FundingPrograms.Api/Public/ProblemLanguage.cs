using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;

namespace FundingPrograms.Public;

/// <summary>
/// Problem details in the client's language (Accept-Language) for the seven languages of the public pages: the title of every
/// problem, the generic details (validation, 401, 403, 404, 405, 415) and the messages an applicant meets (the forms and rules of
/// organisations, bank accounts, applications, drawdowns and proofs of use: keys "problem.field.*", "problem.detail.*") come from the
/// resource files. A message is recognised by its English wording, with its values (a length, an amount, a date) carried into the
/// translation. The officers' checks stay English, the API's own wording and the default.
/// </summary>
public static partial class ProblemLanguage
{
    private static readonly Dictionary<string, string> KeyOfEnglish = PublicTexts.All["en"]
        .Where(t => t.Key.StartsWith("problem.", StringComparison.Ordinal)).ToDictionary(t => t.Value, t => t.Key);

    /// <summary>The English messages with values in them, as patterns: "At most {max} characters are allowed." → key and values.</summary>
    private static readonly (Regex Pattern, string Key)[] Templates = PublicTexts.All["en"]
        .Where(t => t.Key.StartsWith("problem.", StringComparison.Ordinal) && PublicTexts.Placeholder().IsMatch(t.Value))
        .Select(t => (new Regex("^" + EscapedPlaceholder().Replace(Regex.Escape(t.Value), m => $"(?<{m.Groups[1].Value}>.+?)") + "$"), t.Key))
        .ToArray();

    [GeneratedRegex(@"\\\{(\w+)\}")]
    private static partial Regex EscapedPlaceholder();

    public static void Apply(HttpContext http, ProblemDetails problem)
    {
        var language = Requested(http);
        if (language is null || language.Code == "en") return;
        if (problem.Title is { } title && KeyOfEnglish.TryGetValue(title, out var titleKey)) problem.Title = language.T(titleKey);
        else return;
        if (problem.Detail is { } detail) problem.Detail = Translate(language, detail);
        if (problem is HttpValidationProblemDetails validation)
            foreach (var field in validation.Errors.Keys.ToArray()) validation.Errors[field] = validation.Errors[field].Select(m => Translate(language, m)).ToArray();
        if (problem.Extensions.TryGetValue("errors", out var errors) && errors is IDictionary<string, string[]> fields)
            problem.Extensions["errors"] = fields.ToDictionary(f => f.Key, f => f.Value.Select(m => Translate(language, m)).ToArray());
        if (!http.Response.HasStarted) http.Response.Headers.ContentLanguage = language.Code;
    }

    /// <summary>The message in the language when it is one the resource files know; otherwise the English message unchanged.</summary>
    public static string Translate(PublicLanguage language, string english)
    {
        if (KeyOfEnglish.TryGetValue(english, out var key)) return language.T(key);
        foreach (var (pattern, templateKey) in Templates)
            if (pattern.Match(english) is { Success: true } match)
                return language.T(templateKey, PublicTexts.Placeholder().Matches(PublicTexts.All["en"][templateKey])
                    .Select(p => (p.Groups[1].Value, match.Groups[p.Groups[1].Value].Value)).ToArray());
        return english;
    }

    /// <summary>The first Accept-Language entry (by quality) that is one of the seven languages; null when none is.</summary>
    private static PublicLanguage? Requested(HttpContext http) => http.Request.GetTypedHeaders().AcceptLanguage
        .Where(h => h.Value.HasValue && (h.Quality ?? 1) > 0)
        .OrderByDescending(h => h.Quality ?? 1)
        .Select(h => PublicTexts.Find(h.Value.Value!.Split('-')[0].ToLowerInvariant()))
        .FirstOrDefault(l => l is not null);
}
