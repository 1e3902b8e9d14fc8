using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Alba;
using FundingPrograms.Infrastructure;
using FundingPrograms.Tests.Infrastructure;

namespace FundingPrograms.Tests.Contracts;

/// <summary>
/// The invariants that make the OpenAPI document lint clean (ops/lint) and say what the server enforces: bounds on everything a
/// client sends, the InputGuard's character policy as patterns, the validators' field lengths, enums and ranges, CORS and
/// server declarations. Each is checked against the live document and, where it can be, against the server's behaviour.
/// </summary>
public sealed class the_contract_invariants(AppFixture app) : ApiTest(app)
{
    private async Task<JsonObject> Document() => JsonNode.Parse((await Get(null, "/openapi/v1.json")).ReadAsText())!.AsObject();

    private static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations(JsonObject doc) =>
        doc["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(m => (p.Key, m.Key.ToUpperInvariant(), m.Value!.AsObject())));

    private static bool HasType(JsonNode? schema, string type) => schema?["type"] switch
    {
        JsonValue v => v.GetValue<string>() == type,
        JsonArray a => a.Any(t => t!.GetValue<string>() == type),
        _ => false,
    };

    private static JsonObject Schemas(JsonObject doc) => doc["components"]!["schemas"]!.AsObject();

    /// <summary>Every schema object below a node (following $ref into components once), with its JSON path.</summary>
    private static IEnumerable<(string Where, JsonObject Schema)> Walk(JsonObject doc, JsonNode? node, string where, HashSet<string> seen)
    {
        if (node is not JsonObject schema) yield break;
        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            var name = reference.Split('/').Last();
            if (!seen.Add(name)) yield break;
            foreach (var inner in Walk(doc, Schemas(doc)[name], name, seen)) yield return inner;
            yield break;
        }
        yield return (where, schema);
        foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
            foreach (var inner in Walk(doc, property, $"{where}.{name}", seen)) yield return inner;
        foreach (var inner in Walk(doc, schema["items"], where + "[]", seen)) yield return inner;
        foreach (var inner in Walk(doc, schema["additionalProperties"], where + "{}", seen)) yield return inner;
        foreach (var key in new[] { "allOf", "anyOf", "oneOf" })
            foreach (var alternative in schema[key]?.AsArray() ?? [])
                foreach (var inner in Walk(doc, alternative, where, seen)) yield return inner;
    }

    private static IEnumerable<(string Where, JsonObject Schema)> RequestSchemas(JsonObject doc)
    {
        var seen = new HashSet<string>();
        foreach (var (path, method, operation) in Operations(doc))
        {
            foreach (var (media, content) in operation["requestBody"]?["content"]?.AsObject() ?? [])
                foreach (var found in Walk(doc, content!["schema"], $"{method} {path} body", seen)) yield return found;
            foreach (var parameter in operation["parameters"]?.AsArray() ?? [])
                foreach (var found in Walk(doc, parameter!["schema"], $"{method} {path} {parameter["name"]}", seen)) yield return found;
        }
    }

    [Fact]
    public async Task everything_a_client_sends_is_bounded_and_restricted()
    {
        var doc = await Document();
        var problems = new List<string>();
        foreach (var (where, schema) in RequestSchemas(doc))
        {
            if (HasType(schema, "array") && schema["maxItems"] is null) problems.Add($"{where}: array without maxItems");
            if (HasType(schema, "string") && schema["format"]?.GetValue<string>() != "binary")
            {
                if (schema["maxLength"] is null && schema["enum"] is null && schema["const"] is null) problems.Add($"{where}: string without maxLength");
                if (schema["pattern"] is null && schema["enum"] is null && schema["format"] is null && schema["const"] is null
                    && !Contract.FreeTextParameters.Contains(where)) problems.Add($"{where}: string without pattern, format or enum");
            }
            if (HasType(schema, "integer") && (schema["minimum"] is null || schema["maximum"] is null)) problems.Add($"{where}: integer without range");
        }
        problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task every_json_string_has_a_length_pages_are_bounded_and_nothing_is_a_double()
    {
        var doc = await Document();
        var problems = new List<string>();
        foreach (var (name, schema) in Schemas(doc))
            foreach (var (where, s) in Walk(doc, schema, name, [name]))
            {
                if (HasType(s, "string") && s["format"]?.GetValue<string>() != "binary" && s["maxLength"] is null && s["enum"] is null && s["const"] is null)
                    problems.Add($"{where}: string without maxLength");
                if (s["format"]?.GetValue<string>() is "double" or "float") problems.Add($"{where}: {s["format"]}");
                if (HasType(s, "integer") && (s["minimum"] is null || s["maximum"] is null || s["format"] is null)) problems.Add($"{where}: integer without range/format");
            }
        problems.ShouldBeEmpty();
        foreach (var (name, schema) in Schemas(doc).Where(s => s.Key.StartsWith("PageOf", StringComparison.Ordinal)))
            schema!["properties"]!["items"]!["maxItems"]!.GetValue<int>().ShouldBe(Page<object>.MaxPageSize, name);
        Schemas(doc)["InboxPage"]!["properties"]!["items"]!["maxItems"]!.GetValue<int>().ShouldBe(200);
        Schemas(doc)["TrailPage"]!["properties"]!["items"]!["maxItems"]!.GetValue<int>().ShouldBe(500);
    }

    [Fact]
    public async Task every_response_declares_the_cors_header_and_the_server_its_audience()
    {
        var doc = await Document();
        foreach (var (path, method, operation) in Operations(doc))
        {
            var responses = operation["responses"]!.AsObject();
            responses.ShouldContain(r => r.Key[0] == '4' && r.Value!["content"]!["application/problem+json"] != null, $"{method} {path}");
            foreach (var (status, response) in responses)
                response!["headers"]?["Access-Control-Allow-Origin"].ShouldNotBeNull($"{method} {path} {status}");
            foreach (var status in new[] { "414", "431" }) responses.ContainsKey(status).ShouldBeTrue($"{method} {path} {status}");
        }
        var server = doc["servers"]!.AsArray().Single()!;
        server["x-internal"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task by_default_no_origin_is_allowed_cross_origin()
    {
        var result = await Host.Scenario(s =>
        {
            s.WithRequestHeader("Origin", "https://portal.example.org");
            s.Get.Url("/reference-data");
        });
        result.Context.Response.Headers.AccessControlAllowOrigin.ToString().ShouldBeEmpty();
    }

    [Fact]
    public async Task the_lint_exempts_exactly_the_public_routes_from_token_rules()
    {
        var doc = await Document();
        var publicPaths = Operations(doc).Where(o => o.Operation["security"] is JsonArray { Count: 0 }).Select(o => o.Path).Distinct().Order().ToArray();
        publicPaths.ShouldAllBe(p => Contract.IsPublicRoute(p));
        var overridden = File.ReadAllLines(Repo.File(".spectral.yaml"))
            .Select(l => Regex.Match(l, "openapi\\.v1\\.json#(/paths/[^\"]+)\""))
            .Where(m => m.Success)
            .Select(m => Uri.UnescapeDataString(m.Groups[1].Value["/paths/".Length..]).Replace("~1", "/").Replace("~0", "~"))
            .Order().ToArray();
        overridden.ShouldBe(publicPaths, ".spectral.yaml's overrides must list exactly the public routes");
    }

    [Fact]
    public void the_text_patterns_refuse_what_the_input_guard_refuses()
    {
        var single = new Regex(Contract.SingleLineText);
        var multi = new Regex(Contract.MultiLineText);
        for (var c = 0; c <= 0xFFFF; c++)
        {
            if (char.IsSurrogate((char)c)) continue;
            var text = "a" + (char)c + "b";
            single.IsMatch(text).ShouldBe(InputGuard.Invalid(text, singleLine: true) is null, $"U+{c:X4} one line");
            multi.IsMatch(text).ShouldBe(InputGuard.Invalid(text, singleLine: false) is null, $"U+{c:X4} multi-line");
        }
    }

    [Fact]
    public async Task single_line_fields_are_the_ones_the_input_guard_keeps_to_one_line()
    {
        var doc = await Document();
        var checkedFields = 0;
        foreach (var (name, schema) in Schemas(doc))
            foreach (var (property, value) in schema!["properties"]?.AsObject() ?? [])
            {
                var pattern = value?["pattern"]?.GetValue<string>();
                if (pattern is not (Contract.SingleLineText or Contract.MultiLineText)) continue;
                var body = Encoding.UTF8.GetBytes(new JsonObject { [property] = "line one\nline two" }.ToJsonString());
                var refused = Record.Exception(() => InputGuard.Scan(body, InputGuard.DefaultMaxArrayItems)) is ProblemException;
                refused.ShouldBe(pattern == Contract.SingleLineText, $"{name}.{property}");
                checkedFields++;
            }
        checkedFields.ShouldBeGreaterThan(50);
    }

    /// <summary>
    /// Every <c>Check.Required(value, "field", max)</c> in the source is declared: the field (in a record of the same file, or
    /// below one) has maxLength = max (capped by the global string bound), or the query parameter of that name has.
    /// </summary>
    [Fact]
    public async Task the_declared_field_lengths_are_the_validators()
    {
        var doc = await Document();
        var schemas = Schemas(doc);
        var call = new Regex(@"\.(?:Required|LocalizedRequired)\(\s*[^,]+?,\s*(\$?""[^""]*""|F\(""[^""]*""\)|field\(""[^""]*""\))\s*,\s*([0-9_]+)\s*\)");
        var record = new Regex(@"\brecord\s+(?:class\s+|struct\s+)?(\w+)");
        var problems = new List<string>();
        var found = 0;
        foreach (var file in Directory.EnumerateFiles(Repo.File("src", "FundingPrograms.Api"), "*.cs", SearchOption.AllDirectories))
        {
            var source = File.ReadAllText(file);
            // The records declared in this file, and the command records its endpoint takes (one capability per file may share a record).
            var records = record.Matches(source).Select(m => m.Groups[1].Value)
                .Concat(Regex.Matches(source, @"\((\w+) cmd\b").Select(m => m.Groups[1].Value))
                .Where(schemas.ContainsKey).Distinct().ToList();
            foreach (Match m in call.Matches(source))
            {
                found++;
                var field = Regex.Match(m.Groups[1].Value, "\"([^\"]*)\"").Groups[1].Value;
                var property = field.Split('.').Last();
                var max = Math.Min(int.Parse(m.Groups[2].Value.Replace("_", "")), InputGuard.DefaultMaxStringLength);
                // The field's last name, in a record of this file or anything below it (translations: each text).
                var candidates = records.SelectMany(r => Walk(doc, schemas[r], r, []))
                    .Select(s => s.Schema["properties"]?[property])
                    .Select(p => p?["additionalProperties"] ?? p)
                    .Where(p => p is not null).ToList();
                var parameters = Operations(doc).SelectMany(o => o.Operation["parameters"]?.AsArray() ?? [])
                    .Where(p => p!["name"]!.GetValue<string>() == property).Select(p => p!["schema"]);
                if (!candidates.Concat(parameters).Any(p => p?["maxLength"]?.GetValue<int>() == max))
                    problems.Add($"{Path.GetFileName(file)}: {field} is checked for at most {max} characters; declare it in Contract.Fields");
            }
        }
        found.ShouldBeGreaterThan(60);
        problems.ShouldBeEmpty();
    }

    /// <summary>What the document declares for query parameters, the server refuses outside it (checked on parameterless GETs).</summary>
    [Fact]
    public async Task query_parameters_outside_their_declared_bounds_are_refused()
    {
        var doc = await Document();
        var everyone = DevTokens.Create(App.Auth, "contract-prober", "Contract Prober",
            [Roles.Officer, Roles.Approver, Roles.Finance, Roles.Auditor, Roles.Admin]);
        var probed = 0;
        var problems = new List<string>();
        foreach (var (path, method, operation) in Operations(doc).Where(o => o.Method == "GET" && !o.Path.Contains('{')))
            foreach (var parameter in operation["parameters"]?.AsArray() ?? [])
            {
                var name = parameter!["name"]!.GetValue<string>();
                var schema = parameter["schema"]!;
                var wrong = new List<string>();
                if (schema["enum"] is not null) wrong.Add("not-one-of-them");
                if (schema["maximum"] is not null && schema["maximum"]!.GetValue<long>() < int.MaxValue) wrong.Add((schema["maximum"]!.GetValue<long>() + 1).ToString());
                if (schema["minimum"] is not null && schema["minimum"]!.GetValue<long>() > int.MinValue) wrong.Add((schema["minimum"]!.GetValue<long>() - 1).ToString());
                if (schema["pattern"] is not null) wrong.Add("x,y");
                foreach (var value in wrong)
                {
                    var url = $"{path}?{name}={Uri.EscapeDataString(value)}";
                    if (operation["parameters"]!.AsArray().Any(p => p!["name"]!.GetValue<string>() == "format" && name != "format")) url += "&format=csv";
                    var result = await Host.Scenario(s =>
                    {
                        s.Get.Url(url);
                        s.WithRequestHeader("Authorization", $"Bearer {everyone}");
                        s.IgnoreStatusCode();
                    });
                    var status = result.Context.Response.StatusCode;
                    if (status == 403) continue; // a role this token lacks (applicant-only routes)
                    probed++;
                    if (status != 400) problems.Add($"GET {url} answered {status}, not 400");
                }
            }
        probed.ShouldBeGreaterThan(10);
        problems.ShouldBeEmpty();
    }
}
