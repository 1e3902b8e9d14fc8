using System.Text.Json;

namespace FundingPrograms.Audit;

/// <summary>Rebuilds every read model from the events (the snapshots of each stream type).</summary>
public sealed class ReadModelRebuilder(IDocumentStore store, ILogger<ReadModelRebuilder> logger)
{
    public static readonly Type[] ReadModels =
    [
        typeof(Programmes.Programme), typeof(Organisations.Organisation), typeof(Applications.Application), typeof(Grants.Grant),
        typeof(Payments.Payment), typeof(Payments.PaymentBatch), typeof(Payments.StatementRecord),
        typeof(Reports.ApplicationFact), typeof(Reports.GrantFact), typeof(Reports.ReportEdition), typeof(Reports.ProofFact),
        typeof(Letters.Letter),
        typeof(Reports.FactHistory),
    ];

    /// <summary>Projections into plain tables (no document type), rebuilt by name.</summary>
    public static readonly string[] Tables = [Grants.ApplicationTextsProjection.ProjectionName];

    public async Task<IReadOnlyList<(string Name, TimeSpan Took)>> RebuildAll(CancellationToken ct)
    {
        using var daemon = await store.BuildProjectionDaemonAsync();
        var result = new List<(string, TimeSpan)>();
        foreach (var type in ReadModels)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await daemon.RebuildProjectionAsync(type, TimeSpan.FromMinutes(10), ct);
            logger.LogInformation("Rebuilt {ReadModel} in {Elapsed}", type.Name, watch.Elapsed);
            result.Add((type.Name, watch.Elapsed));
        }
        foreach (var name in Tables)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await daemon.RebuildProjectionAsync(name, TimeSpan.FromMinutes(10), ct);
            logger.LogInformation("Rebuilt {ReadModel} in {Elapsed}", name, watch.Elapsed);
            result.Add((name, watch.Elapsed));
        }
        return result;
    }
}

/// <summary>
/// The service's own ops commands: <c>audit-verify</c> (checks the chain, exit code 1 when broken) and <c>rebuild</c>
/// (rebuilds every read model). They run against the configured database without starting the web server.
/// </summary>
public static class OpsCommands
{
    public static readonly string[] Names = ["audit-verify", "rebuild"];

    public static async Task<int> Run(WebApplication app, string command)
    {
        await app.StartAsync();
        try
        {
            using var scope = app.Services.CreateScope();
            switch (command)
            {
                case "audit-verify":
                    await Marten.Events.TestingExtensions.WaitForNonStaleProjectionDataAsync(app, TimeSpan.FromMinutes(5));
                    var report = await scope.ServiceProvider.GetRequiredService<ChainVerifier>().Verify(CancellationToken.None);
                    Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
                    Console.WriteLine(report.Intact ? "The event store is intact." : $"BROKEN: {report.FirstBroken!.Problem}");
                    return report.Intact ? 0 : 1;
                default:
                    var rebuilt = await scope.ServiceProvider.GetRequiredService<ReadModelRebuilder>().RebuildAll(CancellationToken.None);
                    foreach (var (name, took) in rebuilt) Console.WriteLine($"{name,-16} rebuilt in {took.TotalSeconds:0.00} s");
                    return 0;
            }
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
