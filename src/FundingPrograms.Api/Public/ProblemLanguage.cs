using Microsoft.AspNetCore.Mvc;

namespace FundingPrograms.Public;

/// <summary>
/// Problem details in the client's language (Accept-Language) for the seven languages of the public pages: the title of every
/// problem and the generic details (validation, 401, 403, 404, 405, 415) come from the resource files (keys "problem.*").
/// The sentences a specific rule or field writes (the detail of a 422, the messages under "errors") are still English.
/// English, the API's own wording, stays the default.
/// </summary>
public static class ProblemLanguage
{
    private static readonly Dictionary<string, string> KeyOfEnglish = PublicTexts.All["en"]
        .Where(t => t.Key.StartsWith("problem.", StringComparison.Ordinal)).ToDictionary(t => t.Value, t => t.Key);

    public static void Apply(HttpContext http, ProblemDetails problem)
    {
        var language = Requested(http);
        if (language is null || language.Code == "en") return;
        if (problem.Title is { } title && KeyOfEnglish.TryGetValue(title, out var titleKey)) problem.Title = language.T(titleKey);
        else return;
        if (problem.Detail is { } detail && KeyOfEnglish.TryGetValue(detail, out var detailKey)) problem.Detail = language.T(detailKey);
        if (!http.Response.HasStarted) http.Response.Headers.ContentLanguage = language.Code;
    }

    /// <summary>The first Accept-Language entry (by quality) that is one of the seven languages; null when none is.</summary>
    private static PublicLanguage? Requested(HttpContext http) => http.Request.GetTypedHeaders().AcceptLanguage
        .Where(h => h.Value.HasValue && (h.Quality ?? 1) > 0)
        .OrderByDescending(h => h.Quality ?? 1)
        .Select(h => PublicTexts.Find(h.Value.Value!.Split('-')[0].ToLowerInvariant()))
        .FirstOrDefault(l => l is not null);
}
