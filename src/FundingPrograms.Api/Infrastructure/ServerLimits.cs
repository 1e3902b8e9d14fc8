using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace FundingPrograms.Infrastructure;

/// <summary>
/// Kestrel refuses an over-long request line (414) or header block (431) before any application code runs, with an empty body.
/// So Kestrel's own limits are set well above the service's, and the service enforces its limits itself with problem+json:
/// request target at most <see cref="MaxTargetLength"/> characters, headers at most <see cref="MaxHeaderBytes"/> bytes.
/// Requests beyond Kestrel's (raised) limits, or malformed at the protocol level (e.g. <c>%00</c> in the path), are refused by
/// Kestrel itself; <see cref="KestrelRefusals"/> gives those refusals their problem+json body.
/// </summary>
public static class ServerLimits
{
    public const int MaxTargetLength = 8 * 1024;
    public const int MaxHeaderBytes = 32 * 1024;

    /// <summary>The characters of a header name (RFC 9110 section 5.1, token); Kestrel lets control characters through.</summary>
    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    public static void ConfigureKestrel(this WebApplicationBuilder builder) => builder.WebHost.ConfigureKestrel(k =>
    {
        k.Limits.MaxRequestLineSize = 8 * MaxTargetLength;
        k.Limits.MaxRequestHeadersTotalSize = 4 * MaxHeaderBytes;
        k.AddServerHeader = false;
        KestrelRefusals.Install(k);
    });

    public static IApplicationBuilder UseServerLimits(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (http.Request.Path + http.Request.QueryString).ToString();
        if (target.Length > MaxTargetLength)
            throw ProblemException.Of(414, ProblemTypes.UriTooLong, $"The address is {target.Length} characters long; at most {MaxTargetLength} are accepted.");
        long size = 0;
        foreach (var (key, values) in http.Request.Headers)
        {
            size += key.Length + 4;
            if (key.AsSpan().IndexOfAnyExcept(TokenChars) >= 0)
                throw ProblemException.Of(400, ProblemTypes.BadRequest, $"The header name '{Printable(key)}' contains characters a header name "
                    + "may not have (letters, digits and !#$%&'*+-.^_`|~ only, RFC 9110 section 5.1).", "The HTTP request is malformed.");
            foreach (var v in values) size += v?.Length ?? 0;
        }
        if (size > MaxHeaderBytes)
            throw ProblemException.Of(431, ProblemTypes.HeadersTooLarge, $"The request headers are {size} bytes; at most {MaxHeaderBytes} are accepted.");
        return next(http);
    });

    private static string Printable(string name) =>
        string.Concat(name.Take(100).Select(c => c is >= ' ' and < (char)127 ? c : '?'));
}
