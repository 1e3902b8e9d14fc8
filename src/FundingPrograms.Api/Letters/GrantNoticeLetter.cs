using System.Globalization;
using FundingPrograms.Applications;
using FundingPrograms.Grants;
using FundingPrograms.Infrastructure;
using FundingPrograms.Programmes;

namespace FundingPrograms.Letters;

/// <summary>What every letter of a case needs besides the decision: the letterhead, who it goes to, the file.</summary>
public sealed record LetterContext(
    LetterheadOptions Letterhead,
    Addressee Addressee,
    string FileReference,
    DateOnly? ApplicationDate,
    LegalBasis? LegalBasis,
    ApplicationContent? Content);

/// <summary>Wording shared by every letter: dates, money, the legal remedy, the closing, reading-copy marks.</summary>
public static class LetterText
{
    public static CultureInfo Culture(string lang) => CultureInfo.GetCultureInfo(lang == "de" ? "de-DE" : "en-GB");
    public static string T(string lang, string de, string en) => lang == "de" ? de : en;
    public static string Money(decimal amount, string lang) => amount.ToString("#,##0.00", Culture(lang)) + " EUR";
    public static string Date(DateOnly date, string lang) => date.ToString(lang == "de" ? "dd.MM.yyyy" : "d MMMM yyyy", Culture(lang));
    public static string Percent(decimal p, string lang) => p.ToString("0.##", Culture(lang)) + " %";

    /// <summary>The binding language is German; a translation is a reading copy and says so.</summary>
    public static string? ReadingCopy(string lang) => lang == "de" ? null
        : "Reading copy — not legally binding. Only the German original (Bescheid) of this letter is legally binding.";

    public static string PlaceAndDate(LetterheadOptions head, DateTimeOffset at, string lang) =>
        $"{(string.IsNullOrWhiteSpace(head.Place) ? head.City : head.Place)}, {Date(BerlinTime.Today(at), lang)}";

    /// <summary>Rechtsbehelfsbelehrung (§ 58 VwGO): in NRW no objection procedure (§ 110 JustG NRW) — action within one month.</summary>
    public static LetterSection LegalRemedy(LetterheadOptions head, string lang, string number)
    {
        var court = string.IsNullOrWhiteSpace(head.CourtAddress) ? head.Court : $"{head.Court}, {head.CourtAddress},";
        return LegalRemedyText(court, lang, number);
    }

    private static LetterSection LegalRemedyText(string court, string lang, string number) => LetterSection.Text("legalRemedy",
        T(lang, $"{number} Rechtsbehelfsbelehrung", $"{number} Information on legal remedies (Rechtsbehelfsbelehrung)"),
        T(lang,
            $"Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Klage beim {court} erhoben werden. "
            + "Die Klage ist schriftlich oder zur Niederschrift der Urkundsbeamtin oder des Urkundsbeamten der Geschäftsstelle zu erheben. "
            + "Sie kann auch durch Übertragung eines elektronischen Dokuments an die elektronische Poststelle des Gerichts erhoben werden; das "
            + "elektronische Dokument muss mit einer qualifizierten elektronischen Signatur versehen sein oder von der verantwortenden Person "
            + "signiert und auf einem sicheren Übermittlungsweg gemäß § 55a Absatz 4 der Verwaltungsgerichtsordnung (VwGO) eingereicht werden.",
            $"An action against this notice may be brought before the {court} within one month of its notification. "
            + "The action must be brought in writing or recorded by the court's registry. It may also be brought by transmitting an electronic "
            + "document to the court's electronic mailbox, bearing a qualified electronic signature or signed by the responsible person and "
            + "submitted via a secure transmission channel under section 55a (4) of the Code of Administrative Court Procedure (VwGO)."));

    public static string Closing(string lang) => T(lang, "Mit freundlichen Grüßen", "Yours faithfully");
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
        ? T(lang, "§§ 23 und 44 der Landeshaushaltsordnung (LHO NRW) und der dazu erlassenen Verwaltungsvorschriften",
            "sections 23 and 44 of the State Budget Code of North Rhine-Westphalia (LHO NRW) and its administrative provisions")
        : T(lang, $"§§ 23 und 44 LHO NRW, der dazu erlassenen Verwaltungsvorschriften und der {basis.Guideline} vom {Date(basis.Date, lang)}",
            $"sections 23 and 44 LHO NRW, its administrative provisions and the guideline „{basis.Guideline}“ of {Date(basis.Date, lang)}");
}

/// <summary>
/// The grant notice (Zuwendungsbescheid, VV Nr. 4.2 zu § 44 LHO) and the amendment notice (Änderungsbescheid) as letters,
/// mapped from the notice as it is recorded in <see cref="GrantIssued"/> / <see cref="GrantAmended"/>.
/// Extend here when the notice carries more (purpose, eligible costs per line, early start…).
/// </summary>
public static class GrantNoticeLetter
{
    /// <summary>German always (binding); English as a reading copy where the programme has an English text.</summary>
    public static string[] Languages(GrantNotice notice) => notice.ProgrammeName.ContainsKey("en") ? ["de", "en"] : ["de"];

    public static LetterDocument Build(GrantNotice n, GrantNotice? previous, string[] changes, LetterContext ctx, string lang)
    {
        string T(string de, string en) => LetterText.T(lang, de, en);
        string M(decimal m) => LetterText.Money(m, lang);
        string D(DateOnly d) => LetterText.Date(d, lang);
        var programme = n.ProgrammeName.In(lang);
        var amendment = previous is not null;
        var kind = amendment ? "amendment_notice" : "grant_notice";
        var title = amendment
            ? T($"Änderungsbescheid zum Zuwendungsbescheid {n.Reference} (Fassung {n.NoticeVersion})", $"Amendment notice to grant notice {n.Reference} (version {n.NoticeVersion})")
            : T($"Zuwendungsbescheid {n.Reference}", $"Grant notice {n.Reference}");
        var subject = $"{title} — {T("Vorhaben", "project")} „{n.ProjectTitle}“";

        var decision = new List<string>();
        if (!amendment)
        {
            var applied = ctx.ApplicationDate is { } ad ? T($"Auf Ihren Antrag vom {D(ad)} bewillige ich Ihnen", $"Upon your application of {D(ad)}, I hereby grant you")
                : T("Auf Ihren Antrag bewillige ich Ihnen", "Upon your application, I hereby grant you");
            decision.Add(T(
                $"{applied} für das Vorhaben „{n.ProjectTitle}“ im Förderprogramm „{programme}“ für den Bewilligungszeitraum vom {D(n.PeriodStart)} bis {D(n.PeriodEnd)} eine Zuwendung in Höhe von bis zu {M(n.GrantedAmount)}.",
                $"{applied} for the project „{n.ProjectTitle}“ under the programme „{programme}“ for the funding period from {D(n.PeriodStart)} to {D(n.PeriodEnd)} a grant of up to {M(n.GrantedAmount)}."));
            decision.Add(Financing(n, lang));
            if (n.GrantedAmount < n.RequestedAmount)
                decision.Add(T($"Im Übrigen (beantragt waren {M(n.RequestedAmount)}) lehne ich Ihren Antrag ab.",
                    $"For the remainder (you applied for {M(n.RequestedAmount)}) your application is rejected."));
        }
        else
        {
            decision.Add(T(
                $"Meinen Zuwendungsbescheid {n.Reference} für das Vorhaben „{n.ProjectTitle}“ in der Fassung {previous!.NoticeVersion} vom {D(BerlinTime.Today(previous.IssuedAt))} ändere ich wie folgt:",
                $"My grant notice {n.Reference} for the project „{n.ProjectTitle}“, version {previous!.NoticeVersion} of {D(BerlinTime.Today(previous.IssuedAt))}, is amended as follows:"));
            var i = 1;
            if (n.GrantedAmount != previous.GrantedAmount)
                decision.Add(T($"{i++}. Die Zuwendung beträgt bis zu {M(n.GrantedAmount)} (bisher {M(previous.GrantedAmount)}).",
                    $"{i++}. The grant amounts to up to {M(n.GrantedAmount)} (previously {M(previous.GrantedAmount)})."));
            if (n.PeriodStart != previous.PeriodStart || n.PeriodEnd != previous.PeriodEnd)
                decision.Add(T($"{i++}. Der Bewilligungszeitraum ist der {D(n.PeriodStart)} bis {D(n.PeriodEnd)} (bisher {D(previous.PeriodStart)} bis {D(previous.PeriodEnd)}).",
                    $"{i++}. The funding period runs from {D(n.PeriodStart)} to {D(n.PeriodEnd)} (previously {D(previous.PeriodStart)} to {D(previous.PeriodEnd)})."));
            if (!n.YearSplit.SequenceEqual(previous.YearSplit))
                decision.Add(T($"{i++}. Die Zuwendung verteilt sich wie in Nr. 2 angegeben auf die Haushaltsjahre.", $"{i++}. The grant is split across budget years as set out in no. 2."));
            if (n.Conditions != previous.Conditions)
                decision.Add(T($"{i++}. Die besonderen Nebenbestimmungen erhalten die in Nr. 3 wiedergegebene Fassung.", $"{i++}. The special conditions read as set out in no. 3."));
            if (n.GeneralConditionsVersion != previous.GeneralConditionsVersion)
                decision.Add(T($"{i++}. Bestandteil des Bescheides sind nun die {n.GeneralConditionsVersion} (bisher {previous.GeneralConditionsVersion}).",
                    $"{i++}. The general conditions now form part of the notice in the version {n.GeneralConditionsVersion} (previously {previous.GeneralConditionsVersion})."));
            if (i == 1) decision.Add(T($"Geändert: {string.Join(", ", changes)}.", $"Changed: {string.Join(", ", changes)}."));
            decision.Add(T("Im Übrigen bleibt der Zuwendungsbescheid unverändert.", "In all other respects the grant notice remains unchanged."));
        }

        var terms = new List<LetterTable>
        {
            new(T("Finanzierung", "Financing"), [T("Angabe", "Item"), T("Betrag / Wert", "Amount / value")],
            [
                [T("Finanzierungsart", "Financing type"), LetterText.FinancingType(n.FinancingType, lang)],
                [T("Zuwendungsfähige Ausgaben", "Eligible costs"), M(n.TotalEligibleCosts)],
                [T("Fördersatz", "Funding rate"), LetterText.Percent(n.SharePercent, lang)],
                [T("Höchstbetrag der Zuwendung", "Maximum grant"), M(n.MaximumAmount)],
                [T("Beantragt", "Requested"), M(n.RequestedAmount)],
                [T("Bewilligte Zuwendung", "Grant awarded"), M(n.GrantedAmount)],
            ], true, [1]),
        };
        if (ctx.Content is { CostItems.Length: > 0 } content)
            terms.Add(new LetterTable(T("Finanzierungsplan: Ausgaben", "Financing plan: costs"),
                [T("Kostenart", "Category"), T("Bezeichnung", "Description"), T("Betrag", "Amount")],
                content.CostItems.Select(c => new[] { LetterText.CostCategory(c.Category, lang), c.Description, M(c.Amount) })
                    .Append([T("Summe", "Total"), "", M(content.CostItems.Sum(c => c.Amount))]).ToArray(), true, [2]));
        var years = new LetterTable(T($"Haushaltsjahre (Haushaltsstelle {n.BudgetLine})", $"Budget years (budget line {n.BudgetLine})"),
            [T("Haushaltsjahr", "Budget year"), T("Betrag", "Amount")],
            n.YearSplit.Select(y => new[] { y.Year.ToString(CultureInfo.InvariantCulture), M(y.Amount) }).ToArray(), true, [1]);

        var sections = new List<LetterSection>
        {
            new("terms", T("1. Finanzierung und Bewilligungszeitraum", "1. Financing and funding period"),
                [T($"Bewilligungszeitraum: {D(n.PeriodStart)} bis {D(n.PeriodEnd)}. Ausgaben außerhalb dieses Zeitraums sind nicht zuwendungsfähig.",
                    $"Funding period: {D(n.PeriodStart)} to {D(n.PeriodEnd)}. Expenditure outside this period is not eligible.")],
                terms.ToArray()),
            new("years", T("2. Verteilung auf Haushaltsjahre", "2. Split across budget years"),
                [T("Die Zuwendung wird aus den folgenden Haushaltsjahren gezahlt; nicht abgerufene Mittel eines Jahres verfallen, soweit nichts anderes bestimmt ist.",
                    "The grant is paid from the following budget years; funds of a year not drawn down lapse unless otherwise determined.")],
                [years]),
            new("conditions", T("3. Nebenbestimmungen", "3. Conditions"),
                [T($"Die {n.GeneralConditionsVersion} sind Bestandteil dieses Bescheides.", $"The general conditions {n.GeneralConditionsVersion} form part of this notice."),
                 T("Besondere Nebenbestimmungen:", "Special conditions:"), n.Conditions],
                []),
            LetterSection.Text("proofOfUse", T("4. Verwendungsnachweis", "4. Proof of use"),
                T($"Der Verwendungsnachweis (Sachbericht und zahlenmäßiger Nachweis) ist bis zum {D(n.ProofOfUseDue)} vorzulegen (ANBest-P Nr. 6.1).",
                    $"The proof of use (factual report and numerical proof) is due by {D(n.ProofOfUseDue)} (ANBest-P no. 6.1).")),
        };
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
        sections.Add(new LetterSection("reasons", T("5. Begründung", "5. Reasons"), reasons.ToArray(), []));
        sections.Add(LetterText.LegalRemedy(ctx.Letterhead, lang, "6."));

        return new LetterDocument(kind, lang, lang == "de", ctx.Letterhead.ToLetterhead(), ctx.Addressee,
            LetterText.PlaceAndDate(ctx.Letterhead, n.IssuedAt, lang), LetterText.References(ctx, lang, n.Reference,
                amendment ? T("Fassung", "Version") : null, amendment ? n.NoticeVersion.ToString(CultureInfo.InvariantCulture) : null),
            subject, LetterText.Salutation(lang), decision.ToArray(), sections.ToArray(), LetterText.Closing(lang),
            n.IssuedBy, T("Bewilligungsstelle", "Granting authority"), LetterText.ReadingCopy(lang), $"{title} · {T("Seite", "Page")}", title);
    }

    private static string Financing(GrantNotice n, string lang)
    {
        string M(decimal m) => LetterText.Money(m, lang);
        var type = LetterText.FinancingType(n.FinancingType, lang);
        return n.FinancingType switch
        {
            FinancingType.Share => LetterText.T(lang,
                $"Die Zuwendung wird als Projektförderung im Wege der {type} in Höhe von {LetterText.Percent(n.SharePercent, lang)} der zuwendungsfähigen Ausgaben von {M(n.TotalEligibleCosts)}, höchstens {M(n.MaximumAmount)}, als nicht rückzahlbarer Zuschuss gewährt.",
                $"The grant is awarded as project funding by way of {type} at {LetterText.Percent(n.SharePercent, lang)} of the eligible costs of {M(n.TotalEligibleCosts)}, at most {M(n.MaximumAmount)}, as a non-repayable subsidy."),
            FinancingType.Gap => LetterText.T(lang,
                $"Die Zuwendung wird als Projektförderung im Wege der {type} zur Deckung des Fehlbedarfs bei zuwendungsfähigen Ausgaben von {M(n.TotalEligibleCosts)}, höchstens {M(n.MaximumAmount)}, als nicht rückzahlbarer Zuschuss gewährt.",
                $"The grant is awarded as project funding by way of {type} to cover the shortfall of eligible costs of {M(n.TotalEligibleCosts)}, at most {M(n.MaximumAmount)}, as a non-repayable subsidy."),
            FinancingType.FixedAmount => LetterText.T(lang,
                $"Die Zuwendung wird als Projektförderung im Wege der {type} in Höhe von {M(n.GrantedAmount)} als nicht rückzahlbarer Zuschuss gewährt.",
                $"The grant is awarded as project funding by way of {type} of {M(n.GrantedAmount)} as a non-repayable subsidy."),
            _ => LetterText.T(lang,
                $"Die Zuwendung wird als Projektförderung im Wege der {type} der zuwendungsfähigen Ausgaben von {M(n.TotalEligibleCosts)}, höchstens {M(n.MaximumAmount)}, als nicht rückzahlbarer Zuschuss gewährt.",
                $"The grant is awarded as project funding by way of {type} of the eligible costs of {M(n.TotalEligibleCosts)}, at most {M(n.MaximumAmount)}, as a non-repayable subsidy."),
        };
    }
}

/// <summary>The rejection notice (Ablehnungsbescheid), mapped from <see cref="ApplicationRejected"/> and the application.</summary>
public static class RejectionLetter
{
    public static string[] Languages(Dictionary<string, string> programmeName) => programmeName.ContainsKey("en") ? ["de", "en"] : ["de"];

    public static LetterDocument Build(ApplicationRejected rejected, string projectTitle, decimal? requested, Dictionary<string, string> programmeName,
        LetterContext ctx, string lang)
    {
        string T(string de, string en) => LetterText.T(lang, de, en);
        var programme = programmeName.In(lang);
        var title = T($"Ablehnungsbescheid {ctx.FileReference}", $"Notice of rejection {ctx.FileReference}");
        var applied = ctx.ApplicationDate is { } d ? T($"Ihren Antrag vom {LetterText.Date(d, lang)}", $"Your application of {LetterText.Date(d, lang)}")
            : T("Ihren Antrag", "Your application");
        var amount = requested is { } r ? T($" über {LetterText.Money(r, lang)}", $" for {LetterText.Money(r, lang)}") : "";
        return new LetterDocument("rejection_notice", lang, lang == "de", ctx.Letterhead.ToLetterhead(), ctx.Addressee,
            LetterText.PlaceAndDate(ctx.Letterhead, rejected.At, lang), LetterText.References(ctx, lang, null),
            $"{title} — {T("Vorhaben", "project")} „{projectTitle}“", LetterText.Salutation(lang),
            [T($"{applied} auf Gewährung einer Zuwendung{amount} für das Vorhaben „{projectTitle}“ im Förderprogramm „{programme}“ lehne ich ab.",
                $"{applied} for a grant{amount} for the project „{projectTitle}“ under the programme „{programme}“ is rejected.")],
            [
                new LetterSection("reasons", T("1. Begründung", "1. Reasons"),
                [
                    T($"Zuwendungen werden nach {LetterText.LegalBasisText(ctx.LegalBasis, lang)} gewährt. Ein Rechtsanspruch besteht nicht; über den Antrag entscheide ich nach pflichtgemäßem Ermessen im Rahmen der verfügbaren Haushaltsmittel.",
                        $"Grants are awarded under {LetterText.LegalBasisText(ctx.LegalBasis, lang)}. There is no legal entitlement; I decide on the application at my due discretion within the available budget."),
                    T("Ihr Antrag war aus den folgenden Gründen abzulehnen:", "Your application had to be rejected for the following reasons:"),
                    rejected.Reasons,
                ], []),
                LetterText.LegalRemedy(ctx.Letterhead, lang, "2."),
            ],
            LetterText.Closing(lang), rejected.ApproverName, T("Bewilligungsstelle", "Granting authority"), LetterText.ReadingCopy(lang),
            $"{title} · {T("Seite", "Page")}", title);
    }
}
