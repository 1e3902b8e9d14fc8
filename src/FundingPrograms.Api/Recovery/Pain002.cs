using System.Globalization;
using System.Xml.Linq;
using System.Xml.Schema;
using FundingPrograms.Payments;

namespace FundingPrograms.Recovery;

/// <summary>One transaction's status in a pain.002 report (after inheriting the payment-information or group status where it has none).</summary>
public sealed record PaymentStatusItem(string? OriginalPaymentInformationId, string? EndToEndId, string Status, string? ReasonCode, string? ReasonText);

public sealed record PaymentStatusReportFile(string MessageId, DateTimeOffset CreatedAt, string OriginalMessageId, string? GroupStatus, string? GroupReasonCode,
    IReadOnlyList<PaymentStatusItem> Items);

/// <summary>ISO 20022 customer payment status reports (pain.002.001.10), read safely and validated by <see cref="BankXml"/>.</summary>
public static class Pain002
{
    public const string Namespace = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10";
    private static readonly XNamespace Ns = Namespace;
    private static readonly BankFileKind Kind = new("report", "pain.002.001.10", Namespace)
    {
        DtdRefused = "DTDs (DOCTYPE declarations) are not allowed.", KeepWhitespace = true,
    };

    public static XmlSchemaSet LoadSchema(Stream xsd) => BankXml.LoadSchema(xsd, Namespace, "pain.002.001.10");

    /// <summary>The size is bounded by the caller (the uploaded body is buffered with a limit).</summary>
    public static PaymentStatusReportFile Parse(Stream xml, XmlSchemaSet schema)
    {
        var report = BankXml.Load(xml, schema, 0, Kind).Root!.Element(Ns + "CstmrPmtStsRpt")!;
        var header = report.Element(Ns + "GrpHdr")!;
        var group = report.Element(Ns + "OrgnlGrpInfAndSts")!;
        var groupStatus = Text(group, "GrpSts");
        var items = new List<PaymentStatusItem>();
        foreach (var pmtInf in report.Elements(Ns + "OrgnlPmtInfAndSts"))
        {
            var pmtStatus = Text(pmtInf, "PmtInfSts");
            var txs = pmtInf.Elements(Ns + "TxInfAndSts").ToList();
            if (txs.Count == 0 && (pmtStatus ?? groupStatus) is { } s && s != "PART")
                items.Add(new PaymentStatusItem(Text(pmtInf, "OrgnlPmtInfId"), null, s, Reason(pmtInf) ?? Reason(group), Info(pmtInf) ?? Info(group)));
            foreach (var tx in txs)
            {
                // A partly accepted group or payment information says nothing about a transaction without its own status.
                var inherited = pmtStatus ?? groupStatus;
                if ((Text(tx, "TxSts") ?? (inherited == "PART" ? null : inherited)) is not { } status) continue;
                items.Add(new PaymentStatusItem(Text(pmtInf, "OrgnlPmtInfId"), Text(tx, "OrgnlEndToEndId"), status, Reason(tx) ?? Reason(pmtInf) ?? Reason(group),
                    Info(tx) ?? Info(pmtInf) ?? Info(group)));
            }
        }
        if (!report.Elements(Ns + "OrgnlPmtInfAndSts").Any() && groupStatus is not null && groupStatus != "PART")
            items.Add(new PaymentStatusItem(null, null, groupStatus, Reason(group), Info(group)));
        var created = DateTimeOffset.TryParse(Text(header, "CreDtTm"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var c) ? c : DateTimeOffset.MinValue;
        return new PaymentStatusReportFile(Text(header, "MsgId")!, created, Text(group, "OrgnlMsgId")!, groupStatus, Reason(group), items);
    }

    /// <summary>Statuses that mean the payment did not (fully) go through: it is marked rejected.</summary>
    public static bool Rejects(string status) => status is "RJCT" or "PART";

    private static string? Text(XElement? e, params string[] path)
    {
        foreach (var p in path) e = e?.Element(Ns + p);
        return string.IsNullOrWhiteSpace(e?.Value) ? null : e.Value.Trim();
    }

    private static string? Reason(XElement e) => Text(e, "StsRsnInf", "Rsn", "Cd") ?? Text(e, "StsRsnInf", "Rsn", "Prtry");

    private static string? Info(XElement e) =>
        e.Elements(Ns + "StsRsnInf").Elements(Ns + "AddtlInf").Select(a => a.Value.Trim()).Where(v => v.Length > 0).ToList() is { Count: > 0 } texts
            ? string.Join(' ', texts)
            : null;
}
