// Safe parser for ISO 20022 bank-to-customer statements (camt.053.001.08, validated against the XSD;
// also camt.054 notifications through CamtFormat.Notification, see Recovery/Camt054.cs;
// camt.053.001.02, parsed structurally only). Uses System.Xml only; no DTDs, no resolver, streaming reader,
// hard byte limit on the input.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Xml;
using System.Xml.Schema;

namespace FundingPrograms.Payments;

public sealed record StatementEntry(
    string Key,                 // unique per entry: AcctSvcrRef if present, else "{StatementId}/{NtryRef or 1-based index}"
    decimal Amount, string Currency, bool IsDebit, bool IsReturn,
    DateOnly BookingDate,
    string? EndToEndId, string? CounterpartyIban, string? CounterpartyName, string? RemittanceText,
    string? ReturnReasonCode, string? ReturnReasonText, string? AccountServicerReference);

public sealed record BankStatement(string Version, string MessageId, string StatementId, string AccountIban, DateTimeOffset CreatedAt, IReadOnlyList<StatementEntry> Entries);

public enum StatementProblem { Malformed, DtdNotAllowed, TooLarge, SchemaInvalid, Unsupported }

public sealed class StatementRejectedException(StatementProblem problem, string message) : Exception(message)
{
    public StatementProblem Problem { get; } = problem;
}

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
}

public static class Camt053
{
    // Element paths (local names in the document's namespace, from the root; a camt.054's message and block are read as these).
    private const string GrpHdrPath = "Document/BkToCstmrStmt/GrpHdr";
    private const string StmtPath = "Document/BkToCstmrStmt/Stmt";
    private const string NtryPath = StmtPath + "/Ntry";
    private const string NtryPrefix = NtryPath + "/";
    private const string TxPath = NtryPath + "/NtryDtls/TxDtls";
    private const string TxPrefix = TxPath + "/";
    private const string ForeignElement = "#";

    /// Parses one camt.053 document (the first Stmt; more than one Stmt -> Unsupported). Safe: DtdProcessing.Prohibit, XmlResolver = null,
    /// MaxCharactersInDocument bounded by maxBytes, streaming XmlReader; the input stream is not read beyond maxBytes (TooLarge).
    /// camt.053.001.08 is validated against the XSD given as `schema08` (an XmlSchemaSet the caller loads once); errors -> SchemaInvalid with the first error's message and line.
    /// Notes: a seekable stream with more than maxBytes remaining is rejected before reading anything; from other streams at most
    /// maxBytes bytes are read, and if the input has not ended by then it is TooLarge (so for a non-seekable stream a document
    /// of exactly maxBytes bytes is TooLarge too, as it cannot be told apart from a longer one without reading further). Date-times without an offset are taken as UTC.
    /// An entry with more than one TxDtls (batch booking) carries no transaction-level EndToEndId/counterparty/remittance.
    public static BankStatement Parse(Stream xml, long maxBytes, XmlSchemaSet schema08) => Parse(CamtFormat.Statement, xml, maxBytes, schema08);

    public static BankStatement Parse(CamtFormat format, Stream xml, long maxBytes, XmlSchemaSet schema08)
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentNullException.ThrowIfNull(schema08);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        if (!xml.CanRead)
        {
            throw new ArgumentException($"The {format.Noun} stream is not readable.", nameof(xml));
        }
        // Without the 08 schema in the set the validator would silently fall back to lax (no) validation.
        if (!schema08.Contains(format.Namespace08))
        {
            throw new ArgumentException($"The schema set does not contain the {format.Version08} schema; load it with LoadSchema.", nameof(schema08));
        }

        if (xml.CanSeek)
        {
            long remaining;
            try
            {
                remaining = xml.Length - xml.Position;
            }
            catch (NotSupportedException)
            {
                remaining = -1;
            }
            if (remaining > maxBytes)
            {
                throw new StatementRejectedException(StatementProblem.TooLarge, $"The {format.Noun} is larger than {maxBytes} bytes.");
            }
        }

        var bounded = new BoundedReadStream(xml, maxBytes);
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = maxBytes,
            MaxCharactersFromEntities = maxBytes,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            CloseInput = false,
            ValidationType = ValidationType.Schema,
            // No inline schemas, no xsi:schemaLocation hints, no warnings (a 02 document is then only checked laxly).
            ValidationFlags = XmlSchemaValidationFlags.ProcessIdentityConstraints | XmlSchemaValidationFlags.AllowXmlAttributes,
            Schemas = schema08,
        };
        settings.ValidationEventHandler += static (_, e) =>
        {
            if (e.Severity == XmlSeverityType.Error)
            {
                throw new StatementRejectedException(
                    StatementProblem.SchemaInvalid,
                    $"Schema validation failed at line {e.Exception.LineNumber}, position {e.Exception.LinePosition}: {e.Message}");
            }
        };

        var parser = new Parser(format);
        try
        {
            using var reader = XmlReader.Create(bounded, settings);
            parser.Run(reader);
        }
        catch (StatementRejectedException) when (bounded.LimitReached)
        {
            throw TooLarge(format, maxBytes);
        }
        catch (XmlException ex)
        {
            if (bounded.LimitReached)
            {
                throw TooLarge(format, maxBytes);
            }
            if (!parser.RootSeen && ex.Message.Contains("DTD", StringComparison.Ordinal))
            {
                throw new StatementRejectedException(StatementProblem.DtdNotAllowed, $"DTDs (DOCTYPE declarations) are not allowed in {format.Noun}s.");
            }
            throw new StatementRejectedException(StatementProblem.Malformed, $"The {format.Noun} is not well-formed XML: {ex.Message}");
        }
        catch (DecoderFallbackException ex)
        {
            throw new StatementRejectedException(StatementProblem.Malformed, $"The {format.Noun} has an invalid character encoding: {ex.Message}");
        }

        // The reader asked for input past maxBytes (it reads to the end of input): the statement does not fit.
        if (bounded.LimitReached)
        {
            throw TooLarge(format, maxBytes);
        }
        return parser.Build();
    }

    private static StatementRejectedException TooLarge(CamtFormat format, long maxBytes) =>
        new(StatementProblem.TooLarge, $"The {format.Noun} does not end within {maxBytes} bytes.");

    /// Loads the 08 XSD from a stream once (safe settings too).
    public static XmlSchemaSet LoadSchema(Stream xsd) => LoadSchema(CamtFormat.Statement, xsd);

    public static XmlSchemaSet LoadSchema(CamtFormat format, Stream xsd)
    {
        ArgumentNullException.ThrowIfNull(xsd);
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            CloseInput = false,
        };
        XmlSchema? schema;
        using (var reader = XmlReader.Create(xsd, settings))
        {
            // No handler: schema errors throw XmlSchemaException.
            schema = XmlSchema.Read(reader, null);
        }
        if (schema is null || schema.TargetNamespace != format.Namespace08)
        {
            throw new ArgumentException($"The schema is not the {format.Version08} schema (target namespace '{schema?.TargetNamespace}').", nameof(xsd));
        }
        if (schema.Includes.Count > 0)
        {
            throw new ArgumentException("The schema must be self-contained (no include/import).", nameof(xsd));
        }
        var set = new XmlSchemaSet { XmlResolver = null };
        set.Add(schema);
        set.Compile();
        return set;
    }

    private static StatementRejectedException Malformed(string message) => new(StatementProblem.Malformed, message);

    private sealed class TxBuilder
    {
        public string? EndToEndId;
        public string? CreditorName;
        public string? CreditorIban;
        public string? DebtorName;
        public string? DebtorIban;
        public readonly List<string> Unstructured = [];
        public bool HasReturnInfo;
        public string? ReturnCode;
        public string? ReturnProprietary;
        public readonly List<string> ReturnTexts = [];
        public bool CodeMarksReturn;
    }

    private sealed class EntryBuilder(int index)
    {
        public int Index { get; } = index;
        public string? EntryRef;
        public string? AmountText;
        public string? Currency;
        public string? CreditDebit;
        public string? StatusText;   // 02: <Sts>BOOK</Sts>
        public string? StatusCode;   // 08: <Sts><Cd>BOOK</Cd></Sts>
        public string? BookingDate;
        public string? BookingDateTime;
        public string? ServicerRef;
        public bool CodeMarksReturn;
        public readonly List<TxBuilder> Transactions = [];
    }

    private sealed class Parser(CamtFormat format)
    {
        private readonly List<string> _paths = [];
        private readonly StringBuilder _text = new();
        private readonly List<EntryBuilder> _entries = [];
        private string? _namespace;
        private string? _version;
        private string? _messageId;
        private string? _groupCreated;
        private string? _statementId;
        private string? _statementCreated;
        private string? _iban;
        private bool _accountIsOther;
        private int _statementCount;
        private EntryBuilder? _entry;
        private TxBuilder? _tx;

        public bool RootSeen { get; private set; }

        public void Run(XmlReader reader)
        {
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        StartElement(reader);
                        break;
                    case XmlNodeType.Text:
                    case XmlNodeType.CDATA:
                    case XmlNodeType.SignificantWhitespace:
                    case XmlNodeType.Whitespace:
                        if (_paths.Count > 0)
                        {
                            _text.Append(reader.Value);
                        }
                        break;
                    case XmlNodeType.EndElement:
                        EndElement();
                        break;
                    default:
                        break;
                }
            }
            if (!RootSeen)
            {
                throw Malformed($"The {format.Noun} has no root element.");
            }
        }

        private void StartElement(XmlReader reader)
        {
            if (!RootSeen)
            {
                RootSeen = true;
                _version = reader.NamespaceURI == format.Namespace08 ? format.Version08
                    : reader.NamespaceURI == format.Namespace02 ? format.Version02
                    : null;
                if (_version is null || reader.LocalName != "Document")
                {
                    throw new StatementRejectedException(
                        StatementProblem.Unsupported,
                        $"Unsupported document '{reader.LocalName}' in namespace '{reader.NamespaceURI}'; expected a {format.Version08} or {format.Version02} Document.");
                }
                _namespace = reader.NamespaceURI;
            }

            string name = reader.NamespaceURI == _namespace ? reader.LocalName : ForeignElement;
            if (_paths.Count == 1 && name == format.Message) name = CamtFormat.Statement.Message;
            else if (_paths.Count == 2 && _paths[1] == GrpHdrPath[..GrpHdrPath.LastIndexOf('/')] && name == format.Block) name = CamtFormat.Statement.Block;
            string path = _paths.Count == 0 ? name : _paths[^1] + "/" + name;
            _paths.Add(path);
            _text.Clear();
            OnStart(path, reader);
            if (reader.IsEmptyElement)
            {
                EndElement();
            }
        }

        private void EndElement()
        {
            string path = _paths[^1];
            string text = _text.ToString().Trim();
            _text.Clear();
            OnEnd(path, text.Length == 0 ? null : text);
            _paths.RemoveAt(_paths.Count - 1);
        }

        private void OnStart(string path, XmlReader reader)
        {
            switch (path)
            {
                case StmtPath:
                    _statementCount++;
                    if (_statementCount > 1)
                    {
                        throw new StatementRejectedException(StatementProblem.Unsupported, $"The document contains more than one {format.Noun} ({format.Block}).");
                    }
                    break;
                case NtryPath:
                    _entry = new EntryBuilder(_entries.Count + 1);
                    _entries.Add(_entry);
                    break;
                case TxPath:
                    _tx = new TxBuilder();
                    _entry!.Transactions.Add(_tx);
                    break;
                case TxPath + "/RtrInf":
                    _tx!.HasReturnInfo = true;
                    break;
                case NtryPath + "/Amt":
                    _entry!.Currency = reader.GetAttribute("Ccy")?.Trim();
                    break;
                case StmtPath + "/Acct/Id/Othr":
                    _accountIsOther = true;
                    break;
                default:
                    break;
            }
        }

        private void OnEnd(string path, string? text)
        {
            if (path.StartsWith(TxPrefix, StringComparison.Ordinal))
            {
                OnTransactionValue(_tx!, path[TxPrefix.Length..], text);
                return;
            }
            if (path.StartsWith(NtryPrefix, StringComparison.Ordinal))
            {
                OnEntryValue(_entry!, path[NtryPrefix.Length..], text);
                return;
            }
            switch (path)
            {
                case GrpHdrPath + "/MsgId":
                    SetOnce(ref _messageId, text, path);
                    break;
                case GrpHdrPath + "/CreDtTm":
                    SetOnce(ref _groupCreated, text, path);
                    break;
                case StmtPath + "/Id":
                    SetOnce(ref _statementId, text, path);
                    break;
                case StmtPath + "/CreDtTm":
                    SetOnce(ref _statementCreated, text, path);
                    break;
                case StmtPath + "/Acct/Id/IBAN":
                    SetOnce(ref _iban, text, path);
                    break;
                case NtryPath:
                    _entry = null;
                    break;
                default:
                    break;
            }
        }

        private static void OnEntryValue(EntryBuilder e, string relative, string? text)
        {
            switch (relative)
            {
                case "NtryRef":
                    SetOnce(ref e.EntryRef, text, relative);
                    break;
                case "Amt":
                    SetOnce(ref e.AmountText, text, relative);
                    break;
                case "CdtDbtInd":
                    SetOnce(ref e.CreditDebit, text, relative);
                    break;
                case "Sts":
                    SetOnce(ref e.StatusText, text, relative);
                    break;
                case "Sts/Cd":
                    SetOnce(ref e.StatusCode, text, relative);
                    break;
                case "BookgDt/Dt":
                    SetOnce(ref e.BookingDate, text, relative);
                    break;
                case "BookgDt/DtTm":
                    SetOnce(ref e.BookingDateTime, text, relative);
                    break;
                case "AcctSvcrRef":
                    SetOnce(ref e.ServicerRef, text, relative);
                    break;
                case "BkTxCd/Domn/Fmly/SubFmlyCd":
                case "BkTxCd/Prtry/Cd":
                    e.CodeMarksReturn |= MarksReturn(relative, text);
                    break;
                default:
                    break;
            }
        }

        private static void OnTransactionValue(TxBuilder t, string relative, string? text)
        {
            switch (relative)
            {
                case "Refs/EndToEndId":
                    SetOnce(ref t.EndToEndId, text, relative);
                    break;
                case "RltdPties/Cdtr/Pty/Nm":          // 08
                case "RltdPties/Cdtr/Agt/FinInstnId/Nm":
                case "RltdPties/Cdtr/Nm":              // 02
                    SetOnce(ref t.CreditorName, text, relative);
                    break;
                case "RltdPties/CdtrAcct/Id/IBAN":
                    SetOnce(ref t.CreditorIban, text, relative);
                    break;
                case "RltdPties/Dbtr/Pty/Nm":
                case "RltdPties/Dbtr/Agt/FinInstnId/Nm":
                case "RltdPties/Dbtr/Nm":
                    SetOnce(ref t.DebtorName, text, relative);
                    break;
                case "RltdPties/DbtrAcct/Id/IBAN":
                    SetOnce(ref t.DebtorIban, text, relative);
                    break;
                case "RmtInf/Ustrd":
                    if (text is not null)
                    {
                        t.Unstructured.Add(text);
                    }
                    break;
                case "RtrInf/Rsn/Cd":
                    SetOnce(ref t.ReturnCode, text, relative);
                    break;
                case "RtrInf/Rsn/Prtry":
                    SetOnce(ref t.ReturnProprietary, text, relative);
                    break;
                case "RtrInf/AddtlInf":
                    if (text is not null)
                    {
                        t.ReturnTexts.Add(text);
                    }
                    break;
                case "BkTxCd/Domn/Fmly/SubFmlyCd":
                case "BkTxCd/Prtry/Cd":
                    t.CodeMarksReturn |= MarksReturn(relative, text);
                    break;
                default:
                    break;
            }
        }

        private static bool MarksReturn(string relative, string? code) =>
            code is not null && (relative.EndsWith("SubFmlyCd", StringComparison.Ordinal)
                ? string.Equals(code, "RRTN", StringComparison.OrdinalIgnoreCase)
                : code.Contains("RETURN", StringComparison.OrdinalIgnoreCase));

        // The 08 schema already forbids repeats; for 02 (not validated) a repeated single-valued element is rejected.
        private static void SetOnce(ref string? field, string? value, string path)
        {
            if (field is not null)
            {
                throw Malformed($"Element '{path}' occurs more than once.");
            }
            field = value ?? string.Empty;
        }

        public BankStatement Build()
        {
            string version = _version!;
            string messageId = Required(_messageId, "GrpHdr/MsgId");
            if (_statementCount == 0)
            {
                throw Malformed($"The document contains no {format.Noun} ({format.Block}).");
            }
            string statementId = Required(_statementId, $"{format.Block}/Id");
            if (_iban is null && _accountIsOther)
            {
                throw new StatementRejectedException(StatementProblem.Unsupported, $"The {format.Noun} account is not identified by an IBAN.");
            }
            string iban = Required(_iban, $"{format.Block}/Acct/Id/IBAN");
            string createdText = _statementCreated is { Length: > 0 } ? _statementCreated : Required(_groupCreated, "GrpHdr/CreDtTm");
            DateTimeOffset createdAt = ParseDateTime(createdText, "CreDtTm");

            var entries = new List<StatementEntry>(_entries.Count);
            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (EntryBuilder e in _entries)
            {
                string status = e.StatusCode ?? e.StatusText ?? throw Malformed($"Entry {e.Index} has no status (Sts).");
                if (!string.Equals(status, "BOOK", StringComparison.Ordinal))
                {
                    continue;
                }
                StatementEntry entry = BuildEntry(e, statementId, iban);
                if (!keys.Add(entry.Key))
                {
                    throw Malformed($"Entry key '{entry.Key}' occurs more than once in the {format.Noun}.");
                }
                entries.Add(entry);
            }
            return new BankStatement(version, messageId, statementId, iban, createdAt, entries.AsReadOnly());
        }

        private static StatementEntry BuildEntry(EntryBuilder e, string statementId, string accountIban)
        {
            string where = $"Entry {e.Index}";
            string amountText = Required(e.AmountText, where + " Amt");
            if (!decimal.TryParse(amountText, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out decimal amount)
                || amount < 0m)
            {
                throw Malformed($"{where}: invalid amount '{amountText}'.");
            }
            string currency = Required(e.Currency, where + " Amt/@Ccy");
            if (currency.Length != 3 || !IsUpperAscii(currency))
            {
                throw Malformed($"{where}: invalid currency '{currency}'.");
            }
            bool isDebit = Required(e.CreditDebit, where + " CdtDbtInd") switch
            {
                "DBIT" => true,
                "CRDT" => false,
                var other => throw Malformed($"{where}: invalid CdtDbtInd '{other}'."),
            };
            DateOnly bookingDate = e.BookingDate is { Length: > 0 } d ? ParseDate(d, where + " BookgDt/Dt")
                : e.BookingDateTime is { Length: > 0 } dt ? DateOnly.FromDateTime(ParseDateTime(dt, where + " BookgDt/DtTm").DateTime)
                : throw Malformed($"{where}: booked entry without booking date (BookgDt).");

            string? servicerRef = Blank(e.ServicerRef);
            string key = servicerRef ?? $"{statementId}/{Blank(e.EntryRef) ?? e.Index.ToString(CultureInfo.InvariantCulture)}";

            TxBuilder? returnTx = e.Transactions.Find(static t => t.HasReturnInfo);
            bool isReturn = returnTx is not null || e.CodeMarksReturn || e.Transactions.Exists(static t => t.CodeMarksReturn);

            // Transaction-level details are only attributable when the entry holds exactly one transaction.
            TxBuilder? tx = e.Transactions.Count == 1 ? e.Transactions[0] : null;
            string? endToEndId = Blank(tx?.EndToEndId);
            if (string.Equals(endToEndId, "NOTPROVIDED", StringComparison.OrdinalIgnoreCase))
            {
                endToEndId = null;
            }

            string? counterpartyName = null;
            string? counterpartyIban = null;
            if (tx is not null)
            {
                string? creditorName = Blank(tx.CreditorName);
                string? creditorIban = Blank(tx.CreditorIban);
                bool useCreditor = isDebit
                    || (isReturn && (creditorName is not null || creditorIban is not null)
                        && !string.Equals(creditorIban, accountIban, StringComparison.OrdinalIgnoreCase));
                counterpartyName = useCreditor ? creditorName : Blank(tx.DebtorName);
                counterpartyIban = useCreditor ? creditorIban : Blank(tx.DebtorIban);
            }
            string? remittance = tx is { Unstructured.Count: > 0 } ? string.Join(' ', tx.Unstructured) : null;

            string? reasonCode = null;
            string? reasonText = null;
            if (returnTx is not null)
            {
                reasonCode = Blank(returnTx.ReturnCode) ?? Blank(returnTx.ReturnProprietary);
                reasonText = returnTx.ReturnTexts.Count > 0 ? string.Join(' ', returnTx.ReturnTexts) : null;
            }

            return new StatementEntry(key, amount, currency, isDebit, isReturn, bookingDate,
                endToEndId, counterpartyIban, counterpartyName, remittance, reasonCode, reasonText, servicerRef);
        }

        private static string Required(string? value, string what) =>
            value is { Length: > 0 } ? value : throw Malformed($"Required element {what} is missing or empty.");

        private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;

        private static bool IsUpperAscii(string s)
        {
            foreach (char c in s)
            {
                if (c is < 'A' or > 'Z')
                {
                    return false;
                }
            }
            return true;
        }

        private static readonly string[] DateTimeFormats = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

        private static DateTimeOffset ParseDateTime(string text, string what) =>
            DateTimeOffset.TryParseExact(text, DateTimeFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out DateTimeOffset value)
                ? value
                : throw Malformed($"{what}: invalid date-time '{text}'.");

        private static DateOnly ParseDate(string text, string what)
        {
            // xs:date may carry a time zone ("2026-03-16Z", "2026-03-16+01:00"); the calendar date is the first 10 characters.
            string datePart = text.Length > 10 && (text[10..] == "Z" || (text.Length == 16 && text[10] is '+' or '-' && text[13] == ':'))
                ? text[..10]
                : text;
            return DateOnly.TryParseExact(datePart, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly value)
                ? value
                : throw Malformed($"{what}: invalid date '{text}'.");
        }
    }

    /// Read-only view of a stream that hands out at most `limit` bytes and then reports end of input.
    private sealed class BoundedReadStream(Stream inner, long limit) : Stream
    {
        private long _consumed;

        /// True once the reader asked for more after `limit` bytes had been handed out.
        public bool LimitReached { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position
        {
            get => _consumed;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty)
            {
                return 0;
            }
            long remaining = limit - _consumed;
            if (remaining <= 0)
            {
                // A seekable input that is at its end has simply ended; otherwise more input may follow and it is not read.
                LimitReached = !IsAtKnownEnd();
                return 0;
            }
            if (buffer.Length > remaining)
            {
                buffer = buffer[..(int)remaining];
            }
            int read = inner.Read(buffer);
            _consumed += read;
            return read;
        }

        private bool IsAtKnownEnd()
        {
            try
            {
                return inner.CanSeek && inner.Position >= inner.Length;
            }
            catch (NotSupportedException)
            {
                return false;
            }
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
