using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace FundingPrograms.Payments;

/// <summary>The ordering (debtor) account. <paramref name="Bic"/> may be null (IBAN-only).</summary>
public sealed record DebtorAccount(string Name, string Iban, string? Bic);

/// <summary>One credit transfer. <paramref name="CreditorBic"/> may be null (IBAN-only).</summary>
public sealed record CreditTransfer(string EndToEndId, decimal Amount, string CreditorName, string CreditorIban, string? CreditorBic, string RemittanceText);

/// <summary>Builds SEPA credit transfer files (ISO 20022 pain.001.001.09, EPC132-08 2023 V1.0 SCT customer-to-PSP subset).</summary>
public static class Pain001
{
    /// <summary>XML namespace of pain.001.001.09 (default namespace of the Document element).</summary>
    public const string Namespace = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09";

    // Limits of the EPC-restricted XSD: Max35Text ids, party names of 70, Max140Text remittance, amounts and the control sum.
    private const int MaxIdLength = 35, MaxNameLength = 70, MaxRemittanceLength = 140;
    private const decimal MaxAmount = 999999999.99m, MaxControlSum = 9999999999999999.99m;
    private static readonly XNamespace Ns = Namespace;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static readonly XmlWriterSettings Layout = new()
    {
        OmitXmlDeclaration = true, // written by hand: XmlWriter would emit encoding="utf-16"
        Indent = true, IndentChars = "  ", NewLineChars = "\n", NewLineHandling = NewLineHandling.Replace,
    };

    /// One group header, one PmtInf (SEPA service level, ChrgBr SLEV, batch booking), one CdtTrfTxInf per transfer;
    /// NbOfTxs and CtrlSum in the group header and the payment information; amounts with exactly 2 decimals, currency EUR;
    /// names and remittance texts transliterated to the SEPA character set and cut to the schema's max lengths.
    /// Deterministic: the same inputs give byte-identical output.
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
        if (transfers.Count == 0) throw new ArgumentException("At least one credit transfer is required.", nameof(transfers));
        var debtorName = RequiredName(debtor.Name, nameof(debtor));
        var debtorIban = NormaliseIban(debtor.Iban, nameof(debtor));
        var debtorBic = NormaliseBic(debtor.Bic, nameof(debtor));

        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        var rows = new List<XElement>(transfers.Count);
        var controlSum = 0m;
        for (var i = 0; i < transfers.Count; i++)
        {
            var t = transfers[i] ?? throw new ArgumentException($"Transfer #{i} is null.", nameof(transfers));
            ArgumentNullException.ThrowIfNull(t.EndToEndId);
            CheckIdentifier(t.EndToEndId, nameof(transfers));
            Check(seenIds.Add(t.EndToEndId), $"Duplicate EndToEndId '{t.EndToEndId}'.");
            Check(t.Amount > 0m, $"Transfer '{t.EndToEndId}': amount must be positive.");
            Check(decimal.Round(t.Amount, 2) == t.Amount, $"Transfer '{t.EndToEndId}': amount has more than 2 decimals.");
            Check(t.Amount <= MaxAmount, $"Transfer '{t.EndToEndId}': amount must be between 0.01 and 999999999.99.");
            controlSum += t.Amount;
            Check(controlSum <= MaxControlSum, "The control sum exceeds 18 digits.");
            var name = RequiredName(t.CreditorName, nameof(transfers));
            var iban = NormaliseIban(t.CreditorIban, nameof(transfers));
            var bic = NormaliseBic(t.CreditorBic, nameof(transfers));
            var remittance = ToSepaCharacters(t.RemittanceText ?? string.Empty, MaxRemittanceLength);
            rows.Add(E("CdtTrfTxInf",
                E("PmtId", E("EndToEndId", t.EndToEndId)),
                E("Amt", E("InstdAmt", new XAttribute("Ccy", "EUR"), FormatAmount(t.Amount))),
                bic is null ? null : E("CdtrAgt", E("FinInstnId", E("BICFI", bic))), // optional; when present its BICFI is mandatory
                E("Cdtr", E("Nm", name)),
                Account("CdtrAcct", iban),
                remittance.Length == 0 ? null : E("RmtInf", E("Ustrd", remittance))));
        }

        var (count, sum) = (rows.Count.ToString(Invariant), FormatAmount(controlSum));
        var document = E("Document", E("CstmrCdtTrfInitn",
            E("GrpHdr", E("MsgId", messageId), E("CreDtTm", createdAt.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", Invariant)),
                E("NbOfTxs", count), E("CtrlSum", sum), E("InitgPty", E("Nm", debtorName))),
            E("PmtInf", E("PmtInfId", messageId), E("PmtMtd", "TRF"), E("BtchBookg", "true"), E("NbOfTxs", count), E("CtrlSum", sum),
                E("PmtTpInf", E("SvcLvl", E("Cd", "SEPA"))),
                E("ReqdExctnDt", E("Dt", executionDate.ToString("yyyy'-'MM'-'dd", Invariant))),
                E("Dbtr", E("Nm", debtorName)),
                Account("DbtrAcct", debtorIban),
                // Without a BIC: the EPC's IBAN-only form.
                E("DbtrAgt", E("FinInstnId", debtorBic is null ? E("Othr", E("Id", "NOTPROVIDED")) : E("BICFI", debtorBic))),
                E("ChrgBr", "SLEV"),
                rows)));

        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        using (var writer = XmlWriter.Create(new StringWriter(xml, Invariant), Layout)) document.WriteTo(writer);
        return xml.Append('\n').ToString();

        static void Check(bool ok, string message)
        {
            if (!ok) throw new ArgumentException(message, nameof(transfers));
        }
    }

    /// Transliterates to the SEPA Latin character set (a-z A-Z 0-9 / - ? : ( ) . , ' + and space): German umlauts ä→ae, ö→oe, ü→ue,
    /// Ä→Ae, Ö→Oe, Ü→Ue, ß→ss; other letters with diacritics lose them (é→e, ş→s, ı→i, ł→l, ø→o, æ→ae, đ→d); anything else becomes
    /// a space; runs of spaces collapse; trimmed; cut to maxLength.
    public static string ToSepaCharacters(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        // No string.Normalize: it is a no-op for non-ASCII under InvariantGlobalization and ICU-version dependent
        // otherwise. An embedded table keeps the result identical on every machine.
        var mapped = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsSepaChar(c)) mapped.Append(c);
            else if (IsCombiningMark(c))
            {
                // Decomposed input: "u" + U+0308 is an umlaut (ue); every other combining mark is dropped.
                if (c == '\u0308' && i > 0 && text[i - 1] is 'a' or 'o' or 'u' or 'A' or 'O' or 'U') mapped.Append('e');
            }
            else if (LetterMap.TryGetValue(c, out var replacement)) mapped.Append(replacement);
            else
            {
                if (char.IsSurrogatePair(text, i)) i++; // one space for a character outside the BMP
                mapped.Append(' ');
            }
        }
        var collapsed = string.Join(' ', mapped.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return collapsed.Length <= maxLength ? collapsed : collapsed[..maxLength].TrimEnd(' ');
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

    private static readonly Dictionary<char, string> LetterMap =
        LetterTable.SelectMany(row => row.Characters.Select(c => (c, row.Replacement))).ToDictionary(p => p.c, p => p.Replacement);

    private static bool IsSepaChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '/' or '-' or '?' or ':' or '(' or ')' or '.' or ',' or '\'' or '+' or ' ';

    private static XElement E(string name, params object?[] content) => new(Ns + name, content);

    private static XElement Account(string name, string iban) => E(name, E("Id", E("IBAN", iban)));

    private static string FormatAmount(decimal amount) => amount.ToString("0.00", Invariant);

    private static void CheckIdentifier(string id, string paramName)
    {
        if (id.Length is 0 or > MaxIdLength) throw new ArgumentException($"Identifier '{id}' must have 1 to {MaxIdLength} characters.", paramName);
        if (id.Any(c => c == ' ' || !IsSepaChar(c)))
            throw new ArgumentException($"Identifier '{id}' contains a character outside the SEPA set (or a space).", paramName);
        if (id[0] == '/' || id[^1] == '/' || id.Contains("//", StringComparison.Ordinal))
            throw new ArgumentException($"Identifier '{id}' must not start or end with '/' or contain '//'.", paramName);
    }

    private static string RequiredName(string? name, string paramName) => ToSepaCharacters(name ?? string.Empty, MaxNameLength) is { Length: > 0 } result
        ? result
        : throw new ArgumentException($"Name '{name}' is empty after transliteration to the SEPA character set.", paramName);

    // IBAN2007Identifier ([A-Z]{2}[0-9]{2}[a-zA-Z0-9]{1,30}) is implied by the house's one IBAN check (SEPA country, length, mod-97).
    private static string NormaliseIban(string? iban, string paramName)
    {
        var value = Iban.Normalize(iban ?? string.Empty);
        return Iban.Problem(value) is { } problem ? throw new ArgumentException($"'{iban}' is not a valid IBAN: {problem}", paramName) : value;
    }

    // BICFIDec2014Identifier: [A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?
    private static string? NormaliseBic(string? bic, string paramName)
    {
        if (bic is null) return null;
        var value = string.Concat(bic.Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();
        return Regex.IsMatch(value, "^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?\\z")
            ? value
            : throw new ArgumentException($"'{bic}' is not a valid BIC.", paramName);
    }
}
