using Alba;
using FundingPrograms.Infrastructure;
using FundingPrograms.Tests.Infrastructure;
using JasperFx.CommandLine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FundingPrograms.Tests.Contracts;

/// <summary>
/// The Access-Control-Allow-Origin the contract declares is real: a host of its own with one allowed origin answers that
/// origin's preflight and requests, and nobody else's (the_contract_invariants: by default none is allowed).
/// </summary>
public sealed class when_a_browser_calls_from_another_origin : IAsyncLifetime
{
    private const string Portal = "https://portal.example.org";
    private IAlbaHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        JasperFxEnvironment.AutoStartHost = true;
        _host = await AlbaHost.For<Program>(b =>
        {
            b.UseEnvironment("Development");
            b.UseSetting("Auth:SigningKey", AppFixture.SigningKey);
            b.UseSetting("Audit:ChainKey", AppFixture.ChainKey);
            b.UseSetting("Wolverine:Solo", "true");
            b.UseSetting("Marten:Schema", "cors");
            b.UseSetting("Cors:AllowedOrigins", Portal + ", https://other.example.org");
        });
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task an_allowed_origin_gets_its_preflight_and_the_header_and_no_other_origin_does()
    {
        var preflight = await _host.Scenario(s =>
        {
            s.WithRequestHeader("Origin", Portal);
            s.WithRequestHeader("Access-Control-Request-Method", "POST");
            s.WithRequestHeader("Access-Control-Request-Headers", "authorization,content-type,idempotency-key,if-match");
            s.Get.Url("/programmes");
            s.ConfigureHttpContext(c => c.Request.Method = HttpMethods.Options);
            s.StatusCodeShouldBe(204);
        });
        preflight.Context.Response.Headers.AccessControlAllowOrigin.ToString().ShouldBe(Portal);
        preflight.Context.Response.Headers.AccessControlAllowMethods.ToString().ShouldContain("POST");
        preflight.Context.Response.Headers.AccessControlAllowHeaders.ToString().ToLowerInvariant().ShouldContain("idempotency-key");
        preflight.Context.Response.Headers.AccessControlAllowCredentials.ToString().ShouldBeEmpty();

        var allowed = await _host.Scenario(s =>
        {
            s.WithRequestHeader("Origin", Portal);
            s.Get.Url("/reference-data");
        });
        allowed.Context.Response.Headers.AccessControlAllowOrigin.ToString().ShouldBe(Portal);
        allowed.Context.Response.Headers.AccessControlExposeHeaders.ToString().ShouldContain("ETag");

        // Error answers carry it too (a browser script can read the problem).
        var refused = await _host.Scenario(s =>
        {
            s.WithRequestHeader("Origin", Portal);
            s.Get.Url("/programmes");
            s.StatusCodeShouldBe(401);
        });
        refused.Context.Response.Headers.AccessControlAllowOrigin.ToString().ShouldBe(Portal);

        var stranger = await _host.Scenario(s =>
        {
            s.WithRequestHeader("Origin", "https://evil.example.com");
            s.Get.Url("/reference-data");
        });
        stranger.Context.Response.Headers.AccessControlAllowOrigin.ToString().ShouldBeEmpty();
    }

    [Fact]
    public void an_origin_with_a_path_or_a_wildcard_is_a_configuration_error()
    {
        foreach (var bad in new[] { "*", "https://portal.example.org/app", "portal.example.org" })
        {
            var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Cors:AllowedOrigins"] = bad }).Build();
            Should.Throw<InvalidOperationException>(() => new ServiceCollection().AddFundingCors(config), bad);
        }
    }
}
