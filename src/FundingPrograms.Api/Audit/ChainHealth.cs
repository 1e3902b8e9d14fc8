using JasperFx.Events.Daemon;
using Npgsql;

namespace FundingPrograms.Audit;

/// <summary>How far the seals have come: the newest event, the end of the newest seal, and the age of the oldest unsealed event.</summary>
public sealed record ChainStatus(long NewestEvent, long SealedUpTo, double? OldestUnsealedAgeSeconds);

public sealed class ChainMonitor(IConfiguration config)
{
    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(config.GetConnectionString("Marten")!);
    private readonly string _schema = config["Marten:Schema"] ?? "funding";

    /// <summary>Ages by PostgreSQL's clock (the events' timestamps are written by the appending transaction).</summary>
    public async Task<ChainStatus> Status(CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand($"""
            with s as (select coalesce((select (data->>'toSequence')::bigint from {_schema}.mt_doc_seal order by id desc limit 1), 0) sealed)
            select (select coalesce(max(seq_id), 0) from {_schema}.mt_events), s.sealed,
                   (select extract(epoch from now() - e.timestamp)::float8 from {_schema}.mt_events e
                    where e.seq_id > s.sealed and e.type <> 'tombstone' order by e.seq_id limit 1)
            from s
            """);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new ChainStatus(reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetDouble(2));
    }
}

/// <summary>
/// Restarts the audit-chain subscription on the node running the async daemon when the chain stops advancing while events
/// arrive (e.g. a batch failed after the daemon's lock was lost and taken over): the chain recovers without an operator.
/// </summary>
public sealed class AuditChainWatchdog(ChainMonitor monitor, IProjectionCoordinator coordinator, IConfiguration config, ILogger<AuditChainWatchdog> logger)
    : BackgroundService
{
    public const string Shard = "AuditChain:All";

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var every = TimeSpan.FromSeconds(config.GetValue("Audit:WatchdogSeconds", 5.0));
        var stall = config.GetValue("Audit:StallSeconds", 10.0);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, ct);
                var status = await monitor.Status(ct);
                if (status.OldestUnsealedAgeSeconds is not { } age || age <= stall) continue;
                var daemon = coordinator.DaemonForMainDatabase();
                var agents = daemon.CurrentAgents();
                if (!daemon.IsRunning && agents.Count == 0) continue; // another node leads the daemon: its watchdog acts
                logger.LogWarning("The audit chain is sealed up to {SealedUpTo} of {Newest}; the oldest unsealed event is {Age:0.0} s old: restarting {Shard}",
                    status.SealedUpTo, status.NewestEvent, age, Shard);
                if (agents.Any(a => a.Name.Identity == Shard)) await daemon.StopAgentAsync(Shard);
                await daemon.StartAgentAsync(Shard, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "The audit chain watchdog failed; it tries again");
            }
        }
    }
}
