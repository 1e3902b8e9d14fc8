using JasperFx;
using Marten.Schema;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Wolverine;

namespace FundingPrograms.Infrastructure;

public static class Scheduling
{
    /// <summary>
    /// Schedules a durable message for an instant of the service's clock. Wolverine delivers scheduled messages by the process's
    /// own wall clock, so the instant is turned into a delay from the injected clock: a clock that runs elsewhere (a pinned
    /// test clock) and the wall clock agree on "in three hours" even when they disagree on the date.
    /// </summary>
    public static ValueTask ScheduleAt(this IMessageBus bus, object message, DateTimeOffset at, TimeProvider clock) =>
        bus.ScheduleAt(message, at, clock.GetUtcNow());

    /// <summary>As above, with the clock's <paramref name="now"/> already read.</summary>
    public static ValueTask ScheduleAt(this IMessageBus bus, object message, DateTimeOffset at, DateTimeOffset now)
    {
        var delay = at - now;
        return bus.ScheduleAsync(message, delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
    }
}

/// <summary>
/// The bookkeeping of one recurring sweep (one document per sweep, by name): when it was armed, when it last ran and when its
/// next run is scheduled. Optimistic concurrency makes two nodes that arm the same sweep at once agree on one chain.
/// </summary>
[UseOptimisticConcurrency]
public sealed class SweepClock
{
    public string Id { get; set; } = "";
    public DateTimeOffset ArmedAt { get; set; }
    public DateTimeOffset? LastRunAt { get; set; }
    public DateTimeOffset? NextAt { get; set; }
}

/// <summary>
/// The recurring sweeps and how each keeps one chain of scheduled runs. A run that comes from the chain (its
/// <c>scheduledFor</c> is the stored next instant) schedules the next one; a run at start-up (no <c>scheduledFor</c>) re-arms
/// the chain from the current clock whenever the stored next instant is not the one the clock gives now: after the clock was
/// corrected backwards (the stored instant lies too far ahead) or the service was down (it lies in the past). A stray run of an
/// older chain only does the work, which every sweep makes idempotent.
/// </summary>
public static class RecurringWork
{
    public const string ProofReminders = "proof-reminders";
    public const string Retention = "retention";
    public const string CallDeadlines = "call-deadlines";

    /// <summary>The sweeps /health/ready watches; each runs at least daily.</summary>
    public static readonly string[] Names = [ProofReminders, Retention, CallDeadlines];

    /// <summary>Records a run (<paramref name="ran"/>) or an arming, and schedules the next run when this run keeps or re-arms the chain.</summary>
    public static async Task Record(IDocumentSession session, IMessageBus bus, TimeProvider clock, string name, DateTimeOffset? scheduledFor,
        DateTimeOffset next, object nextMessage, bool ran, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var record = await session.LoadAsync<SweepClock>(name, ct) ?? new SweepClock { Id = name, ArmedAt = now };
        if (ran) record.LastRunAt = now;
        var ownChain = scheduledFor is not null && scheduledFor == record.NextAt;
        var rearm = scheduledFor is null && record.NextAt != next;
        if (ownChain || rearm || record.NextAt is null)
        {
            if (rearm) record.ArmedAt = now;
            record.NextAt = next;
            await bus.ScheduleAt(nextMessage, next, clock);
        }
        session.Store(record);
    }

    /// <summary>The next instant at <paramref name="hour"/>:00 Berlin time after <paramref name="now"/> (on a day-light saving day too).</summary>
    public static DateTimeOffset NextDaily(DateTimeOffset now, int hour)
    {
        var local = TimeZoneInfo.ConvertTime(now, BerlinTime.Zone);
        var next = local.Date.AddHours(hour);
        if (next <= local.DateTime) next = next.AddDays(1);
        while (BerlinTime.Zone.IsInvalidTime(next)) next = next.AddHours(1);
        return new DateTimeOffset(next, BerlinTime.Zone.GetUtcOffset(next)).ToUniversalTime();
    }
}

/// <summary>
/// Degraded while a recurring sweep has not run for more than a day (25 hours: a daily run and an hour's grace), naming it
/// and its last run; a sweep armed less than a day ago and not yet run is fine.
/// </summary>
public sealed class RecurringWorkHealthCheck(IDocumentStore store, TimeProvider clock, IConfiguration config) : IHealthCheck
{
    public static readonly TimeSpan MaxSilence = TimeSpan.FromHours(25);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        await using var session = store.QuerySession();
        var records = (await session.LoadManyAsync<SweepClock>(ct, RecurringWork.Names)).ToDictionary(r => r.Id);
        var now = clock.GetUtcNow();
        var late = new List<string>();
        foreach (var name in RecurringWork.Names)
        {
            if (name == RecurringWork.Retention && !config.GetValue("Retention:Enabled", true)) continue;
            if (!records.TryGetValue(name, out var r))
                late.Add($"{name}: never armed");
            else if (now - (r.LastRunAt ?? r.ArmedAt) > MaxSilence)
                late.Add($"{name}: last run {(r.LastRunAt is { } at ? BerlinTime.Local(at) : "never")}, next {(r.NextAt is { } n ? BerlinTime.Local(n) : "not scheduled")}");
        }
        return late.Count == 0
            ? HealthCheckResult.Healthy($"{RecurringWork.Names.Length} recurring sweeps ran within the last day.")
            : HealthCheckResult.Degraded("Recurring work has not run for more than a day: " + string.Join("; ", late));
    }
}

/// <summary>At every start: runs (or re-arms) each recurring sweep from the current clock, whatever was stored.</summary>
public sealed class RecurringWorkStartup(IHostApplicationLifetime lifetime, IServiceProvider services, IConfiguration config,
    ILogger<RecurringWorkStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = Task.Run(async () =>
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
                await bus.PublishAsync(new Proofs.SweepProofReminders(null));
                await bus.PublishAsync(new Programmes.SweepCallDeadlines(null));
                if (config.GetValue("Retention:Enabled", true)) await bus.PublishAsync(new Audit.RetentionSweep(AtStartup: true));
            }
            catch (Exception e)
            {
                logger.LogError(e, "The recurring sweeps could not be started");
            }
        }));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
