using System.Globalization;
using FundingPrograms.Applications;
using FundingPrograms.Grants;
using FundingPrograms.Programmes;

namespace FundingPrograms.Letters;

/// <summary>What every letter of a case needs besides the decision: the letterhead, who it goes to, the file.</summary>
public sealed record LetterContext(
    LetterheadOptions Letterhead,
    Addressee Addressee,
    string FileReference,
    DateOnly? ApplicationDate,
    LegalBasis? LegalBasis,
    ApplicationContent? Content,
    string? SeatDistrict = null,
    IReadOnlyDictionary<string, GeneralConditionsOptions>? GeneralConditions = null,
    // The organisation's chosen language (issue 28): its letters get a reading copy in it.
    string? Language = null);

/// <summary>Wording shared by every letter: dates, money, the legal remedy, the closing, reading-copy marks.</summary>
public static class LetterText
{
    /// <summary>The languages of a letter: German (binding) first, English where it is produced today, then the organisation's own.</summary>
    public static string[] Languages(bool english, string? organisationLanguage)
    {
        var languages = new List<string> { "de" };
        if (english) languages.Add("en");
        if (organisationLanguage is { } own && own != "de" && !languages.Contains(own) && (own == "en" || LetterTexts.Translated.Contains(own))) languages.Add(own);
        return languages.ToArray();
    }

    /// <summary>Right-to-left languages (Arabic, Persian): their reading copies are laid out from the right.</summary>
    public static bool RightToLeft(string lang) => lang is "ar" or "fa";

    /// <summary>The culture of a language for amounts and dates (Gregorian calendar in each), as the public pages use it.</summary>
    public static CultureInfo Culture(string lang) => lang == "de" ? CultureInfo.GetCultureInfo("de-DE")
        : lang == "en" ? CultureInfo.GetCultureInfo("en-GB") : Public.PublicTexts.For(lang).Culture;

    /// <summary>The German text, the English one, or the English text's translation from Letters/Texts (<see cref="LetterTexts"/>).</summary>
    public static string T(string lang, string de, LetterTextHandler en) => lang switch
    {
        "de" => de,
        "en" => en.Text,
        _ => LetterTexts.Translate(lang, en.Template, en.Values(lang)),
    };

    /// <summary>A no-break space: a number and its unit (EUR, %), or the parts of a written date, never stand on two lines.</summary>
    public const char Nbsp = '\u00A0';
    /// <summary>Digits as the language writes them: Persian digits in Persian, Western digits everywhere else.</summary>
    public static string Digits(string text, string lang) => lang == "fa" ? Public.PublicTexts.Digits(Public.PublicTexts.For("fa"), text) : text;
    public static string Number(int value, string lang) => Digits(value.ToString(CultureInfo.InvariantCulture), lang);
    /// <summary>"1.234,56 EUR", "1,234.56 EUR", "1.234,56 EUR" (tr), "۱٬۲۳۴٫۵۶ EUR" (fa): the language's separators, always "EUR".</summary>
    public static string Money(decimal amount, string lang) => Digits(amount.ToString("#,##0.00", Culture(lang)), lang) + Nbsp + "EUR";
    public static string Date(DateOnly date, string lang) =>
        Digits(date.ToString(lang == "de" ? "dd.MM.yyyy" : "d MMMM yyyy", Culture(lang)), lang).Replace(' ', Nbsp);
    public static string Percent(decimal p, string lang) => Digits(p.ToString("0.##", Culture(lang)), lang) + Nbsp + "%";
    /// <summary>Quotation marks of the language: „…“ in German, “…” in English and Turkish, «…» in the others.</summary>
    public static string Quote(string s, string lang) => lang switch
    {
        "de" => $"„{s}“",
        "en" or "tr" => $"“{s}”",
        _ => $"«{s}»",
    };

    /// <summary>The sentence the issue prescribes for every reading copy, in German; the reading copy also carries it in its language.</summary>
    public const string ReadingCopyGerman = "Diese Übersetzung dient nur zur Information; rechtsverbindlich ist allein der deutsche Bescheid.";

    /// <summary>
    /// The binding language is German; a translation is a reading copy and says so: the German sentence first (its own line), then
    /// the same in the copy's language.
    /// </summary>
    public static string? ReadingCopy(string lang) => lang == "de" ? null
        : ReadingCopyGerman + "\n" + T(lang, "", "Reading copy — not legally binding. Only the German original (Bescheid) of this letter is legally binding.");

    public static string PlaceAndDate(LetterheadOptions head, DateTimeOffset at, string lang) =>
        $"{(string.IsNullOrWhiteSpace(head.Place) ? head.City : head.Place)}, {Date(BerlinTime.Today(at), lang)}";

    /// <summary>Rechtsbehelfsbelehrung (§ 58 VwGO): in NRW no objection procedure (§ 110 JustG NRW) — action within one month.</summary>
    public static LetterSection LegalRemedy(LetterheadOptions head, string lang, string number)
    {
        var court = string.IsNullOrWhiteSpace(head.CourtAddress) ? head.Court : $"{head.Court}, {head.CourtAddress},";
        return LegalRemedyText(court, lang, number);
    }

    /// <summary>
    /// The Rechtsbehelfsbelehrung as the decision recorded it (the programme's administrative court, issue 12); the configured
    /// letterhead court only where a decision recorded none (notices from before programmes named their court).
    /// </summary>
    public static LetterSection LegalRemedy(Grants.LegalRemedy? recorded, LetterheadOptions head, string lang, string number) => recorded is null
        ? LegalRemedy(head, lang, number)
        : LegalRemedyText(string.IsNullOrWhiteSpace(recorded.CourtAddress) ? recorded.Court : $"{recorded.Court}, {recorded.CourtAddress},", lang, number);

    /// <summary>The court of the organisation's seat (or of a local authority's programme), as <see cref="Grants.NoticeContent.Remedy(ProgrammeDefinition?, string?)"/> names it.</summary>
    public static LetterSection LegalRemedy(Programme? programme, string? seatDistrict, string lang, string number) =>
        LegalRemedy(Grants.NoticeContent.Remedy(programme?.Definition, seatDistrict), new LetterheadOptions(), lang, number);

    /// <summary>The legal basis as a notice records it: the programme's guideline of its date and the provisions of budget law.</summary>
    public static string LegalBasisLine(Grants.NoticeLegalBasis basis, string lang) =>
        T(lang, $"{basis.Guideline} vom {Date(basis.GuidelineDate, lang)}; {string.Join(", ", basis.Provisions)}",
            $"{basis.Guideline} of {Date(basis.GuidelineDate, lang)}; {string.Join(", ", basis.Provisions)}");

    public static string EligibleCostCategory(string category, string lang) => category.ToLowerInvariant() switch
    {
        "staff" => CostCategory(Applications.CostCategory.Staff, lang),
        "material" => CostCategory(Applications.CostCategory.Material, lang),
        "investment" => CostCategory(Applications.CostCategory.Investment, lang),
        "volunteerwork" => T(lang, "Unbare Eigenleistung", "Volunteer work (valued)"),
        _ => CostCategory(Applications.CostCategory.Other, lang),
    };

    private static LetterSection LegalRemedyText(string court, string lang, string number) => LetterSection.Text("legalRemedy",
        T(lang, $"{number} Rechtsbehelfsbelehrung", $"{number} Information on legal remedies (Rechtsbehelfsbelehrung)"),
        T(lang,
            $"Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Klage beim {court} erhoben werden. "
            + "Die Klage ist schriftlich oder zur Niederschrift der Urkundsbeamtin oder des Urkundsbeamten der Geschäftsstelle zu erheben. "
            + "Sie kann auch durch Übertragung eines elektronischen Dokuments an die elektronische Poststelle des Gerichts erhoben werden; das "
            + "elektronische Dokument muss mit einer qualifizierten elektronischen Signatur versehen sein oder von der verantwortenden Person "
            + "signiert und auf einem sicheren Übermittlungsweg gemäß § 55a Absatz 4 der Verwaltungsgerichtsordnung (VwGO) eingereicht werden.",
            $"An action against this notice may be brought before the {court} within one month of its notification. " + $"The action must be brought in writing or recorded by the court's registry. It may also be brought by transmitting an electronic " + $"document to the court's electronic mailbox, bearing a qualified electronic signature or signed by the responsible person and " + $"submitted via a secure transmission channel under section 55a (4) of the Code of Administrative Court Procedure (VwGO)."));

    public static string Closing(string lang) => T(lang, "Mit freundlichen Grüßen", "Yours faithfully");
    /// <summary>
    /// The general conditions a notice names, as listed under it: the exact version recorded on the notice, the full title, where they
    /// are laid down and where to read them (<c>Letters:GeneralConditions</c>); for ANBest-P without settings, their place in the VV zu § 44 LHO.
    /// </summary>
    public static string GeneralConditions(string version, IReadOnlyDictionary<string, GeneralConditionsOptions>? known, string lang)
    {
        var o = known?.GetValueOrDefault(version);
        var anbestP = version.Contains("ANBest-P", StringComparison.Ordinal);
        var title = o?.Title is { Length: > 0 } t ? t : anbestP ? "Allgemeine Nebenbestimmungen für Zuwendungen zur Projektförderung (ANBest-P)" : version;
        var reference = o?.Reference ?? (anbestP ? "Anlage 2 zu Nr. 5.1 VV zu § 44 LHO NRW" : null);
        var parts = new List<string> { T(lang, $"{title} in der Fassung „{version}“", $"{title}, version “{version}”") };
        if (!string.IsNullOrWhiteSpace(reference)) parts.Add(reference);
        if (!string.IsNullOrWhiteSpace(o?.Source)) parts.Add(T(lang, $"abrufbar unter {o!.Source}", $"available at {o!.Source}"));
        return string.Join("; ", parts);
    }

    /// <summary>An officer signs for the head of the authority: "Im Auftrag" stands above the name.</summary>
    public static string OnBehalf(string lang) => T(lang, "Im Auftrag", "By order (Im Auftrag)");
    public static string Salutation(string lang) => T(lang, "Sehr geehrte Damen und Herren,", "Dear Sir or Madam,");

    public static LetterField[] References(LetterContext ctx, string lang, string? grantNumber, string? extraLabel = null, string? extraValue = null)
    {
        var fields = new List<LetterField> { new(T(lang, "Aktenzeichen", "File reference"), ctx.FileReference) };
        if (grantNumber is not null) fields.Add(new(T(lang, "Bewilligungsnummer", "Grant number"), grantNumber));
        if (ctx.ApplicationDate is { } d) fields.Add(new(T(lang, "Ihr Antrag vom", "Your application of"), Date(d, lang)));
        if (extraLabel is not null && extraValue is not null) fields.Add(new(extraLabel, extraValue));
        return fields.ToArray();
    }

    public static string FinancingType(FinancingType type, string lang) => type switch
    {
        Programmes.FinancingType.Share => T(lang, "Anteilfinanzierung", "share financing (Anteilfinanzierung)"),
        Programmes.FinancingType.Gap => T(lang, "Fehlbedarfsfinanzierung", "gap financing (Fehlbedarfsfinanzierung)"),
        Programmes.FinancingType.FixedAmount => T(lang, "Festbetragsfinanzierung", "fixed-amount financing (Festbetragsfinanzierung)"),
        _ => T(lang, "Vollfinanzierung", "full financing (Vollfinanzierung)"),
    };

    public static string CostCategory(CostCategory c, string lang) => c switch
    {
        Applications.CostCategory.Staff => T(lang, "Personalausgaben", "Staff"),
        Applications.CostCategory.Material => T(lang, "Sachausgaben", "Material costs"),
        Applications.CostCategory.Investment => T(lang, "Investitionen", "Investment"),
        _ => T(lang, "Sonstige Ausgaben", "Other costs"),
    };

    public static string LegalBasisText(LegalBasis? basis, string lang) => basis is null
        ? T(lang, "§§ 23 und 44 der Landeshaushaltsordnung (LHO NRW) und den dazu erlassenen Verwaltungsvorschriften",
            "sections 23 and 44 of the State Budget Code of North Rhine-Westphalia (LHO NRW) and its administrative provisions")
        : T(lang, $"§§ 23 und 44 LHO NRW, den dazu erlassenen Verwaltungsvorschriften und der {basis.Guideline} vom {Date(basis.Date, lang)}",
            $"sections 23 and 44 LHO NRW, its administrative provisions and the guideline “{basis.Guideline}” of {Date(basis.Date, lang)}");
}

/// <summary>
/// The grant notice (Zuwendungsbescheid, VV Nr. 4.2 zu § 44 LHO) and the amendment notice (Änderungsbescheid) as letters,
/// mapped from the notice as it is recorded in <see cref="GrantIssued"/> / <see cref="GrantAmended"/>.
/// Carries everything the notice model holds (VV Nr. 4.2 zu § 44 LHO, <see cref="NoticeContent"/>): purpose, legal basis, the exact
/// financing terms, eligible costs, period, years, conditions, proof-of-use deadline, early start, Rechtsbehelfsbelehrung.
/// </summary>
public static class GrantNoticeLetter
{
    /// <summary>German always (binding); English as a reading copy where the programme has an English text; the organisation's language.</summary>
    public static string[] Languages(GrantNotice notice, string? organisationLanguage = null) =>
        LetterText.Languages(notice.ProgrammeName.ContainsKey("en"), organisationLanguage);

    public static LetterDocument Build(GrantNotice n, GrantNotice? previous, string[] changes, LetterContext ctx, string lang)
    {
        string T(string de, LetterTextHandler en) => LetterText.T(lang, de, en);
        string M(decimal m) => LetterText.Money(m, lang);
        string D(DateOnly d) => LetterText.Date(d, lang);
        var programme = n.ProgrammeName.In(lang);
        var amendment = previous is not null;
        var kind = amendment ? "amendment_notice" : "grant_notice";
        var title = amendment
            ? T($"Änderungsbescheid zum Zuwendungsbescheid {n.Reference} (Fassung {n.NoticeVersion})", $"Amendment notice to grant notice {n.Reference} (version {n.NoticeVersion})")
            : T($"Zuwendungsbescheid {n.Reference}", $"Grant notice {n.Reference}");
        var subject = $"{title} — {T("Vorhaben", "project")} {LetterText.Quote(n.ProjectTitle, lang)}";

        var decision = new List<string>();
        if (!amendment)
        {
            var applied = ctx.ApplicationDate is { } ad ? T($"Auf Ihren Antrag vom {D(ad)} bewillige ich Ihnen", $"Upon your application of {D(ad)}, I hereby grant you")
                : T("Auf Ihren Antrag bewillige ich Ihnen", "Upon your application, I hereby grant you");
            decision.Add(T(
                $"{applied} für das Vorhaben „{n.ProjectTitle}“ im Förderprogramm „{programme}“ für den Bewilligungszeitraum vom {D(n.PeriodStart)} bis {D(n.PeriodEnd)} eine Zuwendung in Höhe von bis zu {M(n.GrantedAmount)}.",
                $"{applied} for the project “{n.ProjectTitle}” under the programme “{programme}” for the funding period from {D(n.PeriodStart)} to {D(n.PeriodEnd)} a grant of up to {M(n.GrantedAmount)}."));
            decision.Add(Financing(n, lang));
            if (n.GrantedAmount < n.RequestedAmount)
                decision.Add(T($"Im Übrigen (beantragt waren {M(n.RequestedAmount)}) lehne ich Ihren Antrag ab.",
                    $"For the remainder (you applied for {M(n.RequestedAmount)}) your application is rejected."));
        }
        else
        {
            decision.Add(T(
                $"Meinen Zuwendungsbescheid {n.Reference} für das Vorhaben „{n.ProjectTitle}“ in der Fassung {previous!.NoticeVersion} vom {D(BerlinTime.Today(previous.IssuedAt))} ändere ich wie folgt:",
                $"My grant notice {n.Reference} for the project “{n.ProjectTitle}”, version {previous!.NoticeVersion} of {D(BerlinTime.Today(previous.IssuedAt))}, is amended as follows:"));
            // One number per item: the German text reads i, the English one (evaluated after it) advances it — both arguments are
            // always evaluated, so an increment in each numbered 1., 3., 5. (issue 26).
            var i = 1;
            if (n.GrantedAmount != previous.GrantedAmount)
                decision.Add(T($"{i}. Die Zuwendung beträgt bis zu {M(n.GrantedAmount)} (bisher {M(previous.GrantedAmount)}).",
                    $"{i++}. The grant amounts to up to {M(n.GrantedAmount)} (previously {M(previous.GrantedAmount)})."));
            if (n.PeriodStart != previous.PeriodStart || n.PeriodEnd != previous.PeriodEnd)
                decision.Add(T($"{i}. Der Bewilligungszeitraum ist der {D(n.PeriodStart)} bis {D(n.PeriodEnd)} (bisher {D(previous.PeriodStart)} bis {D(previous.PeriodEnd)}).",
                    $"{i++}. The funding period runs from {D(n.PeriodStart)} to {D(n.PeriodEnd)} (previously {D(previous.PeriodStart)} to {D(previous.PeriodEnd)})."));
            if (!n.YearSplit.SequenceEqual(previous.YearSplit))
                decision.Add(T($"{i}. Die Zuwendung verteilt sich wie in Nr. {{yearsNo}} angegeben auf die Haushaltsjahre.", $"{i++}. The grant is split across budget years as set out in no. {{yearsNo}}."));
            if (n.Conditions != previous.Conditions)
                decision.Add(T($"{i}. Die besonderen Nebenbestimmungen erhalten die in Nr. {{conditionsNo}} wiedergegebene Fassung.", $"{i++}. The special conditions read as set out in no. {{conditionsNo}}."));
            if (n.GeneralConditionsVersion != previous.GeneralConditionsVersion)
                decision.Add(T($"{i}. Bestandteil des Bescheides sind nun die {n.GeneralConditionsVersion} (bisher {previous.GeneralConditionsVersion}).",
                    $"{i++}. The general conditions now form part of the notice in the version {n.GeneralConditionsVersion} (previously {previous.GeneralConditionsVersion})."));
            if (i == 1) decision.Add(T($"Geändert: {string.Join(", ", changes)}.", $"Changed: {string.Join(", ", changes)}."));
            decision.Add(T("Im Übrigen bleibt der Zuwendungsbescheid unverändert.", "In all other respects the grant notice remains unchanged."));
        }

        var financing = n.Terms ?? NoticeContent.Terms(n.FinancingType, n.GrantedAmount, n.TotalEligibleCosts);
        var financingRows = new List<string[]>
        {
            new[] { T("Finanzierungsart", "Financing type"), LetterText.FinancingType(n.FinancingType, lang) },
            new[] { T("Zuwendungsfähige Ausgaben", "Eligible costs"), M(n.TotalEligibleCosts) },
        };
        // The exact terms of the financing type (VV Nr. 4.2.3 zu § 44 LHO): no share is printed for a fixed amount.
        if (financing.SharePercent is { } share) financingRows.Add([T("Fördersatz", "Funding rate"), LetterText.Percent(share, lang)]);
        if (financing.MaximumAmount is { } maximum) financingRows.Add([T("Höchstbetrag der Zuwendung", "Maximum grant"), M(maximum)]);
        if (financing.FixedAmount is { } fixedAmount) financingRows.Add([T("Festbetrag", "Fixed amount"), M(fixedAmount)]);
        financingRows.Add([T("Beantragt", "Requested"), M(n.RequestedAmount)]);
        financingRows.Add([T("Bewilligte Zuwendung", "Grant awarded"), M(n.GrantedAmount)]);
        var terms = new List<LetterTable> { new(T("Finanzierung", "Financing"), [T("Angabe", "Item"), T("Betrag / Wert", "Amount / value")], financingRows.ToArray(), true, [1]) };
        if (n.EligibleCosts is { Length: > 0 } eligible)
            terms.Add(new LetterTable(T("Zuwendungsfähige Ausgaben (Finanzierungsplan)", "Eligible costs (financing plan)"),
                [T("Kostenart", "Category"), T("Bezeichnung", "Description"), T("Betrag", "Amount")],
                eligible.Select(c => new[] { LetterText.EligibleCostCategory(c.Category, lang), c.Description, M(c.Amount) })
                    .Append([T("Summe", "Total"), "", M(eligible.Sum(c => c.Amount))]).ToArray(), true, [2]));
        else if (ctx.Content is { CostItems.Length: > 0 } content)
            terms.Add(new LetterTable(T("Finanzierungsplan: Ausgaben", "Financing plan: costs"),
                [T("Kostenart", "Category"), T("Bezeichnung", "Description"), T("Betrag", "Amount")],
                content.CostItems.Select(c => new[] { LetterText.CostCategory(c.Category, lang), c.Description, M(c.Amount) })
                    .Append([T("Summe", "Total"), "", M(content.CostItems.Sum(c => c.Amount))]).ToArray(), true, [2]));
        var years = new LetterTable(T($"Haushaltsjahre (Haushaltsstelle {n.BudgetLine})", $"Budget years (budget line {n.BudgetLine})"),
            [T("Haushaltsjahr", "Budget year"), T("Betrag", "Amount")],
            n.YearSplit.Select(y => new[] { y.Year.ToString(CultureInfo.InvariantCulture), M(y.Amount) }).ToArray(), true, [1]);

        // Numbered in order; the amendment's decision refers to the numbers of the years and the conditions.
        var parts = new List<(string Role, string De, string En, string[] Paragraphs, LetterTable[] Tables)>();
        var basis = n.LegalBasis is { } recorded ? LetterText.LegalBasisLine(recorded, lang) : LetterText.LegalBasisText(ctx.LegalBasis, lang);
        var purpose = n.Purpose ?? n.ProjectTitle;
        parts.Add(("purpose", "Zuwendungszweck und Rechtsgrundlage", "Purpose of the grant and legal basis",
        [
            T($"Zuwendungszweck: {purpose}", $"Purpose of the grant: {purpose}"),
            T($"Rechtsgrundlage: {basis}", $"Legal basis (Rechtsgrundlage): {basis}"),
        ], []));
        parts.Add(("terms", "Finanzierung und Bewilligungszeitraum", "Financing and funding period",
            [T($"Bewilligungszeitraum: {D(n.PeriodStart)} bis {D(n.PeriodEnd)}. Ausgaben außerhalb dieses Zeitraums sind nicht zuwendungsfähig.",
                $"Funding period: {D(n.PeriodStart)} to {D(n.PeriodEnd)}. Expenditure outside this period is not eligible.")],
            terms.ToArray()));
        if (n.EarlyStart is { } early)
            parts.Add(("earlyStart", "Vorzeitiger Maßnahmebeginn", "Early start of the project (vorzeitiger Maßnahmebeginn)",
            [
                T($"Dem vorzeitigen Maßnahmebeginn ab dem {D(early.From)} habe ich am {D(BerlinTime.Today(early.ApprovedAt))} zugestimmt ({early.ApprovedBy}); Ausgaben ab diesem Tag sind im Bewilligungszeitraum zuwendungsfähig (VV Nr. 1.3 zu § 44 LHO).",
                    $"An early start from {D(early.From)} was approved on {D(BerlinTime.Today(early.ApprovedAt))} ({early.ApprovedBy}); expenditure from that day within the funding period is eligible (VV no. 1.3 on § 44 LHO)."),
                early.Note,
            ], []));
        var yearsNumber = parts.Count + 1;
        parts.Add(("years", "Verteilung auf Haushaltsjahre", "Split across budget years",
            [T("Die Zuwendung wird aus den folgenden Haushaltsjahren gezahlt; nicht abgerufene Mittel eines Jahres verfallen, soweit nichts anderes bestimmt ist.",
                "The grant is paid from the following budget years; funds of a year not drawn down lapse unless otherwise determined.")],
            [years]));
        var conditionsNumber = parts.Count + 1;
        var anbest = LetterText.GeneralConditions(n.GeneralConditionsVersion, ctx.GeneralConditions, lang);
        parts.Add(("conditions", "Nebenbestimmungen", "Conditions",
            [T($"Die {n.GeneralConditionsVersion} sind Bestandteil dieses Bescheides; sie sind als Anlage aufgeführt: {anbest}.",
                $"The general conditions {n.GeneralConditionsVersion} form part of this notice; they are listed as an enclosure: {anbest}."),
             T("Besondere Nebenbestimmungen:", "Special conditions:"), n.Conditions],
            []));
        parts.Add(("proofOfUse", "Verwendungsnachweis", "Proof of use",
            [T($"Der Verwendungsnachweis (Sachbericht und zahlenmäßiger Nachweis) ist bis zum {D(n.ProofOfUseDue)} vorzulegen (ANBest-P Nr. 6.1).",
                $"The proof of use (factual report and numerical proof) is due by {D(n.ProofOfUseDue)} (ANBest-P no. 6.1).")], []));
        var reasons = new List<string>
        {
            T($"Die Zuwendung beruht auf {LetterText.LegalBasisText(ctx.LegalBasis, lang)}. Ein Rechtsanspruch auf die Zuwendung besteht nicht; ich entscheide im Rahmen der verfügbaren Haushaltsmittel nach pflichtgemäßem Ermessen.",
                $"The grant is based on {LetterText.LegalBasisText(ctx.LegalBasis, lang)}. There is no legal entitlement to the grant; I decide at my due discretion within the available budget."),
        };
        if (!amendment)
            reasons.Add(T("Ihr Antrag erfüllt die Fördervoraussetzungen des Programms; das Vorhaben liegt im Landesinteresse.",
                "Your application meets the programme's requirements; the project is in the State's interest."));
        if (!amendment && n.ReductionReason is not null)
            reasons.Add(T($"Die Zuwendung bleibt hinter dem beantragten Betrag zurück: {n.ReductionReason}", $"The grant is lower than the amount applied for: {n.ReductionReason}"));
        if (amendment && n.AmendmentReason is not null)
            reasons.Add(T($"Grund der Änderung: {n.AmendmentReason}", $"Reason for the amendment: {n.AmendmentReason}"));
        parts.Add(("reasons", "Begründung", "Reasons", reasons.ToArray(), []));
        var sections = parts.Select((p, i) => new LetterSection(p.Role, $"{i + 1}. {T(p.De, p.En)}", p.Paragraphs, p.Tables)).ToList();
        sections.Add(LetterText.LegalRemedy(n.LegalRemedy, ctx.Letterhead, lang, $"{parts.Count + 1}."));
        for (var d = 0; d < decision.Count; d++)
            decision[d] = decision[d].Replace("{yearsNo}", yearsNumber.ToString(CultureInfo.InvariantCulture))
                .Replace("{conditionsNo}", conditionsNumber.ToString(CultureInfo.InvariantCulture));

        return new LetterDocument(kind, lang, lang == "de", ctx.Letterhead.ToLetterhead(), ctx.Addressee,
            LetterText.PlaceAndDate(ctx.Letterhead, n.IssuedAt, lang), LetterText.References(ctx, lang, n.Reference,
                amendment ? T("Fassung", "Version") : null, amendment ? n.NoticeVersion.ToString(CultureInfo.InvariantCulture) : null),
            subject, LetterText.Salutation(lang), decision.ToArray(), sections.ToArray(), LetterText.Closing(lang),
            n.IssuedBy, T("Bewilligungsstelle", "Granting authority"), LetterText.ReadingCopy(lang), $"{title} · {T("Seite", "Page")}", title, LetterText.OnBehalf(lang),
            LetterSection.Text("enclosures", T("Anlage", "Enclosure"), anbest));
    }

    private static string Financing(GrantNotice n, string lang)
    {
        string M(decimal m) => LetterText.Money(m, lang);
        var terms = n.Terms ?? NoticeContent.Terms(n.FinancingType, n.GrantedAmount, n.TotalEligibleCosts);
        var type = LetterText.FinancingType(n.FinancingType, lang);
        return n.FinancingType switch
        {
            FinancingType.Share => LetterText.T(lang,
                $"Die Zuwendung wird als Projektförderung im Wege der {type} in Höhe von {LetterText.Percent(terms.SharePercent ?? n.SharePercent ?? 0m, lang)} der zuwendungsfähigen Ausgaben von {M(n.TotalEligibleCosts)}, höchstens {M(terms.MaximumAmount ?? n.MaximumAmount)}, als nicht rückzahlbarer Zuschuss gewährt.",
                $"The grant is awarded as project funding by way of {type} at {LetterText.Percent(terms.SharePercent ?? n.SharePercent ?? 0m, lang)} of the eligible costs of {M(n.TotalEligibleCosts)}, at most {M(terms.MaximumAmount ?? n.MaximumAmount)}, as a non-repayable subsidy."),
            FinancingType.Gap => LetterText.T(lang,
                $"Die Zuwendung wird als Projektförderung im Wege der {type} zur Deckung des Fehlbedarfs bei zuwendungsfähigen Ausgaben von {M(n.TotalEligibleCosts)}, höchstens {M(n.MaximumAmount)}, als nicht rückzahlbarer Zuschuss gewährt.",
                $"The grant is awarded as project funding by way of {type} to cover the shortfall of eligible costs of {M(n.TotalEligibleCosts)}, at most {M(n.MaximumAmount)}, as a non-repayable subsidy."),
            FinancingType.FixedAmount => LetterText.T(lang,
                $"Die Zuwendung wird als Projektförderung im Wege der {type} in Höhe von {M(terms.FixedAmount ?? n.GrantedAmount)} als nicht rückzahlbarer Zuschuss gewährt.",
                $"The grant is awarded as project funding by way of {type} of {M(terms.FixedAmount ?? n.GrantedAmount)} as a non-repayable subsidy."),
            _ => LetterText.T(lang,
                $"Die Zuwendung wird als Projektförderung im Wege der {type} der zuwendungsfähigen Ausgaben von {M(n.TotalEligibleCosts)}, höchstens {M(n.MaximumAmount)}, als nicht rückzahlbarer Zuschuss gewährt.",
                $"The grant is awarded as project funding by way of {type} of the eligible costs of {M(n.TotalEligibleCosts)}, at most {M(n.MaximumAmount)}, as a non-repayable subsidy."),
        };
    }
}

/// <summary>The rejection notice (Ablehnungsbescheid), mapped from <see cref="ApplicationRejected"/> and the application.</summary>
public static class RejectionLetter
{
    public static string[] Languages(Dictionary<string, string> programmeName, string? organisationLanguage = null) =>
        LetterText.Languages(programmeName.ContainsKey("en"), organisationLanguage);

    public static LetterDocument Build(ApplicationRejected rejected, string projectTitle, decimal? requested, Dictionary<string, string> programmeName,
        LetterContext ctx, string lang)
    {
        string T(string de, LetterTextHandler en) => LetterText.T(lang, de, en);
        var programme = programmeName.In(lang);
        var title = T($"Ablehnungsbescheid {ctx.FileReference}", $"Notice of rejection {ctx.FileReference}");
        var applied = ctx.ApplicationDate is { } d ? T($"Ihren Antrag vom {LetterText.Date(d, lang)}", $"Your application of {LetterText.Date(d, lang)}")
            : T("Ihren Antrag", "Your application");
        var amount = requested is { } r ? T($" über {LetterText.Money(r, lang)}", $" for {LetterText.Money(r, lang)}") : "";
        return new LetterDocument("rejection_notice", lang, lang == "de", ctx.Letterhead.ToLetterhead(), ctx.Addressee,
            LetterText.PlaceAndDate(ctx.Letterhead, rejected.At, lang), LetterText.References(ctx, lang, null),
            $"{title} — {T("Vorhaben", "project")} {LetterText.Quote(projectTitle, lang)}", LetterText.Salutation(lang),
            [T($"{applied} auf Gewährung einer Zuwendung{amount} für das Vorhaben „{projectTitle}“ im Förderprogramm „{programme}“ lehne ich ab.",
                $"{applied} for a grant{amount} for the project “{projectTitle}” under the programme “{programme}” is rejected.")],
            [
                new LetterSection("reasons", T("1. Begründung", "1. Reasons"),
                [
                    T($"Zuwendungen werden nach {LetterText.LegalBasisText(ctx.LegalBasis, lang)} gewährt. Ein Rechtsanspruch besteht nicht; über den Antrag entscheide ich nach pflichtgemäßem Ermessen im Rahmen der verfügbaren Haushaltsmittel.",
                        $"Grants are awarded under {LetterText.LegalBasisText(ctx.LegalBasis, lang)}. There is no legal entitlement; I decide on the application at my due discretion within the available budget."),
                    T("Ihr Antrag war aus den folgenden Gründen abzulehnen:", "Your application had to be rejected for the following reasons:"),
                    rejected.Reasons,
                    .. rejected.Notice?.LegalBasis is { } basis
                        ? new[] { T($"Rechtsgrundlage: {LetterText.LegalBasisLine(basis, lang)}", $"Legal basis (Rechtsgrundlage): {LetterText.LegalBasisLine(basis, lang)}") }
                        : [],
                ], []),
                LetterText.LegalRemedy(rejected.Notice?.LegalRemedy, ctx.Letterhead, lang, "2."),
            ],
            LetterText.Closing(lang), rejected.ApproverName, T("Bewilligungsstelle", "Granting authority"), LetterText.ReadingCopy(lang),
            $"{title} · {T("Seite", "Page")}", title, LetterText.OnBehalf(lang));
    }
}
