using System.Globalization;

namespace FundingPrograms.Infrastructure;

/// <summary>
/// German formats for texts written in German (notifications, German CSV): 1.028,08 EUR, 24.01.2027 and the German names of a
/// notice's terms. A German reader takes "1,028.08" for about one euro. English texts (problem details) keep invariant formats.
/// </summary>
public static class German
{
    public static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("de-DE");

    /// <summary>"1.028,08 EUR".</summary>
    public static string Money(decimal amount) => amount.ToString("#,##0.00", Culture) + " EUR";

    /// <summary>"1.028,08" (no currency).</summary>
    public static string Amount(decimal amount) => amount.ToString("#,##0.00", Culture);

    /// <summary>"24.01.2027".</summary>
    public static string Date(DateOnly date) => date.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);

    /// <summary>The German names of a notice's terms, as an amendment's changes list them.</summary>
    public static string Term(string term) => term switch
    {
        "amount" => "Zuwendungsbetrag",
        "period" => "Bewilligungszeitraum",
        "yearSplit" => "Aufteilung auf die Haushaltsjahre",
        "conditions" => "Nebenbestimmungen",
        "generalConditionsVersion" => "Allgemeine Nebenbestimmungen (ANBest-P)",
        "budgetLine" => "Haushaltsstelle",
        "financingType" => "Finanzierungsart",
        "sharePercent" => "Förderquote",
        "maximum" or "maximumAmount" => "Höchstbetrag",
        "purpose" => "Zuwendungszweck",
        _ => term,
    };

    /// <summary>"Zuwendungsbetrag und Aufteilung auf die Haushaltsjahre".</summary>
    public static string Terms(IReadOnlyList<string> terms) => terms.Count switch
    {
        0 => "",
        1 => Term(terms[0]),
        _ => string.Join(", ", terms.Take(terms.Count - 1).Select(Term)) + " und " + Term(terms[^1]),
    };
}
