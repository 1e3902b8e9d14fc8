using System.Xml.Schema;
using FundingPrograms.Payments;

namespace FundingPrograms.Recovery;

/// <summary>
/// ISO 20022 bank-to-customer debit/credit notifications (camt.054.001.08 validated against the XSD; .02 parsed structurally):
/// the camt.053 parser (<see cref="Camt053"/>) reading the Ntfctn block, with the same safety (<see cref="BankXml"/>, hard byte
/// limit) and the same entries.
/// </summary>
public static class Camt054
{
    public static BankStatement Parse(Stream xml, long maxBytes, XmlSchemaSet schema08) =>
        Camt053.Parse(CamtFormat.Notification, xml, maxBytes, schema08);

    public static XmlSchemaSet LoadSchema(Stream xsd) => Camt053.LoadSchema(CamtFormat.Notification, xsd);
}
