using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace FundingPrograms.Infrastructure;

/// <summary>
/// Amounts are exact: decimals are written with at least two places (15432.10, never 15432.1; more places are kept, never
/// rounded away) and read only from JSON numbers that fit a decimal.
/// </summary>
public sealed class DecimalJsonConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDecimal(out var value))
            throw new JsonException("Expected a decimal number.");
        return value;
    }

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.ToString("0.00############################", CultureInfo.InvariantCulture), skipInputValidation: true);
}

/// <summary>
/// Makes the generated OpenAPI document say what the server does, for every endpoint at once (no endpoint declares these
/// itself): the problem responses each operation can really give, with one shared ProblemDetails schema; public routes
/// without security; file content types; exact decimals; the global input bounds on request schemas.
/// </summary>
public static partial class Contract
{
    public const string ProblemSchema = "ProblemDetails";
    public const string ProblemJson = "application/problem+json";

    /// <summary>Whether rate-limit answers (429) are declared: set when the rate limiter is on.</summary>
    public static bool RateLimited { get; set; }

    /// <summary>Non-JSON bodies by path (what the endpoints write or read).</summary>
    private static readonly (Regex Path, string Method, string Media, bool Request, string Format)[] Files =
    [
        (new("^/bank-statements$"), "POST", "application/xml", true, ""),
        (new("^/bank-notifications$"), "POST", "application/xml", true, ""),
        (new("^/payment-status-reports$"), "POST", "application/xml", true, ""),
        (new(@"^/proofs/\{id\}/receipts$"), "POST", "text/csv", true, ""),
        (new(@"^/proofs/\{id\}/receipts$"), "POST", "text/plain", true, ""),
        (new(@"^/proofs/\{id\}/attachments$"), "POST", "application/pdf", true, "binary"),
        (new(@"^/proofs/\{id\}/attachments$"), "POST", "image/png", true, "binary"),
        (new(@"^/proofs/\{id\}/attachments$"), "POST", "image/jpeg", true, "binary"),
        (new(@"^/proofs/\{id\}/attachments$"), "POST", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", true, "binary"),
        (new(@"^/proofs/\{id\}/attachments$"), "POST", "text/csv", true, "binary"),
        (new(@"\.xml$"), "GET", "application/xml", false, ""),
        (new(@"\.html$"), "GET", "text/html", false, ""),
        (new("/dossier$"), "GET", "application/zip", false, "binary"),
        // Reports, proofs of use and letters (several lines for one path: each content type it can answer with).
        (new(@"\.svg$"), "GET", "image/svg+xml", false, ""),
        (new(@"\.pdf$"), "GET", "application/pdf", false, "binary"),
        (new(@"(\.csv|/export)$"), "GET", "text/csv", false, ""),
        (new(@"(\.xlsx|/export)$"), "GET", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", false, "binary"),
        (new(@"^/proofs/\{id\}/attachments/\{attachmentId\}$"), "GET", "application/pdf", false, "binary"),
        (new(@"^/proofs/\{id\}/attachments/\{attachmentId\}$"), "GET", "image/png", false, "binary"),
        (new(@"^/proofs/\{id\}/attachments/\{attachmentId\}$"), "GET", "image/jpeg", false, "binary"),
        (new(@"^/proofs/\{id\}/attachments/\{attachmentId\}$"), "GET", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", false, "binary"),
        (new(@"^/proofs/\{id\}/attachments/\{attachmentId\}$"), "GET", "text/csv", false, "binary"),
    ];

    /// <summary>
    /// The routes that are deliberately public (no token): the public catalogue, the reference data and the audit seals'
    /// public key (auditors verify seals and dossiers with it). The contract declares exactly these without security; an
    /// anonymous endpoint that is not listed here (or a listed route that asks for a token) fails the document.
    /// </summary>
    public static readonly string[] PublicRoutes = ["/catalogue/*", "/reference-data", "/audit/public-key"];

    /// <summary>Whether a path (as in the document) is one of <see cref="PublicRoutes"/> ('*' at the end: the path and everything under it).</summary>
    public static bool IsPublicRoute(string path) => PublicRoutes.Any(r => r.EndsWith("/*", StringComparison.Ordinal)
        ? path.StartsWith(r[..^1], StringComparison.Ordinal) || path == r[..^2]
        : path == r);

    public const string MoneyDescription = "Euros as a JSON number with at most two decimal places (1234.56); the server refuses more places (400).";

    /// <summary>Decimal properties that are not amounts of money (percentages, scores, weights).</summary>
    private static readonly string[] NotMoney = ["percent", "share", "score", "weight", "rate", "ratio", "factor"];

    public static void Configure(OpenApiOptions o)
    {
        o.AddSchemaTransformer((schema, context, _) =>
        {
            var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
            if (type == typeof(decimal) || type == typeof(double) || type == typeof(float))
            {
                var nullable = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) is not null
                    || (schema.Type is { } t && t.HasFlag(JsonSchemaType.Null));
                schema.Type = nullable ? JsonSchemaType.Number | JsonSchemaType.Null : JsonSchemaType.Number;
                schema.Format = "decimal";
                schema.Pattern = null;
                var name = context.JsonPropertyInfo?.Name ?? "";
                if (!NotMoney.Any(n => name.Contains(n, StringComparison.OrdinalIgnoreCase)))
                {
                    // No multipleOf 0.01: validators that compute with binary floats (e.g. Python's jsonschema) refuse valid amounts
                    // such as 1234.56 against it. The two-decimal rule is stated in words and as x-decimal-places instead.
                    schema.MultipleOf = null;
                    schema.Description ??= MoneyDescription;
                    schema.Extensions ??= new Dictionary<string, IOpenApiExtension>();
                    schema.Extensions["x-decimal-places"] = new JsonNodeExtension(System.Text.Json.Nodes.JsonValue.Create(2));
                }
            }
            return Task.CompletedTask;
        });
        o.AddDocumentTransformer((doc, context, _) =>
        {
            Transform(doc, context);
            return Task.CompletedTask;
        });
    }

    private static void Transform(OpenApiDocument doc, OpenApiDocumentTransformerContext context)
    {
        doc.Components ??= new OpenApiComponents();
        doc.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        doc.Components.Schemas[ProblemSchema] = Problem();
        var descriptions = context.DescriptionGroups.SelectMany(g => g.Items)
            .GroupBy(d => (Method: d.HttpMethod?.ToUpperInvariant() ?? "GET", Path: Normalise(d.RelativePath)))
            .ToDictionary(g => g.Key, g => g.First());

        foreach (var (path, item) in doc.Paths)
        {
            if (item.Operations is null) continue;
            foreach (var (method, operation) in item.Operations)
            {
                var verb = method.Method.ToUpperInvariant();
                descriptions.TryGetValue((verb, path), out var description);
                var metadata = description?.ActionDescriptor.EndpointMetadata ?? [];
                var isPublic = metadata.OfType<IAllowAnonymous>().Any();
                if (description is not null && isPublic != IsPublicRoute(path))
                    throw new InvalidOperationException(isPublic
                        ? $"{verb} {path} allows anonymous access but is not one of Contract.PublicRoutes: list it there if it is meant to be public."
                        : $"{verb} {path} is listed in Contract.PublicRoutes but asks for a token.");
                var command = verb is "POST" or "PUT" or "PATCH" or "DELETE";
                var hasPathParameters = path.Contains('{');

                if (isPublic) operation.Security = [];
                var fileResponse = false;
                foreach (var file in Files.Where(f => f.Method == verb && f.Path.IsMatch(path)))
                {
                    // The raw file (any media type but JSON): a generated client passes bytes or text through unchanged.
                    var schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
                    if (file.Request)
                    {
                        var (limit, what) = Upload(path);
                        schema.MaxLength = (int)Math.Min(limit, int.MaxValue);
                        // The first match replaces a generated body; further matches add their content types.
                        if (operation.RequestBody is not OpenApiRequestBody body || body.Description != what)
                            operation.RequestBody = body = new OpenApiRequestBody { Required = true, Description = what, Content = new Dictionary<string, OpenApiMediaType>() };
                        body.Content![file.Media] = new() { Schema = schema };
                    }
                    else if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
                    {
                        // The first match replaces the generated (JSON) content; further matches add their content types.
                        if (!fileResponse || response.Content is null) response.Content = new Dictionary<string, OpenApiMediaType>();
                        response.Content[file.Media] = new() { Schema = schema };
                        fileResponse = true;
                    }
                }

                var statuses = new SortedSet<string> { "400", "414", "431", "503" };
                if (!isPublic) { statuses.Add("401"); statuses.Add("403"); }
                // 404 everywhere: also commands without a path id name cases in their bodies (a call, payments of a batch).
                statuses.Add("404");
                // Reads of a case may meet a state that has no such thing yet (a file before the case produced it): 409 too.
                if (hasPathParameters) statuses.Add("409");
                if (command)
                {
                    statuses.Add("409");
                    statuses.Add("422");
                    if (operation.RequestBody is not null) { statuses.Add("413"); statuses.Add("415"); }
                    if (hasPathParameters) statuses.Add("428");
                }
                if (RateLimited) statuses.Add("429");
                statuses.Add("500");
                operation.Responses ??= new OpenApiResponses();
                foreach (var (status, _) in operation.Responses.Where(r => r.Key.Length == 3 && r.Key[0] is '4' or '5').ToList()) statuses.Add(status);
                foreach (var status in statuses)
                {
                    operation.Responses[status] = new OpenApiResponse
                    {
                        Description = Describe(status),
                        Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, doc) } },
                    };
                }
            }
        }
        var requestSchemas = BoundRequestSchemas(doc);
        DeclareFields(doc, requestSchemas);
        BoundPages(doc);
        BoundAllSchemas(doc);
        DeclareHeaders(doc);
        doc.Info.Contact ??= new OpenApiContact { Name = "FundingPrograms", Url = new Uri("https://fundingprograms.nrw/") };
        doc.Servers =
        [
            new OpenApiServer
            {
                Url = "/", Description = "This service, in production, staging or local (ops/run): the address the document was fetched from.",
                // Applicants' organisations call it from outside the authority: not an internal-only API.
                Extensions = new Dictionary<string, IOpenApiExtension> { ["x-internal"] = new JsonNodeExtension(System.Text.Json.Nodes.JsonValue.Create(false)) },
            },
        ];
        if (doc.Components.SecuritySchemes?.TryGetValue("Bearer", out var bearer) == true && bearer is OpenApiSecurityScheme scheme)
            scheme.Description = "A JWT bearer token (ops/token prints one for development). Tokens are validated as RFC8725 (JWT best current practices) "
                + "recommends: signature algorithm pinned, issuer, audience, expiry and not-before checked.";
        if (doc.Components.Schemas.ContainsKey("IResult") && !Referenced(doc).Contains("IResult")) doc.Components.Schemas.Remove("IResult");
    }

    /// <summary>The size limit (bytes) and description of an upload's body.</summary>
    private static (long Limit, string Description) Upload(string path) => path switch
    {
        "/proofs/{id}/receipts" => (Proofs.ImportReceiptsEndpoint.MaxBytes,
            $"The receipt list as CSV (UTF-8 or Windows-1252, ';' or ','; columns Belegnummer;Datum;Zahlungsempfänger;Verwendungszweck;Position;Betrag), "
            + $"at most {Proofs.ImportReceiptsEndpoint.MaxBytes / (1024 * 1024)} MiB and {Proofs.ProofRules.MaxReceipts:#,0} receipts (more: 400; larger: 413; "
            + "another type: 415). Version as If-Match or ?version=."),
        "/proofs/{id}/attachments" => (Proofs.AddAttachmentEndpoint.HardMaxBytes,
            "The raw file: PDF, PNG, JPEG, XLSX or CSV, recognised from its bytes (anything else 415), at most Proofs:MaxAttachmentBytes "
            + $"(default {Proofs.AddAttachmentEndpoint.DefaultMaxBytes / (1024 * 1024)} MiB; larger: 413). Version as If-Match or ?version=."),
        _ => (Payments.BankXml.MaxUploadBytes, $"The document as sent by the bank, at most {Payments.BankXml.MaxUploadBytes / (1024 * 1024)} MiB (larger: 413)."),
    };

    private static string Describe(string status) => status switch
    {
        "400" => "Bad input: malformed JSON, a field that is not valid (see `errors`), a refused character, too many items.",
        "401" => "No valid bearer token.",
        "403" => "The role does not allow this (or four-eyes: the same person may not do both steps).",
        "404" => "Unknown address, or a case that does not exist or belongs to another organisation.",
        "409" => "The version sent is stale, or the case is not in a state that allows this (for a read: what is asked for does not exist in the case's state yet).",
        "413" => "The body is larger than the server accepts.",
        "414" => "The address (path and query) is longer than the server accepts.",
        "415" => "The body's Content-Type is missing or not the one this operation reads.",
        "422" => "A business rule was broken (the detail names the legal source).",
        "428" => "The expected version is missing (send `version` or If-Match).",
        "431" => "The request headers are larger than the server accepts.",
        "429" => "Too many requests: wait for the seconds in Retry-After (RateLimit-* headers show the budget).",
        "503" => "The database is unreachable: nothing was done; retry after the seconds in Retry-After.",
        "500" => "An unexpected error: nothing was changed; report it with the correlation id.",
        _ => "Error.",
    };

    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details.",
        Required = new HashSet<string> { "type", "title", "status" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri", MaxLength = 200, Description = "A stable problem type (https://fundingprograms.nrw/problems/...)." },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 200 },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "400", Maximum = "599" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 4000, Description = "A human sentence; rule errors name the legal source." },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 2000 },
            ["correlationId"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 200 },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 200 },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object, Description = "Messages by field (JSON path of the field in the request).",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, MaxItems = 100, Items = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 1000 } },
            },
        },
    };

    [GeneratedRegex(@"\{([^}:?=]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    private static string Normalise(string? relativePath) =>
        "/" + RouteParameter().Replace(relativePath ?? "", "{$1}").TrimStart('/');

    /// <summary>
    /// Schemas only requests use carry the global input bounds (every array at most Api:MaxArrayItems items, every string at
    /// most Api:MaxStringLength characters) and only their non-nullable properties are required.
    /// </summary>
    private static HashSet<string> BoundRequestSchemas(OpenApiDocument doc)
    {
        var requests = new HashSet<string>();
        var responses = new HashSet<string>();
        foreach (var operation in doc.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            foreach (var media in operation.RequestBody?.Content?.Values.AsEnumerable() ?? []) Collect(media.Schema, doc, requests);
            foreach (var response in operation.Responses?.Values.AsEnumerable() ?? [])
                foreach (var media in response.Content?.Values.AsEnumerable() ?? []) Collect(media.Schema, doc, responses);
        }
        foreach (var name in requests)
        {
            if (doc.Components!.Schemas![name] is not OpenApiSchema schema) continue;
            // A schema that responses use too holds what a request stored: the same bounds hold for it.
            Bound(schema);
            if (responses.Contains(name)) continue;
            if (schema.Required is { Count: > 0 } required && schema.Properties is not null)
                foreach (var (property, value) in schema.Properties)
                    if (value.Type is { } t && t.HasFlag(JsonSchemaType.Null) || value is OpenApiSchemaReference
                        || value.OneOf?.Any(o => o.Type == JsonSchemaType.Null) == true) required.Remove(property);
        }
        foreach (var operation in doc.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
            foreach (var media in operation.RequestBody?.Content?.Values.AsEnumerable() ?? [])
                if (media.Schema is OpenApiSchema inline) Bound(inline);
        return requests;
    }

    /// <summary>The items of a page are at most its largest size (Page.MaxPageSize; the inbox and audit trail take a limit).</summary>
    private static void BoundPages(OpenApiDocument doc)
    {
        foreach (var (name, candidate) in doc.Components!.Schemas!)
        {
            int? max = name.StartsWith("PageOf", StringComparison.Ordinal) ? Page<object>.MaxPageSize
                : name == "InboxPage" ? (int?)Parameters.Single(p => p.Name == "limit" && p.Path!.IsMatch("/inbox")).Field.Maximum
                : name == "TrailPage" ? (int?)Parameters.Single(p => p.Name == "limit" && p.Path!.IsMatch("/audit/events")).Field.Maximum
                : null;
            if (max is not null && candidate is OpenApiSchema { Properties: { } properties } && properties.TryGetValue("items", out var items) && items is OpenApiSchema list)
                list.MaxItems = max;
        }
    }

    private static void Bound(OpenApiSchema schema)
    {
        if (schema.Type is { } t)
        {
            if (t.HasFlag(JsonSchemaType.Array)) schema.MaxItems ??= InputGuard.MaxArrayItems;
            if (t.HasFlag(JsonSchemaType.String) && schema.Format is null or "" && schema.Enum is not { Count: > 0 }) schema.MaxLength ??= InputGuard.MaxStringLength;
        }
        foreach (var property in schema.Properties?.Values ?? [])
            if (property is OpenApiSchema inline) Bound(inline);
        if (schema.Items is OpenApiSchema items) Bound(items);
        if (schema.AdditionalProperties is OpenApiSchema additional) Bound(additional);
    }

    /// <summary>Every string carries a maxLength (by format, else the global string bound) and every integer its format's range.</summary>
    private static void BoundAllSchemas(OpenApiDocument doc)
    {
        var seen = new HashSet<OpenApiSchema>(ReferenceEqualityComparer.Instance);
        foreach (var schema in doc.Components?.Schemas?.Values.AsEnumerable() ?? []) Limit(schema, seen);
        foreach (var operation in doc.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            foreach (var parameter in operation.Parameters ?? []) Limit(parameter.Schema, seen);
            foreach (var media in operation.RequestBody?.Content?.Values.AsEnumerable() ?? []) Limit(media.Schema, seen);
            foreach (var response in operation.Responses?.Values.AsEnumerable() ?? [])
                foreach (var media in response.Content?.Values.AsEnumerable() ?? []) Limit(media.Schema, seen);
        }
    }

    private static void Limit(IOpenApiSchema? candidate, HashSet<OpenApiSchema> seen)
    {
        if (candidate is not OpenApiSchema schema || !seen.Add(schema)) return;
        if (schema.Type is { } t)
        {
            if (t.HasFlag(JsonSchemaType.String) && schema.Enum is not { Count: > 0 } && schema.Const is null)
                schema.MaxLength ??= schema.Format switch
                {
                    "uuid" => 36,
                    "date" => 10,
                    "date-time" => 40,
                    "time" => 20,
                    "uri" => 2000,
                    "binary" => null,
                    _ => InputGuard.MaxStringLength,
                };
            if (t.HasFlag(JsonSchemaType.Integer))
            {
                var wide = schema.Format == "int64";
                schema.Minimum ??= wide ? long.MinValue.ToString(CultureInfo.InvariantCulture) : int.MinValue.ToString(CultureInfo.InvariantCulture);
                schema.Maximum ??= wide ? long.MaxValue.ToString(CultureInfo.InvariantCulture) : int.MaxValue.ToString(CultureInfo.InvariantCulture);
            }
        }
        foreach (var property in schema.Properties?.Values.AsEnumerable() ?? []) Limit(property, seen);
        Limit(schema.Items, seen);
        Limit(schema.AdditionalProperties, seen);
        foreach (var s in (schema.AllOf ?? []).Concat(schema.AnyOf ?? []).Concat(schema.OneOf ?? [])) Limit(s, seen);
    }

    /// <summary>RateLimit-* on every 2xx/4xx answer (when the limiter is on); Retry-After on 429 and 503.</summary>
    private static void DeclareHeaders(OpenApiDocument doc)
    {
        static OpenApiHeader Header(string description) => new()
        {
            Description = description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0", Maximum = int.MaxValue.ToString(CultureInfo.InvariantCulture) },
        };
        foreach (var operation in doc.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
            foreach (var (status, candidate) in operation.Responses ?? [])
            {
                if (candidate is not OpenApiResponse response) continue;
                response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                if (RateLimited && status[0] is '2' or '4')
                {
                    response.Headers["RateLimit-Limit"] = Header("Requests of this kind allowed per minute (for commands, reads: per user; public routes: per client address).");
                    response.Headers["RateLimit-Remaining"] = Header("Requests left now.");
                    response.Headers["RateLimit-Reset"] = Header("Seconds until the budget is full again.");
                }
                if (status is "429" or "503") response.Headers["Retry-After"] = Header("Seconds to wait before retrying.");
                response.Headers["Access-Control-Allow-Origin"] = new OpenApiHeader
                {
                    Description = "Only on a browser's cross-origin request from one of the origins in Cors:AllowedOrigins (none by default): that origin.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri", MaxLength = 2000 },
                };
            }
    }

    private static void Collect(IOpenApiSchema? schema, OpenApiDocument doc, HashSet<string> names)
    {
        switch (schema)
        {
            case null:
                return;
            case OpenApiSchemaReference reference:
                var id = reference.Reference.Id;
                if (id is null || !names.Add(id)) return;
                if (doc.Components?.Schemas?.TryGetValue(id, out var target) == true) Collect(target, doc, names);
                return;
            default:
                foreach (var property in schema.Properties?.Values ?? []) Collect(property, doc, names);
                Collect(schema.Items, doc, names);
                Collect(schema.AdditionalProperties, doc, names);
                foreach (var s in (schema.AllOf ?? []).Concat(schema.AnyOf ?? []).Concat(schema.OneOf ?? [])) Collect(s, doc, names);
                return;
        }
    }

    private static HashSet<string> Referenced(OpenApiDocument doc)
    {
        var names = new HashSet<string>();
        foreach (var operation in doc.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            foreach (var media in operation.RequestBody?.Content?.Values.AsEnumerable() ?? []) Collect(media.Schema, doc, names);
            foreach (var response in operation.Responses?.Values.AsEnumerable() ?? [])
                foreach (var media in response.Content?.Values.AsEnumerable() ?? []) Collect(media.Schema, doc, names);
        }
        return names;
    }
}
