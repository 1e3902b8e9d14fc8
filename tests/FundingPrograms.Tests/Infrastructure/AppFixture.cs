using System.Net.Http.Headers;
using System.Text.Json;
using Alba;
using FundingPrograms.Infrastructure;
using JasperFx.CommandLine;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FundingPrograms.Tests.Infrastructure;

/// <summary>One API host per test collection, on the real PostgreSQL that ops/test starts.</summary>
public sealed class AppFixture : IAsyncLifetime
{
    public const string SigningKey = "test-signing-key-0123456789-0123456789-abcdef";
    public const string ChainKey = "test-audit-chain-key-0123456789-0123456789-abcdef";
    public IAlbaHost Host { get; private set; } = null!;
    /// <summary>Starts at the real time (durable scheduled messages are delivered by the wall clock); tests move it forward.</summary>
    public TestClock Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    public AuthOptions Auth { get; } = new() { SigningKey = SigningKey };

    public async ValueTask InitializeAsync()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("ConnectionStrings__Marten")))
            throw new InvalidOperationException("ConnectionStrings__Marten is not set: run the tests with ops/test, which starts a disposable PostgreSQL.");
        JasperFxEnvironment.AutoStartHost = true;
        Host = await StartHost(Clock);
    }

    /// <summary>A host on the test database; another schema gives a host of its own (e.g. for restart tests).</summary>
    public static Task<IAlbaHost> StartHost(TimeProvider clock, string? schema = null) => AlbaHost.For<Program>(b =>
    {
        b.UseEnvironment("Development");
        b.UseSetting("Auth:SigningKey", SigningKey);
        b.UseSetting("Audit:ChainKey", ChainKey);
        b.UseSetting("Wolverine:Solo", "true");
        if (schema is not null) b.UseSetting("Marten:Schema", schema);
        b.UseSetting("RateLimits:CommandsPerMinute", "1000000"); // the suite sends far more than a person would
        b.UseSetting("RateLimits:PublicPerMinute", "1000000");
        b.UseSetting("RateLimits:ReadsPerMinute", "1000000");
        b.ConfigureServices(s => s.Replace(ServiceDescriptor.Singleton(clock)));
    });

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();

    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    public string Token(string role, string? name = null, Guid? org = null, string? sub = null) =>
        DevTokens.Create(Auth, sub ?? (name ?? role).ToLowerInvariant().Replace(' ', '-'), name ?? $"Test {role}", [role], org);
}

[CollectionDefinition(nameof(ApiCollection))]
public sealed class ApiCollection : ICollectionFixture<AppFixture>;

/// <summary>Base for scenario tests: data is reset before each test; helpers for tokens and events.</summary>
[Collection(nameof(ApiCollection))]
public abstract class ApiTest(AppFixture app) : IAsyncLifetime
{
    protected AppFixture App { get; } = app;
    protected IAlbaHost Host => App.Host;

    protected string Officer => App.Token(Roles.Officer, "Anna Officer");
    protected string Officer2 => App.Token(Roles.Officer, "Omar Officer");
    protected string Approver => App.Token(Roles.Approver, "Bernd Approver");
    protected string Finance => App.Token(Roles.Finance, "Fatma Finance");
    protected string Auditor => App.Token(Roles.Auditor, "Ines Auditor");
    protected string Admin => App.Token(Roles.Admin, "Adam Admin");
    protected string Applicant(Guid org, string name = "Ayse Applicant") => App.Token(Roles.Applicant, name, org);

    /// <summary>The current budget year by the test clock.</summary>
    public int Year => App.Clock.GetUtcNow().Year;

    public virtual async ValueTask InitializeAsync()
    {
        await Host.ResetAllMartenDataAsync(); // pauses and resumes the async daemon around the reset
        App.Clock.Reset();
    }

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Every domain event stored (Marten's tombstones, which fill sequence gaps left by rolled-back appends, excluded).</summary>
    protected async Task<IReadOnlyList<IEvent>> AllEvents()
    {
        await using var session = App.Store.QuerySession();
        var all = await session.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToListAsync();
        return all.Where(e => e.EventTypeName != "tombstone").ToList();
    }

    protected async Task<IReadOnlyList<IEvent>> StreamEvents(Guid id)
    {
        await using var session = App.Store.QuerySession();
        return await session.Events.FetchStreamAsync(id);
    }

    protected Task<IScenarioResult> Send(string token, Action<Scenario> configure) => Host.Scenario(s =>
    {
        s.WithRequestHeader("Authorization", $"Bearer {token}");
        configure(s);
    });

    public Task<IScenarioResult> PostAs(string token, string url, object body, int status = 200) => Post(token, url, body, status);

    public Task<IScenarioResult> GetAs(string token, string url, int status = 200) => Get(token, url, status);

    protected Task<IScenarioResult> Post(string token, string url, object body, int status = 200, string? idempotencyKey = null) => Send(token, s =>
    {
        s.Post.Json(body, JsonStyle.MinimalApi).ToUrl(url);
        if (idempotencyKey is not null) s.WithRequestHeader("Idempotency-Key", idempotencyKey);
        s.StatusCodeShouldBe(status);
    });

    protected Task<IScenarioResult> Put(string token, string url, object body, int status = 200) => Send(token, s =>
    {
        s.Put.Json(body, JsonStyle.MinimalApi).ToUrl(url);
        s.StatusCodeShouldBe(status);
    });

    protected Task<IScenarioResult> Get(string? token, string url, int status = 200) => Host.Scenario(s =>
    {
        if (token is not null) s.WithRequestHeader("Authorization", $"Bearer {token}");
        s.Get.Url(url);
        s.StatusCodeShouldBe(status);
    });
}

public static class ResultExtensions
{
    public static JsonElement Json(this IScenarioResult result) => JsonDocument.Parse(result.ReadAsText()).RootElement.Clone();

    public static T Body<T>(this IScenarioResult result) => result.ReadAsJson<T>()!;

    /// <summary>Asserts an RFC 9457 problem with the given status and type; returns its JSON.</summary>
    public static JsonElement ShouldBeProblem(this IScenarioResult result, int status, string? type = null)
    {
        result.Context.Response.StatusCode.ShouldBe(status);
        result.Context.Response.ContentType.ShouldNotBeNull().ShouldStartWith("application/problem+json");
        var json = result.Json();
        json.GetProperty("status").GetInt32().ShouldBe(status);
        json.GetProperty("type").GetString().ShouldNotBeNullOrWhiteSpace();
        json.GetProperty("title").GetString().ShouldNotBeNullOrWhiteSpace();
        json.GetProperty("detail").GetString().ShouldNotBeNullOrWhiteSpace();
        if (type is not null) json.GetProperty("type").GetString().ShouldBe(type);
        return json;
    }

    public static string[] FieldErrors(this JsonElement problem, string field) =>
        problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()!).ToArray();
}

/// <summary>A clock tests can move.</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;
    private readonly DateTimeOffset _start = start;
    public override DateTimeOffset GetUtcNow() => _now;
    public void Advance(TimeSpan by) => _now += by;
    public void Set(DateTimeOffset to) => _now = to;
    public void Reset() => _now = _start;
}
