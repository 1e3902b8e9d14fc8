using Alba;
using FundingPrograms.Infrastructure;
using FundingPrograms.Tests.Infrastructure;
using JasperFx.CommandLine;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace FundingPrograms.Tests.MultiNode;

/// <summary>
/// Two API nodes on one database of their own, as in production: Wolverine in balanced (not solo) mode, Marten's async daemon
/// in HotCold mode (one node holds the daemon's advisory lock and runs the audit chain; the other takes over when it goes).
/// </summary>
public sealed class TwoNodes : IAsyncLifetime
{
    public const string Database = "fundingprograms_multinode";
    public IAlbaHost A { get; private set; } = null!;
    public IAlbaHost B { get; private set; } = null!;
    public TestClock Clock { get; } = new(TestClock.SuiteStart);
    public AuthOptions Auth { get; } = new() { SigningKey = AppFixture.SigningKey };
    public string Connection { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var main = Environment.GetEnvironmentVariable("ConnectionStrings__Marten")
            ?? throw new InvalidOperationException("ConnectionStrings__Marten is not set: run the tests with ops/test.");
        Connection = new NpgsqlConnectionStringBuilder(main) { Database = Database }.ConnectionString;
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(main) { Database = "postgres", Pooling = false }.ConnectionString))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop database if exists {Database} with (force)", admin);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"create database {Database}", admin);
            await create.ExecuteNonQueryAsync();
        }
        JasperFxEnvironment.AutoStartHost = true;
        A = await Node();
        B = await Node();
        A.Services.GetRequiredService<IConfiguration>().GetConnectionString("Marten").ShouldBe(Connection);
    }

    public Task<IAlbaHost> Node() => AlbaHost.For<Program>(b =>
    {
        b.UseEnvironment("Development");
        b.UseSetting("ConnectionStrings:Marten", Connection);
        b.UseSetting("Auth:SigningKey", AppFixture.SigningKey);
        b.UseSetting("Audit:ChainKey", AppFixture.ChainKey);
        b.UseSetting("Wolverine:Solo", "false");
        b.UseSetting("Marten:DaemonMode", "HotCold");
        b.UseSetting("Health:MaxChainDelaySeconds", "3");
        b.UseSetting("Audit:WatchdogSeconds", "1");
        b.UseSetting("Audit:StallSeconds", "3");
        b.ConfigureServices(s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
    });

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }

    public string Token(string role, string? name = null, Guid? org = null) =>
        DevTokens.Create(Auth, (name ?? role).ToLowerInvariant().Replace(' ', '-'), name ?? $"Test {role}", [role], org);

    public async Task<T> Scalar<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(Connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Terminates every backend holding an advisory lock in this database (the daemon's leader lock among them), as a network cut would.</summary>
    public async Task<int> TerminateLockHolders()
    {
        var killed = await Scalar<long>($"""
            select count(pg_terminate_backend(pid)) from pg_locks
            where locktype = 'advisory' and database = (select oid from pg_database where datname = '{Database}') and pid <> pg_backend_pid()
            """);
        return (int)killed;
    }

    /// <summary>The newest event, the end of the newest seal, and the age of the oldest unsealed event (by PostgreSQL's clock).</summary>
    public async Task<ChainStatus> Chain()
    {
        await using var connection = new NpgsqlConnection(Connection);
        await connection.OpenAsync();
        await using (var exists = new NpgsqlCommand("select to_regclass('funding.mt_doc_seal') is not null", connection))
            if (!(bool)(await exists.ExecuteScalarAsync())!)
            {
                await using var none = new NpgsqlCommand("""
                    select (select coalesce(max(seq_id), 0) from funding.mt_events),
                           (select extract(epoch from now() - min(timestamp))::float8 from funding.mt_events where type <> 'tombstone')
                    """, connection);
                await using var r = await none.ExecuteReaderAsync();
                await r.ReadAsync();
                return new ChainStatus(r.GetInt64(0), 0, r.IsDBNull(1) ? null : r.GetDouble(1));
            }
        await using var cmd = new NpgsqlCommand("""
            with s as (select coalesce((select (data->>'toSequence')::bigint from funding.mt_doc_seal order by id desc limit 1), 0) sealed)
            select (select coalesce(max(seq_id), 0) from funding.mt_events), s.sealed,
                   (select extract(epoch from now() - e.timestamp)::float8 from funding.mt_events e
                    where e.seq_id > s.sealed and e.type <> 'tombstone' order by e.seq_id limit 1)
            from s
            """, connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new ChainStatus(reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetDouble(2));
    }

    /// <summary>Waits until every event is sealed; false when that does not happen within the time given.</summary>
    public async Task<bool> SealedWithin(TimeSpan limit)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < limit)
        {
            var status = await Chain();
            if (status.OldestUnsealedAgeSeconds is null) return true;
            await Task.Delay(200);
        }
        return false;
    }
}

[CollectionDefinition(nameof(MultiNodeCollection))]
public sealed class MultiNodeCollection : ICollectionFixture<TwoNodes>;

public sealed record ChainStatus(long NewestEvent, long SealedUpTo, double? OldestUnsealedAgeSeconds);

/// <summary>An event of load only: no read model handles it.</summary>
public sealed record LoadTick(int Batch, int Number, string Note);
