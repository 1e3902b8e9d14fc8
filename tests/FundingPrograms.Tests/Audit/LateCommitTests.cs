using FundingPrograms.Tests.Infrastructure;
using FundingPrograms.Tests.MultiNode;
using Marten;
using Marten.Events;
using Marten.Services;
using Microsoft.Extensions.DependencyInjection;

namespace FundingPrograms.Tests.Audit;

/// <summary>
/// An append that has its sequence numbers but commits only seconds later (the bulk path: thousands of links hashed before the
/// batch goes out), while other appends commit and the daemon moves on: the chain must still verify, never a false alarm.
/// </summary>
public sealed class when_an_append_commits_long_after_its_sequence_numbers_were_reserved(AppFixture app) : ApiTest(app)
{
    private async Task Append(IDocumentStore store, int batch, HoldBeforeSave? hold = null)
    {
        var options = new SessionOptions();
        if (hold is not null) options.Listeners.Add(hold);
        await using var session = store.LightweightSession(options);
        for (var i = 0; i < 3; i++)
            session.Events.StartStream(Guid.CreateVersion7(), new LoadTick(batch, i, $"late-commit test {batch}/{i}"), new LoadTick(batch, i + 100, "second"));
        await session.SaveChangesAsync();
    }

    [Fact]
    public async Task the_chain_still_verifies_and_everything_gets_sealed()
    {
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        await Append(store, 0);
        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var hold = new HoldBeforeSave();
        var slow = Append(store, 1, hold);
        await hold.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // Later appends commit while the slow one holds its (lower) sequence numbers; give the daemon time to give up waiting.
        await Append(store, 2);
        for (var i = 0; i < 6; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            await Append(store, 3 + i);
        }
        hold.Release.SetResult();
        await slow;
        await Append(store, 20);
        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(1));
        await Append(store, 21);
        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        var report = (await Get(Auditor, "/audit/verify")).Json();
        report.GetProperty("intact").GetBoolean().ShouldBeTrue(report.ToString());
        report.GetProperty("pendingEvents").GetInt32().ShouldBe(0, report.ToString());
    }
}
