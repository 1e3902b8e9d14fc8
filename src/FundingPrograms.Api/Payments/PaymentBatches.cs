namespace FundingPrograms.Payments;

/// <summary>The paying authority's account (the debtor of every transfer), from configuration (Payments:Debtor).</summary>
public sealed class PayingAuthority
{
    public string Name { get; set; } = "Land Nordrhein-Westfalen";
    public string Iban { get; set; } = "";
    public string? Bic { get; set; }
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
