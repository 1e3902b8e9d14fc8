using System.Text.Json;
using FundingPrograms.Infrastructure;
using FundingPrograms.Tests.Infrastructure;
using FundingPrograms.Tests.RealProcess;
using Microsoft.Playwright;

namespace FundingPrograms.Tests.Browser;

/// <summary>
/// The built service as a real process (Kestrel on loopback, its own schema) with a published programme, an open call, one
/// grant and one rejection, and one headless Debian chromium (FP_CHROMIUM, set by ops/test) driven by Playwright. Playwright
/// cannot download a browser here, so it always launches the system's; one browser for all the pages of a test class.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public ServiceProcess Service { get; private set; } = null!;
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public Guid Programme { get; private set; }
    public string StaffToken { get; private set; } = "";

    /// <summary>What the public side must never show: the organisation, people, the budget line, the rejection's reason.</summary>
    public static readonly string[] Internal = ["Founder", "Ayse Applicant", "Anna Officer", "Bernd Approver", "0710/684", "Zuschüsse an MSO", "ausgeschöpft"];

    public async ValueTask InitializeAsync()
    {
        Service = await ServiceProcess.Start("browser_" + Guid.NewGuid().ToString("N")[..8], settings: new Dictionary<string, string>
        {
            ["RateLimits__CommandsPerMinute"] = "0", ["RateLimits__ReadsPerMinute"] = "0", ["RateLimits__PublicPerMinute"] = "0",
        });
        var seeded = await SeededPortfolio.Seed(Service);
        StaffToken = seeded.Officer;
        Programme = seeded.Programme;

        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("FP_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium",
            Headless = true,
            // As root (containers, CI) chromium needs --no-sandbox; /dev/shm is small there.
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
    }

    /// <summary>The report facts are folded asynchronously: wait until the public statistics show the grant.</summary>
    public async Task WaitForFacts()
    {
        for (var i = 0; i < 100; i++) // a wait loop, not a date
        {
            var stats = await Service.Get(StaffToken, "/catalogue/statistics");
            if (stats.GetProperty("total").GetProperty("total").GetProperty("suppressed").GetBoolean()
                || stats.GetProperty("total").GetProperty("total").GetProperty("grants").ValueKind == JsonValueKind.Number
                && stats.GetProperty("total").GetProperty("total").GetProperty("grants").GetInt32() > 0)
                return;
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        Playwright?.Dispose();
        if (Service is not null) await Service.DisposeAsync();
    }
}
