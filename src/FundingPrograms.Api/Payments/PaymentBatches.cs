using FundingPrograms.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace FundingPrograms.Payments;

/// <summary>The paying authority's account (the debtor of every transfer), from configuration (Payments:Debtor).</summary>
public sealed class PayingAuthority
{
    public string Name { get; set; } = "Land Nordrhein-Westfalen";
    public string Iban { get; set; } = "";
    public string? Bic { get; set; }
}

public sealed record CreatePaymentBatch(Guid[]? PaymentIds, DateOnly? ExecutionDate);

public static class CreatePaymentBatchEndpoint
{
    public static PaymentBatchCreated Decide(Guid batchId, IReadOnlyList<Payment> payments, CreatePaymentBatch cmd, DateTimeOffset now)
    {
        var today = BerlinTime.Today(now);
        var ids = cmd.PaymentIds ?? [];
        new Check()
            .That(ids.Length > 0, "paymentIds", "A batch needs at least one released payment.")
            .That(ids.Length <= 10_000, "paymentIds", "At most 10,000 payments per batch.")
            .That(ids.Distinct().Count() == ids.Length, "paymentIds", "Each payment once.")
            .Date(cmd.ExecutionDate, "executionDate")
            .That(cmd.ExecutionDate is null || cmd.ExecutionDate >= today, "executionDate", "The execution date cannot be in the past.")
            .ThrowIfAny();
        var missing = ids.Where(id => payments.All(p => p.Id != id)).ToArray();
        if (missing.Length > 0) throw ProblemException.NotFound($"Payment {missing[0]}");
        var notReleased = payments.Where(p => p.State != PaymentState.Released).ToArray();
        if (notReleased.Length > 0)
            throw ProblemException.Rule("Only released payments go into a batch.", notReleased.ToDictionary(
                p => $"paymentIds[{Array.IndexOf(ids, p.Id)}]", p => new[] { $"Payment {p.Id} is {p.State.ToString().ToLowerInvariant()}." }));
        return new PaymentBatchCreated(batchId, ids, cmd.ExecutionDate ?? today.AddDays(1), now);
    }

    [WolverinePost("/payment-batches", OperationId = "CreatePaymentBatch"), Authorize(Roles = Roles.Finance)]
    [Tags("Payment batches"), EndpointSummary("Group released payments into a batch (finance)")]
    public static async Task<Created<CaseVersion>> Post(CreatePaymentBatch cmd, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var batchId = CaseIds.New(http);
        var streams = new List<JasperFx.Events.IEventStream<Payment>>();
        foreach (var id in (cmd.PaymentIds ?? []).Distinct().Take(10_000))
        {
            var stream = await session.Events.FetchForWriting<Payment>(id, ct);
            if (stream.Aggregate is not null) streams.Add(stream);
        }
        var now = clock.GetUtcNow();
        var created = Decide(batchId, streams.Select(s => s.Aggregate!).ToList(), cmd, now);
        foreach (var stream in streams)
            stream.AppendOne(new PaymentBatched(stream.Id, batchId, Payment.EndToEndIdFor(stream.Id, stream.Aggregate!.Attempt), now));
        session.Events.StartStream<PaymentBatch>(batchId, created);
        return TypedResults.Created($"/payment-batches/{batchId}", new CaseVersion(batchId, 1).WithETag(http));
    }
}

public sealed record ExportPaymentBatch(long? Version);

public static class ExportPaymentBatchEndpoint
{
    public static PaymentBatchExported Decide(PaymentBatch batch, IReadOnlyList<Payment> payments, PayingAuthority debtor, DateTimeOffset now)
    {
        if (batch.State == BatchState.Exported)
            throw ProblemException.InvalidState("The batch is exported and frozen; GET its file again at /payment-batches/{id}/pain001.xml.");
        var wrong = payments.Where(p => p.State != PaymentState.Batched || p.BatchId != batch.Id).ToArray();
        if (wrong.Length > 0) throw ProblemException.InvalidState($"Payment {wrong[0].Id} is no longer ready in this batch ({wrong[0].State.ToString().ToLowerInvariant()}).");
        var messageId = $"FP{batch.Id:N}";
        var transfers = payments.Select(p => new CreditTransfer(p.EndToEndId!, p.Amount, p.Payee!.HolderName, p.Payee.Iban, p.Payee.Bic,
            $"{p.GrantReference} {(p.Kind == PaymentKind.Drawdown ? "Mittelabruf" : "Abschlag")} {p.Purpose}")).ToList();
        string xml;
        try
        {
            xml = Pain001.Build(messageId, now, batch.ExecutionDate, new DebtorAccount(debtor.Name, debtor.Iban, debtor.Bic), transfers);
        }
        catch (ArgumentException e)
        {
            throw ProblemException.Rule($"The batch cannot be written as a SEPA file: {e.Message} Take the payment out of the batch or correct its data.");
        }
        return new PaymentBatchExported(batch.Id, messageId, transfers.Count, transfers.Sum(t => t.Amount), xml, now);
    }

    [WolverinePost("/payment-batches/{id}/export", OperationId = "ExportPaymentBatch"), Authorize(Roles = Roles.Finance)]
    [Tags("Payment batches"), EndpointSummary("Export the batch as a SEPA credit transfer file (pain.001.001.09); the batch is frozen afterwards")]
    public static async Task<Ok<CaseVersion>> Post(Guid id, ExportPaymentBatch cmd, IDocumentSession session, PayingAuthority debtor, TimeProvider clock,
        HttpContext http, CancellationToken ct)
    {
        var expected = Versioning.Expected(http, cmd.Version);
        var batchStream = await session.FetchForCommand<PaymentBatch>(id, expected, "The payment batch", ct);
        var streams = new List<JasperFx.Events.IEventStream<Payment>>();
        foreach (var paymentId in batchStream.Aggregate!.PaymentIds) streams.Add(await session.Events.FetchForWriting<Payment>(paymentId, ct));
        var now = clock.GetUtcNow();
        var exported = Decide(batchStream.Aggregate, streams.Select(s => s.Aggregate!).ToList(), debtor, now);
        batchStream.AppendOne(exported);
        foreach (var stream in streams) stream.AppendOne(new PaymentExported(stream.Id, id, exported.MessageId, now));
        return TypedResults.Ok(new CaseVersion(id, expected + 1).WithETag(http));
    }
}

public sealed record BatchView(Guid Id, long Version, BatchState State, DateOnly ExecutionDate, DateTimeOffset CreatedAt, DateTimeOffset? ExportedAt,
    string? MessageId, int NumberOfPayments, decimal Total, decimal Booked, decimal Returned, IReadOnlyList<BatchPayment> Payments)
{
    /// <summary>Rejected by the bank before booking (pain.002).</summary>
    public decimal Rejected { get; init; }
}

public sealed record BatchPayment(Guid Id, string? EndToEndId, decimal Amount, string GrantReference, string? PayeeName, string? PayeeIban, PaymentState State);

public static class GetPaymentBatchEndpoint
{
    [WolverineGet("/payment-batches/{id}", OperationId = "GetPaymentBatch"), Authorize(Roles = Roles.FinanceReaders)]
    [Tags("Payment batches"), EndpointSummary("A batch with its payments and totals")]
    public static async Task<BatchView> Get(Guid id, IQuerySession session, CancellationToken ct)
    {
        var batch = await session.LoadAsync<PaymentBatch>(id, ct) ?? throw ProblemException.NotFound("The payment batch");
        var payments = await session.LoadManyAsync<Payment>(ct, batch.PaymentIds);
        return new BatchView(batch.Id, batch.Version, batch.State, batch.ExecutionDate, batch.CreatedAt, batch.ExportedAt, batch.MessageId,
            payments.Count, payments.Sum(p => p.Amount), payments.Where(p => p.State == PaymentState.Booked).Sum(p => p.Amount),
            payments.Where(p => p.State == PaymentState.Returned).Sum(p => p.Amount),
            payments.Select(p => new BatchPayment(p.Id, p.EndToEndId, p.Amount, p.GrantReference, p.Payee?.HolderName, p.Payee?.Iban, p.State)).ToList())
        {
            Rejected = payments.Where(p => p.State == PaymentState.Rejected).Sum(p => p.Amount),
        };
    }
}

public static class GetPain001Endpoint
{
    [WolverineGet("/payment-batches/{id}/pain001.xml", OperationId = "GetPain001"), Authorize(Roles = Roles.FinanceReaders)]
    [Tags("Payment batches"), EndpointSummary("The exported SEPA file, byte-identical on every download")]
    public static async Task<IResult> Get(Guid id, IQuerySession session, CancellationToken ct)
    {
        var batch = await session.LoadAsync<PaymentBatch>(id, ct) ?? throw ProblemException.NotFound("The payment batch");
        if (batch.Pain001Xml is null) throw ProblemException.InvalidState("The batch is not exported yet.");
        return Results.File(System.Text.Encoding.UTF8.GetBytes(batch.Pain001Xml), "application/xml", $"{batch.MessageId}.xml");
    }
}
