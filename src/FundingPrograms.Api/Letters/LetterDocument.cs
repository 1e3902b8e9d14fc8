namespace FundingPrograms.Letters;

/// <summary>
/// One official letter of the authority (Bescheid), in one language, as a generic document: every notice (grant,
/// amendment, rejection, early start, drawdown refusal, final notice, hearing, revocation, reminder…) is mapped onto
/// this shape and rendered by the same two renderers (<see cref="LetterHtml"/>, <see cref="LetterPdf"/>).
/// Only text: the mapping functions (GrantNoticeLetter, RejectionLetter, …) decide every word, the renderers only lay out.
/// </summary>
public sealed record LetterDocument(
    // Stable kind, e.g. <c>grant_notice</c>, <c>amendment_notice</c>, <c>rejection_notice</c>.
    string Kind,
    // BCP-47 language of the text (<c>de</c> binding; others are reading copies).
    string Language,
    // True for the legally binding German original; false for a translation (reading copy).
    bool Binding,
    Letterhead Letterhead,
    Addressee Addressee,
    // "Düsseldorf, 27.11.2026".
    string PlaceAndDate,
    // Reference lines beside the address: file reference (Aktenzeichen), grant number, date of the application…
    LetterField[] References,
    string Subject,
    string Salutation,
    // The decision first (Tenor), one paragraph each.
    string[] Decision,
    // Everything after the decision, in order: terms (tables), conditions, reasons, legal remedy.
    LetterSection[] Sections,
    // "Mit freundlichen Grüßen".
    string Closing,
    string SignerName,
    string SignerRole,
    // Shown at the top of a non-binding reading copy (null for the binding original).
    string? ReadingCopyNotice,
    // Footer line of every page, e.g. "Zuwendungsbescheid ZB-2026-… · Seite".
    string PageLabel,
    // Title in the document metadata (PDF Info and XMP, HTML title).
    string Title,
    // Above the signer's name: "Im Auftrag" — an officer signs for the head of the authority.
    string? OnBehalf = null,
    // Listed under the signature ("Anlage"): what is part of the letter without being printed in it, e.g. the ANBest-P with their
    // exact version and where to read them.
    LetterSection? Enclosures = null);

/// <param name="ShortName">The authority's short name for the one-line return address above the window (e.g. "MKJFGFI NRW").</param>
public sealed record Letterhead(string Authority, string? Department, string[] AddressLines, string[] ContactLines, string? ShortName = null);

public sealed record Addressee(string Name, string[] Lines);

public sealed record LetterField(string Label, string Value);

/// <summary>A numbered part of the letter: a heading, paragraphs, then tables (in that order).</summary>
public sealed record LetterSection(string Role, string Heading, string[] Paragraphs, LetterTable[] Tables)
{
    public static LetterSection Text(string role, string heading, params string[] paragraphs) => new(role, heading, paragraphs, []);
}

/// <summary>
/// A table with column headers; when <see cref="RowHeaders"/> is set the first cell of each row labels the row
/// (rendered as a row header). <see cref="NumericColumns"/> are right-aligned.
/// </summary>
public sealed record LetterTable(string Caption, string[] Columns, string[][] Rows, bool RowHeaders, int[] NumericColumns);

/// <summary>The letterhead of the authority, from configuration (<c>Letters:Letterhead</c>, per programme <c>Letters:Programmes:{id}</c>).</summary>
public sealed class LetterheadOptions
{
    public string Authority { get; set; } = "";
    // Short name for the one-line return address above the address window, used when the full name does not fit there.
    public string? ShortName { get; set; }
    public string? Department { get; set; }
    public string Street { get; set; } = "";
    public string PostalCode { get; set; } = "";
    public string City { get; set; } = "";
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public string? Web { get; set; }
    // The place in "Düsseldorf, 27.11.2026" (default: <see cref="City"/>).
    public string? Place { get; set; }
    // Court for the Rechtsbehelfsbelehrung (§ 74 VwGO, NRW: no objection procedure, action within one month).
    public string Court { get; set; } = "";
    public string CourtAddress { get; set; } = "";

    public Letterhead ToLetterhead() => new(Authority, Department,
        [Street, $"{PostalCode} {City}".Trim()],
        new[] { Phone is null ? null : $"Telefon {Phone}", Email, Web }.Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l!).ToArray(), ShortName);
}

/// <summary>
/// General conditions (ANBest-P, ANBest-G) by the version name a notice records (<c>Letters:GeneralConditions:{name}</c>): their
/// full title, where they are laid down, and where the recipient can read that exact version.
/// </summary>
public sealed class GeneralConditionsOptions
{
    public string Title { get; set; } = "";
    public string? Reference { get; set; }
    public string? Source { get; set; }
}

public sealed class LettersOptions
{
    // By the version name recorded on the notice, e.g. "ANBest-P (Fassung 2023)".
    public Dictionary<string, GeneralConditionsOptions> GeneralConditions { get; set; } = [];

    public LetterheadOptions Letterhead { get; set; } = new();
    // Per programme (by id): only the settings given replace the defaults.
    public Dictionary<string, LetterheadOptions> Programmes { get; set; } = [];

    // The letterhead for a programme: its own settings where it has them, the default ones otherwise.
    public LetterheadOptions For(Guid programmeId)
    {
        if (!Programmes.TryGetValue(programmeId.ToString(), out var own)) return Letterhead;
        var d = Letterhead;
        static string Or(string? a, string b) => string.IsNullOrWhiteSpace(a) ? b : a;
        // An address or a court is taken whole: a programme's own street never mixes with the default city.
        var ownAddress = !string.IsNullOrWhiteSpace(own.Street) || !string.IsNullOrWhiteSpace(own.PostalCode) || !string.IsNullOrWhiteSpace(own.City);
        var ownCourt = !string.IsNullOrWhiteSpace(own.Court);
        return new LetterheadOptions
        {
            Authority = Or(own.Authority, d.Authority), Department = own.Department ?? d.Department,
            // Another authority's name never takes the default short name.
            ShortName = string.IsNullOrWhiteSpace(own.Authority) ? own.ShortName ?? d.ShortName : own.ShortName,
            Street = ownAddress ? own.Street : d.Street, PostalCode = ownAddress ? own.PostalCode : d.PostalCode, City = ownAddress ? own.City : d.City,
            Phone = own.Phone ?? d.Phone, Email = own.Email ?? d.Email, Web = own.Web ?? d.Web, Place = own.Place ?? (ownAddress ? null : d.Place),
            Court = ownCourt ? own.Court : d.Court, CourtAddress = ownCourt ? own.CourtAddress : d.CourtAddress,
        };
    }
}
