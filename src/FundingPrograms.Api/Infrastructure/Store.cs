using FundingPrograms.Programmes;
using JasperFx;
using JasperFx.Events;
using Marten;
using Weasel.Core;
using Wolverine;
using Wolverine.Marten;

namespace FundingPrograms.Infrastructure;

public static class Store
{
    public static IServiceCollection AddEventStore(this IServiceCollection services, IConfiguration config)
    {
        var connection = config.GetConnectionString("Marten")
            ?? throw new InvalidOperationException("ConnectionStrings:Marten is not set. Start the service with ops/run, or set ConnectionStrings__Marten.");

        services.AddMarten(opts =>
            {
                opts.Connection(connection);
                opts.DatabaseSchemaName = config["Marten:Schema"] ?? "funding";
                opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
                opts.Events.StreamIdentity = StreamIdentity.AsGuid;
                opts.Events.MetadataConfig.CorrelationIdEnabled = true;
                opts.Events.MetadataConfig.CausationIdEnabled = true;
                opts.Events.MetadataConfig.HeadersEnabled = true;
                opts.Events.MetadataConfig.UserNameEnabled = true;
                EventCatalogue.Register(opts.Events);
                Projections.Register(opts);
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            .IntegrateWithWolverine();
        return services;
    }
}

/// <summary>Every read model's projection is registered here, in one place.</summary>
public static class Projections
{
    public static void Register(StoreOptions opts)
    {
        // Live aggregates (Programme, …) need no registration; inline/async read models are added by their slices.
        _ = opts;
    }
}
