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
        var s = Service;
        var officer = s.Token(Roles.Officer, "Anna Officer");
        var officer2 = s.Token(Roles.Officer, "Omar Officer");
        var approver = s.Token(Roles.Approver, "Bernd Approver");
        StaffToken = officer;
        var clock = ServiceProcess.Clock;
        var today = BerlinTime.Today(clock.GetUtcNow());
        Programme = (await s.Post(officer, "/programmes", Samples.Programme(), 201)).GetProperty("id").GetGuid();
        await s.Post(officer, $"/programmes/{Programme}/publish", new { version = 1 });
        for (var i = 0; i < 2; i++)
            await s.Post(officer, $"/programmes/{Programme}/budget/allocate",
                new { budgetLine = "0710/684 10", budgetLineName = "Zuschüsse an MSO", year = today.Year + i, amount = 500000m, version = 2 + i });
        var call = (await s.Post(officer, $"/programmes/{Programme}/calls", Samples.OpenCallNow(clock, 4), 201)).GetProperty("callId").GetGuid();

        var founder = s.Token(Roles.Applicant, "Founder", sub: "founder-" + Guid.NewGuid().ToString("N")[..6]);
        var org = (await s.Post(founder, "/organisations", ApplicationSamples.Organisation(), 201)).GetProperty("id").GetGuid();
        await s.Post(officer, $"/organisations/{org}/verify", new { migrationBackgroundDocumented = true, nonProfitStatusChecked = true, evidence = "Satzung geprüft", version = 1 });
        var change = (await s.Get(officer, $"/organisations/{org}")).GetProperty("bankAccounts")[0].GetProperty("changeId").GetGuid();
        await s.Post(officer, $"/organisations/{org}/bank-accounts/{change}/confirm", new { version = 2 });
        var applicant = s.Token(Roles.Applicant, "Ayse Applicant", org);
        var start = today;
        var end = start.AddMonths(11);
        var content = ApplicationSamples.Content(clock).With("periodStart", start.ToString("yyyy-MM-dd")).With("periodEnd", end.ToString("yyyy-MM-dd"));
        async Task<Guid> Assessed()
        {
            var application = (await s.Post(applicant, "/applications", new { callId = call, content }, 201)).GetProperty("id").GetGuid();
            await s.Post(applicant, $"/applications/{application}/submit", new { version = 1 });
            await s.Post(officer2, $"/applications/{application}/formal-check", new { version = 2 });
            await s.Post(officer2, $"/applications/{application}/assess", new
            {
                scores = new[] { new { criterion = "need", score = 80m }, new { criterion = "quality", score = 70m }, new { criterion = "sustainability", score = 60m } },
                recommendation = "approve", recommendedAmount = 7000m, version = 3,
            });
            return application;
        }
        var approved = await Assessed();
        object? split = start.Year == end.Year ? null : new[] { new { year = start.Year, amount = 5000m }, new { year = end.Year, amount = 2000m } };
        await s.Post(approver, $"/applications/{approved}/approve", GrantSamples.Approval(yearSplit: split));
        var rejected = await Assessed();
        await s.Post(approver, $"/applications/{rejected}/reject", new { reasons = "Die Mittel des Aufrufs sind ausgeschöpft.", version = 4 });

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
