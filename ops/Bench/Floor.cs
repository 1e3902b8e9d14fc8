using JasperFx;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace FundingPrograms.Bench;

public sealed record FloorTick(int N);

public sealed record FloorInput(int N);

/// <summary>
/// The frameworks' own floor: the same stack as the service (Kestrel, Wolverine.Http, Marten integrated with Wolverine, its
/// transactional middleware) with no service logic at all: one endpoint appends one small event to an existing stream.
/// No authentication, validation, idempotency, audit metadata, inline projection or letter. Run in Rich or Quick append mode.
/// </summary>
public static class FloorEndpoints
{
    [WolverinePost("/floor/{id}")]
    public static IResult Append(Guid id, FloorInput input, IDocumentSession session)
    {
        session.Events.Append(id, new FloorTick(input.N));
        return Results.NoContent();
    }

    [WolverineGet("/floor/ready")]
    public static string Ready() => "ready";
}

public static class Floor
{
    public const int Streams = 10_000;

    /// <summary>The id of floor stream <paramref name="i"/>: the driver and the server derive the same ids.</summary>
    public static Guid StreamId(int i) => new(i + 1, 0, 0, [0, 0, 0, 0, 0, 0, 0, 1]);

    /// <summary><c>floor-server --conn C --port P --mode rich|quick</c>: starts the streams, then serves until killed.</summary>
    public static async Task Serve(string conn, int port, bool quick)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        builder.Services.AddMarten(o =>
        {
            o.Connection(conn);
            o.DatabaseSchemaName = quick ? "floor_quick" : "floor_rich";
            o.Events.AppendMode = quick ? EventAppendMode.Quick : EventAppendMode.Rich;
            o.AutoCreateSchemaObjects = AutoCreate.All;
        }).IntegrateWithWolverine();
        builder.Host.UseWolverine(opts =>
        {
            opts.Policies.AutoApplyTransactions();
            opts.Durability.Mode = DurabilityMode.Solo;
        });
        builder.Services.AddWolverineHttp();
        var app = builder.Build();
        app.MapWolverineEndpoints();

        var store = app.Services.GetRequiredService<IDocumentStore>();
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await using (var session = store.LightweightSession())
        {
            for (var i = 0; i < Streams; i++) session.Events.StartStream(StreamId(i), new FloorTick(0));
            await session.SaveChangesAsync();
        }
        await app.RunAsync();
    }
}
