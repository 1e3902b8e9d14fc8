namespace FundingPrograms.Payments;

public sealed record ExportPaymentBatch(long? Version) : IVersionedCommand;

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
            $"{p.GrantReference} {(p.Kind switch { PaymentKind.Drawdown => "Mittelabruf", PaymentKind.FinalBalance => "Restzahlung Schlussbescheid", _ => "Abschlag" })} {p.Purpose}")).ToList();
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
    public static async Task<(Ok<CaseVersion>, Events)> Post(ExportPaymentBatch cmd, [WriteAggregate(Required = false)] PaymentBatch batch,
        IDocumentSession session, PayingAuthority debtor, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var streams = new List<JasperFx.Events.IEventStream<Payment>>();
        foreach (var paymentId in batch.PaymentIds) streams.Add(await session.Events.FetchForWriting<Payment>(paymentId, ct));
        var now = clock.GetUtcNow();
        var exported = Decide(batch, streams.Select(s => s.Aggregate!).ToList(), debtor, now);
        foreach (var stream in streams) stream.AppendOne(new PaymentExported(stream.Id, batch.Id, exported.MessageId, now));
        return CaseVersion.After(batch, [exported], http);
    }
}
