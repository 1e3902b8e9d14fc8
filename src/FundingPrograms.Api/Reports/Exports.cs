using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace FundingPrograms.Reports;

public enum ColumnType { Text, Integer, Money, Decimal, Date, Instant }

public sealed record TableColumn(string Name, ColumnType Type);

/// <summary>The label of a table's total row: "Total", or "Summe" in the German (';') CSV.</summary>
public sealed record TotalLabel(string Text)
{
    public override string ToString() => Text;
}

/// <summary>A report or list as a flat table: the one shape CSV and XLSX are written from.</summary>
public sealed record Table(string Name, IReadOnlyList<TableColumn> Columns, IReadOnlyList<object?[]> Rows)
{
    /// <summary>Sentences a reader needs to read the figures right (e.g. why rows do not add up to the total), after the rows.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

public static class Export
{
    public static readonly string[] Formats = ["csv", "xlsx"];

    public static void Validate(string? format, string? separator, Check check) => check
        .That(format is not null && Formats.Contains(format), "format", "Use csv or xlsx.")
        .That(separator is null or "comma" or "semicolon", "separator", "Use comma (default) or semicolon (German Excel: decimal comma).");

    public static IResult File(Table table, string format, string? separator)
    {
        var name = $"{table.Name}.{format}";
        return format == "xlsx"
            ? Results.File(Xlsx(table), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name)
            : Results.File(Csv(table, separator == "semicolon" ? ';' : ','), "text/csv; charset=utf-8", name);
    }

    /// <summary>
    /// RFC 4180: CRLF line ends, a header line, fields quoted when they hold the separator, a quote or a line break (quotes
    /// doubled), UTF-8 with BOM. With ';' the file is German (German Excel): German column names (<see cref="GermanColumns"/>),
    /// decimal commas, dates as 24.01.2027 and the total row labelled "Summe". Text beginning with = + - @ is prefixed with an
    /// apostrophe so that spreadsheets never run it as a formula.
    /// </summary>
    public static byte[] Csv(Table table, char separator)
    {
        var german = separator == ';';
        var culture = german ? German.Culture : CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        void Line(IEnumerable<string> fields) => text.Append(string.Join(separator, fields.Select(f => Quote(f, separator)))).Append("\r\n");
        Line(table.Columns.Select(c => german ? GermanColumn(c.Name) : c.Name));
        foreach (var row in table.Rows)
            Line(table.Columns.Select((c, i) => Format(row[i], c.Type, culture, german)));
        // Notes after one empty line, each in the first field of its own line.
        if (table.Notes.Count > 0) text.Append("\r\n");
        foreach (var note in table.Notes) Line([german ? "Hinweis: " + GermanNote(note) : "Note: " + note]);
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    /// <summary>German names of the export columns (the German CSV); a column not listed keeps its name.</summary>
    public static readonly IReadOnlyDictionary<string, string> GermanColumns = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["granted"] = "Bewilligt (EUR)", ["paid"] = "Ausgezahlt (EUR)", ["grants"] = "Zuwendungen", ["applications"] = "Anträge",
        ["applicants"] = "Antragsteller", ["year"] = "Jahr", ["yearName"] = "Jahr (Bezeichnung)", ["district"] = "Kreis",
        ["districtName"] = "Kreis (Name)", ["region"] = "Regierungsbezirk", ["regionName"] = "Regierungsbezirk (Name)",
        ["dimension"] = "Zieldimension", ["dimensionName"] = "Zieldimension (Name)", ["targetGroup"] = "Zielgruppe",
        ["targetGroupName"] = "Zielgruppe (Name)", ["organisationType"] = "Organisationsart", ["organisationTypeName"] = "Organisationsart (Name)",
        ["programme"] = "Programm", ["programmeName"] = "Programm (Name)", ["programmeId"] = "Programm-ID", ["measure"] = "Kennzahl",
        ["month"] = "Monat", ["count"] = "Anzahl", ["medianDays"] = "Median (Tage)", ["p90Days"] = "90-%-Quantil (Tage)",
        ["settlement"] = "Siedlungsstruktur", ["population"] = "Einwohner", ["column"] = "Spalte", ["columnName"] = "Spalte (Name)",
        ["grantedPerHundredThousand"] = "Bewilligt je 100.000 Einwohner (EUR)", ["level"] = "Stufe", ["id"] = "ID", ["reference"] = "Aktenzeichen",
        ["grantReference"] = "Aktenzeichen der Zuwendung", ["organisationName"] = "Organisation", ["basis"] = "Grundlage", ["status"] = "Status",
        ["state"] = "Stand", ["principal"] = "Hauptforderung (EUR)", ["costs"] = "Kosten (EUR)", ["received"] = "Eingegangen (EUR)",
        ["interestToDate"] = "Zinsen bis heute (EUR)", ["balance"] = "Offen (EUR)", ["dueOn"] = "Fällig am", ["overdueSince"] = "Überfällig seit",
        ["reminders"] = "Mahnungen", ["asOf"] = "Stand vom", ["missingBaseRate"] = "Basiszinssatz fehlt", ["amount"] = "Betrag (EUR)",
        ["title"] = "Titel", ["projectTitle"] = "Projekt", ["submittedAt"] = "Eingereicht am", ["ageDays"] = "Alter (Tage)",
        ["callName"] = "Aufruf", ["call"] = "Aufruf", ["outstanding"] = "Offen (EUR)", ["periodStart"] = "Beginn", ["periodEnd"] = "Ende",
        ["endToEndId"] = "End-to-End-ID", ["payee"] = "Zahlungsempfänger", ["payeeName"] = "Zahlungsempfänger", ["iban"] = "IBAN",
        ["bookingDate"] = "Buchungstag", ["exportedAt"] = "Exportiert am", ["requestedAt"] = "Angefordert am", ["purpose"] = "Verwendungszweck",
    };

    private static string GermanNote(string note) => note.StartsWith("Target groups are not additive", StringComparison.Ordinal)
        ? "Zielgruppen sind nicht additiv: Ein Projekt für mehrere Zielgruppen zählt in jeder mit seinem vollen Betrag, die Summe ist daher nicht die Summe der Zeilen."
        : note;

    private static string GermanColumn(string name) => GermanColumns.TryGetValue(name, out var german) ? german : name;

    private static string Format(object? value, ColumnType type, CultureInfo culture, bool german) => value switch
    {
        null => "",
        TotalLabel => german ? "Summe" : "Total",
        decimal d when type == ColumnType.Money => d.ToString("0.00", culture),
        decimal d => d.ToString("0.##########", culture),
        int or long => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        DateOnly d => d.ToString(german ? "dd.MM.yyyy" : "yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => Defuse(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    private static string Defuse(string text) => text.Length > 0 && text[0] is '=' or '+' or '-' or '@' ? "'" + text : text;

    private static string Quote(string field, char separator) =>
        field.IndexOfAny([separator, '"', '\r', '\n']) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;

    /// <summary>One worksheet with a bold header; numbers as numbers (money with 2 decimals), dates as dates, text as inline strings.</summary>
    public static byte[] Xlsx(Table table)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = new Stylesheet(
                new Fonts(new Font(), new Font(new Bold())) { Count = 2 },
                new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
                new Borders(new Border()) { Count = 1 },
                new CellStyleFormats(new CellFormat()) { Count = 1 },
                new CellFormats(
                    new CellFormat(),                                                             // 0 general
                    new CellFormat { FontId = 1, ApplyFont = true },                              // 1 header
                    new CellFormat { NumberFormatId = 4, ApplyNumberFormat = true },              // 2 #,##0.00
                    new CellFormat { NumberFormatId = 14, ApplyNumberFormat = true })
                { Count = 4 }); // 3 date
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            var header = new Row { RowIndex = 1 };
            for (var i = 0; i < table.Columns.Count; i++) header.Append(TextCell(Reference(i, 1), table.Columns[i].Name, 1));
            data.Append(header);
            for (var r = 0; r < table.Rows.Count; r++)
            {
                var index = (uint)(r + 2);
                var row = new Row { RowIndex = index };
                for (var i = 0; i < table.Columns.Count; i++)
                {
                    var cell = TypedCell(Reference(i, index), table.Rows[r][i], table.Columns[i].Type);
                    if (cell is not null) row.Append(cell);
                }
                data.Append(row);
            }
            // Notes below the rows, after one empty row.
            for (var n = 0; n < table.Notes.Count; n++)
            {
                var index = (uint)(table.Rows.Count + 3 + n);
                data.Append(new Row(TextCell(Reference(0, index), "Note: " + table.Notes[n])) { RowIndex = index });
            }
            sheetPart.Worksheet = new Worksheet(data);
            workbook.Workbook.AppendChild(new Sheets(new Sheet
            {
                Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = table.Name.Length > 31 ? table.Name[..31] : table.Name,
            }));
            workbook.Workbook.Save();
        }
        return Deterministic(stream.ToArray());
    }

    /// <summary>
    /// The same workbook is the same bytes on every download (an edition's XLSX, like its CSV): the package is rewritten with
    /// its entries in name order, one fixed timestamp, and relationship ids numbered in order of appearance (the SDK draws
    /// random ones).
    /// </summary>
    public static byte[] Deterministic(byte[] package)
    {
        var entries = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        using (var zip = new System.IO.Compression.ZipArchive(new MemoryStream(package), System.IO.Compression.ZipArchiveMode.Read))
            foreach (var entry in zip.Entries)
            {
                using var content = entry.Open();
                using var copy = new MemoryStream();
                content.CopyTo(copy);
                entries[entry.FullName] = copy.ToArray();
            }
        // Relationship ids: every id="R…" the SDK generated, renumbered by first appearance in name order.
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var pattern = new System.Text.RegularExpressions.Regex("\"(R[0-9a-f]{16,})\"");
        foreach (var (name, bytes) in entries.ToList())
        {
            if (!name.EndsWith(".xml", StringComparison.Ordinal) && !name.EndsWith(".rels", StringComparison.Ordinal)) continue;
            var text = Encoding.UTF8.GetString(bytes);
            foreach (System.Text.RegularExpressions.Match m in pattern.Matches(text))
                if (!ids.ContainsKey(m.Groups[1].Value)) ids[m.Groups[1].Value] = "rId" + (ids.Count + 1).ToString(CultureInfo.InvariantCulture);
        }
        using var output = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(output, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in entries)
            {
                var content = bytes;
                if (ids.Count > 0 && (name.EndsWith(".xml", StringComparison.Ordinal) || name.EndsWith(".rels", StringComparison.Ordinal)))
                {
                    var text = Encoding.UTF8.GetString(bytes);
                    text = pattern.Replace(text, m => "\"" + ids[m.Groups[1].Value] + "\"");
                    content = Encoding.UTF8.GetBytes(text);
                }
                var entry = zip.CreateEntry(name, System.IO.Compression.CompressionLevel.Optimal);
                entry.LastWriteTime = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
                using var stream = entry.Open();
                stream.Write(content);
            }
        return output.ToArray();
    }

    private static Cell? TypedCell(string reference, object? value, ColumnType type) => value switch
    {
        null => null,
        decimal d => new Cell { CellReference = reference, DataType = CellValues.Number, CellValue = new CellValue(d), StyleIndex = type == ColumnType.Money ? 2u : 0u },
        int n => new Cell { CellReference = reference, DataType = CellValues.Number, CellValue = new CellValue(n) },
        long n => new Cell { CellReference = reference, DataType = CellValues.Number, CellValue = new CellValue((decimal)n) },
        DateOnly d => new Cell
        {
            CellReference = reference, DataType = CellValues.Number, StyleIndex = 3,
            CellValue = new CellValue(d.ToDateTime(TimeOnly.MinValue).ToOADate().ToString(CultureInfo.InvariantCulture)),
        },
        DateTimeOffset t => TextCell(reference, t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
        bool b => new Cell { CellReference = reference, DataType = CellValues.Boolean, CellValue = new CellValue(b) },
        _ => TextCell(reference, Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    private static Cell TextCell(string reference, string text, uint style = 0) => new()
    {
        CellReference = reference, DataType = CellValues.InlineString, StyleIndex = style,
        InlineString = new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve }),
    };

    private static string Reference(int column, uint row)
    {
        var name = "";
        for (var c = column + 1; c > 0; c = (c - 1) / 26) name = (char)('A' + (c - 1) % 26) + name;
        return name + row.ToString(CultureInfo.InvariantCulture);
    }
}

/// <summary>The reports as tables.</summary>
public static class ReportTables
{
    private const string TargetGroupNote = "Target groups are not additive";

    public static Table Funding(FundingReport report)
    {
        var columns = new List<TableColumn>();
        foreach (var d in report.GroupBy) columns.AddRange([new TableColumn(d, ColumnType.Text), new TableColumn(d + "Name", ColumnType.Text)]);
        foreach (var m in report.Measures) columns.Add(new TableColumn(m, m is "granted" or "paid" ? ColumnType.Money : ColumnType.Integer));
        object?[] Row(FundingRow r, bool total)
        {
            var values = new List<object?>();
            foreach (var d in report.GroupBy) values.AddRange([total ? "" : r.Key[d], total ? new TotalLabel("Total") : r.Labels[d]]);
            foreach (var m in report.Measures)
                values.Add(m switch { "granted" => r.Granted, "paid" => r.Paid, "grants" => r.Grants, "applications" => r.Applications, _ => r.Applicants });
            return values.ToArray();
        }
        var rows = report.Rows.Select(r => Row(r, false)).ToList();
        if (report.GroupBy.Length > 0) rows.Add(Row(report.Total, true));
        else rows = [Row(report.Total, true)];
        // The JSON's explanation why the rows do not add up to the total travels with the file (target groups, areas).
        return new Table("funding", columns, rows) { Notes = [.. report.Notes.Where(n => n.StartsWith(TargetGroupNote, StringComparison.Ordinal))] };
    }

    public static Table ProcessingTimes(ProcessingTimesReport report) => new("processing-times",
        [
            new("measure", ColumnType.Text), new("programmeId", ColumnType.Text), new("programmeName", ColumnType.Text), new("month", ColumnType.Text),
            new("count", ColumnType.Integer), new("medianDays", ColumnType.Decimal), new("p90Days", ColumnType.Decimal),
        ],
        report.Rows.Select(r => new object?[] { r.Measure, r.ProgrammeId.ToString(), r.ProgrammeName, r.Month, r.Count, r.MedianDays, r.P90Days }).ToList());

    public static Table Coverage(CoverageReport report) => new("coverage",
        [
            new("district", ColumnType.Text), new("districtName", ColumnType.Text), new("region", ColumnType.Text), new("settlement", ColumnType.Text),
            new("population", ColumnType.Integer), new("column", ColumnType.Text), new("columnName", ColumnType.Text), new("grants", ColumnType.Integer),
            new("granted", ColumnType.Money), new("grantedPerHundredThousand", ColumnType.Money), new("level", ColumnType.Text),
        ],
        report.Rows.SelectMany(r => r.Cells.Select((c, i) => new object?[]
        {
            r.District, r.DistrictName, r.Region, r.Settlement, r.Population, c.Column, report.Columns[i].Name, c.Grants, c.Granted,
            c.GrantedPerHundredThousand, c.Level.ToString().ToLowerInvariant(),
        })).ToList());
}
