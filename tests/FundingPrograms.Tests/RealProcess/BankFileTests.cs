using System.Net;
using System.Text;
using FundingPrograms.Infrastructure;

namespace FundingPrograms.Tests.RealProcess;

/// <summary>Bank files as real banks write them, uploaded to the built service on a real socket.</summary>
[Collection(nameof(RealServerCollection))]
public sealed class bank_files_as_real_banks_write_them(RealServerFixture fixture)
{
    private ServiceProcess S => fixture.Service;
    private string Finance => S.Token(Roles.Finance, "Fatma Finance");

    private static StringContent Xml(string xml) => new(xml, Encoding.UTF8, "application/xml");

    private static string Sample(string folder, string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, folder, "Samples", name));

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>A camt.053.001.02 statement whose two booked debits carry one AcctSvcrRef (as PostFinance writes them).</summary>
    private static string OneReferenceTwoEntries(string statementId, string account = "DE50300500000001234567", string currency = "EUR")
    {
        var v02 = Sample("Payments", "minimal-v02.xml").Replace("STMT-V02-0001", statementId).Replace("V02-REF-0001", "PF-REF-" + statementId);
        var from = v02.IndexOf("<Ntry>", StringComparison.Ordinal);
        var to = v02.IndexOf("</Ntry>", StringComparison.Ordinal) + "</Ntry>".Length;
        var entry = v02[from..to].Replace("E2E-TEST-0001", "NOTPROVIDED");
        var first = entry.Replace("7500.00", "1537.00");
        var second = entry.Replace("7500.00", "1692.22");
        return v02.Remove(from, to - from).Insert(from, first + "\n      " + second)
            .Replace("<IBAN>DE50300500000001234567</IBAN>", $"<IBAN>{account}</IBAN>").Replace("<Ccy>EUR</Ccy>", $"<Ccy>{currency}</Ccy>")
            .Replace("Ccy=\"EUR\">1537.00", $"Ccy=\"{currency}\">1537.00");
    }

    [Fact]
    public async Task a_statement_whose_entries_share_one_reference_is_imported_with_every_entry()
    {
        var id = Unique("PF");
        var (status, body, _) = await S.Send(HttpMethod.Post, "/bank-statements", Finance, Xml(OneReferenceTwoEntries(id)));
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("entries").GetInt32().ShouldBe(3);
        body.GetProperty("duplicates").GetInt32().ShouldBe(0);
        var reconciliation = await S.Get(Finance, "/reconciliation");
        var mine = reconciliation.GetProperty("unmatchedEntries").EnumerateArray().Where(e => e.GetProperty("bankStatementId").GetString() == id).ToList();
        mine.Select(e => e.GetProperty("amount").GetDecimal()).Order().ShouldBe([1200.00m, 1537.00m, 1692.22m]);
        mine.Select(e => e.GetProperty("entryKey").GetString()).Distinct().Count().ShouldBe(3);

        // The same file again adds nothing.
        (status, body, _) = await S.Send(HttpMethod.Post, "/bank-statements", Finance, Xml(OneReferenceTwoEntries(id)));
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("alreadyImported").GetBoolean().ShouldBeTrue();
    }

    [Theory]
    [InlineData("DE02120300000000202051", "EUR", "DE02120300000000202051")]
    [InlineData("DE50300500000001234567", "CHF", "CHF")]
    public async Task a_statement_of_another_account_or_currency_is_refused_as_that_before_anything_about_its_entries(string account, string currency, string named)
    {
        var (status, body, response) = await S.Send(HttpMethod.Post, "/bank-statements", Finance, Xml(OneReferenceTwoEntries(Unique("PF"), account, currency)));
        ((int)status).ShouldBe(422, body.ToString());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        body.GetProperty("detail").GetString()!.ShouldContain(named);
        body.GetProperty("detail").GetString()!.ShouldContain("Nothing was imported", Case.Insensitive);
    }

    [Theory]
    [InlineData("99999999999999999999.999")] // 23 digits: the schema allows 18
    [InlineData("1.123456")]                 // 6 after the point: the schema allows 5
    [InlineData("-5.00")]                    // amounts are never negative
    public async Task a_camt053_001_02_amount_the_schema_forbids_is_400_and_nothing_is_imported(string amount)
    {
        var id = Unique("V02");
        var xml = Sample("Payments", "minimal-v02.xml").Replace("STMT-V02-0001", id).Replace("V02-REF-0001", id).Replace(">7500.00<", $">{amount}<");
        var (status, body, response) = await S.Send(HttpMethod.Post, "/bank-statements", Finance, Xml(xml));
        ((int)status).ShouldBe(400, body.ToString());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        body.GetProperty("detail").GetString()!.ShouldContain("Schema validation failed");
        var reconciliation = await S.Get(Finance, "/reconciliation");
        reconciliation.GetProperty("statements").EnumerateArray().ShouldNotContain(s => s.GetProperty("bankStatementId").GetString() == id);
    }

    [Fact]
    public async Task a_status_report_that_matches_nothing_says_so_names_the_unknown_message_id_and_lands_on_the_worklist()
    {
        var original = Unique("MISTYPED");
        var report = Sample("Recovery", "pain002-rejected.xml").Replace("ORIGINAL-MSG-ID", original)
            .Replace("E2E-TEST-0001", Unique("E2E")).Replace("PSR-TEST-0001", Unique("PSR"));
        var (status, body, _) = await S.Send(HttpMethod.Post, "/payment-status-reports", Finance, Xml(report));
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("matched").GetBoolean().ShouldBeFalse();
        body.GetProperty("unknownOriginalMessageId").GetString().ShouldBe(original);
        body.GetProperty("rejected").GetInt32().ShouldBe(0);
        var message = body.GetProperty("message").GetString()!;
        message.ShouldStartWith("Nothing in this status report matched our payments");
        message.ShouldContain(original);
        message.ShouldNotContain("can be released again");

        var worklist = (await S.Get(Finance, "/reconciliation")).GetProperty("unmatchedStatusReports");
        worklist.EnumerateArray().ShouldContain(r => r.GetProperty("originalMessageId").GetString() == original
            && r.GetProperty("reportId").GetGuid() == body.GetProperty("reportId").GetGuid());
    }
}
