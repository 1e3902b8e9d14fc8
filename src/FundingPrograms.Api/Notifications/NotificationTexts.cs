using FundingPrograms.Public;

namespace FundingPrograms.Notifications;

/// <summary>
/// Applicant notifications in the organisation's chosen language (issue 28): texts under "notify." in Public/Texts/{code}.json,
/// amounts and dates in the language's conventions. German, the default, reads exactly as before (German.Money, dd.MM.yyyy).
/// Amounts keep "EUR", references (ZB-…, RF…) are passed through unchanged. The letters they announce are German (binding), with a
/// reading copy in the same language (Letters/LetterTexts).
/// </summary>
public static class NotificationTexts
{
    /// <summary>The organisation's language (German until it chooses one, or if it is not found).</summary>
    public static async Task<PublicLanguage> LanguageOf(IQuerySession session, Guid organisationId, CancellationToken ct) =>
        PublicTexts.Find((await session.LoadAsync<Organisations.Organisation>(organisationId, ct))?.Language) ?? PublicTexts.Languages[0];

    /// <summary>The text of "notify.{key}" with its placeholders filled.</summary>
    public static string N(this PublicLanguage language, string key, params (string Name, string Value)[] values) =>
        language.T("notify." + key, values);

    /// <summary>"1.028,08 EUR" in German, "1,028.08 EUR" in English, always with cents and "EUR".</summary>
    public static string Eur(this PublicLanguage language, decimal amount) =>
        language.Code == "de" ? German.Money(amount) : language.Digits(amount.ToString("#,##0.00", language.Culture)) + " EUR";

    /// <summary>A whole number (a reminder's level, a notice's version) in the language's digits.</summary>
    public static string Num(this PublicLanguage language, int value) => language.Digits(value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>"24.01.2027" in German, "24 January 2027", "24 Ocak 2027", … in the others.</summary>
    public static string Day(this PublicLanguage language, DateOnly date) => language.Code == "de" ? German.Date(date) : language.Date(date);

    /// <summary>A notice's changed terms in the language ("Zuwendungsbetrag und Bewilligungszeitraum").</summary>
    public static string Terms(this PublicLanguage language, IReadOnlyList<string> terms)
    {
        if (language.Code == "de") return German.Terms(terms);
        var names = terms.Select(t => PublicTexts.All["de"].ContainsKey("notify.term." + t) ? language.N("term." + t)
            : t == "maximumAmount" ? language.N("term.maximum") : t).ToList();
        return names.Count <= 1 ? string.Concat(names) : string.Join(", ", names.Take(names.Count - 1)) + " " + language.N("and") + " " + names[^1];
    }
}
