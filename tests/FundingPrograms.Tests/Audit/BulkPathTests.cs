using FundingPrograms.Infrastructure;
using FundingPrograms.Tests.Infrastructure;
using Marten;
using Marten.Events;
using Microsoft.Extensions.Configuration;

namespace FundingPrograms.Tests.Audit;

/// <summary>The benchmark's bulk path: a store of its own with the service's options appends many streams per session.</summary>
public sealed class when_events_are_appended_in_bulk_outside_the_service(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task they_carry_valid_links_and_verify()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Marten:Schema"] = "funding", ["Audit:ChainKey"] = AppFixture.ChainKey,
        }).Build();
        using var store = DocumentStore.For(opts => Store.Configure(opts, Environment.GetEnvironmentVariable("ConnectionStrings__Marten")!, config));
        for (var batch = 0; batch < 3; batch++)
        {
            await using var session = store.LightweightSession();
            session.LastModifiedBy = "Bulk Seeder";
            for (var i = 0; i < 250; i++)
                session.Events.StartStream(Guid.CreateVersion7(), Enumerable.Range(0, 9)
                    .Select(n => (object)new FundingPrograms.Tests.MultiNode.LoadTick(batch, n, $"Verein {i / 5}, Fassung {n}: 7000.50 EUR, {TestClock.SuiteStart:O}")).ToArray());
            await session.SaveChangesAsync();
        }
        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var report = (await Get(Auditor, "/audit/verify")).Json();
        report.GetProperty("intact").GetBoolean().ShouldBeTrue(report.ToString());
        report.GetProperty("eventsChecked").GetInt32().ShouldBe(3 * 250 * 9);
    }
}
