using System.Text.Json;
using JasperFx;
using JasperFx.Events;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace FundingPrograms.Infrastructure;

/// <summary>The stable problem types a client can receive (RFC 9457 `type`).</summary>
public static class ProblemTypes
{
    public const string Prefix = "https://fundingprograms.nrw/problems/";
    public const string Validation = Prefix + "validation";
    public const string MalformedRequest = Prefix + "malformed-request";
    public const string UnsupportedMediaType = Prefix + "unsupported-media-type";
    public const string Unauthenticated = Prefix + "unauthenticated";
    public const string Forbidden = Prefix + "forbidden";
    public const string NotFound = Prefix + "not-found";
    public const string MethodNotAllowed = Prefix + "method-not-allowed";
    public const string VersionConflict = Prefix + "version-conflict";
    public const string InvalidState = Prefix + "invalid-state";
    public const string PreconditionRequired = Prefix + "precondition-required";
    public const string PayloadTooLarge = Prefix + "payload-too-large";
    public const string BusinessRule = Prefix + "business-rule";
    public const string Internal = Prefix + "internal";
    public const string ServiceUnavailable = Prefix + "service-unavailable";
    public const string TooManyRequests = Prefix + "too-many-requests";
    public const string UriTooLong = Prefix + "uri-too-long";
    public const string HeadersTooLarge = Prefix + "headers-too-large";
    /// <summary>The HTTP message itself is malformed and the server refused it before reading it (see KestrelRefusals).</summary>
    public const string BadRequest = Prefix + "bad-request";

    public static string ForStatus(int status) => status switch
    {
        400 => MalformedRequest,
        401 => Unauthenticated,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        409 => VersionConflict,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        422 => BusinessRule,
        428 => PreconditionRequired,
        414 => UriTooLong,
        429 => TooManyRequests,
        431 => HeadersTooLarge,
        503 => ServiceUnavailable,
        _ => Internal,
    };

    public static string TitleFor(int status) => status switch
    {
        400 => "The request is not valid.",
        401 => "Authentication is required.",
        403 => "You are not allowed to do this.",
        404 => "Not found.",
        405 => "This method is not allowed here.",
        409 => "Conflict.",
        413 => "The request body is too large.",
        415 => "Unsupported content type.",
        422 => "A business rule was broken.",
        428 => "An expected version is required.",
        414 => "The address is too long.",
        429 => "Too many requests.",
        431 => "The request headers are too large.",
        503 => "The service is temporarily unavailable.",
        _ => "An unexpected error occurred.",
    };
}

/// <summary>
/// Thrown anywhere a request has to be refused; the exception handler turns it into
/// problem+json. Nothing is saved because the unit of work never commits.
/// </summary>
public sealed class ProblemException(ProblemDetails problem) : Exception(problem.Detail)
{
    public ProblemDetails Problem { get; } = problem;

    public static ProblemException Of(int status, string type, string detail, string? title = null) => new(new ProblemDetails
    {
        Status = status, Type = type, Title = title ?? ProblemTypes.TitleFor(status), Detail = detail,
    });

    public static ProblemException NotFound(string what) =>
        Of(404, ProblemTypes.NotFound, $"{what} was not found.");

    public static ProblemException InvalidState(string detail) =>
        Of(409, ProblemTypes.InvalidState, detail, "The case is not in a state that allows this.");

    public static ProblemException Rule(string detail, IDictionary<string, string[]>? errors = null)
    {
        var problem = new ProblemDetails { Status = 422, Type = ProblemTypes.BusinessRule, Title = ProblemTypes.TitleFor(422), Detail = detail };
        if (errors is { Count: > 0 }) problem.Extensions["errors"] = errors;
        return new ProblemException(problem);
    }

    public static ProblemException Forbidden(string detail) => Of(403, ProblemTypes.Forbidden, detail);

    public static ProblemException Validation(IDictionary<string, string[]> errors) => new(new ProblemDetails
    {
        Status = 400,
        Type = ProblemTypes.Validation,
        Title = "One or more fields are not valid.",
        Detail = "Please correct the fields listed in 'errors'.",
        Extensions = { ["errors"] = errors },
    });
}

/// <summary>Maps every exception a client can cause to problem+json; anything else is a logged 500.</summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var problem = Map(exception) ?? Outages.Map(exception, http);
        if (problem is null)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path} (correlation id {CorrelationId})", http.Request.Method, http.Request.Path,
                Correlation.Id(http));
            problem = new ProblemDetails
            {
                Status = 500, Type = ProblemTypes.Internal, Title = ProblemTypes.TitleFor(500),
                Detail = "The server could not complete the request. Nothing was changed. Please try again or contact support with the trace id.",
            };
        }

        http.Response.StatusCode = problem.Status ?? 500;
        if (problem.Detail is { } detail) http.Items[ClientMistakes.DetailKey] = detail;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails? Map(Exception exception) => exception switch
    {
        ProblemException p => p.Problem,
        BadHttpRequestException { StatusCode: 413 } => Problem(413, ProblemTypes.PayloadTooLarge, "The request body is larger than the server accepts."),
        BadHttpRequestException { StatusCode: 415 } => Problem(415, ProblemTypes.UnsupportedMediaType, "Send the body as application/json."),
        BadHttpRequestException b when b.InnerException is JsonException j => Malformed(j),
        BadHttpRequestException b => Problem(b.StatusCode is >= 400 and < 500 ? b.StatusCode : 400, ProblemTypes.MalformedRequest, b.Message),
        JsonException j => Malformed(j),
        ExistingStreamIdCollisionException => Problem(409, ProblemTypes.VersionConflict,
            "This case was already created by an earlier request with the same Idempotency-Key."),
        DocumentAlreadyExistsException => Problem(409, ProblemTypes.VersionConflict,
            "The same thing was just done by another request; reload and check before trying again."),
        Npgsql.PostgresException { SqlState: "40P01" or "40001" } => Problem(409, ProblemTypes.VersionConflict,
            "The database had to cancel this request because of a concurrent one. Nothing was saved; please try again."),
        Marten.Exceptions.MartenCommandException { InnerException: Npgsql.PostgresException { SqlState: "40P01" or "40001" } } => Problem(409, ProblemTypes.VersionConflict,
            "The database had to cancel this request because of a concurrent one. Nothing was saved; please try again."),
        ConcurrencyException => Problem(409, ProblemTypes.VersionConflict,
            "Someone else changed this case at the same time. Reload it and try again with the new version."),
        AggregateException a when a.InnerExceptions.Count > 0 && a.InnerExceptions.All(e => e is ConcurrencyException) =>
            Problem(409, ProblemTypes.VersionConflict, "Someone else changed this case at the same time. Reload it and try again with the new version."),
        AggregateException { InnerExceptions.Count: 1 } a => Map(a.InnerExceptions[0]),
        OperationCanceledException => Problem(400, ProblemTypes.MalformedRequest, "The request was cancelled."),
        _ => null,
    };

    private static ProblemDetails Malformed(JsonException j) => Problem(400, ProblemTypes.MalformedRequest,
        "The request body is not valid JSON for this operation" + (j.Path is { Length: > 0 } ? $" (at '{j.Path}')." : "."));

    private static ProblemDetails Problem(int status, string type, string detail) =>
        new() { Status = status, Type = type, Title = ProblemTypes.TitleFor(status), Detail = detail };
}

/// <summary>
/// Writes every problem as application/problem+json whatever the request's Accept header says. The framework's default writer
/// declines when a client accepts only e.g. application/pdf or text/html; the exception handler then has nothing to answer with
/// and the host fails the request (500 with the exception text in Development). An error is JSON for every client.
/// </summary>
public sealed class ProblemJsonWriter(Microsoft.Extensions.Options.IOptions<ProblemDetailsOptions> options,
    Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        options.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(http.Response.WriteAsJsonAsync(problem, problem.GetType(), json.Value.SerializerOptions, Contract.ProblemJson));
    }
}

/// <summary>
/// A client's mistake (any 4xx) is logged once, at Information, with the correlation id, method, path, status and the problem's
/// detail; never at Error and never with a stack trace: an operator's alert on errors must not fire on a client's typo.
/// Error is for 5xx (<see cref="ProblemExceptionHandler"/>) and for faults of the service's own work.
/// </summary>
public static partial class ClientMistakes
{
    public const string DetailKey = "problem-detail";

    [LoggerMessage(EventId = 4000, Level = LogLevel.Information,
        Message = "Client error {Status} on {Method} {Path} (correlation id {CorrelationId}): {Detail}")]
    public static partial void Refused(ILogger logger, int status, string method, string path, string correlationId, string detail);

    public static void Log(HttpContext http)
    {
        var status = http.Response.StatusCode;
        if (status is < 400 or >= 500) return;
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("FundingPrograms.ClientErrors");
        if (!logger.IsEnabled(LogLevel.Information)) return;
        Refused(logger, status, http.Request.Method, http.Request.Path.Value ?? "", Correlation.Id(http), http.Items[DetailKey] as string ?? "");
    }
}
