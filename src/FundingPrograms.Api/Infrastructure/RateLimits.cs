using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace FundingPrograms.Infrastructure;

/// <summary>
/// ASP.NET Core's rate limiter, one token bucket per partition: commands (POST/PUT/PATCH/DELETE) per signed-in user,
/// reads per signed-in user, the public catalogue and reference data per client address. Every limited answer carries
/// RateLimit-Limit / RateLimit-Remaining / RateLimit-Reset (seconds until the bucket is full again); a refusal is 429
/// problem+json with Retry-After. Configured by RateLimits:CommandsPerMinute, ReadsPerMinute and PublicPerMinute (0 = off).
/// </summary>
public static class RateLimits
{
    public const int DefaultCommandsPerMinute = 600;
    public const int DefaultPublicPerMinute = 600;
    public const int DefaultReadsPerMinute = 6000;

    /// <summary>A bucket of PerMinute tokens, refilled evenly: every second for 60 or more a minute, else one token every 60/PerMinute seconds.</summary>
    public sealed record Budget(int PerMinute)
    {
        public int TokensPerPeriod => PerMinute >= 60 ? PerMinute / 60 : 1;
        public TimeSpan Period => PerMinute >= 60 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(60.0 / PerMinute);

        /// <summary>Seconds until the bucket is full again.</summary>
        public long SecondsToFull(long remaining) =>
            (long)Math.Ceiling(Math.Ceiling((PerMinute - Math.Max(0, remaining)) / (double)TokensPerPeriod) * Period.TotalSeconds);
    }

    public sealed class Limiter(PartitionedRateLimiter<HttpContext> limiter, Func<HttpContext, Budget?> budgetOf)
    {
        public PartitionedRateLimiter<HttpContext> Inner { get; } = limiter;
        public Budget? BudgetOf(HttpContext http) => budgetOf(http);
    }

    public static IServiceCollection AddFundingRateLimits(this IServiceCollection services, IConfiguration config)
    {
        var commands = new Budget(config.GetValue("RateLimits:CommandsPerMinute", DefaultCommandsPerMinute));
        var catalogue = new Budget(config.GetValue("RateLimits:PublicPerMinute", DefaultPublicPerMinute));
        var reads = new Budget(config.GetValue("RateLimits:ReadsPerMinute", DefaultReadsPerMinute));
        Contract.RateLimited = commands.PerMinute > 0 || catalogue.PerMinute > 0 || reads.PerMinute > 0;

        Budget? BudgetOf(HttpContext http)
        {
            var method = http.Request.Method;
            if (HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method))
                return commands.PerMinute > 0 ? commands : null;
            var path = http.Request.Path;
            if (path.StartsWithSegments("/catalogue") || path.StartsWithSegments("/reference-data") || Public.PublicSite.IsPage(path))
                return catalogue.PerMinute > 0 ? catalogue : null;
            if (http.User.Identity?.IsAuthenticated == true && !path.StartsWithSegments("/health")) return reads.PerMinute > 0 ? reads : null;
            return null;
        }

        var partitioned = PartitionedRateLimiter.Create<HttpContext, string>(http =>
        {
            var budget = BudgetOf(http);
            if (budget is null) return RateLimitPartition.GetNoLimiter("unlimited");
            var key = budget == catalogue
                ? "ip:" + http.Connection.RemoteIpAddress
                : (budget == commands ? "commands:" : "reads:") + (http.User.FindFirst(Claims.Subject)?.Value ?? "ip:" + http.Connection.RemoteIpAddress);
            return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = budget.PerMinute,
                TokensPerPeriod = budget.TokensPerPeriod,
                ReplenishmentPeriod = budget.Period,
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
        var limiter = new Limiter(partitioned, BudgetOf);
        services.AddSingleton(limiter);
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = partitioned;
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                var budget = BudgetOf(http);
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? (int)Math.Ceiling(after.TotalSeconds) : 1;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = Math.Max(1, retry).ToString(CultureInfo.InvariantCulture);
                if (budget is not null) Headers(http, budget, 0);
                var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = 429, Type = ProblemTypes.TooManyRequests, Title = ProblemTypes.TitleFor(429),
                        Detail = $"At most {budget?.PerMinute} such requests per minute are accepted; retry after {Math.Max(1, retry)} seconds.",
                    },
                });
            };
        });
        return services;
    }

    /// <summary>The rate limiter, then the RateLimit-* headers on every limited answer.</summary>
    public static IApplicationBuilder UseFundingRateLimits(this IApplicationBuilder app)
    {
        app.UseRateLimiter();
        return app.Use((http, next) =>
        {
            var limiter = http.RequestServices.GetRequiredService<Limiter>();
            if (limiter.BudgetOf(http) is { } budget && limiter.Inner.GetStatistics(http) is { } stats)
            {
                var remaining = stats.CurrentAvailablePermits;
                // Set when the answer starts: an error answer clears the headers set before it.
                http.Response.OnStarting(() =>
                {
                    Headers(http, budget, remaining);
                    return Task.CompletedTask;
                });
            }
            return next(http);
        });
    }

    private static void Headers(HttpContext http, Budget budget, long remaining)
    {
        var headers = http.Response.Headers;
        headers["RateLimit-Limit"] = budget.PerMinute.ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Remaining"] = Math.Max(0, remaining).ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Reset"] = budget.SecondsToFull(remaining).ToString(CultureInfo.InvariantCulture);
    }
}
