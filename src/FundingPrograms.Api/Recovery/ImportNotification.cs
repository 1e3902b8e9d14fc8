using FundingPrograms.Payments;
using Microsoft.AspNetCore.Mvc;

namespace FundingPrograms.Recovery;

public static class ImportNotificationEndpoint
{
    private static readonly Lazy<System.Xml.Schema.XmlSchemaSet> Schema = BankXml.Embedded("FundingPrograms.Recovery.camt.054.001.08.xsd", Camt054.LoadSchema);

    /// <summary>
    /// Upload a camt.054 debit/credit notification (body: the XML, up to 5 MiB). Debits and returns are matched to payments
    /// like a statement's; credits to recovery claims. All or nothing, idempotent per notification and per entry (an entry
    /// notified here is a duplicate when the day's camt.053 statement repeats it, and the other way round).
    /// </summary>
    [WithoutIdempotencyKey]
    [WolverinePost("/bank-notifications", OperationId = "ImportBankNotification"), Authorize(Roles = Roles.Finance)]
    [RequestSizeLimit(BankXml.MaxUploadBytes)]
    [Tags("Reconciliation"), EndpointSummary("Import a camt.054 notification: payments booked or returned, credits matched to recovery claims")]
    public static async Task<ImportResult> Post(IDocumentSession session, PayingAuthority debtor, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var notification = await BankXml.ReadUpload(http, "notification", "camt.054.001.08", body => Camt054.Parse(body, BankXml.MaxUploadBytes, Schema.Value), ct);

        var account = Iban.Normalize(notification.AccountIban);
        if (!string.Equals(account, Iban.Normalize(debtor.Iban), StringComparison.OrdinalIgnoreCase))
            throw ProblemException.Rule($"This notification is for account {account}, not the paying authority's account; nothing was imported.");
        var foreign = notification.Entries.FirstOrDefault(e => e.Currency != "EUR");
        if (foreign is not null)
            throw ProblemException.Rule($"Entry {foreign.Key} is in {foreign.Currency}; only EUR is imported. Nothing was imported.");

        var recordId = StatementMatching.StatementIdFor(account, $"camt.054/{notification.StatementId}");
        if (await session.Events.FetchStreamStateAsync(recordId, ct) is not null)
            return new ImportResult(recordId, true, notification.Entries.Count, 0, 0, 0, notification.Entries.Count,
                "This notification was imported before; nothing was added.");

        var keys = notification.Entries.Select(e => $"{account}|{e.Key}").ToArray();
        var known = (await session.LoadManyAsync<ImportedEntryKey>(ct, keys)).Select(k => k.Id[(account.Length + 1)..]).ToHashSet();
        var e2e = notification.Entries.Where(e => e.EndToEndId is not null).Select(e => e.EndToEndId!).ToArray();
        var amounts = notification.Entries.Select(e => e.Amount).Distinct().ToArray();
        var candidates = await session.Query<Payment>()
            .Where(p => e2e.Contains(p.EndToEndId!) || (p.State == PaymentState.Exported && amounts.Contains(p.Amount))).ToListAsync(ct);
        var entries = StatementMatching.Match(notification, candidates, known);
        var now = clock.GetUtcNow();
        var credits = await CreditMatching.Apply(entries, recordId, "camt.054", session, now, ct);
        entries = credits.Entries;

        var ledger = new Ledger(session, now);
        var involved = entries.Where(e => e.PaymentId is not null).Select(e => candidates.First(p => p.Id == e.PaymentId)).ToList();
        await ledger.Lock(involved, ct);
        foreach (var entry in entries.Where(e => e.PaymentId is not null))
        {
            var payment = candidates.First(p => p.Id == entry.PaymentId);
            if (entry.Status == EntryStatus.Returned) ledger.Return(payment, recordId, entry);
            else ledger.Book(payment, recordId, entry.Key, entry.BookingDate, false, null);
        }
        foreach (var entry in entries.Where(e => e.Status != EntryStatus.Duplicate))
            session.Insert(new ImportedEntryKey { Id = $"{account}|{entry.Key}", StatementId = recordId });
        session.Events.StartStream<StatementRecord>(recordId, new BankStatementImported(recordId, notification.Version, notification.MessageId,
            notification.StatementId, account, notification.CreatedAt, entries, now));

        int Count(EntryStatus s) => entries.Count(e => e.Status == s);
        return new ImportResult(recordId, false, entries.Length, Count(EntryStatus.Matched), Count(EntryStatus.Returned), Count(EntryStatus.Unmatched),
            Count(EntryStatus.Duplicate), $"Imported {entries.Length - Count(EntryStatus.Duplicate)} new entries; {credits.Matched} credit(s) to recovery claims" +
            (credits.Overpaid > 0 ? $", {credits.Overpaid} claim(s) overpaid: refund due" : "") +
            (credits.OverpaymentNotChecked.Count > 0 ? $"; not checked for overpayment: {string.Join("; ", credits.OverpaymentNotChecked)}." : "."))
        {
            CreditsToClaims = credits.Matched, OverpaidCredits = credits.OverpaidCredits ?? [], OverpaymentNotChecked = credits.OverpaymentNotChecked,
        };
    }
}
