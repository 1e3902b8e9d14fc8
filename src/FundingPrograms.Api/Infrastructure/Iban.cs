namespace FundingPrograms.Infrastructure;

/// <summary>
/// The one IBAN check (ISO 13616: SEPA country, its length, and the mod-97 check digits) and normaliser, used for bank accounts entered,
/// the SEPA files written (pain.001) and the statements read (camt.053/054).
/// </summary>
public static class Iban
{
    /// <summary>IBAN lengths of the SEPA countries and territories.</summary>
    private static readonly Dictionary<string, int> Lengths = new()
    {
        ["AD"] = 24, ["AT"] = 20, ["BE"] = 16, ["BG"] = 22, ["CH"] = 21, ["CY"] = 28, ["CZ"] = 24, ["DE"] = 22, ["DK"] = 18,
        ["EE"] = 20, ["ES"] = 24, ["FI"] = 18, ["FR"] = 27, ["GB"] = 22, ["GI"] = 23, ["GR"] = 27, ["HR"] = 21, ["HU"] = 28,
        ["IE"] = 22, ["IS"] = 26, ["IT"] = 27, ["LI"] = 21, ["LT"] = 20, ["LU"] = 20, ["LV"] = 21, ["MC"] = 27, ["MT"] = 31,
        ["NL"] = 18, ["NO"] = 15, ["PL"] = 28, ["PT"] = 25, ["RO"] = 24, ["SE"] = 24, ["SI"] = 19, ["SK"] = 24, ["SM"] = 27,
        ["VA"] = 22,
    };

    public static string Normalize(string iban) => new(iban.Where(c => !char.IsWhiteSpace(c)).Select(char.ToUpperInvariant).ToArray());

    /// <summary>Null when valid, else the reason in plain words.</summary>
    public static string? Problem(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return "The IBAN is required.";
        var iban = Normalize(raw);
        if (iban.Length < 5 || !iban.All(char.IsAsciiLetterOrDigit)) return "An IBAN has only letters and digits, like DE89 3704 0044 0532 0130 00.";
        var country = iban[..2];
        if (!Lengths.TryGetValue(country, out var length)) return $"'{country}' is not a SEPA country; payments can only go to SEPA accounts.";
        if (iban.Length != length) return $"An IBAN from {country} has {length} characters; this one has {iban.Length}.";
        if (!char.IsAsciiDigit(iban[2]) || !char.IsAsciiDigit(iban[3])) return "Characters 3 and 4 of an IBAN are check digits.";
        var remainder = 0;
        foreach (var c in iban[4..] + iban[..4])
        {
            var v = char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = (remainder * (v >= 10 ? 100 : 10) + v) % 97;
        }
        return remainder == 1 ? null : "The IBAN's check digits do not match: please check it for typing errors.";
    }
}
