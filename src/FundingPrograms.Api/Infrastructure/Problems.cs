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
            logger.LogError(exception, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
            problem = new ProblemDetails
            {
                Status = 500, Type = ProblemTypes.Internal, Title = ProblemTypes.TitleFor(500),
                Detail = "The server could not complete the request. Nothing was changed. Please try again or contact support with the trace id.",
            };
        }

        http.Response.StatusCode = problem.Status ?? 500;
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

public static class Enums
{
    /// <summary>Parses an enum by its name only (any case): no numbers, no comma-combined flags.</summary>
    public static bool TryParseName<T>(string? value, out T result) where T : struct, Enum
    {
        var name = value is null ? null : Enum.GetNames<T>().FirstOrDefault(n => n.Equals(value.Trim(), StringComparison.OrdinalIgnoreCase));
        result = name is null ? default : Enum.Parse<T>(name);
        return name is not null;
    }
}

/// <summary>Collects field-level errors; throws one 400 with all of them.</summary>
public sealed class Check
{
    private readonly Dictionary<string, List<string>> _errors = new();

    public Check Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public Check That(bool ok, string field, string message) => ok ? this : Add(field, message);

    public Check Required(string? value, string field, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value)) return Add(field, "This field is required.");
        return That(value.Length <= maxLength, field, $"At most {maxLength} characters are allowed.");
    }

    /// <summary>The largest amount the service accepts (keeps every sum far from decimal overflow).</summary>
    public const decimal MaxMoney = 999_999_999.99m; // the largest amount a SEPA transfer can carry

    public Check Money(decimal? value, string field, bool required = true, bool allowZero = true)
    {
        if (value is null) return required ? Add(field, "This field is required.") : this;
        if (value < 0 || (!allowZero && value == 0)) return Add(field, allowZero ? "The amount must not be negative." : "The amount must be greater than zero.");
        if (value > MaxMoney) return Add(field, $"At most {MaxMoney:#,0} EUR.");
        return That(decimal.Round(value.Value, 2) == value.Value, field, "Amounts are in euros with at most 2 decimals.");
    }

    public static readonly DateOnly MinDate = new(2000, 1, 1);
    public static readonly DateOnly MaxDate = new(2100, 12, 31);

    /// <summary>A date of the domain: between 2000 and 2100.</summary>
    public Check Date(DateOnly? value, string field, bool required = false)
    {
        if (value is null) return required ? Add(field, "This field is required.") : this;
        return That(value >= MinDate && value <= MaxDate, field, "The date must be between 2000 and 2100.");
    }

    /// <summary>A query string value that was sent but could not be read (Wolverine leaves it null) is an error, not "no filter".</summary>
    public Check Bound<T>(HttpContext http, string name, T? value) where T : struct
    {
        if (!http.Request.Query.ContainsKey(name)) return this;
        if (value is null) return Add(name, $"'{http.Request.Query[name]}' is not a valid value.");
        if (typeof(T).IsEnum && (!Enum.IsDefined(typeof(T), value.Value) || int.TryParse(http.Request.Query[name].ToString(), out _)))
            return Add(name, $"Use one of: {string.Join(", ", Enum.GetNames(typeof(T)).Select(n => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(n)))}.");
        return this;
    }

    public Check Percent(decimal? value, string field, bool required = true)
    {
        if (value is null) return required ? Add(field, "This field is required.") : this;
        return That(value is >= 0 and <= 100, field, "A percentage must be between 0 and 100.");
    }

    public bool HasErrors => _errors.Count > 0;

    public IDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public void ThrowIfAny()
    {
        if (HasErrors) throw ProblemException.Validation(Errors);
    }

    public void ThrowAsRuleIfAny(string detail)
    {
        if (HasErrors) throw ProblemException.Rule(detail, Errors);
    }
}
