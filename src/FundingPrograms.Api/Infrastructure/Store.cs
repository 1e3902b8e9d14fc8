using FundingPrograms.Applications;
using FundingPrograms.Grants;
using FundingPrograms.Organisations;
using FundingPrograms.Programmes;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Weasel.Core;
using Wolverine;

namespace FundingPrograms.Infrastructure;

public static class Store
{
    public static IServiceCollection AddEventStore(this IServiceCollection services, IConfiguration config)
    {
        var connection = config.GetConnectionString("Marten")
            ?? throw new InvalidOperationException("ConnectionStrings:Marten is not set. Start the service with ops/run, or set ConnectionStrings__Marten.");

        services.AddMarten(opts => Configure(opts, connection, config))
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            .AddAsyncDaemon(Enum.TryParse<DaemonMode>(config["Marten:DaemonMode"], true, out var mode) ? mode : DaemonMode.Solo)
            .AddSubscriptionWithServices<Audit.AuditChainSubscription>(ServiceLifetime.Singleton)
            .IntegrateWithWolverine(w => w.MessageStorageSchemaName = config["Marten:Schema"] ?? "funding");
        services.AddSingleton<Audit.AuditKey>();
        services.AddSingleton<Audit.EventReader>();
        services.AddSingleton<Audit.ChainVerifier>();
        services.AddSingleton<Audit.ReadModelRebuilder>();
        services.AddSingleton<Audit.ChainMonitor>();
        services.AddSingleton<Audit.SealSigner>();
        services.AddSingleton<Audit.SealAnchor>();
        services.AddHostedService<Audit.AuditChainWatchdog>();
        services.AddHostedService<RecurringWorkStartup>();
        services.AddHostedService<Grants.ApplicationTextsBackfill>();
        services.AddSingleton<Letters.LetterIssuer>();
        services.AddSingleton<Letters.LetterIssuingGate>();
        return services;
    }

    /// <summary>
    /// Npgsql prepares the statements a connection runs repeatedly (<c>Max Auto Prepare</c>): a command's dozen statements are
    /// then parsed and planned once per connection instead of every time: a third less PostgreSQL CPU per draft edit and a
    /// fifth more commands per second on the benchmark machine (README, Performance). A value in the connection string wins;
    /// <c>Marten:MaxAutoPrepare=0</c> turns it off (e.g. behind a pooler without prepared-statement support).
    /// </summary>
    public static string WithAutoPrepare(string connection, int maxAutoPrepare)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connection);
        if (builder.MaxAutoPrepare > 0 || maxAutoPrepare <= 0) return connection;
        builder.MaxAutoPrepare = maxAutoPrepare;
        builder.AutoPrepareMinUsages = 2;
        return builder.ConnectionString;
    }

    /// <summary>The store's options: also used by the benchmark's bulk path, so that seeded events are exactly the service's.</summary>
    public static void Configure(StoreOptions opts, string connection, IConfiguration config)
    {
        opts.Connection(WithAutoPrepare(connection, config.GetValue("Marten:MaxAutoPrepare", 100)));
        opts.DatabaseSchemaName = config["Marten:Schema"] ?? "funding";
        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
        opts.Events.StreamIdentity = StreamIdentity.AsGuid;
        // Rich: inline projections see each event's global sequence (the inbox cursor depends on it).
        opts.Events.AppendMode = EventAppendMode.Rich;
        // The async daemon (audit chain seals, report facts) looks for new events every 100 ms while events keep coming and every
        // 250 ms when quiet (Marten's defaults: 250 ms and 1 s): one cheap query each, and a seal follows its append sooner.
        opts.Projections.FastPollingTime = TimeSpan.FromMilliseconds(100);
        opts.Projections.SlowPollingTime = TimeSpan.FromMilliseconds(250);
        opts.Events.MetadataConfig.CorrelationIdEnabled = true;
        opts.Events.MetadataConfig.CausationIdEnabled = true;
        opts.Events.MetadataConfig.HeadersEnabled = true;
        opts.Events.MetadataConfig.UserNameEnabled = true;
        EventCatalogue.Register(opts.Events);
        Projections.Register(opts);
        // Audit chain: every event's keyed link is written in the transaction that appends it.
        opts.Listeners.Add(new Audit.AuditLinkWriter(new Audit.AuditKey(config)));
        opts.Schema.For<Audit.Seal>();
    }
}

/// <summary>Every read model's projection is registered here, in one place.</summary>
public static class Projections
{
    public static void Register(StoreOptions opts)
    {
        // The programme is small and read often (lists, catalogue, budget checks): an inline snapshot, updated with each append.
        opts.Projections.Snapshot<Programme>(SnapshotLifecycle.Inline);
        opts.Projections.Snapshot<Organisation>(SnapshotLifecycle.Inline);
        opts.Projections.Snapshot<Application>(SnapshotLifecycle.Inline);
        opts.Projections.Snapshot<Grant>(SnapshotLifecycle.Inline);
        opts.Schema.For<Grant>().Index(g => g.OrganisationId).Index(g => g.ProgrammeId);
        opts.Schema.For<Notifications.DeliveredNotification>().Index(n => n.OrganisationId);
        opts.Projections.Snapshot<Payments.Payment>(SnapshotLifecycle.Inline);
        opts.Projections.Snapshot<Payments.PaymentBatch>(SnapshotLifecycle.Inline);
        opts.Projections.Snapshot<Payments.StatementRecord>(SnapshotLifecycle.Inline);
        opts.Schema.For<Payments.Payment>().Index(p => p.GrantId).Index(p => p.EndToEndId).Index(p => p.State);
        // The officer inbox filters by programme (or call) and state and pages by StateSequence: composite indexes serve it. Every
        // indexed member is a plain column (a duplicated field), none an expression over the document: an update that leaves them
        // as they were (a draft edit) is then a heap-only (HOT) update, which touches no index at all.
        // A fifth of each page is left free (fill factor 80) so that the new version of a row finds room beside the old one.
        opts.Schema.For<Application>().FillFactor(80)
            .Duplicate(a => a.StateSequence).Duplicate(a => a.OrganisationId).Duplicate(a => a.ProgrammeId).Duplicate(a => a.CallId).Duplicate(a => a.State)
            .Index(a => new { a.ProgrammeId, a.State, a.StateSequence })
            .Index(a => new { a.CallId, a.State, a.StateSequence });
        opts.Schema.For<Audit.ChainLink>().Index(l => l.StreamId);
        // Retention: legal holds (own streams) and the daily run's claim.
        opts.Projections.Snapshot<Audit.LegalHold>(SnapshotLifecycle.Inline);
        opts.Schema.For<Audit.LegalHold>().Index(h => h.OrganisationId);
        opts.Schema.For<Audit.RetentionRun>();
        opts.Schema.For<SweepClock>();
        // Reports: compact facts per application, grant and proof (async: no report work in the commands), and report editions.
        opts.Projections.Add(new Reports.ApplicationFactProjection(), ProjectionLifecycle.Async);
        opts.Projections.Add(new Reports.GrantFactProjection(), ProjectionLifecycle.Async);
        opts.Projections.Add(new Reports.ProofFactProjection(), ProjectionLifecycle.Async);
        opts.Schema.For<Reports.ApplicationFact>().Index(f => f.LastSequence);
        opts.Schema.For<Reports.GrantFact>().Index(f => f.LastSequence);
        opts.Schema.For<Reports.ProofFact>().Index(f => f.LastSequence);
        opts.Projections.Snapshot<Reports.ReportEdition>(SnapshotLifecycle.Inline);
        opts.Projections.Snapshot<Proofs.Proof>(SnapshotLifecycle.Inline);
        opts.Schema.For<Proofs.Proof>().Index(p => p.GrantId).Index(p => p.OrganisationId).Index(p => p.ProgrammeId);
        opts.Projections.Snapshot<Proofs.ProofReminderSettings>(SnapshotLifecycle.Inline);
        opts.Schema.For<Proofs.ProofReminderSettings>().Index(s => s.ProgrammeId);
        opts.Schema.For<Proofs.ProofAttachmentFile>().Index(f => f.ProofId).Index(f => f.GrantId);
        opts.Schema.For<Proofs.SentProofReminder>().Index(r => r.GrantId);
        // Letters: the letter and its read receipts as an inline snapshot; the archived bytes (bytea) in their own table, created with
        // the schema; the documents of letters archived before that table, and the letters ordered but not yet issued.
        opts.Projections.Snapshot<Letters.Letter>(SnapshotLifecycle.Inline);
        opts.Schema.For<Letters.Letter>().Index(l => l.OrganisationId).Index(l => l.GrantId);
        opts.Storage.ExtendedSchemaObjects.Add(Letters.LetterArchive.Table(opts.DatabaseSchemaName, opts.Events.DatabaseSchemaName));
        opts.Schema.For<Letters.ArchivedLetterFile>();
        opts.Schema.For<Letters.PendingLetter>().Index(l => l.GrantId);
        // Recovery
        opts.Projections.Snapshot<Recovery.BaseRateTable>(SnapshotLifecycle.Inline);
        opts.Projections.Snapshot<Recovery.RecoveryClaim>(SnapshotLifecycle.Inline);
        opts.Projections.Snapshot<Recovery.PaymentStatusReport>(SnapshotLifecycle.Inline);
        opts.Schema.For<Recovery.RecoveryClaim>().Index(c => c.GrantId).Index(c => c.OrganisationId).Index(c => c.Reference).Index(c => c.ProgrammeId);
        // § 49a (4) interest: finance's decision per grant
        opts.Projections.Snapshot<Recovery.IdleInterestFile>(SnapshotLifecycle.Inline);
        // Double funding across the register: pg_trgm (created on startup) and the compared texts in their own table (a GIN
        // trigram index on the posts), written in the appending transaction and only when they change (not with every Application upsert).
        opts.Storage.ExtendedSchemaObjects.Add(new Weasel.Postgresql.Extension("pg_trgm"));
        opts.Projections.Add(new Grants.ApplicationTextsProjection(opts.DatabaseSchemaName, opts.Events.DatabaseSchemaName), ProjectionLifecycle.Inline);
        // Reports asOf/editions: every version of each report fact (async); the indexed first/last sequence and instant find the facts changed after a cut.
        opts.Projections.Add(new Reports.FactHistoryProjection(), ProjectionLifecycle.Async);
        opts.Schema.For<Reports.FactHistory>().Duplicate(h => h.FirstSequence).Duplicate(h => h.LastSequence)
            .Duplicate(h => h.FirstTicks).Duplicate(h => h.LatestTicks);
    }
}
