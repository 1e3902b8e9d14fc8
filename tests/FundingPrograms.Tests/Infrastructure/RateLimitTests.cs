using Alba;
using FundingPrograms.Infrastructure;
using JasperFx.CommandLine;
using Microsoft.AspNetCore.Hosting;

namespace FundingPrograms.Tests.Infrastructure;

/// <summary>A host of its own with tiny limits (the shared test host's limits are out of reach).</summary>
public sealed class when_a_client_sends_too_many_requests : IAsyncLifetime
{
    private IAlbaHost _host = null!;
    private readonly AuthOptions _auth = new() { SigningKey = AppFixture.SigningKey };

    public async ValueTask InitializeAsync()
    {
        JasperFxEnvironment.AutoStartHost = true;
        _host = await AlbaHost.For<Program>(b =>
        {
            b.UseEnvironment("Development");
            b.UseSetting("Auth:SigningKey", AppFixture.SigningKey);
            b.UseSetting("Audit:ChainKey", AppFixture.ChainKey);
            b.UseSetting("Wolverine:Solo", "true");
            b.UseSetting("Marten:Schema", "ratelimits");
            b.UseSetting("RateLimits:CommandsPerMinute", "3");
            b.UseSetting("RateLimits:PublicPerMinute", "2");
        });
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private string Token(string sub) => DevTokens.Create(_auth, sub, sub, [Roles.Officer]);

    [Fact]
    public async Task commands_are_limited_per_user_with_ratelimit_headers_and_a_429_problem()
    {
        // Warm-up by someone else: the first call compiles the endpoint, which may take longer than a token's refill.
        var warm = Token("warm-" + Guid.NewGuid().ToString("N")[..6]);
        await _host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {warm}");
            s.Post.Json(new { }, JsonStyle.MinimalApi).ToUrl("/programmes");
            s.IgnoreStatusCode();
        });
        var anna = Token("anna-" + Guid.NewGuid().ToString("N")[..6]);
        for (var i = 0; i < 3; i++)
        {
            var ok = await _host.Scenario(s =>
            {
                s.WithRequestHeader("Authorization", $"Bearer {anna}");
                s.Post.Json(new { }, JsonStyle.MinimalApi).ToUrl("/programmes");
                s.IgnoreStatusCode();
            });
            ok.Context.Response.StatusCode.ShouldNotBe(429);
            ok.Context.Response.Headers["RateLimit-Limit"].ToString().ShouldBe("3");
            ok.Context.Response.Headers["RateLimit-Remaining"].ToString().ShouldBe((2 - i).ToString());
        }
        var refused = await _host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {anna}");
            s.Post.Json(new { }, JsonStyle.MinimalApi).ToUrl("/programmes");
            s.StatusCodeShouldBe(429);
        });
        refused.ShouldBeProblem(429, ProblemTypes.TooManyRequests);
        refused.Context.Response.Headers.RetryAfter.ToString().ShouldNotBeNullOrEmpty();
        refused.Context.Response.Headers["RateLimit-Remaining"].ToString().ShouldBe("0");

        // Another user has a budget of their own; reads have a budget of their own.
        var omar = Token("omar-" + Guid.NewGuid().ToString("N")[..6]);
        (await _host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {omar}");
            s.Post.Json(new { }, JsonStyle.MinimalApi).ToUrl("/programmes");
            s.IgnoreStatusCode();
        })).Context.Response.StatusCode.ShouldNotBe(429);
        for (var i = 0; i < 5; i++)
            await _host.Scenario(s =>
            {
                s.WithRequestHeader("Authorization", $"Bearer {anna}");
                s.Get.Url("/programmes");
                s.StatusCodeShouldBe(200);
            });
    }

    [Fact]
    public async Task the_public_catalogue_is_limited_per_client_address()
    {
        var statuses = new List<int>();
        for (var i = 0; i < 8; i++)
        {
            var result = await _host.Scenario(s =>
            {
                s.Get.Url("/catalogue/programmes");
                s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("203.0.113.7"));
                s.IgnoreStatusCode();
            });
            statuses.Add(result.Context.Response.StatusCode);
            if (result.Context.Response.StatusCode == 429)
            {
                result.ShouldBeProblem(429, ProblemTypes.TooManyRequests);
                break;
            }
        }
        // Two a minute: the first two pass; a token comes back only every 30 s (the first call may be slow while the endpoint compiles).
        statuses.Take(2).ShouldAllBe(s => s == 200);
        statuses.ShouldContain(429);
        // Another address has its own budget.
        (await _host.Scenario(s =>
        {
            s.Get.Url("/catalogue/programmes");
            s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("203.0.113.8"));
            s.IgnoreStatusCode();
        })).Context.Response.StatusCode.ShouldBe(200);
    }

    [Fact]
    public async Task the_public_pages_share_the_public_budget_of_a_client_address()
    {
        var statuses = new List<int>();
        foreach (var url in new[] { "/de/glossary", "/en/glossary", "/tr/glossary", "/ar/glossary" })
        {
            var result = await _host.Scenario(s =>
            {
                s.Get.Url(url);
                s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("203.0.113.9"));
                s.IgnoreStatusCode();
            });
            statuses.Add(result.Context.Response.StatusCode);
        }
        statuses.Take(2).ShouldAllBe(s => s == 200);
        statuses.ShouldContain(429);
    }
}
