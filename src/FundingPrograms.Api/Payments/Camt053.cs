using System.Globalization;
using System.Text;
using System.Xml.Linq;
using System.Xml.Schema;

namespace FundingPrograms.Payments;

public sealed record StatementEntry(
    string Key,                 // unique per entry: AcctSvcrRef if present, else "{StatementId}/{NtryRef or 1-based index}"
    decimal Amount, string Currency, bool IsDebit, bool IsReturn,
    DateOnly BookingDate,
    string? EndToEndId, string? CounterpartyIban, string? CounterpartyName, string? RemittanceText,
    string? ReturnReasonCode, string? ReturnReasonText, string? AccountServicerReference);

/// <summary>The account a statement must be for, and its currency (checked before anything else about the entries).</summary>
public sealed record AccountRule(string Iban, string Currency = "EUR");

public sealed record BankStatement(string Version, string MessageId, string StatementId, string AccountIban, DateTimeOffset CreatedAt, IReadOnlyList<StatementEntry> Entries);

/// <summary>
/// Which bank-to-customer message a document is: camt.053 (statement, block Stmt) or camt.054 (debit/credit notification,
/// block Ntfctn). Both share one parser: their entries (Ntry) are the same; only the message and block names differ.
/// </summary>
public sealed record CamtFormat(string Kind, string Noun, string Message, string Block)
{
    public static readonly CamtFormat Statement = new("camt.053", "statement", "BkToCstmrStmt", "Stmt");
    public static readonly CamtFormat Notification = new("camt.054", "notification", "BkToCstmrDbtCdtNtfctn", "Ntfctn");

    public string Version08 => Kind + ".001.08";
    public string Version02 => Kind + ".001.02";
    public string Namespace08 => "urn:iso:std:iso:20022:tech:xsd:" + Version08;
    public string Namespace02 => "urn:iso:std:iso:20022:tech:xsd:" + Version02;
    public BankFileKind File => new(Noun, $"{Version08} or {Version02}", Namespace08, Namespace02);
}

/// <summary>
/// ISO 20022 bank-to-customer statements (camt.053.001.08 validated against the XSD, .001.02 read structurally), and through
/// <see cref="CamtFormat.Notification"/> camt.054 notifications. Read safely by <see cref="BankXml"/>.
/// </summary>
public static class Camt053
{
    /// Parses one camt.053 document (the first Stmt; more than one Stmt -> Unsupported). A seekable stream with more than maxBytes
    /// remaining is refused before reading (TooLarge); from other streams at most maxBytes bytes are read, and one that has not
    /// ended by then is TooLarge too (it cannot be told apart from a longer one without reading further). camt.053.001.08 is
    /// validated against `schema08` (loaded once with LoadSchema): SchemaInvalid with the first error's message and line.
    /// Date-times without an offset are taken as UTC. An entry with more than one TxDtls (batch booking) carries no
    /// transaction-level EndToEndId/counterparty/remittance.
    public static BankStatement Parse(Stream xml, long maxBytes, XmlSchemaSet schema08, AccountRule? account = null) =>
        Parse(CamtFormat.Statement, xml, maxBytes, schema08, account);

    public static BankStatement Parse(CamtFormat format, Stream xml, long maxBytes, XmlSchemaSet schema08) => Parse(format, xml, maxBytes, schema08, null);

    /// <param name="account">When given, the statement's account and currencies are checked before any entry is judged: a statement
    /// for another account or in another currency is refused naming that (<see cref="StatementProblem.WrongAccount"/>), before
    /// anything less important about its entries.</param>
    public static BankStatement Parse(CamtFormat format, Stream xml, long maxBytes, XmlSchemaSet schema08, AccountRule? account)
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentNullException.ThrowIfNull(schema08);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        if (!xml.CanRead) throw new ArgumentException($"The {format.Noun} stream is not readable.", nameof(xml));
        // Without the 08 schema in the set the validator would silently fall back to lax (no) validation.
        if (!schema08.Contains(format.Namespace08))
            throw new ArgumentException($"The schema set does not contain the {format.Version08} schema; load it with LoadSchema.", nameof(schema08));
        var document = BankXml.Load(Bounded(format, xml, maxBytes), WithRules02(format, schema08), maxBytes, format.File).Root!;
        return Read(format, document, account);
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<XmlSchemaSet, XmlSchemaSet> Combined = new();

    /// <summary>
    /// The .02 version is validated too: the datatype rules of camt.053/054.001.02 (Payments/Schemas/camt.001.02.rules.xsd, under
    /// the format's .02 namespace) join the 08 schema in one set, built once per 08 set.
    /// </summary>
    private static XmlSchemaSet WithRules02(CamtFormat format, XmlSchemaSet schema08) => Combined.GetValue(schema08, set =>
    {
        using var xsd = typeof(Camt053).Assembly.GetManifestResourceStream("FundingPrograms.Payments.camt.001.02.rules.xsd")!;
        var text = new StreamReader(xsd).ReadToEnd().Replace(CamtFormat.Statement.Namespace02, format.Namespace02, StringComparison.Ordinal);
        var rules = BankXml.LoadSchema(new MemoryStream(Encoding.UTF8.GetBytes(text)), format.Namespace02, format.Version02);
        var combined = new XmlSchemaSet { XmlResolver = null };
        foreach (XmlSchema schema in set.Schemas()) combined.Add(schema);
        foreach (XmlSchema schema in rules.Schemas()) combined.Add(schema);
        combined.Compile();
        return combined;
    });

    /// Loads the 08 XSD from a stream once.
    public static XmlSchemaSet LoadSchema(Stream xsd) => LoadSchema(CamtFormat.Statement, xsd);

    public static XmlSchemaSet LoadSchema(CamtFormat format, Stream xsd) => BankXml.LoadSchema(xsd, format.Namespace08, format.Version08);

    // A seekable stream is measured; any other is read into memory, at most maxBytes of it.
    private static Stream Bounded(CamtFormat format, Stream xml, long maxBytes)
    {
        var remaining = Remaining(xml);
        if (remaining > maxBytes)
            throw new StatementRejectedException(StatementProblem.TooLarge, $"The {format.Noun} is larger than {maxBytes} bytes.");
        if (remaining >= 0) return xml;
        var copy = new MemoryStream();
        var chunk = new byte[64 * 1024];
        for (int read; copy.Length < maxBytes && (read = xml.Read(chunk, 0, (int)Math.Min(chunk.Length, maxBytes - copy.Length))) > 0;)
            copy.Write(chunk, 0, read);
        if (copy.Length >= maxBytes)
            throw new StatementRejectedException(StatementProblem.TooLarge, $"The {format.Noun} does not end within {maxBytes} bytes.");
        copy.Position = 0;
        return copy;
    }

    private static long Remaining(Stream xml)
    {
        try
        {
            return xml.CanSeek ? xml.Length - xml.Position : -1;
        }
        catch (NotSupportedException)
        {
            return -1;
        }
    }

    // The raw values of one entry (Ntry) and its transactions (NtryDtls/TxDtls), all read before any is judged.
    private sealed record Entry(int Index, string? Ref, string? Amount, string? Currency, string? CreditDebit, string? StatusText,
        string? StatusCode, string? BookingDate, string? BookingDateTime, string? ServicerRef, bool CodeMarksReturn, List<Transaction> Transactions);

    private sealed record Transaction(string? EndToEndId, string? CreditorName, string? CreditorIban, string? DebtorName, string? DebtorIban,
        List<string> Unstructured, bool HasReturnInfo, string? ReturnCode, string? ReturnProprietary, List<string> ReturnTexts, bool CodeMarksReturn);

    private static BankStatement Read(CamtFormat format, XElement document, AccountRule? account)
    {
        var ns = document.Name.Namespace;
        // A camt.054's message and block are read as a camt.053's (BkToCstmrStmt, Stmt).
        XName[] messageNames = [ns + format.Message, ns + CamtFormat.Statement.Message];
        XName[] blockNames = [ns + format.Block, ns + CamtFormat.Statement.Block];
        var messages = document.Elements().Where(e => messageNames.Contains(e.Name)).ToList();
        var header = new Scope(ns, messages.Elements(ns + "GrpHdr").ToList(), "Document/BkToCstmrStmt/GrpHdr/");
        var (messageId, groupCreated) = (header.One("MsgId"), header.One("CreDtTm"));
        var blocks = messages.Elements().Where(e => blockNames.Contains(e.Name)).ToList();
        if (blocks.Count > 1)
            throw new StatementRejectedException(StatementProblem.Unsupported, $"The document contains more than one {format.Noun} ({format.Block}).");
        var block = new Scope(ns, blocks, "Document/BkToCstmrStmt/Stmt/");
        var (statementId, statementCreated, iban) = (block.One("Id"), block.One("CreDtTm"), block.One("Acct/Id/IBAN"));
        var entries = block.At("Ntry").Select((ntry, i) => ReadEntry(block.Of(ntry), i + 1)).ToList();

        messageId = Required(messageId, "GrpHdr/MsgId");
        if (blocks.Count == 0) throw Malformed($"The document contains no {format.Noun} ({format.Block}).");
        statementId = Required(statementId, $"{format.Block}/Id");
        if (iban is null && block.At("Acct/Id/Othr").Any())
            throw new StatementRejectedException(StatementProblem.Unsupported, $"The {format.Noun} account is not identified by an IBAN.");
        iban = Required(iban, $"{format.Block}/Acct/Id/IBAN");
        if (account is not null)
        {
            // What matters most first: a statement of another account or currency is refused as that, whatever else is in it.
            if (!string.Equals(Iban.Normalize(iban), Iban.Normalize(account.Iban), StringComparison.OrdinalIgnoreCase))
                throw new StatementRejectedException(StatementProblem.WrongAccount,
                    $"This {format.Noun} is for account {Iban.Normalize(iban)}, not the paying authority's account; nothing was imported.");
            var accountCurrency = block.One("Acct/Ccy");
            if (accountCurrency is { Length: > 0 } && accountCurrency != account.Currency)
                throw new StatementRejectedException(StatementProblem.WrongAccount,
                    $"This {format.Noun} is for an account in {accountCurrency}; only {account.Currency} {format.Noun}s are imported. Nothing was imported.");
            var foreign = entries.FirstOrDefault(e => e.Currency is { Length: > 0 } c && c != account.Currency);
            if (foreign is not null)
                throw new StatementRejectedException(StatementProblem.WrongAccount,
                    $"Entry {foreign.Index} is in {foreign.Currency}; only {account.Currency} {format.Noun}s are imported. Nothing was imported.");
        }
        var createdAt = ParseDateTime(statementCreated is { Length: > 0 } ? statementCreated : Required(groupCreated, "GrpHdr/CreDtTm"), "CreDtTm");

        var booked = new List<StatementEntry>(entries.Count);
        foreach (var e in entries)
        {
            var status = e.StatusCode ?? e.StatusText ?? throw Malformed($"Entry {e.Index} has no status (Sts).");
            if (status != "BOOK") continue;
            booked.Add(Judge(e, statementId, iban));
        }
        booked = Keyed(booked);
        var version = ns == format.Namespace08 ? format.Version08 : format.Version02;
        return new BankStatement(version, messageId, statementId, iban, createdAt, booked.AsReadOnly());
    }

    private static Entry ReadEntry(Scope ntry, int index) =>
        new(index, ntry.One("NtryRef"), ntry.One("Amt"), ntry.At("Amt").FirstOrDefault()?.Attribute("Ccy")?.Value.Trim(), ntry.One("CdtDbtInd"),
            ntry.One("Sts"), ntry.One("Sts/Cd"), ntry.One("BookgDt/Dt"), ntry.One("BookgDt/DtTm"), ntry.One("AcctSvcrRef"), ntry.MarksReturn(),
            ntry.At("NtryDtls/TxDtls").Select(tx => ReadTransaction(ntry.Of(tx))).ToList());

    private static Transaction ReadTransaction(Scope tx) =>
        new(tx.One("Refs/EndToEndId"),
            tx.One("RltdPties/Cdtr/Pty/Nm", "RltdPties/Cdtr/Agt/FinInstnId/Nm", "RltdPties/Cdtr/Nm"), tx.One("RltdPties/CdtrAcct/Id/IBAN"),
            tx.One("RltdPties/Dbtr/Pty/Nm", "RltdPties/Dbtr/Agt/FinInstnId/Nm", "RltdPties/Dbtr/Nm"), tx.One("RltdPties/DbtrAcct/Id/IBAN"),
            tx.All("RmtInf/Ustrd"), tx.At("RtrInf").Any(), tx.One("RtrInf/Rsn/Cd"), tx.One("RtrInf/Rsn/Prtry"), tx.All("RtrInf/AddtlInf"), tx.MarksReturn());

    /// Elements found by path (local names in the document's namespace) below the scope's elements. A single-valued element is ""
    /// when present but empty and null when absent; one that occurs more than once is refused (the 08 schema forbids that
    /// already, .02 is not validated), named by its path after `prefix`.
    private sealed class Scope(XNamespace ns, IReadOnlyList<XElement> elements, string prefix = "")
    {
        public Scope Of(XElement element) => new(ns, [element]);

        public IEnumerable<XElement> At(string path) =>
            path.Split('/').Aggregate(elements.AsEnumerable(), (found, name) => found.Elements(ns + name));

        public string? One(params string[] paths)
        {
            var found = paths.SelectMany(p => At(p).Select(e => (Node: (XNode)e, Path: p)))
                .OrderBy(f => f.Node, XNode.DocumentOrderComparer).ToList();
            return found.Count switch
            {
                0 => null,
                1 => Text((XElement)found[0].Node) ?? "",
                _ => throw Malformed($"Element '{prefix}{found[1].Path}' occurs more than once."),
            };
        }

        public List<string> All(string path) => At(path).Select(Text).OfType<string>().ToList();

        // Bank transaction codes that mark a return: the sub-family RRTN, or a proprietary code that says RETURN.
        public bool MarksReturn() =>
            At("BkTxCd/Domn/Fmly/SubFmlyCd").Any(e => string.Equals(Text(e), "RRTN", StringComparison.OrdinalIgnoreCase))
            || At("BkTxCd/Prtry/Cd").Any(e => Text(e)?.Contains("RETURN", StringComparison.OrdinalIgnoreCase) == true);

        // The text after the element's last child element, trimmed; null when there is none.
        private static string? Text(XElement element)
        {
            var text = new StringBuilder();
            for (var node = element.LastNode; node is XText t; node = node.PreviousNode) text.Insert(0, t.Value);
            return Blank(text.ToString().Trim());
        }
    }

    /// <summary>
    /// An entry's key says what makes it unique in the statement. Banks may put one AcctSvcrRef on several entries (PostFinance
    /// does): the reference alone keys an entry only when no other entry of the statement carries it; otherwise the key adds the
    /// direction, amount and booking date, and the position among entries equal in all of these ("REF|D|1537.00|2027-01-04|1").
    /// Entries without a reference are keyed by statement id and NtryRef or position, as before.
    /// </summary>
    private static List<StatementEntry> Keyed(List<StatementEntry> entries)
    {
        var shared = entries.Where(e => e.AccountServicerReference is not null).GroupBy(e => e.AccountServicerReference!, StringComparer.Ordinal)
            .Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var keyed = new List<StatementEntry>(entries.Count);
        foreach (var e in entries)
        {
            var key = e.Key;
            if (e.AccountServicerReference is { } reference && shared.Contains(reference))
            {
                var basis = string.Create(CultureInfo.InvariantCulture, $"{reference}|{(e.IsDebit ? "D" : "C")}|{e.Amount:0.00###}|{e.BookingDate:yyyy-MM-dd}");
                seen[basis] = seen.GetValueOrDefault(basis) + 1;
                key = $"{basis}|{seen[basis]}";
            }
            // Two entries without a reference may still share an NtryRef: the position decides then.
            while (keyed.Exists(k => k.Key == key)) key += "+";
            keyed.Add(e with { Key = key });
        }
        return keyed;
    }

    private static StatementEntry Judge(Entry e, string statementId, string accountIban)
    {
        var where = $"Entry {e.Index}";
        var amountText = Required(e.Amount, where + " Amt");
        const NumberStyles plain = NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign;
        if (!decimal.TryParse(amountText, plain, CultureInfo.InvariantCulture, out var amount) || amount < 0m)
            throw Malformed($"{where}: invalid amount '{amountText}'.");
        var currency = Required(e.Currency, where + " Amt/@Ccy");
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper)) throw Malformed($"{where}: invalid currency '{currency}'.");
        var isDebit = Required(e.CreditDebit, where + " CdtDbtInd") switch
        {
            "DBIT" => true,
            "CRDT" => false,
            var other => throw Malformed($"{where}: invalid CdtDbtInd '{other}'."),
        };
        var bookingDate = e.BookingDate is { Length: > 0 } d ? ParseDate(d, where + " BookgDt/Dt")
            : e.BookingDateTime is { Length: > 0 } dt ? DateOnly.FromDateTime(ParseDateTime(dt, where + " BookgDt/DtTm").DateTime)
            : throw Malformed($"{where}: booked entry without booking date (BookgDt).");

        var servicerRef = Blank(e.ServicerRef);
        var key = servicerRef ?? $"{statementId}/{Blank(e.Ref) ?? e.Index.ToString(CultureInfo.InvariantCulture)}";
        var returnTx = e.Transactions.Find(t => t.HasReturnInfo);
        var isReturn = returnTx is not null || e.CodeMarksReturn || e.Transactions.Exists(t => t.CodeMarksReturn);

        // Transaction-level details are only attributable when the entry holds exactly one transaction.
        var tx = e.Transactions.Count == 1 ? e.Transactions[0] : null;
        var endToEndId = Blank(tx?.EndToEndId) is { } id && !id.Equals("NOTPROVIDED", StringComparison.OrdinalIgnoreCase) ? id : null;
        var (creditorName, creditorIban) = (Blank(tx?.CreditorName), Blank(tx?.CreditorIban));
        // The counterparty of a debit is the creditor; of a return the creditor too, unless that is our own account.
        var useCreditor = isDebit || (isReturn && (creditorName is not null || creditorIban is not null)
            && !string.Equals(creditorIban, accountIban, StringComparison.OrdinalIgnoreCase));
        var counterpartyName = tx is null ? null : useCreditor ? creditorName : Blank(tx.DebtorName);
        var counterpartyIban = tx is null ? null : useCreditor ? creditorIban : Blank(tx.DebtorIban);
        var remittance = tx is { Unstructured.Count: > 0 } ? string.Join(' ', tx.Unstructured) : null;
        var reasonCode = returnTx is null ? null : Blank(returnTx.ReturnCode) ?? Blank(returnTx.ReturnProprietary);
        var reasonText = returnTx is { ReturnTexts.Count: > 0 } ? string.Join(' ', returnTx.ReturnTexts) : null;
        return new StatementEntry(key, amount, currency, isDebit, isReturn, bookingDate,
            endToEndId, counterpartyIban, counterpartyName, remittance, reasonCode, reasonText, servicerRef);
    }

    private static StatementRejectedException Malformed(string message) => new(StatementProblem.Malformed, message);

    private static string Required(string? value, string what) =>
        value is { Length: > 0 } ? value : throw Malformed($"Required element {what} is missing or empty.");

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static DateTimeOffset ParseDateTime(string text, string what) =>
        DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal,
            out var value)
            ? value
            : throw Malformed($"{what}: invalid date-time '{text}'.");

    // xs:date may carry a time zone ("2026-03-16Z", "2026-03-16+01:00"); the calendar date is the first 10 characters.
    private static DateOnly ParseDate(string text, string what)
    {
        var zoned = text.Length > 10 && (text[10..] == "Z" || (text.Length == 16 && text[10] is '+' or '-' && text[13] == ':'));
        var datePart = zoned ? text[..10] : text;
        return DateOnly.TryParseExact(datePart, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
            ? value
            : throw Malformed($"{what}: invalid date '{text}'.");
    }
}
