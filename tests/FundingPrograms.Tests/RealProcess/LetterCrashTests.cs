using System.Net;
using FundingPrograms.Infrastructure;
using FundingPrograms.Letters;
using Npgsql;
using Wolverine.Runtime.Serialization;

namespace FundingPrograms.Tests.RealProcess;

/// <summary>The letter orders waiting in a schema's durable inbox, as Wolverine stored them in the decisions' transactions.</summary>
public static class LetterOrders
{
    public static async Task<List<(IssueLetter Order, byte[] Data)>> Waiting(string schema)
    {
        await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("ConnectionStrings__Marten"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select body from {schema}.wolverine_incoming_envelopes where message_type like '%IssueLetter%'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var serializer = new SystemTextJsonSerializer(SystemTextJsonSerializer.DefaultOptions());
        var orders = new List<(IssueLetter, byte[])>();
        while (await reader.ReadAsync())
        {
            var envelope = EnvelopeSerializer.Deserialize((byte[])reader.GetValue(0));
            orders.Add(((IssueLetter)serializer.ReadFromData(typeof(IssueLetter), envelope), envelope.Data!));
        }
        return orders;
    }

    public static async Task<long> Count(string schema, string sql)
    {
        await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("ConnectionStrings__Marten"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{schema}", schema), connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>
/// The service dies (kill -9) after the decisions committed and before their letters were issued (test hook
/// <c>Letters:HoldIssuing</c>); restarted without the hook, it issues each letter exactly once, byte-identical to a fresh
/// rendering of the documents ordered in the decision's transaction, and the audit verification stays intact.
/// </summary>
public sealed class when_the_service_dies_between_a_decision_and_its_letter
{
    [Fact]
    public async Task the_restarted_service_issues_each_letter_once_with_the_bytes_of_a_fresh_rendering()
    {
        var schema = "crash_" + Guid.NewGuid().ToString("N")[..8];
        SeededPortfolio seeded;
        List<(IssueLetter Order, byte[] Data)> waiting;
        await using (var held = await ServiceProcess.Start(schema, settings: new Dictionary<string, string> { ["Letters__HoldIssuing"] = "true" }))
        {
            seeded = await SeededPortfolio.Seed(held); // approves one application and rejects another: two letters ordered
            var pending = await held.Get(seeded.Applicant, $"/letters/{Letter.IdFor("grant_notice", seeded.Grant, 1)}", 202);
            pending.GetProperty("status").GetString().ShouldBe("pending");
            waiting = await LetterOrders.Waiting(schema);
            waiting.Count.ShouldBe(2);
            await held.KillHard();
        }
        // The order survived the crash as the decision stored it, and reads back losslessly (serialized again, the same bytes).
        var serializer = new SystemTextJsonSerializer(SystemTextJsonSerializer.DefaultOptions());
        foreach (var (order, data) in waiting) serializer.WriteMessage(order).ShouldBe(data);
        (await LetterOrders.Count(schema, "select count(*) from {schema}.mt_events where type = 'letter_issued'")).ShouldBe(0);

        await using var service = await ServiceProcess.Start(schema);
        var staff = service.Token(Roles.Auditor, "Ines Auditor");
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        foreach (var (order, _) in waiting)
        {
            while ((await service.Send(HttpMethod.Get, $"/letters/{order.LetterId}", seeded.Applicant)).Status != HttpStatusCode.OK)
            {
                deadline.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60), $"the letter {order.LetterId} was not issued after the restart");
                await Task.Delay(50);
            }
            foreach (var (name, _, _, _, bytes) in IssueLetterHandler.Render(order))
            {
                var (status, _, response) = await service.Send(HttpMethod.Get,
                    $"/letters/{order.LetterId}/letter.{name[(name.IndexOf('.') + 1)..]}?lang={name[..name.IndexOf('.')]}", staff);
                status.ShouldBe(HttpStatusCode.OK);
                (await response.Content.ReadAsByteArrayAsync()).ShouldBe(bytes, $"{order.Kind} {name}");
            }
        }
        (await LetterOrders.Count(schema, "select count(*) from {schema}.mt_events where type = 'letter_issued'")).ShouldBe(2);
        (await LetterOrders.Count(schema, "select count(*) from {schema}.letter_files"))
            .ShouldBe(waiting.Sum(w => 2L * w.Order.Documents.Count));
        (await service.Get(staff, "/audit/verify")).GetProperty("intact").GetBoolean().ShouldBeTrue();
        // Each decision's notification, sent after its letter, names it, once.
        while (true)
        {
            var announced = (await service.Get(seeded.Applicant, "/me/notifications?pageSize=100")).GetProperty("items").EnumerateArray()
                .Where(n => n.TryGetProperty("letterId", out var l) && l.ValueKind == System.Text.Json.JsonValueKind.String).Select(n => n.GetProperty("letterId").GetGuid()).ToList();
            if (announced.Count >= 2 || deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                announced.ShouldBe(waiting.Select(w => w.Order.LetterId), ignoreOrder: true);
                break;
            }
            await Task.Delay(50);
        }
    }
}
