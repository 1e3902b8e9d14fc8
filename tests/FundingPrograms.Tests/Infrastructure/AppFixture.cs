using System.Globalization;
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
    /// <summary>Starts at the suite's instant (<see cref="TestClock.SuiteStart"/>); tests move it.</summary>
    public TestClock Clock { get; } = new(TestClock.SuiteStart);
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
    public string AuditorToken => Auditor;
    protected string Admin => App.Token(Roles.Admin, "Adam Admin");
    protected string Applicant(Guid org, string name = "Ayse Applicant") => App.Token(Roles.Applicant, name, org);

    /// <summary>Today in Berlin by the test clock.</summary>
    public DateOnly Today => BerlinTime.Today(App.Clock.GetUtcNow());

    /// <summary>The current budget year (Berlin) by the test clock.</summary>
    public int Year => Today.Year;

    /// <summary>The budget year a fixture's grants are for (see <see cref="GrantSamples.FundingYear"/>).</summary>
    public int FundingYear => GrantSamples.FundingYear(App.Clock);

    public virtual async ValueTask InitializeAsync()
    {
        // The previous test's letters are issued right after its decisions: they finish before the data is reset under them.
        await Host.LettersIssued(TimeSpan.FromSeconds(5), throwOnTimeout: false);
        await Host.ResetAllMartenDataAsync(); // pauses and resumes the async daemon around the reset
        App.Clock.Reset();
    }

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// Every domain event stored (Marten's tombstones, which fill sequence gaps left by rolled-back appends, excluded), once the letters
    /// ordered so far are issued (their letter_issued events follow the decisions' commits).
    /// </summary>
    protected async Task<IReadOnlyList<IEvent>> AllEvents()
    {
        await LettersIssued();
        await using var session = App.Store.QuerySession();
        var all = await session.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToListAsync();
        return all.Where(e => e.EventTypeName != "tombstone").ToList();
    }

    protected async Task<IReadOnlyList<IEvent>> StreamEvents(Guid id)
    {
        await using var session = App.Store.QuerySession();
        return await session.Events.FetchStreamAsync(id);
    }

    /// <summary>Waits until every letter ordered so far is issued (see <see cref="LetterWaits"/>).</summary>
    public Task LettersIssued() => Host.LettersIssued();

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

/// <summary>
/// Letters are issued right after their decision commits, from Wolverine's durable inbox: a test that reads a letter (or the
/// notification announcing it) waits for them with this helper.
/// </summary>
public static class LetterWaits
{
    /// <summary>Waits until no letter is pending any more (every ordered letter issued), at most <paramref name="timeout"/> (15 s).</summary>
    public static async Task LettersIssued(this IAlbaHost host, TimeSpan? timeout = null, bool throwOnTimeout = true)
    {
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await using (var session = store.QuerySession())
                if (!await session.Query<FundingPrograms.Letters.PendingLetter>().AnyAsync()) return;
            if (deadline.Elapsed > (timeout ?? TimeSpan.FromSeconds(15)))
            {
                if (throwOnTimeout) throw new TimeoutException("A letter is still pending: it was not issued in time.");
                return;
            }
            await Task.Delay(10);
        }
    }
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
    /// <summary>
    /// The instant the suite runs at: FP_TEST_NOW (an ISO 8601 instant, set by <c>ops/test --date</c>) or else the real time
    /// at the start of the run (whole seconds), read once so that every fixture of a run derives its dates from one instant.
    /// </summary>
    public static readonly DateTimeOffset SuiteStart = Environment.GetEnvironmentVariable("FP_TEST_NOW") is { Length: > 0 } pinned
        ? DateTimeOffset.Parse(pinned, CultureInfo.InvariantCulture)
        : DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds()); // wall clock: the run's one instant

    /// <summary>
    /// PostgreSQL's clock (it stamps every event), and the clock of a service run as a real process: the real time moved by
    /// FP_FAKETIME_OFFSET seconds, the offset <c>ops/test --date</c> runs them at under libfaketime (none otherwise).
    /// </summary>
    public static TimeProvider Database { get; } = new Offset(TimeSpan.FromSeconds(
        long.TryParse(Environment.GetEnvironmentVariable("FP_FAKETIME_OFFSET"), out var seconds) ? seconds : 0));

    private sealed class Offset(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
    }

    private DateTimeOffset _now = start;
    /// <summary>Where the clock started (and where <see cref="Reset"/> puts it back): fixtures derive their dates from it.</summary>
    public DateTimeOffset Start { get; } = start;
    public override DateTimeOffset GetUtcNow() => _now;
    public void Advance(TimeSpan by) => _now += by;
    public void Set(DateTimeOffset to) => _now = to;
    public void Reset() => _now = Start;
}
