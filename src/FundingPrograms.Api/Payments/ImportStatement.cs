using System.Security.Cryptography;
using System.Text;
using FundingPrograms.Grants;
using FundingPrograms.Programmes;
using JasperFx.Events;
using Microsoft.AspNetCore.Mvc;

namespace FundingPrograms.Payments;

/// <summary>Marks a statement entry as imported (by the bank account and the entry's key), so that it is never imported twice.</summary>
public sealed class ImportedEntryKey
{
    public string Id { get; set; } = "";
    public Guid StatementId { get; set; }
}

public sealed record ImportResult(Guid StatementId, bool AlreadyImported, int Entries, int Booked, int Returned, int Unmatched, int Duplicates, string Message)
{
    /// <summary>Credits matched to recovery claims (Recovery/).</summary>
    public int CreditsToClaims { get; init; }

    /// <summary>Credits that paid more than their claim owed: refund due, named by entry and claim.</summary>
    public IReadOnlyList<Recovery.OverpaidCredit> OverpaidCredits { get; init; } = [];

    /// <summary>Claims whose overpayment could not be checked (a base rate not entered), with the reason.</summary>
    public IReadOnlyList<string> OverpaymentNotChecked { get; init; } = [];
}

public static class StatementMatching
{
    /// <summary>
    /// Matches each new entry: debits to exported payments by end-to-end id, else by amount + creditor IBAN + grant reference
    /// in the remittance text (only when exactly one payment fits); returns by the original end-to-end id.
    /// </summary>
    /// <remarks>
    /// Debits are matched first, then returns, so that a return in the same statement as its own debit finds the payment
    /// that debit booked (it is then booked and returned in one import).
    /// </remarks>
    public static ImportedEntry[] Match(BankStatement statement, IReadOnlyList<Payment> candidates, ISet<string> alreadyImported)
    {
        var taken = new HashSet<Guid>();
        var bookedHere = new HashSet<Guid>();
        var returnedHere = new HashSet<Guid>();
        var matched = new (EntryStatus Status, Payment? Payment)[statement.Entries.Count];
        for (var i = 0; i < statement.Entries.Count; i++)
        {
            var e = statement.Entries[i];
            if (alreadyImported.Contains(e.Key)) matched[i] = (EntryStatus.Duplicate, null);
            else if (e.IsReturn || !e.IsDebit) continue;
            else
            {
                var payment = candidates.FirstOrDefault(p => e.EndToEndId is not null && p.EndToEndId == e.EndToEndId && p.State == PaymentState.Exported
                    && p.Amount == e.Amount && !taken.Contains(p.Id));
                if (payment is null)
                {
                    var fits = candidates.Where(p => p.State == PaymentState.Exported && !taken.Contains(p.Id) && p.Amount == e.Amount
                        && p.Payee is not null && string.Equals(p.Payee.Iban, e.CounterpartyIban, StringComparison.OrdinalIgnoreCase)
                        && e.RemittanceText?.Contains(p.GrantReference, StringComparison.OrdinalIgnoreCase) == true).ToList();
                    payment = fits.Count == 1 ? fits[0] : null;
                }
                if (payment is not null) { taken.Add(payment.Id); bookedHere.Add(payment.Id); }
                matched[i] = (payment is null ? EntryStatus.Unmatched : EntryStatus.Matched, payment);
            }
        }
        for (var i = 0; i < statement.Entries.Count; i++)
        {
            var e = statement.Entries[i];
            if (alreadyImported.Contains(e.Key)) continue;
            if (e.IsReturn)
            {
                // Exported or booked before, or booked by a debit of this statement; each payment is returned at most once per import.
                var payment = candidates.FirstOrDefault(p => e.EndToEndId is not null && p.EndToEndId == e.EndToEndId && p.Amount == e.Amount
                    && !returnedHere.Contains(p.Id)
                    && (bookedHere.Contains(p.Id) || (p.State is PaymentState.Exported or PaymentState.Booked && !taken.Contains(p.Id))));
                if (payment is not null) { taken.Add(payment.Id); returnedHere.Add(payment.Id); }
                matched[i] = (payment is null ? EntryStatus.Unmatched : EntryStatus.Returned, payment);
            }
            else if (!e.IsDebit) matched[i] = (EntryStatus.Unmatched, null);
        }
        return statement.Entries.Select((e, i) => new ImportedEntry(e.Key, e.Amount, e.Currency, e.IsDebit, e.IsReturn, e.BookingDate, e.EndToEndId,
            e.CounterpartyIban, e.CounterpartyName, e.RemittanceText, e.ReturnReasonCode, e.ReturnReasonText, matched[i].Status, matched[i].Payment?.Id)).ToArray();
    }

    public static Guid StatementIdFor(string iban, string statementId) => DeterministicGuid($"statement|{iban}|{statementId}");

    public static Guid DeterministicGuid(string text)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}

/// <summary>Books and returns payments from statement entries: payment, grant and programme streams in one transaction.</summary>
public sealed class Ledger(IDocumentSession session, DateTimeOffset now)
{
    private readonly Dictionary<Guid, IEventStream<Grant>> _grants = new();
    private readonly Dictionary<Guid, IEventStream<Programme>> _programmes = new();
    private readonly Dictionary<Guid, (long Version, bool Booked)> _appended = new();

    /// <summary>Locks the grants and programmes involved, always in id order (no deadlocks with approvals or drawdowns).</summary>
    public async Task Lock(IEnumerable<Payment> payments, CancellationToken ct)
    {
        var list = payments.ToList();
        foreach (var id in list.Select(p => p.GrantId).Distinct().Order()) _grants[id] = await session.Events.FetchForExclusiveWriting<Grant>(id, ct);
        foreach (var id in list.Select(p => p.ProgrammeId).Distinct().Order()) _programmes[id] = await session.Events.FetchForExclusiveWriting<Programme>(id, ct);
    }

    public void Book(Payment payment, Guid statementId, string entryKey, DateOnly bookingDate, bool manual, string? reason)
    {
        // Appended at the version the payment was read at: a concurrent second booking of the same payment fails at commit (409).
        var version = Next(payment, booked: true).Version;
        Append(payment, version, Booking.Book(payment, _grants[payment.GrantId].Aggregate!, statementId, entryKey, bookingDate, manual, reason, now));
    }

    public void Return(Payment payment, Guid statementId, ImportedEntry entry)
    {
        var bookedHere = _appended.TryGetValue(payment.Id, out var here) && here.Booked;
        var version = Next(payment, booked: false).Version;
        Append(payment, version, Booking.Return(payment, bookedHere, _grants[payment.GrantId].Aggregate!, statementId, entry, now));
    }

    /// <summary>The version the next event of a payment gets in this import (a payment may be booked and returned by one statement).</summary>
    private (long Version, bool Booked) Next(Payment payment, bool booked)
    {
        var next = (_appended.TryGetValue(payment.Id, out var last) ? last.Version : payment.Version) + 1;
        return _appended[payment.Id] = (next, booked);
    }

    private void Append(Payment payment, long version, Posting posting)
    {
        session.Events.Append(payment.Id, version, posting.OnPayment);
        // Cash principle (§ 72 LHO): a payment counts in the budget year in which it is booked (see Booking).
        if (posting.OnGrant is not null) _grants[payment.GrantId].AppendOne(posting.OnGrant);
        if (posting.OnProgramme is not null) _programmes[payment.ProgrammeId].AppendOne(posting.OnProgramme);
    }
}

public static class ImportBankStatementEndpoint
{
    private static readonly Lazy<System.Xml.Schema.XmlSchemaSet> Schema = BankXml.Embedded("FundingPrograms.Payments.camt.053.001.08.xsd", Camt053.LoadSchema);

    /// <summary>
    /// Upload a camt.053 statement (body: the XML, up to 5 MiB). All or nothing, idempotent: a statement or entry imported before adds nothing.
    /// </summary>
    [WithoutIdempotencyKey]
    [WolverinePost("/bank-statements", OperationId = "ImportBankStatement"), Authorize(Roles = Roles.Finance)]
    [RequestSizeLimit(BankXml.MaxUploadBytes)]
    [Tags("Reconciliation"), EndpointSummary("Import a camt.053 bank statement: matched payments become booked, returns returned")]
    public static async Task<ImportResult> Post(IDocumentSession session, PayingAuthority debtor, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var statement = await BankXml.ReadUpload(http, "statement", "camt.053.001.08 or .02", body => Camt053.Parse(body, BankXml.MaxUploadBytes, Schema.Value, new AccountRule(debtor.Iban)), ct);

        // The account and currency were checked while parsing, before the entries (AccountRule); kept here as the decision's guard.
        var account = Iban.Normalize(statement.AccountIban);
        if (!string.Equals(account, Iban.Normalize(debtor.Iban), StringComparison.OrdinalIgnoreCase))
            throw ProblemException.Rule($"This statement is for account {account}, not the paying authority's account; nothing was imported.");
        var foreign = statement.Entries.FirstOrDefault(e => e.Currency != "EUR");
        if (foreign is not null)
            throw ProblemException.Rule($"Entry {foreign.Key} is in {foreign.Currency}; only EUR statements are imported. Nothing was imported.");

        var statementId = StatementMatching.StatementIdFor(account, statement.StatementId);
        if (await session.Events.FetchStreamStateAsync(statementId, ct) is not null)
            return new ImportResult(statementId, true, statement.Entries.Count, 0, 0, 0, statement.Entries.Count,
                "This statement was imported before; nothing was added.");

        var keys = statement.Entries.Select(e => $"{account}|{e.Key}").ToArray();
        var known = (await session.LoadManyAsync<ImportedEntryKey>(ct, keys)).Select(k => k.Id[(account.Length + 1)..]).ToHashSet();
        var e2e = statement.Entries.Where(e => e.EndToEndId is not null).Select(e => e.EndToEndId!).ToArray();
        var amounts = statement.Entries.Select(e => e.Amount).Distinct().ToArray();
        var candidates = await session.Query<Payment>()
            .Where(p => e2e.Contains(p.EndToEndId!) || (p.State == PaymentState.Exported && amounts.Contains(p.Amount))).ToListAsync(ct);
        var entries = StatementMatching.Match(statement, candidates, known);
        var credits = await Recovery.CreditMatching.Apply(entries, statementId, "camt.053", session, clock.GetUtcNow(), ct); // recovery claims (Recovery/)
        entries = credits.Entries;

        var now = clock.GetUtcNow();
        var ledger = new Ledger(session, now);
        var involved = entries.Where(e => e.PaymentId is not null).Select(e => candidates.First(p => p.Id == e.PaymentId)).ToList();
        await ledger.Lock(involved, ct);
        // Bookings before returns: a return may reverse a booking of this same statement.
        foreach (var entry in entries.Where(e => e.PaymentId is not null).OrderBy(e => e.Status == EntryStatus.Returned ? 1 : 0))
        {
            var payment = candidates.First(p => p.Id == entry.PaymentId);
            if (entry.Status == EntryStatus.Returned) ledger.Return(payment, statementId, entry);
            else ledger.Book(payment, statementId, entry.Key, entry.BookingDate, false, null);
        }
        foreach (var entry in entries.Where(e => e.Status != EntryStatus.Duplicate))
            session.Insert(new ImportedEntryKey { Id = $"{account}|{entry.Key}", StatementId = statementId });
        session.Events.StartStream<StatementRecord>(statementId, new BankStatementImported(statementId, statement.Version, statement.MessageId,
            statement.StatementId, account, statement.CreatedAt, entries, now));

        int Count(EntryStatus s) => entries.Count(e => e.Status == s);
        return new ImportResult(statementId, false, entries.Length, Count(EntryStatus.Matched), Count(EntryStatus.Returned), Count(EntryStatus.Unmatched),
            Count(EntryStatus.Duplicate), $"Imported {entries.Length - Count(EntryStatus.Duplicate)} new entries." + credits.Describe())
        {
            CreditsToClaims = credits.Matched, OverpaidCredits = credits.OverpaidCredits ?? [], OverpaymentNotChecked = credits.OverpaymentNotChecked,
        };
    }
}
