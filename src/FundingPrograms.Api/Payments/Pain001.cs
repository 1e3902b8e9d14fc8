// SEPA Credit Transfer initiation (ISO 20022 pain.001.001.09, EPC132-08 2023 V1.0 SCT customer-to-PSP subset).
// Self-contained apart from the house's one IBAN check (Infrastructure/Iban.cs): uses System.Xml and System.Text from the base class library.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Xml;
using FundingPrograms.Infrastructure;

namespace FundingPrograms.Payments;

/// <summary>The ordering (debtor) account. <paramref name="Bic"/> may be null (IBAN-only).</summary>
public sealed record DebtorAccount(string Name, string Iban, string? Bic);

/// <summary>One credit transfer. <paramref name="CreditorBic"/> may be null (IBAN-only).</summary>
public sealed record CreditTransfer(string EndToEndId, decimal Amount, string CreditorName, string CreditorIban, string? CreditorBic, string RemittanceText);

/// <summary>Builds SEPA credit transfer files (pain.001.001.09, EPC SCT C2PSP).</summary>
public static class Pain001
{
    /// <summary>XML namespace of pain.001.001.09 (default namespace of the Document element).</summary>
    public const string Namespace = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09";

    // Length limits taken from the EPC-restricted XSD.
    private const int MaxIdLength = 35;          // Max35Text: MsgId, PmtInfId, EndToEndId
    private const int MaxNameLength = 70;        // Max140Text_EPC132-08_2023_V1.0_SCT_C2PSP: all party names
    private const int MaxRemittanceLength = 140; // Max140Text: RmtInf/Ustrd
    private const decimal MinAmount = 0.01m;     // ActiveOrHistoricCurrencyAndAmount_EPC...: minInclusive
    private const decimal MaxAmount = 999999999.99m; // ... maxInclusive
    private const decimal MaxControlSum = 9999999999999999.99m; // DecimalNumber: totalDigits 18, fractionDigits 2
    private const string XmlDeclaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

    /// One group header, one PmtInf (SEPA service level, ChrgBr SLEV, batch booking), one CdtTrfTxInf per transfer;
    /// NbOfTxs and CtrlSum in the group header and the payment information; amounts with exactly 2 decimals, currency EUR;
    /// names and remittance texts transliterated to the SEPA character set and cut to the schema's max lengths.
    /// Deterministic: the same inputs give byte-identical output (UTF-8, no BOM, stable formatting).
    /// <remarks>
    /// The returned string starts with <c>&lt;?xml version="1.0" encoding="UTF-8"?&gt;</c>, uses "\n" line endings and
    /// two-space indentation; write it with <c>new UTF8Encoding(false)</c> to get the BOM-less UTF-8 file.
    /// PmtInfId is the message id. IBANs/BICs are normalised (spaces removed, upper case) and checked.
    /// </remarks>
    /// <exception cref="ArgumentException">Invalid ids, empty transfer list, non-positive amount or amount with more than
    /// 2 decimals (or above the schema maximum), duplicate EndToEndIds, invalid IBAN/BIC, or a name that is empty after
    /// transliteration.</exception>
    public static string Build(string messageId, DateTimeOffset createdAt, DateOnly executionDate, DebtorAccount debtor, IReadOnlyList<CreditTransfer> transfers)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        ArgumentNullException.ThrowIfNull(debtor);
        ArgumentNullException.ThrowIfNull(transfers);

        CheckIdentifier(messageId, nameof(messageId));
        if (transfers.Count == 0)
        {
            throw new ArgumentException("At least one credit transfer is required.", nameof(transfers));
        }

        string debtorName = RequiredName(debtor.Name, nameof(debtor));
        string debtorIban = NormaliseIban(debtor.Iban, nameof(debtor));
        string? debtorBic = NormaliseBic(debtor.Bic, nameof(debtor));

        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        var rows = new List<Row>(transfers.Count);
        decimal controlSum = 0m;
        for (int i = 0; i < transfers.Count; i++)
        {
            CreditTransfer t = transfers[i] ?? throw new ArgumentException($"Transfer #{i} is null.", nameof(transfers));
            ArgumentNullException.ThrowIfNull(t.EndToEndId);
            CheckIdentifier(t.EndToEndId, nameof(transfers));
            if (!seenIds.Add(t.EndToEndId))
            {
                throw new ArgumentException($"Duplicate EndToEndId '{t.EndToEndId}'.", nameof(transfers));
            }

            if (t.Amount <= 0m)
            {
                throw new ArgumentException($"Transfer '{t.EndToEndId}': amount must be positive.", nameof(transfers));
            }

            if (decimal.Round(t.Amount, 2) != t.Amount)
            {
                throw new ArgumentException($"Transfer '{t.EndToEndId}': amount has more than 2 decimals.", nameof(transfers));
            }

            if (t.Amount < MinAmount || t.Amount > MaxAmount)
            {
                throw new ArgumentException($"Transfer '{t.EndToEndId}': amount must be between 0.01 and 999999999.99.", nameof(transfers));
            }

            controlSum += t.Amount;
            if (controlSum > MaxControlSum)
            {
                throw new ArgumentException("The control sum exceeds 18 digits.", nameof(transfers));
            }

            rows.Add(new Row(
                t.EndToEndId,
                FormatAmount(t.Amount),
                RequiredName(t.CreditorName, nameof(transfers)),
                NormaliseIban(t.CreditorIban, nameof(transfers)),
                NormaliseBic(t.CreditorBic, nameof(transfers)),
                ToSepaCharacters(t.RemittanceText ?? string.Empty, MaxRemittanceLength)));
        }

        string nbOfTxs = rows.Count.ToString(CultureInfo.InvariantCulture);
        string ctrlSum = FormatAmount(controlSum);

        var settings = new XmlWriterSettings
        {
            OmitXmlDeclaration = true, // written by hand: XmlWriter would emit encoding="utf-16"/"utf-8"
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
            NewLineHandling = NewLineHandling.Replace,
            ConformanceLevel = ConformanceLevel.Document,
            CheckCharacters = true,
        };

        var sb = new StringBuilder(1024 + (rows.Count * 640));
        sb.Append(XmlDeclaration).Append('\n');
        using (var sw = new StringWriter(sb, CultureInfo.InvariantCulture))
        using (XmlWriter w = XmlWriter.Create(sw, settings))
        {
            w.WriteStartElement("Document", Namespace);
            w.WriteStartElement("CstmrCdtTrfInitn", Namespace);

            // Group header
            w.WriteStartElement("GrpHdr", Namespace);
            Leaf(w, "MsgId", messageId);
            Leaf(w, "CreDtTm", FormatDateTime(createdAt));
            Leaf(w, "NbOfTxs", nbOfTxs);
            Leaf(w, "CtrlSum", ctrlSum);
            w.WriteStartElement("InitgPty", Namespace);
            Leaf(w, "Nm", debtorName);
            w.WriteEndElement(); // InitgPty
            w.WriteEndElement(); // GrpHdr

            // Payment information
            w.WriteStartElement("PmtInf", Namespace);
            Leaf(w, "PmtInfId", messageId);
            Leaf(w, "PmtMtd", "TRF");
            Leaf(w, "BtchBookg", "true");
            Leaf(w, "NbOfTxs", nbOfTxs);
            Leaf(w, "CtrlSum", ctrlSum);
            w.WriteStartElement("PmtTpInf", Namespace);
            w.WriteStartElement("SvcLvl", Namespace);
            Leaf(w, "Cd", "SEPA");
            w.WriteEndElement(); // SvcLvl
            w.WriteEndElement(); // PmtTpInf
            w.WriteStartElement("ReqdExctnDt", Namespace);
            Leaf(w, "Dt", executionDate.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture));
            w.WriteEndElement(); // ReqdExctnDt
            w.WriteStartElement("Dbtr", Namespace);
            Leaf(w, "Nm", debtorName);
            w.WriteEndElement(); // Dbtr
            Account(w, "DbtrAcct", debtorIban);
            w.WriteStartElement("DbtrAgt", Namespace);
            w.WriteStartElement("FinInstnId", Namespace);
            if (debtorBic is not null)
            {
                Leaf(w, "BICFI", debtorBic);
            }
            else
            {
                // DbtrAgt is mandatory; EPC IBAN-only form.
                w.WriteStartElement("Othr", Namespace);
                Leaf(w, "Id", "NOTPROVIDED");
                w.WriteEndElement(); // Othr
            }

            w.WriteEndElement(); // FinInstnId
            w.WriteEndElement(); // DbtrAgt
            Leaf(w, "ChrgBr", "SLEV");

            foreach (Row r in rows)
            {
                w.WriteStartElement("CdtTrfTxInf", Namespace);
                w.WriteStartElement("PmtId", Namespace);
                Leaf(w, "EndToEndId", r.EndToEndId);
                w.WriteEndElement(); // PmtId
                w.WriteStartElement("Amt", Namespace);
                w.WriteStartElement("InstdAmt", Namespace);
                w.WriteAttributeString("Ccy", "EUR");
                w.WriteString(r.Amount);
                w.WriteEndElement(); // InstdAmt
                w.WriteEndElement(); // Amt
                if (r.CreditorBic is not null)
                {
                    // CdtrAgt is optional; when present its BICFI is mandatory, so it is omitted for IBAN-only.
                    w.WriteStartElement("CdtrAgt", Namespace);
                    w.WriteStartElement("FinInstnId", Namespace);
                    Leaf(w, "BICFI", r.CreditorBic);
                    w.WriteEndElement(); // FinInstnId
                    w.WriteEndElement(); // CdtrAgt
                }

                w.WriteStartElement("Cdtr", Namespace);
                Leaf(w, "Nm", r.CreditorName);
                w.WriteEndElement(); // Cdtr
                Account(w, "CdtrAcct", r.CreditorIban);
                if (r.Remittance.Length > 0)
                {
                    w.WriteStartElement("RmtInf", Namespace);
                    Leaf(w, "Ustrd", r.Remittance);
                    w.WriteEndElement(); // RmtInf
                }

                w.WriteEndElement(); // CdtTrfTxInf
            }

            w.WriteEndElement(); // PmtInf
            w.WriteEndElement(); // CstmrCdtTrfInitn
            w.WriteEndElement(); // Document
        }

        sb.Append('\n');
        return sb.ToString();
    }

    /// Transliterates to the SEPA Latin character set (a-z A-Z 0-9 / - ? : ( ) . , ' + and space): German umlauts ä→ae, ö→oe, ü→ue, Ä→Ae, Ö→Oe, Ü→Ue, ß→ss;
    /// other letters with diacritics lose them (é→e, ş→s, ı→i, ł→l, ø→o, æ→ae, đ→d); anything else becomes a space; runs of spaces collapse; trimmed; cut to maxLength.
    public static string ToSepaCharacters(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);

        // No string.Normalize: it is a no-op for non-ASCII under InvariantGlobalization and ICU-version dependent
        // otherwise. An embedded table keeps the result identical on every machine.
        var mapped = new StringBuilder(text.Length + 8);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (IsSepaChar(c))
            {
                mapped.Append(c);
            }
            else if (IsCombiningMark(c))
            {
                // Decomposed input: "u" + U+0308 is an umlaut (ue); every other combining mark is dropped.
                if (c == '\u0308' && i > 0 && text[i - 1] is 'a' or 'o' or 'u' or 'A' or 'O' or 'U')
                {
                    mapped.Append('e');
                }
            }
            else if (LetterMap.TryGetValue(c, out string? replacement))
            {
                mapped.Append(replacement);
            }
            else
            {
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    i++; // one space for a character outside the BMP
                }

                mapped.Append(' ');
            }
        }

        // Collapse runs of spaces, trim, cut, trim again.
        var result = new StringBuilder(Math.Min(mapped.Length, maxLength + 1));
        bool pendingSpace = false;
        for (int i = 0; i < mapped.Length && result.Length < maxLength; i++)
        {
            char c = mapped[i];
            if (c == ' ')
            {
                pendingSpace = result.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                result.Append(' ');
                pendingSpace = false;
                if (result.Length >= maxLength)
                {
                    break;
                }
            }

            result.Append(c);
        }

        while (result.Length > 0 && result[^1] == ' ')
        {
            result.Length--;
        }

        return result.ToString();
    }

    private static bool IsCombiningMark(char c) =>
        c is (>= '\u0300' and <= '\u036F') or (>= '\u1AB0' and <= '\u1AFF') or (>= '\u1DC0' and <= '\u1DFF')
            or (>= '\u20D0' and <= '\u20FF') or (>= '\uFE20' and <= '\uFE2F');

    // Replacement -> characters replaced by it. Covers Latin-1 Supplement, Latin Extended-A/B/C/D/Additional, Latin
    // ligatures and full-width ASCII letters/digits (generated from the Unicode data: base letter of the compatibility
    // decomposition, or of "LATIN ... LETTER X WITH ..."), with the German umlaut/sharp-s and ligature rules on top.
    // Characters not listed (and not SEPA characters) become a space.
    private static readonly (string Replacement, string Characters)[] LetterTable =
    [
        ("0", "０"),
        ("1", "１"),
        ("2", "２"),
        ("3", "３"),
        ("4", "４"),
        ("5", "５"),
        ("6", "６"),
        ("7", "７"),
        ("8", "８"),
        ("9", "９"),
        ("A", "ÀÁÂÃÅĀĂĄǍǞǠǺȀȂȦȺḀẠẢẤẦẨẪẬẮẰẲẴẶＡ"),
        ("a", "àáâãåāăąǎǟǡǻȁȃȧḁẚạảấầẩẫậắằẳẵặⱥａ"),
        ("Ae", "ÄÆǢǼ"),
        ("ae", "äæǣǽ"),
        ("B", "ƁƂɃḂḄḆꞖＢ"),
        ("b", "ƀƃḃḅḇꞗｂ"),
        ("C", "ÇĆĈĊČƇȻḈꞒꟄꟲＣ"),
        ("c", "çćĉċčƈȼḉꞓꞔｃ"),
        ("D", "ÐĎĐƊƋḊḌḎḐḒꟇＤ"),
        ("d", "ðďđƌȡḋḍḏḑḓꟈｄ"),
        ("DZ", "ǄǱ"),
        ("Dz", "ǅǲ"),
        ("dz", "ǆǳ"),
        ("E", "ÈÉÊËĒĔĖĘĚȄȆȨɆḔḖḘḚḜẸẺẼẾỀỂỄỆＥ"),
        ("e", "èéêëēĕėęěȅȇȩɇḕḗḙḛḝẹẻẽếềểễệⱸｅ"),
        ("F", "ƑḞꞘꟳＦ"),
        ("f", "ƒḟꞙｆ"),
        ("ff", "ﬀ"),
        ("ffi", "ﬃ"),
        ("ffl", "ﬄ"),
        ("fi", "ﬁ"),
        ("fl", "ﬂ"),
        ("G", "ĜĞĠĢƓǤǦǴḠꞠＧ"),
        ("g", "ĝğġģǥǧǵḡꞡｇ"),
        ("H", "ĤĦȞḢḤḦḨḪⱧꞪＨ"),
        ("h", "ĥħȟḣḥḧḩḫẖⱨꞕｈ"),
        ("I", "ÌÍÎÏĨĪĬĮİƗǏȈȊḬḮỈỊＩ"),
        ("i", "ìíîïĩīĭįıǐȉȋḭḯỉịｉ"),
        ("IJ", "Ĳ"),
        ("ij", "ĳ"),
        ("J", "ĴɈꞲＪ"),
        ("j", "ĵǰȷɉⱼｊ"),
        ("K", "ĶƘǨḰḲḴⱩꝀꝂꝄꞢＫ"),
        ("k", "ķĸƙǩḱḳḵⱪꝁꝃꝅꞣｋ"),
        ("L", "ĹĻĽĿŁȽḶḸḺḼⱠⱢꝈꞭＬ"),
        ("l", "ĺļľŀłƚȴḷḹḻḽⱡꝉꞎｌ"),
        ("LJ", "Ǉ"),
        ("Lj", "ǈ"),
        ("lj", "ǉ"),
        ("M", "ḾṀṂⱮＭ"),
        ("m", "ḿṁṃｍ"),
        ("N", "ÑŃŅŇŊƝǸȠṄṆṈṊꞐꞤＮ"),
        ("n", "ñńņňŉŋƞǹȵṅṇṉṋꞑꞥｎ"),
        ("NJ", "Ǌ"),
        ("Nj", "ǋ"),
        ("nj", "ǌ"),
        ("O", "ÒÓÔÕØŌŎŐƟƠǑǪǬǾȌȎȪȬȮȰṌṎṐṒỌỎỐỒỔỖỘỚỜỞỠỢꝊꝌＯ"),
        ("o", "òóôõøōŏőơǒǫǭǿȍȏȫȭȯȱṍṏṑṓọỏốồổỗộớờởỡợⱺꝋꝍｏ"),
        ("Oe", "ÖŒ"),
        ("oe", "öœ"),
        ("P", "ƤṔṖⱣꝐꝒꝔＰ"),
        ("p", "ƥṕṗꝑꝓꝕｐ"),
        ("Q", "ꝖꝘꟴＱ"),
        ("q", "ɋꝗꝙｑ"),
        ("R", "ŔŖŘȐȒɌṘṚṜṞⱤꞦＲ"),
        ("r", "ŕŗřȑȓɍṙṛṝṟꞧｒ"),
        ("S", "ŚŜŞŠȘṠṢṤṦṨⱾꞨꟅꟉＳ"),
        ("s", "śŝşšſșȿṡṣṥṧṩẛꞩꟊｓ"),
        ("SS", "ẞ"),
        ("ss", "ß"),
        ("st", "ﬅﬆ"),
        ("T", "ŢŤŦƬƮȚȾṪṬṮṰＴ"),
        ("t", "ţťŧƫƭțȶṫṭṯṱẗⱦｔ"),
        ("Th", "Þ"),
        ("th", "þ"),
        ("U", "ÙÚÛŨŪŬŮŰŲƯǓǕǗǙǛȔȖṲṴṶṸṺỤỦỨỪỬỮỰꞸＵ"),
        ("u", "ùúûũūŭůűųưǔǖǘǚǜȕȗṳṵṷṹṻụủứừửữựꞹｕ"),
        ("Ue", "Ü"),
        ("ue", "ü"),
        ("V", "ƲṼṾⱽꝞＶ"),
        ("v", "ṽṿⱱⱴꝟｖ"),
        ("W", "ŴẀẂẄẆẈⱲＷ"),
        ("w", "ŵẁẃẅẇẉẘⱳｗ"),
        ("X", "ẊẌＸ"),
        ("x", "ẋẍｘ"),
        ("Y", "ÝŶŸƳȲɎẎỲỴỶỸỾＹ"),
        ("y", "ýÿŷƴȳɏẏẙỳỵỷỹỿｙ"),
        ("Z", "ŹŻŽƵȤẐẒẔⱫⱿꟆＺ"),
        ("z", "źżžƶȥɀẑẓẕⱬｚ"),
    ];

    private static readonly Dictionary<char, string> LetterMap = BuildLetterMap();

    private static Dictionary<char, string> BuildLetterMap()
    {
        var map = new Dictionary<char, string>();
        foreach ((string replacement, string characters) in LetterTable)
        {
            foreach (char c in characters)
            {
                map.Add(c, replacement);
            }
        }

        return map;
    }

    private static bool IsSepaChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '/' or '-' or '?' or ':' or '(' or ')' or '.' or ',' or '\'' or '+' or ' ';

    private static void Leaf(XmlWriter w, string name, string value) => w.WriteElementString(name, Namespace, value);

    private static void Account(XmlWriter w, string name, string iban)
    {
        w.WriteStartElement(name, Namespace);
        w.WriteStartElement("Id", Namespace);
        Leaf(w, "IBAN", iban);
        w.WriteEndElement(); // Id
        w.WriteEndElement(); // name
    }

    private static string FormatAmount(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    // ISODateTime (xs:dateTime): UTC with "Z", whole seconds.
    private static string FormatDateTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);

    private static void CheckIdentifier(string id, string paramName)
    {
        if (id.Length is 0 or > MaxIdLength)
        {
            throw new ArgumentException($"Identifier '{id}' must have 1 to {MaxIdLength} characters.", paramName);
        }

        foreach (char c in id)
        {
            if (!IsSepaChar(c) || c == ' ')
            {
                throw new ArgumentException($"Identifier '{id}' contains a character outside the SEPA set (or a space).", paramName);
            }
        }

        if (id[0] == '/' || id[^1] == '/' || id.Contains("//", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Identifier '{id}' must not start or end with '/' or contain '//'.", paramName);
        }
    }

    private static string RequiredName(string? name, string paramName)
    {
        string result = ToSepaCharacters(name ?? string.Empty, MaxNameLength);
        if (result.Length == 0)
        {
            throw new ArgumentException($"Name '{name}' is empty after transliteration to the SEPA character set.", paramName);
        }

        return result;
    }

    // IBAN2007Identifier ([A-Z]{2}[0-9]{2}[a-zA-Z0-9]{1,30}) is implied by the house's one IBAN check (SEPA country, length, mod-97).
    private static string NormaliseIban(string? iban, string paramName)
    {
        string value = Iban.Normalize(iban ?? string.Empty);
        return Iban.Problem(value) is { } problem ? throw new ArgumentException($"'{iban}' is not a valid IBAN: {problem}", paramName) : value;
    }

    // BICFIDec2014Identifier: [A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?
    private static string? NormaliseBic(string? bic, string paramName)
    {
        if (bic is null)
        {
            return null;
        }

        string value = RemoveSpaces(bic).ToUpperInvariant();
        bool ok = value.Length is 8 or 11;
        for (int i = 0; ok && i < value.Length; i++)
        {
            char c = value[i];
            ok = i is 4 or 5 ? IsUpper(c) : IsUpper(c) || IsDigit(c);
        }

        return ok ? value : throw new ArgumentException($"'{bic}' is not a valid BIC.", paramName);
    }

    private static string RemoveSpaces(string? s)
    {
        if (s is null)
        {
            return string.Empty;
        }

        var sb = new StringBuilder(s.Length);
        foreach (char c in s)
        {
            if (!char.IsWhiteSpace(c))
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static bool IsUpper(char c) => c is >= 'A' and <= 'Z';

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private sealed record Row(string EndToEndId, string Amount, string CreditorName, string CreditorIban, string? CreditorBic, string Remittance);
}
