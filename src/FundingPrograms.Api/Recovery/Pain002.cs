using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using FundingPrograms.Payments;

namespace FundingPrograms.Recovery;

/// <summary>One transaction's status in a pain.002 report (after inheriting the payment-information or group status where it has none).</summary>
public sealed record PaymentStatusItem(string? OriginalPaymentInformationId, string? EndToEndId, string Status, string? ReasonCode, string? ReasonText);

public sealed record PaymentStatusReportFile(string MessageId, DateTimeOffset CreatedAt, string OriginalMessageId, string? GroupStatus, string? GroupReasonCode,
    IReadOnlyList<PaymentStatusItem> Items);

/// <summary>
/// Safe reader for ISO 20022 customer payment status reports (pain.002.001.10), validated against the official XSD while
/// reading: DTDs prohibited, no resolver, size bounded by the caller's buffer.
/// </summary>
public static class Pain002
{
    public const string Namespace = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10";

    public static XmlSchemaSet LoadSchema(Stream xsd)
    {
        using var reader = XmlReader.Create(xsd, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        var schema = XmlSchema.Read(reader, null) ?? throw new ArgumentException("No schema.");
        if (schema.TargetNamespace != Namespace) throw new ArgumentException($"Not the pain.002.001.10 schema ({schema.TargetNamespace}).");
        var set = new XmlSchemaSet { XmlResolver = null };
        set.Add(schema);
        set.Compile();
        return set;
    }

    public static PaymentStatusReportFile Parse(Stream xml, XmlSchemaSet schema)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersFromEntities = 0, IgnoreComments = true,
            IgnoreProcessingInstructions = true, ValidationType = ValidationType.Schema, Schemas = schema,
            ValidationFlags = XmlSchemaValidationFlags.ProcessIdentityConstraints | XmlSchemaValidationFlags.AllowXmlAttributes,
        };
        settings.ValidationEventHandler += static (_, e) =>
        {
            if (e.Severity == XmlSeverityType.Error)
                throw new StatementRejectedException(StatementProblem.SchemaInvalid,
                    $"Schema validation failed at line {e.Exception.LineNumber}, position {e.Exception.LinePosition}: {e.Message}");
        };
        XDocument doc;
        try
        {
            using var reader = XmlReader.Create(xml, settings);
            reader.MoveToContent();
            if (reader.NamespaceURI != Namespace || reader.LocalName != "Document")
                throw new StatementRejectedException(StatementProblem.Unsupported,
                    $"Unsupported document '{reader.LocalName}' in namespace '{reader.NamespaceURI}'; expected a pain.002.001.10 Document.");
            doc = XDocument.Load(reader);
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.Ordinal))
        {
            throw new StatementRejectedException(StatementProblem.DtdNotAllowed, "DTDs (DOCTYPE declarations) are not allowed.");
        }
        catch (XmlException e)
        {
            throw new StatementRejectedException(StatementProblem.Malformed, $"The report is not well-formed XML: {e.Message}");
        }

        XNamespace ns = Namespace;
        var report = doc.Root!.Element(ns + "CstmrPmtStsRpt")!;
        string? Text(XElement? e, params string[] path)
        {
            foreach (var p in path) e = e?.Element(ns + p);
            return string.IsNullOrWhiteSpace(e?.Value) ? null : e!.Value.Trim();
        }
        string? Reason(XElement? e) => Text(e, "StsRsnInf", "Rsn", "Cd") ?? Text(e, "StsRsnInf", "Rsn", "Prtry");
        string? Info(XElement? e) => e?.Elements(ns + "StsRsnInf").SelectMany(s => s.Elements(ns + "AddtlInf")).Select(a => a.Value.Trim())
            .Where(v => v.Length > 0).Aggregate((string?)null, (a, b) => a is null ? b : $"{a} {b}");

        var header = report.Element(ns + "GrpHdr")!;
        var group = report.Element(ns + "OrgnlGrpInfAndSts")!;
        var groupStatus = Text(group, "GrpSts");
        var items = new List<PaymentStatusItem>();
        foreach (var pmtInf in report.Elements(ns + "OrgnlPmtInfAndSts"))
        {
            var pmtStatus = Text(pmtInf, "PmtInfSts");
            var txs = pmtInf.Elements(ns + "TxInfAndSts").ToList();
            if (txs.Count == 0 && (pmtStatus ?? groupStatus) is { } s && s != "PART")
                items.Add(new PaymentStatusItem(Text(pmtInf, "OrgnlPmtInfId"), null, s, Reason(pmtInf) ?? Reason(group), Info(pmtInf) ?? Info(group)));
            foreach (var tx in txs)
            {
                // A partly accepted group or payment information says nothing about a transaction without its own status.
                var inherited = pmtStatus ?? groupStatus;
                var status = Text(tx, "TxSts") ?? (inherited == "PART" ? null : inherited);
                if (status is null) continue;
                items.Add(new PaymentStatusItem(Text(pmtInf, "OrgnlPmtInfId"), Text(tx, "OrgnlEndToEndId"), status, Reason(tx) ?? Reason(pmtInf) ?? Reason(group),
                    Info(tx) ?? Info(pmtInf) ?? Info(group)));
            }
        }
        if (!report.Elements(ns + "OrgnlPmtInfAndSts").Any() && groupStatus is not null && groupStatus != "PART")
            items.Add(new PaymentStatusItem(null, null, groupStatus, Reason(group), Info(group)));
        var created = DateTimeOffset.TryParse(Text(header, "CreDtTm"), System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var c) ? c : DateTimeOffset.MinValue;
        return new PaymentStatusReportFile(Text(header, "MsgId")!, created, Text(group, "OrgnlMsgId")!, groupStatus, Reason(group), items);
    }

    /// <summary>Statuses that mean the payment did not (fully) go through: it is marked rejected.</summary>
    public static bool Rejects(string status) => status is "RJCT" or "PART";
}
