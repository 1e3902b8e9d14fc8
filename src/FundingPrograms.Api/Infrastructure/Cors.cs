namespace FundingPrograms.Infrastructure;

/// <summary>
/// Cross-origin requests from browsers: allowed only from the origins listed in <c>Cors:AllowedOrigins</c> (exact
/// scheme://host[:port], e.g. a web front end on another host). None are listed by default: then no response carries
/// Access-Control-Allow-Origin and browsers keep other sites' scripts out (same-origin policy). Tokens travel as bearer
/// headers, never cookies, so credentials are not allowed cross-origin.
/// </summary>
public static class Cors
{
    public const string Policy = "fundingprograms";

    /// <summary>Headers a cross-origin script may send and read.</summary>
    public static readonly string[] RequestHeaders = ["Authorization", "Content-Type", "If-Match", "Idempotency-Key", Correlation.Header, "X-Causation-Id"];
    public static readonly string[] ResponseHeaders =
        ["ETag", "Location", "Content-Disposition", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", Correlation.Header];

    /// <summary>The configured origins (Cors:AllowedOrigins as a list, or one string separated by commas, semicolons or spaces).</summary>
    public static string[] AllowedOrigins(IConfiguration config)
    {
        var section = config.GetSection("Cors:AllowedOrigins");
        var values = section.Get<string[]>() ?? [];
        if (section.Value is { } single) values = [.. values, single];
        return values.SelectMany(v => v.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(o => o.TrimEnd('/')).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
    }

    public static IServiceCollection AddFundingCors(this IServiceCollection services, IConfiguration config)
    {
        var origins = AllowedOrigins(config);
        foreach (var origin in origins)
            if (origin == "*" || !Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.AbsolutePath != "/")
                throw new InvalidOperationException($"Cors:AllowedOrigins: '{origin}' is not an origin like https://portal.example.org (no '*', no path).");
        return services.AddCors(o => o.AddPolicy(Policy, p =>
        {
            p.WithOrigins(origins).WithMethods("GET", "POST", "PUT", "PATCH", "DELETE").WithHeaders(RequestHeaders)
                .WithExposedHeaders(ResponseHeaders).SetPreflightMaxAge(TimeSpan.FromMinutes(10));
        }));
    }

    /// <summary>Before authentication and rate limiting, so a preflight (OPTIONS, no token) is answered here.</summary>
    public static IApplicationBuilder UseFundingCors(this IApplicationBuilder app) => app.UseCors(Policy);
}
