using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace FundingPrograms.Proofs;

/// <summary>
/// The list of receipts as a file: CSV import (UTF-8 or Windows-1252, ';' or ',', German or plain decimals; errors by
/// line and column) and CSV/XLSX export. The export's columns are the import's, so an exported list imports again.
/// </summary>
public static partial class ReceiptFiles
{
    static ReceiptFiles() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static readonly string[] Columns = ["Belegnummer", "Datum", "Zahlungsempfänger", "Verwendungszweck", "Position", "Betrag"];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["belegnummer"] = "number", ["beleg-nr"] = "number", ["beleg-nr."] = "number", ["belegnr"] = "number", ["number"] = "number", ["receipt number"] = "number",
        ["datum"] = "date", ["belegdatum"] = "date", ["zahlungsdatum"] = "date", ["date"] = "date",
        ["zahlungsempfänger"] = "payee", ["empfänger"] = "payee", ["payee"] = "payee",
        ["verwendungszweck"] = "purpose", ["zweck"] = "purpose", ["purpose"] = "purpose",
        ["position"] = "planLine", ["planposition"] = "planLine", ["finanzplanposition"] = "planLine", ["planline"] = "planLine", ["plan line"] = "planLine",
        ["betrag"] = "amount", ["betrag (eur)"] = "amount", ["betrag in eur"] = "amount", ["amount"] = "amount",
        // optional: the day the expense was paid (the day the money was used, § 49a (4) VwVfG NRW)
        ["bezahlt am"] = "paidOn", ["tag der zahlung"] = "paidOn", ["paidon"] = "paidOn", ["paid on"] = "paidOn",
    };

    /// <summary>Decodes the bytes: UTF-8 (with or without BOM) when they are valid UTF-8, else Windows-1252.</summary>
    public static string Decode(byte[] bytes)
    {
        if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return new UTF8Encoding(false, true).GetString(bytes, 3, bytes.Length - 3);
        try { return new UTF8Encoding(false, true).GetString(bytes); }
        catch (DecoderFallbackException) { return Encoding.GetEncoding(1252).GetString(bytes); }
    }

    /// <summary>Splits CSV text into records (RFC 4180 quoting), each with the physical line it starts on.</summary>
    public static List<(int Line, List<string> Fields)> Split(string text, char delimiter)
    {
        var records = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var start = 1;
        var quoted = false;
        var any = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else { if (c == '\n') line++; field.Append(c); }
                continue;
            }
            if (c == '"' && field.Length == 0) { quoted = true; any = true; }
            else if (c == delimiter) { fields.Add(field.ToString()); field.Clear(); any = true; }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                fields.Add(field.ToString());
                field.Clear();
                if (any || fields.Any(f => f.Length > 0)) records.Add((start, fields));
                fields = [];
                any = false;
                line++;
                start = line;
            }
            else { field.Append(c); any = true; }
        }
        if (any || field.Length > 0)
        {
            fields.Add(field.ToString());
            records.Add((start, fields));
        }
        return records;
    }

    /// <summary>Parses the receipts; every error names its line and column. Returns null (with errors in <paramref name="check"/>) when any is wrong.</summary>
    public static Receipt[]? Parse(byte[] bytes, int planLines, Check check)
    {
        var text = Decode(bytes);
        var firstLine = text.Split('\n', 2)[0];
        var delimiter = firstLine.Count(c => c == ';') >= firstLine.Count(c => c == ',') && firstLine.Contains(';') ? ';' : ',';
        var records = Split(text, delimiter);
        if (records.Count == 0)
        {
            check.Add("line 1", "The file is empty: send a header line and one line per receipt.");
            return null;
        }
        var header = records[0].Fields.Select(h => h.Trim().Trim('\uFEFF')).ToList();
        var index = new Dictionary<string, int>();
        for (var i = 0; i < header.Count; i++)
            if (Aliases.TryGetValue(header[i], out var name) && !index.ContainsKey(name)) index[name] = i;
        foreach (var required in new[] { "number", "date", "payee", "purpose", "planLine", "amount" }.Where(r => !index.ContainsKey(r)))
            check.Add("line 1", $"The header has no column for '{required}' (expected: {string.Join(delimiter, Columns)}).");
        if (check.HasErrors) return null;
        if (records.Count - 1 > ProofRules.MaxReceipts)
        {
            check.Add("file", $"At most {ProofRules.MaxReceipts} receipts per proof.");
            return null;
        }

        var receipts = new List<Receipt>();
        var errors = 0;
        foreach (var (line, fields) in records.Skip(1))
        {
            string Cell(string name) => index[name] < fields.Count ? fields[index[name]].Trim() : "";
            string Where(string name) => index.TryGetValue(name, out var column) ? $"line {line}, column {column + 1} ({header[column]})" : $"line {line} ({name})";
            var before = check.Errors.Count;
            var date = ParseDate(Cell("date"));
            var amount = ParseAmount(Cell("amount"));
            int? planLine = int.TryParse(Cell("planLine"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null;
            check.That(Cell("date").Length == 0 || date is not null, Where("date"), $"'{Cell("date")}' is not a date (use 31.12.2026 or 2026-12-31).")
                .That(Cell("amount").Length == 0 || amount is not null, Where("amount"), $"'{Cell("amount")}' is not an amount (use 1.234,56 or 1234.56).")
                .That(Cell("planLine").Length == 0 || planLine is not null, Where("planLine"), $"'{Cell("planLine")}' is not a plan line number.");
            var paidOnCell = index.ContainsKey("paidOn") ? Cell("paidOn") : "";
            var paidOn = ParseDate(paidOnCell);
            if (paidOnCell.Length > 0 && paidOn is null)
                check.Add(Where("paidOn"), $"'{paidOnCell}' is not a date (use 31.12.2026 or 2026-12-31).");
            var input = new ReceiptInput(Cell("number"), date, Cell("payee"), Cell("purpose"), planLine, amount, paidOn);
            if (check.Errors.Count == before)
                ProofRules.CheckReceipt(input, planLines, check, f => Where(f));
            if (check.Errors.Count > before)
            {
                if (++errors >= 100) { check.Add("file", "More than 100 lines have errors; the rest was not checked."); return null; }
                continue;
            }
            receipts.Add(ProofRules.ToReceipt(input, receipts.Count + 1));
        }
        return check.HasErrors ? null : receipts.ToArray();
    }

    private static DateOnly? ParseDate(string s) =>
        DateOnly.TryParseExact(s, ["dd.MM.yyyy", "d.M.yyyy", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    [GeneratedRegex(@"^-?\d{1,3}(\.\d{3})+$")]
    private static partial Regex DotThousands();

    /// <summary>German "1.234,56" / "1234,56", or plain "1234.56"; "EUR"/"€" and spaces are ignored.</summary>
    public static decimal? ParseAmount(string s)
    {
        s = s.Replace("EUR", "", StringComparison.OrdinalIgnoreCase).Replace("€", "").Replace(" ", "").Replace("\u00A0", "");
        if (s.Length == 0 || s.Length > 20) return null;
        if (s.Contains(',')) s = s.Replace(".", "").Replace(',', '.');
        else if (DotThousands().IsMatch(s)) s = s.Replace(".", "");
        return decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    /// <summary>Cells that a spreadsheet would run as a formula are prefixed with an apostrophe.</summary>
    private static string Safe(string s) => s.Length > 0 && "=+-@\t\r".Contains(s[0]) ? "'" + s : s;

    private static string Quote(string s) => s.IndexOfAny([';', '"', '\n', '\r']) >= 0 ? $"\"{s.Replace("\"", "\"\"")}\"" : s;

    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    /// <summary>UTF-8 with BOM, ';', German decimals and dates: opens as-is in a German spreadsheet and imports again.</summary>
    public static byte[] Csv(IEnumerable<Receipt> receipts)
    {
        var list = receipts.ToList();
        var paidOn = list.Any(r => r.PaidOn is not null);
        var s = new StringBuilder();
        s.Append(string.Join(';', Columns)).Append(paidOn ? ";Bezahlt am" : "").Append("\r\n");
        foreach (var r in list)
            s.Append(string.Join(';', new[]
            {
                Quote(Safe(r.Number)), r.Date.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture), Quote(Safe(r.Payee)), Quote(Safe(r.Purpose)),
                r.PlanLine.ToString(CultureInfo.InvariantCulture), r.Amount.ToString("0.00", German),
            }.Concat(paidOn ? [r.PaidOn?.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture) ?? ""] : []))).Append("\r\n");
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(s.ToString())];
    }

    /// <summary>
    /// The list as a workbook with typed cells: dates as dates (dd.mm.yyyy), amounts as numbers with a 2-decimal format, plan
    /// lines as whole numbers; the same list gives the same bytes (<see cref="Reports.Export.Xlsx"/>).
    /// </summary>
    public static byte[] Xlsx(IEnumerable<Receipt> receipts, string title)
    {
        var list = receipts.ToList();
        var paidOn = list.Any(r => r.PaidOn is not null);
        Reports.TableColumn[] columns =
        [
            new(Columns[0], Reports.ColumnType.Text), new(Columns[1], Reports.ColumnType.Date), new(Columns[2], Reports.ColumnType.Text),
            new(Columns[3], Reports.ColumnType.Text), new(Columns[4], Reports.ColumnType.Integer), new(Columns[5], Reports.ColumnType.Money),
            .. paidOn ? [new Reports.TableColumn("Bezahlt am", Reports.ColumnType.Date)] : Array.Empty<Reports.TableColumn>(),
        ];
        var rows = list.Select(r => new object?[] { r.Number, r.Date, r.Payee, r.Purpose, r.PlanLine, r.Amount }
            .Concat(paidOn ? [r.PaidOn] : Array.Empty<object?>()).ToArray()).ToList();
        return Reports.Export.Xlsx(new Reports.Table(title, columns, rows));
    }
}
