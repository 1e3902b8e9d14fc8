using System.Text.Json;
using System.Text.Json.Serialization;
using HealthChecks.NpgSql;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.OpenApi;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FundingPrograms.Infrastructure;

public static class Web
{
    public static void ConfigureJson(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        json.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        json.NumberHandling = JsonNumberHandling.Strict;
        json.Converters.Add(new DecimalJsonConverter());
    }

    public static IServiceCollection AddWebPlumbing(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<JsonOptions>(o => ConfigureJson(o.SerializerOptions));
        services.AddExceptionHandler<ProblemExceptionHandler>();
        // First of the writers: every problem is problem+json, whatever Accept says (see ProblemJsonWriter).
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            var status = ctx.ProblemDetails.Status ?? ctx.HttpContext.Response.StatusCode;
            if (string.IsNullOrEmpty(ctx.ProblemDetails.Type) || !ctx.ProblemDetails.Type.StartsWith(ProblemTypes.Prefix, StringComparison.Ordinal))
                ctx.ProblemDetails.Type = ProblemTypes.ForStatus(status);
            ctx.ProblemDetails.Title ??= ProblemTypes.TitleFor(status);
            ctx.ProblemDetails.Detail ??= status switch
            {
                401 => "Sign in and send your token as 'Authorization: Bearer <token>'. The token may be missing, invalid or expired.",
                403 => "Your role does not allow this operation.",
                404 => "There is nothing at this address.",
                405 => "This address does not support the HTTP method used.",
                415 => "Send the body as application/json.",
                _ => null,
            };
            FundingPrograms.Public.ProblemLanguage.Apply(ctx.HttpContext, ctx.ProblemDetails);
            ctx.ProblemDetails.Instance ??= ctx.HttpContext.Request.Path;
            ctx.ProblemDetails.Extensions["correlationId"] = Correlation.Id(ctx.HttpContext);
        });

        services.AddOpenApi("v1", o =>
        {
            o.AddDocumentTransformer((doc, _, _) =>
            {
                doc.Info.Title = "FundingPrograms API";
                doc.Info.Description = "NRW integration funding programmes: programmes, calls, applications, grants, payments, audit.";
                doc.Servers?.Clear();
                doc.Components ??= new OpenApiComponents();
                doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                doc.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                    Description = "Paste a token (ops/token prints one for development).",
                };
                doc.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", doc)] = [] }];
                return Task.CompletedTask;
            });
            Contract.Configure(o);
        });

        var connection = config.GetConnectionString("Marten") ?? "";
        services.AddHealthChecks()
            .AddNpgSql(connection, name: "database", tags: ["ready"])
            .AddCheck<ProjectionHealthCheck>("projections", tags: ["ready"])
            .AddCheck<RecurringWorkHealthCheck>("recurring-work", tags: ["ready"])
            .AddCheck<Letters.PendingLettersHealthCheck>("letters", tags: ["ready"]);

        var exporter = config["Telemetry:Exporter"]?.ToLowerInvariant();
        if (exporter is "otlp" or "console")
        {
            services.AddOpenTelemetry()
                .ConfigureResource(r => r.AddService("FundingPrograms.Api"))
                .WithTracing(t =>
                {
                    t.AddAspNetCoreInstrumentation().AddSource("Wolverine").AddSource("Marten");
                    if (exporter == "otlp") t.AddOtlpExporter(); else t.AddConsoleExporter();
                })
                .WithMetrics(m =>
                {
                    m.AddAspNetCoreInstrumentation().AddMeter("Wolverine").AddMeter("Marten");
                    if (exporter == "otlp") m.AddOtlpExporter(); else m.AddConsoleExporter();
                });
        }
        return services;
    }

    public static void MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResponseWriter = async (http, report) =>
            {
                http.Response.ContentType = "application/json";
                await http.Response.WriteAsJsonAsync(new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description }),
                });
            },
        }).AllowAnonymous();
    }
}

/// <summary>
/// Ready only while every async projection keeps up with the event store, and the audit chain advances: the oldest event not
/// yet sealed is younger than Health:MaxChainDelaySeconds (PostgreSQL's clock), so a chain that stops while events arrive is
/// reported within seconds.
/// </summary>
public sealed class ProjectionHealthCheck(IDocumentStore store, IConfiguration config, Audit.ChainMonitor chain) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var maxLag = config.GetValue("Health:MaxProjectionLagEvents", 10_000L);
        var maxDelay = config.GetValue("Health:MaxChainDelaySeconds", 15.0);
        var stats = await store.Advanced.FetchEventStoreStatistics(token: ct);
        var progress = await store.Advanced.AllProjectionProgress(token: ct);
        var behind = progress
            .Where(p => !p.ShardName.StartsWith("HighWaterMark", StringComparison.Ordinal))
            .Where(p => stats.EventSequenceNumber - p.Sequence > maxLag)
            .Select(p => $"{p.ShardName} at {p.Sequence} of {stats.EventSequenceNumber}")
            .ToList();
        var status = await chain.Status(ct);
        if (status.OldestUnsealedAgeSeconds > maxDelay)
            behind.Add($"the audit chain is sealed up to {status.SealedUpTo} of {status.NewestEvent} and its oldest unsealed event is "
                + $"{status.OldestUnsealedAgeSeconds:0} s old (limit {maxDelay:0} s): the chain is not advancing");
        return behind.Count == 0
            ? HealthCheckResult.Healthy($"{progress.Count} projection shard(s) up to date; audit chain sealed up to {status.SealedUpTo}.")
            : HealthCheckResult.Unhealthy("Projections are stalled: " + string.Join(", ", behind));
    }
}
