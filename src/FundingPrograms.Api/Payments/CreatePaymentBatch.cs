namespace FundingPrograms.Payments;

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
