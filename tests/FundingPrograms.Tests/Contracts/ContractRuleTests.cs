using System.Text.Json.Nodes;
using FundingPrograms.Infrastructure;
using FundingPrograms.Tests.Infrastructure;

namespace FundingPrograms.Tests.Contracts;

/// <summary>Rules the OpenAPI document keeps for every operation, so that generated clients and fuzzers can trust it.</summary>
public sealed class the_contract_rules(AppFixture app) : ApiTest(app)
{
    private async Task<JsonObject> Document() => JsonNode.Parse((await Get(null, "/openapi/v1.json")).ReadAsText())!.AsObject();

    private static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations(JsonObject doc) =>
        doc["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(m => (p.Key, m.Key.ToUpperInvariant(), m.Value!.AsObject())));

    [Fact]
    public async Task every_operation_declares_its_problem_responses_with_the_shared_schema()
    {
        var doc = await Document();
        doc["components"]!["schemas"]!["ProblemDetails"].ShouldNotBeNull();
        foreach (var (path, method, operation) in Operations(doc))
        {
            var responses = operation["responses"]!.AsObject();
            var errors = responses.Where(r => r.Key[0] is '4' or '5').ToList();
            errors.ShouldContain(r => r.Key[0] == '4', $"{method} {path} declares no 4xx");
            foreach (var (status, response) in errors)
                response!["content"]?["application/problem+json"]?["schema"]?["$ref"]?.GetValue<string>()
                    .ShouldBe("#/components/schemas/ProblemDetails", $"{method} {path} {status}");
            responses.ContainsKey("503").ShouldBeTrue($"{method} {path} declares no 503");
            responses.ContainsKey("400").ShouldBeTrue($"{method} {path} declares no 400");
            if (method is "POST" or "PUT" or "PATCH" or "DELETE")
            {
                foreach (var status in new[] { "401", "403", "409", "422" }) responses.ContainsKey(status).ShouldBeTrue($"{method} {path} declares no {status}");
                if (operation["requestBody"] is not null)
                    foreach (var status in new[] { "413", "415" }) responses.ContainsKey(status).ShouldBeTrue($"{method} {path} declares no {status}");
            }
        }
    }

    [Fact]
    public async Task money_is_exact_and_nothing_is_a_double()
    {
        var doc = await Document();
        var text = doc.ToJsonString();
        text.ShouldNotContain("\"format\":\"double\"");
        text.ShouldNotContain("\"format\":\"float\"");
        var amount = doc["components"]!["schemas"]!["ChangeBudget"]!["properties"]!["amount"]!;
        amount["format"]!.GetValue<string>().ShouldBe("decimal");
        // Float-based validators (Python's jsonschema) refuse 1234.56 against multipleOf 0.01: the rule is stated otherwise.
        text.ShouldNotContain("multipleOf");
        amount["x-decimal-places"]!.GetValue<int>().ShouldBe(2);
        amount["description"]!.GetValue<string>().ShouldContain("at most two decimal places");
    }

    [Fact]
    public async Task uploads_declare_their_bodies_media_types_and_limits()
    {
        var doc = await Document();
        var paths = doc["paths"]!;
        string[] Types(string path) => [.. paths[path]!["post"]!["requestBody"]!["content"]!.AsObject().Select(c => c.Key)];
        Types("/proofs/{id}/receipts").ShouldBe(["text/csv", "text/plain"]);
        Types("/proofs/{id}/attachments").ShouldBe(["application/pdf", "image/png", "image/jpeg", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv"]);
        Types("/payment-status-reports").ShouldBe(["application/xml"]);
        Types("/bank-notifications").ShouldBe(["application/xml"]);
        paths["/proofs/{id}/receipts"]!["post"]!["requestBody"]!["description"]!.GetValue<string>().ShouldContain("5,000 receipts");
        foreach (var path in new[] { "/proofs/{id}/receipts", "/proofs/{id}/attachments", "/payment-status-reports", "/bank-notifications" })
        {
            var responses = paths[path]!["post"]!["responses"]!.AsObject();
            responses.ContainsKey("413").ShouldBeTrue(path);
            responses.ContainsKey("415").ShouldBeTrue(path);
        }
        var download = paths["/proofs/{id}/attachments/{attachmentId}"]!["get"]!["responses"]!["200"]!["content"]!.AsObject().Select(c => c.Key).ToList();
        download.ShouldBe(["application/pdf", "image/png", "image/jpeg", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv"], ignoreOrder: true);
    }

    [Fact]
    public async Task amounts_are_serialised_with_two_decimal_places()
    {
        var programme = await this.PublishedProgramme(Officer);
        await Post(Officer, $"/programmes/{programme}/budget/increase", new { budgetLine = "0710/684 10", year = Year, amount = 15432.1m, reason = "Nachtrag", version = 3 });
        var text = (await Get(Officer, $"/programmes/{programme}/budget")).ReadAsText();
        text.ShouldContain("515432.10");
        text.ShouldNotContain("515432.1,");
    }

    [Fact]
    public async Task public_routes_need_no_token_and_files_have_their_real_content_types()
    {
        var doc = await Document();
        // The deliberately public routes: the catalogue, the reference data and the audit seals' public key.
        Contract.PublicRoutes.ShouldBe(["/catalogue/*", "/reference-data", "/audit/public-key"]);
        var publicOperations = new List<string>();
        foreach (var (path, method, operation) in Operations(doc))
        {
            var isPublic = path.StartsWith("/catalogue/", StringComparison.Ordinal) || path == "/reference-data" || path == "/audit/public-key";
            if (isPublic) { operation["security"]!.AsArray().Count.ShouldBe(0, $"{method} {path}"); publicOperations.Add($"{method} {path}"); }
            else operation["security"].ShouldBeNull($"{method} {path} must use the document's bearer security");
        }
        publicOperations.ShouldContain("GET /audit/public-key");
        publicOperations.ShouldContain("GET /reference-data");
        publicOperations.ShouldContain("GET /catalogue/programmes");
        await Get(null, "/audit/public-key"); // and it answers without a token
        doc["security"]!.AsArray().Count.ShouldBe(1);
        var paths = doc["paths"]!;
        paths["/bank-statements"]!["post"]!["requestBody"]!["content"]!["application/xml"].ShouldNotBeNull();
        paths["/payment-batches/{id}/pain001.xml"]!["get"]!["responses"]!["200"]!["content"]!["application/xml"].ShouldNotBeNull();
        paths["/grants/{id}/notice.html"]!["get"]!["responses"]!["200"]!["content"]!["text/html"].ShouldNotBeNull();
        paths["/audit/grants/{id}/dossier"]!["get"]!["responses"]!["200"]!["content"]!["application/zip"].ShouldNotBeNull();
        doc["components"]!["schemas"]!.AsObject().ContainsKey("IResult").ShouldBeFalse();
    }

    [Fact]
    public async Task request_arrays_and_strings_carry_the_global_bounds_and_nullable_inputs_are_optional()
    {
        var doc = await Document();
        var draft = doc["components"]!["schemas"]!["ApplicationInput"]!.AsObject();
        draft["properties"]!["targetGroups"]!["maxItems"]!.GetValue<int>().ShouldBe(InputGuard.DefaultMaxArrayItems);
        draft["properties"]!["title"]!["maxLength"].ShouldNotBeNull();
        (draft["required"]?.AsArray().Select(n => n!.GetValue<string>()) ?? []).ShouldNotContain("title");
    }
}
