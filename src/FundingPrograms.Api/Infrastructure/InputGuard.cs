using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace FundingPrograms.Infrastructure;

/// <summary>
/// One policy for every JSON body, before any endpoint reads it (so no endpoint can forget it):
/// a body needs a JSON Content-Type (415); no duplicate keys; no array longer than <c>Api:MaxArrayItems</c> (default 1000);
/// no NUL, control, bidi-override, zero-width, line/paragraph-separator or non-characters in any string or key (400 naming the
/// field); tab/CR/LF only in multi-line text, never in names, titles, IBANs and the like. Strings are stored in Unicode NFC.
/// </summary>
public static class InputGuard
{
    public const int DefaultMaxArrayItems = 1000;
    public const int DefaultMaxStringLength = 20_000;

    /// <summary>Api:MaxArrayItems: the most items any array of a request may have.</summary>
    public static int MaxArrayItems { get; set; } = DefaultMaxArrayItems;

    /// <summary>Api:MaxStringLength: the most characters any string of a request may have (fields may allow fewer).</summary>
    public static int MaxStringLength { get; set; } = DefaultMaxStringLength;

    /// <summary>Properties (and everything below them) that hold one line of text: no tab, CR or LF.</summary>
    private static readonly string[] SingleLineSuffixes = ["name", "title", "iban", "bic", "email", "phone", "reference", "key", "id", "code"];

    public static IApplicationBuilder UseInputGuard(this IApplicationBuilder app, IConfiguration config)
    {
        MaxArrayItems = config.GetValue("Api:MaxArrayItems", DefaultMaxArrayItems);
        MaxStringLength = config.GetValue("Api:MaxStringLength", DefaultMaxStringLength);
        return app.UseInputGuard(MaxArrayItems);
    }

    public static IApplicationBuilder UseInputGuard(this IApplicationBuilder app, int maxArrayItems) => app.Use(async (http, next) =>
    {
        var request = http.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || !(http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? request.ContentLength > 0) || request.ContentLength == 0)
        {
            await next(http);
            return;
        }
        var accepts = http.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>();
        if (string.IsNullOrWhiteSpace(request.ContentType))
            throw ProblemException.Of(415, ProblemTypes.UnsupportedMediaType,
                $"The request has a body but no Content-Type header; send it as {(accepts?.ContentTypes.FirstOrDefault() ?? "application/json")}.");
        if (!IsJson(request.ContentType))
        {
            if (accepts is { ContentTypes.Count: > 0 } && !accepts.ContentTypes.Any(t => IsSameMediaType(t, request.ContentType)))
                throw ProblemException.Of(415, ProblemTypes.UnsupportedMediaType, $"Send the body as {string.Join(" or ", accepts.ContentTypes)}.");
            await next(http);
            return;
        }

        var body = await ReadAll(request.Body, http.RequestAborted);
        if (body.Length > 0)
        {
            var normalise = Scan(body, maxArrayItems);
            if (normalise) body = Normalise(body);
        }
        if (body.Length > 0 && accepts?.RequestType is { } type && type != typeof(object) && !typeof(Stream).IsAssignableFrom(type))
        {
            // A body that does not bind to the command is the client's mistake: refused here as 400 (JsonException -> problem), not
            // left to the endpoint's binder, which logs it as an error with a stack trace (an operator's alert on a typo).
            var json = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value;
            System.Text.Json.JsonSerializer.Deserialize(body, type, json.SerializerOptions);
        }
        request.Body = new MemoryStream(body, writable: false);
        request.ContentLength = body.Length;
        await next(http);
    });

    private static bool IsJson(string contentType)
    {
        var media = contentType.Split(';', 2)[0].Trim();
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
            || media.Equals("text/json", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsSameMediaType(string accepted, string contentType) =>
        accepted.Split(';', 2)[0].Trim().Equals(contentType.Split(';', 2)[0].Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the body asynchronously; the server's body size limit still applies (413).</summary>
    private static async Task<byte[]> ReadAll(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }

    private sealed class Frame(bool isArray, string path, bool singleLine)
    {
        public bool IsArray { get; } = isArray;
        public string Path { get; } = path;
        public bool SingleLine { get; } = singleLine;
        public int Index = -1;
        public string? Property;
        public HashSet<string>? Names;
    }

    /// <summary>Checks the whole document; returns true when some string or key is not in NFC (the body is then rewritten).</summary>
    public static bool Scan(ReadOnlySpan<byte> json, int maxArrayItems)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
        var stack = new Stack<Frame>();
        var normalise = false;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                {
                    var (path, singleLine) = EnterValue(stack, maxArrayItems);
                    stack.Push(new Frame(reader.TokenType == JsonTokenType.StartArray, path, singleLine));
                    break;
                }
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    stack.Pop();
                    break;
                case JsonTokenType.PropertyName:
                {
                    var frame = stack.Peek();
                    var name = Read(ref reader, Join(frame.Path, "(key)"));
                    var path = Join(frame.Path, name);
                    if (Invalid(name, singleLine: true) is { } keyProblem) throw Refuse(path, "The key " + keyProblem);
                    normalise |= !name.IsNormalized(NormalizationForm.FormC);
                    frame.Names ??= new HashSet<string>(StringComparer.Ordinal);
                    if (!frame.Names.Add(name)) throw Refuse(path, "This key appears more than once in the same object.");
                    frame.Property = name;
                    break;
                }
                case JsonTokenType.String:
                {
                    var (path, singleLine) = EnterValue(stack, maxArrayItems);
                    var value = Read(ref reader, path);
                    if (Invalid(value, singleLine) is { } problem) throw Refuse(path, "The text " + problem);
                    if (value.Length > MaxStringLength) throw Refuse(path, $"At most {MaxStringLength} characters are allowed.");
                    normalise |= !value.IsNormalized(NormalizationForm.FormC);
                    break;
                }
                default:
                    EnterValue(stack, maxArrayItems);
                    break;
            }
        }
        return normalise;
    }

    private static string Read(ref Utf8JsonReader reader, string path)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw Refuse(path, "The text contains an invalid Unicode escape (an unpaired surrogate).");
        }
    }

    private static (string Path, bool SingleLine) EnterValue(Stack<Frame> stack, int maxArrayItems)
    {
        if (stack.Count == 0) return ("", false);
        var frame = stack.Peek();
        if (!frame.IsArray)
        {
            var property = frame.Property ?? "";
            return (Join(frame.Path, property), frame.SingleLine || IsSingleLine(property));
        }
        frame.Index++;
        if (frame.Index >= maxArrayItems) throw Refuse(frame.Path.Length == 0 ? "body" : frame.Path, $"At most {maxArrayItems} items are allowed.");
        return ($"{frame.Path}[{frame.Index}]", frame.SingleLine);
    }

    private static bool IsSingleLine(string property) =>
        SingleLineSuffixes.Any(s => property.EndsWith(s, StringComparison.OrdinalIgnoreCase));

    private static string Join(string path, string property) => path.Length == 0 ? property : $"{path}.{property}";

    private static ProblemException Refuse(string field, string message) =>
        ProblemException.Validation(new Dictionary<string, string[]> { [field.Length == 0 ? "body" : field] = [message] });

    /// <summary>Why a string is refused, or null: control characters (tab/CR/LF allowed in multi-line text), invisible format characters, separators.</summary>
    public static string? Invalid(string value, bool singleLine)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                var cp = char.ConvertToUtf32(c, value[i + 1]);
                if ((cp & 0xFFFE) == 0xFFFE || cp is >= 0xE0000 and <= 0xE007F) return $"contains the invisible character U+{cp:X4}.";
                i++;
                continue;
            }
            if (char.IsSurrogate(c)) return "contains an unpaired surrogate.";
            if (c == '\0') return "contains a NUL character (U+0000).";
            if (c is '\t' or '\n' or '\r')
            {
                if (singleLine) return $"must be one line (it contains U+{(int)c:X4}).";
                continue;
            }
            if (c < 0x20 || c is >= '\u007F' and <= '\u009F') return $"contains the control character U+{(int)c:X4}.";
            if (c is '\u2028' or '\u2029') return $"contains the line/paragraph separator U+{(int)c:X4}.";
            if (c is >= '\u200B' and <= '\u200F' or >= '\u202A' and <= '\u202E' or >= '\u2060' and <= '\u2064' or >= '\u2066' and <= '\u2069'
                or '\u061C' or '\u180E' or '\uFEFF' or >= '\uFFF9' and <= '\uFFFB' or '\uFFFE' or '\uFFFF' or >= '\uFDD0' and <= '\uFDEF')
                return $"contains the invisible or direction-changing character U+{(int)c:X4}.";
        }
        return null;
    }

    /// <summary>Rewrites the document with every string and key in NFC; numbers are copied byte for byte.</summary>
    public static byte[] Normalise(byte[] json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        using var output = new MemoryStream(json.Length + 16);
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true }))
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject: writer.WriteStartObject(); break;
                    case JsonTokenType.EndObject: writer.WriteEndObject(); break;
                    case JsonTokenType.StartArray: writer.WriteStartArray(); break;
                    case JsonTokenType.EndArray: writer.WriteEndArray(); break;
                    case JsonTokenType.PropertyName: writer.WritePropertyName(reader.GetString()!.Normalize(NormalizationForm.FormC)); break;
                    case JsonTokenType.String: writer.WriteStringValue(reader.GetString()!.Normalize(NormalizationForm.FormC)); break;
                    case JsonTokenType.Number: writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true); break;
                    case JsonTokenType.True: writer.WriteBooleanValue(true); break;
                    case JsonTokenType.False: writer.WriteBooleanValue(false); break;
                    case JsonTokenType.Null: writer.WriteNullValue(); break;
                }
            }
        }
        return output.ToArray();
    }
}
