using System.Globalization;
using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using FundingPrograms.Infrastructure;

namespace FundingPrograms.Tests.RealProcess;

/// <summary>Texts in German use German formats; spreadsheets hold typed cells; an edition's XLSX is the same bytes every time.</summary>
[Collection(nameof(ContractSweepCollection))]
public sealed class german_formats_on_the_real_server(ContractSweepFixture fixture)
{
    private ServiceProcess S => fixture.Service;
    private string Officer => S.Token(Roles.Officer, "Anna Officer");
    private string Applicant => S.Token(Roles.Applicant, "Ayse Applicant", fixture.Theirs["organisation"]);

    private async Task<List<string>> NotificationTexts(Func<List<string>, bool> until)
    {
        var texts = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            var page = await S.Get(Applicant, "/me/notifications?pageSize=100");
            texts = [.. page.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("subject").GetString() + " | " + n.GetProperty("body").GetString())];
            if (until(texts)) break;
            await Task.Delay(200);
        }
        return texts;
    }

    [Fact]
    public async Task notifications_write_amounts_and_dates_the_german_way()
    {
        var texts = await NotificationTexts(t => t.Any(x => x.Contains("wurde bewilligt")));
        texts.ShouldContain(x => x.Contains("wurde bewilligt"), string.Join("\n", texts));
        var approval = texts.Single(x => x.Contains("wurde bewilligt"));
        approval.ShouldContain("7.000,00 EUR für ");
        approval.ShouldMatch(@"für \d{2}\.\d{2}\.\d{4}–\d{2}\.\d{2}\.\d{4}");

        var today = BerlinTime.Today(ServiceProcess.Clock.GetUtcNow()).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture); // the service's own clock
        var payment = (await S.Post(Applicant, $"/grants/{fixture.Theirs["grant"]}/drawdowns",
            new { amount = 1400m, amountDue = 2000m, neededOn = today, purpose = "Honorare" }, 201)).GetProperty("id").GetGuid();
        await S.Post(Officer, $"/payments/{payment}/refuse", new { reason = "Die Rechnung fehlt.", version = 1 });
        var refusal = (await NotificationTexts(t => t.Any(x => x.Contains("Mittelabruf über")))).First(x => x.Contains("Mittelabruf über"));
        refusal.ShouldContain("Mittelabruf über 1.400,00 EUR abgelehnt");
    }

    [Fact]
    public async Task the_german_csv_has_german_columns_dates_and_a_summe_row()
    {
        var (status, body, response) = await S.Send(HttpMethod.Get, "/reports/funding/export?format=csv&separator=semicolon&groupBy=district", Officer);
        ((int)status).ShouldBe(200, body.ToString());
        var lines = body.GetString()!.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("Kreis;Kreis (Name);Bewilligt (EUR);Ausgezahlt (EUR);Zuwendungen;Anträge;Antragsteller");
        lines[^1].Split(';')[1].ShouldBe("Summe");
        lines.ShouldNotContain(l => l.Contains("Total"));

        (status, body, _) = await S.Send(HttpMethod.Get, "/reports/funding/export?format=csv&groupBy=district", Officer);
        body.GetString()!.Split("\r\n", StringSplitOptions.RemoveEmptyEntries)[^1].Split(',')[1].ShouldBe("Total");

        // Target groups do not add up to the total: the files say so, like the JSON.
        (status, body, _) = await S.Send(HttpMethod.Get, "/reports/funding/export?format=csv&separator=semicolon&groupBy=targetGroup", Officer);
        ((int)status).ShouldBe(200, body.ToString());
        body.GetString()!.ShouldContain("Hinweis: Zielgruppen sind nicht additiv");
        (status, body, _) = await S.Send(HttpMethod.Get, "/reports/funding/export?format=csv&groupBy=targetGroup", Officer);
        body.GetString()!.ShouldContain("Note: Target groups are not additive");
    }

    [Fact]
    public async Task an_editions_xlsx_is_byte_identical_on_every_download()
    {
        var edition = (await S.Post(Officer, "/reports/editions", new { title = "Integrationsbericht", publicationDate = "2027-03-31" }, 201)).GetProperty("id").GetGuid();
        async Task<byte[]> Download()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/reports/funding/export?format=xlsx&groupBy=district&edition={edition}");
            request.Headers.Authorization = new("Bearer", Officer);
            using var response = await S.Http.SendAsync(request);
            ((int)response.StatusCode).ShouldBe(200);
            return await response.Content.ReadAsByteArrayAsync();
        }
        var first = await Download();
        await Task.Delay(2100); // zip timestamps have a two-second resolution
        var second = await Download();
        second.ShouldBe(first);
    }

    [Fact]
    public async Task the_receipt_workbook_holds_typed_dates_and_amounts()
    {
        var proof = fixture.Theirs["proof"];
        var (_, _, read) = await S.Send(HttpMethod.Get, $"/proofs/{proof}", Applicant);
        var version = read.Headers.ETag!.Tag.Trim('"').TrimStart('W', '/').Trim('"');
        var csv = "Belegnummer;Datum;Zahlungsempfänger;Verwendungszweck;Position;Betrag\r\nR-1;02.01.2027;Druckerei Müller;Flyer;1;1.234,56\r\n";
        var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        var (status, body, _) = await S.Send(HttpMethod.Post, $"/proofs/{proof}/receipts?version={version}", Applicant, content);
        ((int)status).ShouldBe(200, body.ToString());

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/proofs/{proof}/receipts.xlsx");
        request.Headers.Authorization = new("Bearer", Applicant);
        using var response = await S.Http.SendAsync(request);
        ((int)response.StatusCode).ShouldBe(200, await response.Content.ReadAsStringAsync());
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var sheet = document.WorkbookPart!.WorksheetParts.Single().Worksheet;
        var row = sheet.Descendants<Row>().Single(r => r.RowIndex!.Value == 2);
        var cells = row.Elements<Cell>().ToList();
        var date = cells.Single(c => c.CellReference == "B2");
        date.InlineString.ShouldBeNull();
        date.DataType!.Value.ShouldBe(CellValues.Number);
        DateOnly.FromDateTime(DateTime.FromOADate(double.Parse(date.CellValue!.Text, CultureInfo.InvariantCulture))).ShouldBe(new DateOnly(2027, 1, 2));
        var styles = document.WorkbookPart.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ToList();
        styles[(int)date.StyleIndex!.Value].NumberFormatId!.Value.ShouldBe(14u); // a date format
        var amount = cells.Single(c => c.CellReference == "F2");
        amount.DataType!.Value.ShouldBe(CellValues.Number);
        decimal.Parse(amount.CellValue!.Text, CultureInfo.InvariantCulture).ShouldBe(1234.56m);
        styles[(int)amount.StyleIndex!.Value].NumberFormatId!.Value.ShouldBe(4u); // #,##0.00
    }
}
