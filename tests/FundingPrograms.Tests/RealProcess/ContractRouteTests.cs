using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FundingPrograms.Infrastructure;
using FundingPrograms.Tests.Contracts;
using FundingPrograms.Tests.Infrastructure;
using Npgsql;

namespace FundingPrograms.Tests.RealProcess;

/// <summary>
/// A real service process with the rate limits off (the sweep sends thousands of requests) and a small world of one
/// organisation's cases: a programme with a call, an organisation with a rejected application (its rejection letter) and an
/// approved one (the grant, its notice letter and a draft proof of use).
/// </summary>
public sealed class ContractSweepFixture : IAsyncLifetime
{
    public ServiceProcess Service { get; private set; } = null!;
    public string Schema { get; } = "sweep_" + Guid.NewGuid().ToString("N")[..8];
    /// <summary>Ids of the other organisation's cases, by kind.</summary>
    public Dictionary<string, Guid> Theirs { get; } = [];

    public async ValueTask InitializeAsync()
    {
        Service = await ServiceProcess.Start(Schema, settings: new Dictionary<string, string>
        {
            ["RateLimits__CommandsPerMinute"] = "0", ["RateLimits__ReadsPerMinute"] = "0", ["RateLimits__PublicPerMinute"] = "0",
            // What an operator runs with: Information (client mistakes are logged there, never as errors).
            ["Logging__LogLevel__Default"] = "Information", ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
        });
        var s = Service;
        var (programme, call, org, approved, grant, rejected, officer, applicant) = await SeededPortfolio.Seed(s);
        var proof = (await s.Post(applicant, $"/grants/{grant}/proofs", new { kind = "final" }, 201)).GetProperty("id").GetGuid();
        // Letters are issued by a background handler: wait for the first.
        var items = default(JsonElement);
        for (var i = 0; i < 100 && items.ValueKind != JsonValueKind.Array; i++)
        {
            var page = (await s.Get(officer, $"/organisations/{org}/letters")).GetProperty("items");
            if (page.GetArrayLength() > 0) items = page;
            else await Task.Delay(200);
        }
        items.ValueKind.ShouldBe(JsonValueKind.Array, "no letter was issued");

        Theirs["organisation"] = org;
        Theirs["application"] = approved;
        Theirs["rejected application"] = rejected;
        Theirs["grant"] = grant;
        Theirs["proof"] = proof;
        Theirs["letter"] = items[0].GetProperty("id").GetGuid();
        Theirs["programme"] = programme;
        Theirs["call"] = call;
    }

    public async ValueTask DisposeAsync() => await Service.DisposeAsync();
}

[CollectionDefinition(nameof(ContractSweepCollection))]
public sealed class ContractSweepCollection : ICollectionFixture<ContractSweepFixture>;

/// <summary>Every route of the contract, with every media type it lists and */*: an error is problem+json, never a 5xx.</summary>
[Collection(nameof(ContractSweepCollection))]
public sealed class every_route_of_the_contract_on_the_real_server(ContractSweepFixture fixture)
{
    private ServiceProcess S => fixture.Service;

    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];
    private static readonly System.Text.RegularExpressions.Regex StackTrace = new(@"Exception\b|\bat [\w.`<>]+\.[\w<>`]+\(|\.cs:line|/work/|/src/");

    private sealed record Operation(string Method, string Path, string[] RequestTypes, string[] ResponseTypes, string[] Statuses);

    private static List<Operation> Operations()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Repo.File("contracts", "openapi.v1.json")));
        var list = new List<Operation>();
        foreach (var path in doc.RootElement.GetProperty("paths").EnumerateObject())
            foreach (var op in path.Value.EnumerateObject().Where(o => Methods.Contains(o.Name)))
            {
                var request = op.Value.TryGetProperty("requestBody", out var body) && body.TryGetProperty("content", out var c)
                    ? c.EnumerateObject().Select(x => x.Name).ToArray() : [];
                var responses = op.Value.GetProperty("responses").EnumerateObject()
                    .SelectMany(r => r.Value.TryGetProperty("content", out var rc) ? rc.EnumerateObject().Select(x => x.Name) : [])
                    .Distinct().ToArray();
                var statuses = op.Value.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToArray();
                list.Add(new Operation(op.Name.ToUpperInvariant(), path.Name, request, responses, statuses));
            }
        return list;
    }

    private static HttpContent? Body(string method, string? type)
    {
        if (method == "GET" || method == "DELETE") return null;
        type ??= "application/json";
        HttpContent content = type switch
        {
            _ when type.Contains("json") => new StringContent("{\"version\":1}", Encoding.UTF8),
            _ when type.Contains("xml") => new StringContent("<x/>", Encoding.UTF8),
            _ when type.StartsWith("text/", StringComparison.Ordinal) => new StringContent("a;b\n1;2\n", Encoding.UTF8),
            _ => new ByteArrayContent([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34, 0x0a]),
        };
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        return content;
    }

    private async Task<List<string>> Sweep(string token, IReadOnlyDictionary<string, Guid> ids, Func<Operation, bool> include)
    {
        var failures = new List<string>();
        var count = 0;
        foreach (var op in Operations().Where(include))
        {
            var parameters = System.Text.RegularExpressions.Regex.Matches(op.Path, "\\{[^}]+\\}").Select(m => m.Value).Distinct().ToArray();
            var addresses = parameters.Length == 0 ? [op.Path]
                : ids.Values.Select(id => parameters.Aggregate(op.Path, (p, name) => p.Replace(name, id.ToString()))).ToArray();
            var accepts = op.ResponseTypes.Append("*/*").Distinct().ToArray();
            var bodies = op.RequestTypes.Length == 0 ? [(string?)null] : op.RequestTypes.Cast<string?>().ToArray();
            foreach (var address in addresses)
                foreach (var accept in accepts)
                    foreach (var type in bodies)
                    {
                        using var request = new HttpRequestMessage(new HttpMethod(op.Method), address) { Content = Body(op.Method, type) };
                        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                        request.Headers.Accept.ParseAdd(accept);
                        using var response = await S.Http.SendAsync(request);
                        var text = await response.Content.ReadAsStringAsync();
                        count++;
                        var status = (int)response.StatusCode;
                        var media = response.Content.Headers.ContentType?.MediaType;
                        var what = $"{op.Method} {address} Accept {accept} body {type ?? "-"}: {status} {media} {text[..Math.Min(200, text.Length)]}";
                        if (status >= 500) failures.Add(what);
                        else if (!op.Statuses.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture)) && status >= 300)
                            failures.Add("undeclared status: " + what);
                        else if (status >= 400 && media != "application/problem+json") failures.Add(what);
                        else if (status >= 400 && StackTrace.IsMatch(text))
                            failures.Add("exception text: " + what);
                    }
        }
        count.ShouldBeGreaterThan(100);
        return failures;
    }

    [Fact]
    public async Task an_unknown_id_with_any_media_type_is_never_a_5xx_and_every_error_is_problem_json()
    {
        var before = S.Output.Length;
        var staff = DevTokens.Create(S.Auth, "staff-sweep", "Sam Staff", Roles.Staff.Split(','));
        var unknown = new Dictionary<string, Guid> { ["unknown"] = Guid.NewGuid() };
        var failures = await Sweep(staff, unknown, _ => true);
        failures.ShouldBeEmpty(string.Join("\n", failures.Take(40)));
        S.Output[before..].ShouldNotContain("Unhandled error");
    }

    [Fact]
    public async Task another_organisations_ids_with_any_media_type_are_never_a_5xx_and_every_error_is_problem_json()
    {
        var before = S.Output.Length;
        var founder = S.Token(Roles.Applicant, "Other Founder", sub: "other-" + Guid.NewGuid().ToString("N")[..6]);
        var other = (await S.Post(founder, "/organisations", ApplicationSamples.Organisation("Anderer Verein e.V."), 201)).GetProperty("id").GetGuid();
        var applicant = S.Token(Roles.Applicant, "Olga Other", other);
        var failures = await Sweep(applicant, fixture.Theirs, _ => true);
        failures.ShouldBeEmpty(string.Join("\n", failures.Take(40)));
        S.Output[before..].ShouldNotContain("Unhandled error");
    }

    [Fact]
    public async Task another_organisations_letters_and_receipts_are_404_problems_whatever_accept_says()
    {
        var before = S.Output.Length;
        var founder = S.Token(Roles.Applicant, "Third Founder", sub: "third-" + Guid.NewGuid().ToString("N")[..6]);
        var other = (await S.Post(founder, "/organisations", ApplicationSamples.Organisation("Dritter Verein e.V."), 201)).GetProperty("id").GetGuid();
        var applicant = S.Token(Roles.Applicant, "Theo Third", other);
        foreach (var (url, accept) in new[]
        {
            ($"/letters/{fixture.Theirs["letter"]}/letter.pdf", "application/pdf"),
            ($"/letters/{fixture.Theirs["letter"]}/letter.html", "text/html"),
            ($"/letters/{Guid.NewGuid()}/letter.pdf", "application/pdf"),
            ($"/proofs/{fixture.Theirs["proof"]}/receipts.csv", "text/csv"),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", applicant);
            request.Headers.Accept.ParseAdd(accept);
            using var response = await S.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            ((int)response.StatusCode).ShouldBe(404, $"{url}: {text}");
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            JsonDocument.Parse(text).RootElement.GetProperty("type").GetString().ShouldBe(ProblemTypes.NotFound);
            text.ShouldNotContain("Exception");
        }
    }

    [Fact]
    public async Task a_command_on_the_nil_id_is_404_and_appends_nothing()
    {
        var before = S.Output.Length;
        var staff = DevTokens.Create(S.Auth, "staff-nil", "Nils Staff", Roles.Staff.Split(','));
        var applicant = S.Token(Roles.Applicant, "Nina Applicant", fixture.Theirs["organisation"]);
        var nil = new Dictionary<string, Guid> { ["nil"] = Guid.Empty };
        var commands = (Func<Operation, bool>)(op => op.Method != "GET" && op.Path.Contains('{'));
        var failures = await Sweep(staff, nil, commands);
        failures.AddRange(await Sweep(applicant, nil, commands));
        failures.ShouldBeEmpty(string.Join("\n", failures.Take(40)));

        foreach (var url in new[] { "/applications/{0}/submit", "/applications/{0}/formal-check", "/grants/{0}/drawdowns", "/programmes/{0}/publish" })
        {
            var address = string.Format(System.Globalization.CultureInfo.InvariantCulture, url, Guid.Empty);
            var body = url.Contains("drawdowns")
                ? new { amount = 100m, amountDue = 100m, neededOn = BerlinTime.Today(ServiceProcess.Clock.GetUtcNow()).ToString("yyyy-MM-dd"), purpose = "Miete" } as object
                : new { version = 1 };
            var token = url.Contains("submit") || url.Contains("drawdowns") ? applicant : staff;
            var (status, problem, response) = await S.Send(HttpMethod.Post, address, token, ServiceProcess.Json(body));
            ((int)status).ShouldBe(404, $"{address}: {problem}");
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }

        await using var db = new NpgsqlConnection(Environment.GetEnvironmentVariable("ConnectionStrings__Marten"));
        await db.OpenAsync();
        await using var query = new NpgsqlCommand($"select (select count(*) from {fixture.Schema}.mt_streams where id = @nil) + (select count(*) from {fixture.Schema}.mt_events where stream_id = @nil)", db);
        query.Parameters.AddWithValue("nil", Guid.Empty);
        ((long)(await query.ExecuteScalarAsync())!).ShouldBe(0L);
        S.Output[before..].ShouldNotContain("Unhandled error");
    }
}

/// <summary>An operator's alert on errors must never fire on a client's mistake: 4xx are Information with the correlation id.</summary>
[Collection(nameof(ContractSweepCollection))]
public sealed class client_mistakes_in_the_log_of_the_real_server(ContractSweepFixture fixture)
{
    private ServiceProcess S => fixture.Service;

    [Fact]
    public async Task a_4xx_is_logged_as_information_with_its_correlation_id_never_as_an_error()
    {
        var officer = S.Token(Roles.Officer, "Anna Officer");
        var applicant = S.Token(Roles.Applicant, "Ayse Applicant", fixture.Theirs["organisation"]);
        var before = S.Output.Length;
        var mistakes = new (HttpMethod Method, string Url, string? Token, string? Body, string Type, int Status)[]
        {
            (HttpMethod.Post, "/programmes", officer, "{\"title\": ", "application/json", 400),                  // does not bind
            (HttpMethod.Post, "/programmes", officer, "{\"title\": 12, \"budgetLines\": \"x\"}", "application/json", 400),
            (HttpMethod.Post, $"/applications/{fixture.Theirs["application"]}/submit", applicant, "{\"version\": \"one\"}", "application/json", 400),
            (HttpMethod.Post, "/programmes", officer, "<x/>", "application/xml", 415),
            (HttpMethod.Post, $"/applications/{Guid.NewGuid()}/submit", applicant, "{\"version\": 1}", "application/json", 404),
            (HttpMethod.Post, $"/programmes/{fixture.Theirs["programme"]}/publish", officer, "{\"version\": 1}", "application/json", 409),
            (HttpMethod.Get, "/programmes", null, null, "", 401),
        };
        var ids = new List<string>();
        foreach (var (method, url, token, body, type, status) in mistakes)
        {
            var correlation = "typo-" + Guid.NewGuid().ToString("N")[..12];
            using var request = new HttpRequestMessage(method, url);
            if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, type);
            if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add(Correlation.Header, correlation);
            using var response = await S.Http.SendAsync(request);
            ((int)response.StatusCode).ShouldBe(status, $"{method} {url}: {await response.Content.ReadAsStringAsync()}");
            if (status != 401) ids.Add(correlation);
        }
        await Task.Delay(500); // the log is read from the process's output asynchronously
        var log = S.Output[before..];
        log.ShouldNotContain("fail:");
        log.ShouldNotContain("crit:");
        log.ShouldNotContain("   at ");
        foreach (var id in ids) log.ShouldContain(id, customMessage: log);
    }
}
