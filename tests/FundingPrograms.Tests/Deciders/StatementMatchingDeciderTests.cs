using FundingPrograms.Grants;
using FundingPrograms.Infrastructure;
using FundingPrograms.Organisations;
using FundingPrograms.Payments;
using static FundingPrograms.Tests.Deciders.Given;

namespace FundingPrograms.Tests.Deciders;

/// <summary>
/// Matching statement entries to payments (StatementMatching.Match, ExplainStatementEntryEndpoint.Decide): by end-to-end id, else
/// by amount + IBAN + grant reference when exactly one payment fits; returns by the original end-to-end id; what is left unmatched.
/// No database.
/// </summary>
public sealed class StatementMatchingDeciderTests
{
    private static readonly DateOnly On = new(2027, 2, 3);

    private static StatementEntry Debit(string key, decimal amount, string? e2e = null, string? iban = null, string? text = null) =>
        new(key, amount, "EUR", true, false, On, e2e, iban ?? Account.Iban, Account.HolderName, text, null, null, null);

    private static StatementEntry Credit(string key, decimal amount, string? text = null) =>
        new(key, amount, "EUR", false, false, On, null, "DE89370400440532013000", "Jemand", text, null, null, null);

    private static StatementEntry Return(string key, decimal amount, string? e2e, string? code = "AC04") =>
        new(key, amount, "EUR", false, true, On, e2e, Account.Iban, Account.HolderName, null, code, "Konto erloschen", null);

    private static ImportedEntry[] Match(IReadOnlyList<Payment> candidates, IEnumerable<StatementEntry> entries, params string[] known) =>
        StatementMatching.Match(new BankStatement("camt.053.001.08", "MSG", "STMT-1", "DE", Now, entries.ToList()), candidates, known.ToHashSet());

    private static (EntryStatus, Guid?) Of(ImportedEntry e) => (e.Status, e.PaymentId);

    private static Grant AGrant() => Granted().Grant;

    [Fact]
    public void a_debit_matches_the_exported_payment_with_its_end_to_end_id_and_amount()
    {
        var g = AGrant();
        var payment = PaymentIn(g, 700m, PaymentState.Exported);
        var other = PaymentIn(g, 700m, PaymentState.Exported);
        var entry = Match([other, payment], [Debit("E-1", 700m, payment.EndToEndId, iban: "DE00999999999999999999")]).Single();
        Of(entry).ShouldBe((EntryStatus.Matched, payment.Id));
        // Everything the bank said is kept on the entry.
        (entry.Key, entry.Amount, entry.Currency, entry.IsDebit, entry.IsReturn, entry.BookingDate, entry.EndToEndId)
            .ShouldBe(("E-1", 700m, "EUR", true, false, On, payment.EndToEndId));
    }

    [Fact]
    public void without_the_end_to_end_id_amount_iban_and_the_grant_reference_must_fit_exactly_one_payment()
    {
        var g = AGrant();
        var payment = PaymentIn(g, 700m, PaymentState.Exported);
        var reference = $"Zuwendung {g.Notice.Reference.ToLowerInvariant()} Rate 1";
        Of(Match([payment], [Debit("E-1", 700m, iban: Account.Iban.ToLowerInvariant(), text: reference)]).Single()).ShouldBe((EntryStatus.Matched, payment.Id));
        Of(Match([payment], [Debit("E-1", 700.01m, text: reference)]).Single()).ShouldBe((EntryStatus.Unmatched, null));      // amount
        Of(Match([payment], [Debit("E-1", 700m, iban: "DE89370400440532013000", text: reference)]).Single()).ShouldBe((EntryStatus.Unmatched, null)); // IBAN
        Of(Match([payment], [Debit("E-1", 700m, text: "Zuwendung")]).Single()).ShouldBe((EntryStatus.Unmatched, null));       // no reference
        var twin = PaymentIn(g, 700m, PaymentState.Exported);
        Of(Match([payment, twin], [Debit("E-1", 700m, text: reference)]).Single()).ShouldBe((EntryStatus.Unmatched, null));    // two fit: ambiguous
    }

    [Fact]
    public void an_end_to_end_id_with_another_amount_does_not_match()
    {
        var g = AGrant();
        var payment = PaymentIn(g, 700m, PaymentState.Exported);
        Of(Match([payment], [Debit("E-1", 699.99m, payment.EndToEndId)]).Single()).ShouldBe((EntryStatus.Unmatched, null));
    }

    [Fact]
    public void only_an_exported_payment_is_booked_and_only_once()
    {
        var g = AGrant();
        foreach (var state in new[] { PaymentState.Released, PaymentState.Batched, PaymentState.Booked })
        {
            var p = PaymentIn(g, 700m, state);
            Of(Match([p], [Debit("E-1", 700m, p.EndToEndId ?? "none", text: g.Notice.Reference)]).Single()).ShouldBe((EntryStatus.Unmatched, null));
        }
        var payment = PaymentIn(g, 700m, PaymentState.Exported);
        var entries = Match([payment], [Debit("E-1", 700m, payment.EndToEndId), Debit("E-2", 700m, payment.EndToEndId)]);
        entries.Select(Of).ShouldBe([(EntryStatus.Matched, payment.Id), (EntryStatus.Unmatched, null)]);
    }

    [Fact]
    public void credits_and_returns_nobody_sent_stay_unmatched()
    {
        var g = AGrant();
        var payment = PaymentIn(g, 700m, PaymentState.Exported);
        var entries = Match([payment], [Credit("C-1", 700m, g.Notice.Reference), Return("R-1", 700m, "P-unknown"), Return("R-2", 700m, null)]);
        entries.ShouldAllBe(e => e.Status == EntryStatus.Unmatched && e.PaymentId == null);
    }

    [Fact]
    public void a_return_matches_an_exported_or_booked_payment_by_its_end_to_end_id_and_amount_once()
    {
        var g = AGrant();
        var exported = PaymentIn(g, 700m, PaymentState.Exported);
        var booked = PaymentIn(g, 500m, PaymentState.Booked, id: Guid.NewGuid());
        booked.EndToEndId.ShouldNotBeNull();
        var released = PaymentIn(g, 300m, PaymentState.Released);
        var entries = Match([exported, booked, released],
            [Return("R-1", 700m, exported.EndToEndId), Return("R-2", 500m, booked.EndToEndId), Return("R-3", 500m, booked.EndToEndId),
             Return("R-4", 699.99m, exported.EndToEndId)]);
        entries.Select(Of).ShouldBe([(EntryStatus.Returned, exported.Id), (EntryStatus.Returned, booked.Id), (EntryStatus.Unmatched, null), (EntryStatus.Unmatched, null)]);
        entries[0].ReturnReasonCode.ShouldBe("AC04");
        entries[0].ReturnReasonText.ShouldBe("Konto erloschen");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void a_return_in_the_same_statement_finds_the_payment_its_debit_booked_in_either_order(bool returnFirst)
    {
        var g = AGrant();
        var payment = PaymentIn(g, 700m, PaymentState.Exported);
        StatementEntry[] entries = returnFirst
            ? [Return("R-1", 700m, payment.EndToEndId), Debit("E-1", 700m, payment.EndToEndId)]
            : [Debit("E-1", 700m, payment.EndToEndId), Return("R-1", 700m, payment.EndToEndId)];
        var matched = Match([payment], entries).ToDictionary(e => e.Key, Of);
        matched["E-1"].ShouldBe((EntryStatus.Matched, payment.Id));
        matched["R-1"].ShouldBe((EntryStatus.Returned, payment.Id));
    }

    [Fact]
    public void a_payment_is_returned_at_most_once_per_statement()
    {
        var g = AGrant();
        var payment = PaymentIn(g, 700m, PaymentState.Exported);
        // A second debit for the same payment is unmatched; the one return reverses the one booking.
        var entries = Match([payment], [Debit("E-1", 700m, payment.EndToEndId), Return("R-1", 700m, payment.EndToEndId), Return("R-2", 700m, payment.EndToEndId)]);
        entries.Select(Of).ShouldBe([(EntryStatus.Matched, payment.Id), (EntryStatus.Returned, payment.Id), (EntryStatus.Unmatched, null)]);
    }

    [Fact]
    public void entries_imported_before_are_duplicates_and_match_nothing()
    {
        var g = AGrant();
        var payment = PaymentIn(g, 700m, PaymentState.Exported);
        var entries = Match([payment], [Debit("E-1", 700m, payment.EndToEndId), Debit("E-2", 700m, payment.EndToEndId)], "E-1");
        entries.Select(Of).ShouldBe([(EntryStatus.Duplicate, null), (EntryStatus.Matched, payment.Id)]);
        Match([payment], [Return("R-1", 700m, payment.EndToEndId)], "R-1").Single().Status.ShouldBe(EntryStatus.Duplicate);
    }

    [Fact]
    public void a_parsed_camt_053_statement_books_our_debit_and_leaves_the_others_unmatched()
    {
        var g = AGrant();
        var payment = PaymentIn(g, 700m, PaymentState.Exported);
        var xml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payments", "Samples", "booked-and-unrelated.xml"))
            .Replace("E2E-TEST-0001", payment.EndToEndId).Replace("7500.00", "700.00").Replace("ZB-2026-ABCDEF12", g.Notice.Reference);
        using var xsd = typeof(ImportBankStatementEndpoint).Assembly.GetManifestResourceStream("FundingPrograms.Payments.camt.053.001.08.xsd")!;
        var statement = Camt053.Parse(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(xml)), BankXml.MaxUploadBytes, Camt053.LoadSchema(xsd));
        var entries = StatementMatching.Match(statement, [payment, PaymentIn(g, 1200m, PaymentState.Exported)], new HashSet<string>());
        entries.Select(e => (e.Amount, e.IsDebit, e.Status, e.PaymentId)).ShouldBe([
            (700m, true, EntryStatus.Matched, (Guid?)payment.Id),
            (1200m, true, EntryStatus.Unmatched, null), // no end-to-end id, and the text names another grant
            (50m, false, EntryStatus.Unmatched, null),  // a donation
        ]);
    }

    [Fact]
    public void the_same_statement_of_the_same_account_always_gets_the_same_id()
    {
        var id = StatementMatching.StatementIdFor("DE02120300000000202051", "STMT-1");
        StatementMatching.StatementIdFor("DE02120300000000202051", "STMT-1").ShouldBe(id);
        StatementMatching.StatementIdFor("DE02120300000000202051", "STMT-2").ShouldNotBe(id);
        StatementMatching.StatementIdFor("DE89370400440532013000", "STMT-1").ShouldNotBe(id);
    }

    // What is left unmatched is explained by hand, with a reason

    [Fact]
    public void an_unmatched_entry_is_explained_with_a_reason_once()
    {
        var statementId = Guid.NewGuid();
        var imported = Match([], [Credit("C-1", 25m, "Erstattung")]);
        var statement = StatementRecord.Create(new BankStatementImported(statementId, "camt.053.001.08", "MSG", "STMT-1", "DE", Now, imported, Now));
        Refused(() => ExplainStatementEntryEndpoint.Decide(statement, new ExplainStatementEntry("C-1", " ", 1), Now), 400, ProblemTypes.Validation)
            .Fields().ShouldBe(["reason"]);
        Refused(() => ExplainStatementEntryEndpoint.Decide(statement, new ExplainStatementEntry("C-404", "x", 1), Now), 404, ProblemTypes.NotFound);
        var explained = ExplainStatementEntryEndpoint.Decide(statement, new ExplainStatementEntry("C-1", " Gebührenerstattung ", 1), Now).ShouldHaveSingleItem()
            .ShouldBeOfType<StatementEntryExplained>();
        explained.ShouldBe(new StatementEntryExplained(statementId, "C-1", "Gebührenerstattung", Now));
        statement.Apply(explained);
        statement.Entries.Single().Status.ShouldBe(EntryStatus.Explained);
        statement.Reasons["C-1"].ShouldBe("Gebührenerstattung");
        Refused(() => ExplainStatementEntryEndpoint.Decide(statement, new ExplainStatementEntry("C-1", "nochmal", 2), Now), 409, ProblemTypes.InvalidState);
    }
}
