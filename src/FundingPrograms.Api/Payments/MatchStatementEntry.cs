namespace FundingPrograms.Payments;

public sealed record MatchStatementEntry(string? EntryKey, Guid? PaymentId, string? Reason, long? Version) : IVersionedCommand;

public static class MatchStatementEntryEndpoint
{
    public static IReadOnlyList<object> Decide(StatementRecord statement, Payment payment, MatchStatementEntry cmd, DateTimeOffset now)
    {
        var entry = statement.Entries.FirstOrDefault(e => e.Key == cmd.EntryKey) ?? throw ProblemException.NotFound("The statement entry");
        if (entry.Status != EntryStatus.Unmatched) throw ProblemException.InvalidState($"The entry is {entry.Status.ToString().ToLowerInvariant()} already.");
        var check = new Check()
            .That(entry.IsDebit && !entry.IsReturn, "entryKey", "Only an outgoing (debit) entry can be matched to a payment.")
            .That(payment.State == PaymentState.Exported, "paymentId", $"The payment is {payment.State.ToString().ToLowerInvariant()}, not exported and waiting for booking.")
            .That(payment.Amount == entry.Amount, "paymentId", $"The payment is {payment.Amount:0.00} EUR, the entry {entry.Amount:0.00} EUR.");
        check.ThrowAsRuleIfAny("The entry cannot be matched to this payment.");
        return [new StatementEntryMatched(statement.Id, entry.Key, payment.Id, cmd.Reason!.Trim(), now)];
    }

    [WolverinePost("/bank-statements/{id}/match", OperationId = "MatchStatementEntry"), Authorize(Roles = Roles.Finance)]
    [Tags("Reconciliation"), EndpointSummary("Match an unmatched statement entry to an exported payment by hand, with a reason (finance)")]
    public static async Task<(Ok<CaseVersion>, Events)> Post(MatchStatementEntry cmd, [WriteAggregate(Required = false)] StatementRecord statement,
        IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        new Check().Required(cmd.EntryKey, "entryKey", 200).That(cmd.PaymentId is not null, "paymentId", "Which payment?").Required(cmd.Reason, "reason", 2000).ThrowIfAny();
        var payment = await session.LoadAsync<Payment>(cmd.PaymentId!.Value, ct) ?? throw ProblemException.NotFound("The payment");
        var now = clock.GetUtcNow();
        var ledger = new Ledger(session, now);
        await ledger.Lock([payment], ct);
        var events = Decide(statement, payment, cmd, now);
        ledger.Book(payment, statement.Id, cmd.EntryKey!, statement.Entries.First(e => e.Key == cmd.EntryKey).BookingDate, true, cmd.Reason!.Trim());
        return CaseVersion.After(statement, events, http);
    }
}
