using System.Globalization;
using System.Text.Json;
using System.Xml;
using System.Xml.Schema;
using Alba;
using FundingPrograms.Infrastructure;
using FundingPrograms.Recovery;
using FundingPrograms.Tests.Contracts;
using FundingPrograms.Tests.Infrastructure;
using FundingPrograms.Tests.Payments;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace FundingPrograms.Tests.Recovery;

public sealed record Entry(decimal Amount, bool Debit, DateOnly Booked, string? EndToEndId, string? Iban, string? Name, string? Remittance);

/// <summary>A grant of 7,000 EUR for next year (see PaymentTest) with helpers for booked payments, statements and base rates.</summary>
public abstract class RecoveryTest(AppFixture app) : PaymentTest(app)
{
    protected async Task<List<string>> NotificationTexts(Func<List<string>, bool> enough)
    {
        var texts = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            var page = (await Get(ApplicantToken, "/me/notifications?pageSize=100")).Json();
            texts = page.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("subject").GetString() + " | " + n.GetProperty("body").GetString()).ToList();
            if (enough(texts)) return texts;
            await Task.Delay(100);
        }
        return texts;
    }


    protected const string OrgIban = ApplicationSamples.ValidIban;
    private int _files;

    protected void SetToday(int year, int month, int day) => App.Clock.Set(new DateTimeOffset(year, month, day, 9, 0, 0, TimeSpan.Zero));

    protected static string Sample(string name, bool recovery) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Recovery", "Samples", name));

    /// <summary>A camt.053.001.08 statement of the paying authority's account with the given entries.</summary>
    protected string Camt053(params Entry[] entries)
    {
        var id = $"S{++_files}-{Guid.NewGuid():N}"[..30];
        var ntry = string.Concat(entries.Select((e, i) => EntryXml(e, $"{id}-{i}")));
        return $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>
            <GrpHdr><MsgId>{id}</MsgId><CreDtTm>2027-01-01T18:00:00+01:00</CreDtTm></GrpHdr>
            <Stmt><Id>{id}</Id><CreDtTm>2027-01-01T18:00:00+01:00</CreDtTm><Acct><Id><IBAN>DE50300500000001234567</IBAN></Id><Ccy>EUR</Ccy></Acct>
            <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">100000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2027-01-01</Dt></Dt></Bal>
            {ntry}</Stmt></BkToCstmrStmt></Document>
            """;
    }

    private static string EntryXml(Entry e, string reference)
    {
        var party = e.Debit
            ? $"<Cdtr><Pty><Nm>{e.Name}</Nm></Pty></Cdtr><CdtrAcct><Id><IBAN>{e.Iban}</IBAN></Id></CdtrAcct>"
            : $"<Dbtr><Pty><Nm>{e.Name}</Nm></Pty></Dbtr><DbtrAcct><Id><IBAN>{e.Iban}</IBAN></Id></DbtrAcct>";
        return $"""
            <Ntry><Amt Ccy="EUR">{e.Amount.ToString("0.00", CultureInfo.InvariantCulture)}</Amt><CdtDbtInd>{(e.Debit ? "DBIT" : "CRDT")}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
            <BookgDt><Dt>{e.Booked:yyyy-MM-dd}</Dt></BookgDt><ValDt><Dt>{e.Booked:yyyy-MM-dd}</Dt></ValDt><AcctSvcrRef>{reference}</AcctSvcrRef>
            <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>{(e.Debit ? "ICDT" : "RCDT")}</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
            <NtryDtls><TxDtls><Refs><EndToEndId>{e.EndToEndId ?? "NOTPROVIDED"}</EndToEndId></Refs><RltdPties>{party}</RltdPties>
            <RmtInf><Ustrd>{e.Remittance ?? "-"}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
            """;
    }

    /// <summary>
    /// Drawn (needed on), certified, released, exported and booked on a day by a camt.053 statement. Released and exported
    /// in the booking year (at the earliest on 2 January of it; cash principle, § 72 LHO); the clock goes back afterwards.
    /// </summary>
    protected async Task<Guid> Booked(decimal amount, DateOnly neededOn, DateOnly bookedOn)
    {
        var payment = await Drawdown(amount, neededOn);
        await Post(Finance, $"/payments/{payment}/certify", new { version = 1 });
        var before = App.Clock.GetUtcNow();
        var paidYear = new DateTimeOffset(bookedOn.Year, 1, 2, 9, 0, 0, TimeSpan.Zero);
        if (before < paidYear) App.Clock.Set(paidYear);
        await Post(Finance2, $"/payments/{payment}/release", new { version = 2 });
        var batch = (await Post(Finance, "/payment-batches", new { paymentIds = new[] { payment } }, 201)).Body<CaseVersion>().Id;
        await Post(Finance2, $"/payment-batches/{batch}/export", new { version = 1 });
        App.Clock.Set(before);
        var e2e = (await Payment(payment)).GetProperty("endToEndId").GetString()!;
        (await Import(Camt053(new Entry(amount, true, bookedOn, e2e, OrgIban, "Verein Bruecke e.V.", "Mittelabruf")))).Json().GetProperty("booked").GetInt32().ShouldBe(1);
        return payment;
    }

    /// <summary>Finance enters the base rates from 1 January 2026 on (test values, not the published ones) up to the given half-year.</summary>
    protected async Task EnterRates(DateOnly upTo, decimal percent = 1.5m)
    {
        var table = (await Get(Finance, "/base-rates")).Json();
        var version = table.GetProperty("version").GetInt64();
        for (var from = new DateOnly(2026, 1, 1); from <= upTo; from = BaseRateTable.NextHalfYear(from))
            await Post(Finance, "/base-rates", new { validFrom = from.ToString("yyyy-MM-dd"), percent, publication = "Testwert", version = version++ });
    }

    protected async Task<long> GrantVersion() => (await Get(Finance, $"/grants/{GrantId}")).Json().GetProperty("version").GetInt64();

    protected async Task<JsonElement> Claim(Guid id) => (await Get(Finance, $"/recovery-claims/{id}")).Json();

    protected async Task<long> ClaimVersion(Guid id) => (await Claim(id)).GetProperty("claim").GetProperty("version").GetInt64();

    public static IReadOnlyList<string> Validate(string xml, string xsd)
    {
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, DtdProcessing = DtdProcessing.Prohibit };
        settings.Schemas.Add(null, Repo.File("src", "FundingPrograms.Api", xsd.StartsWith("camt.053") ? "Payments" : "Recovery", "Schemas", xsd));
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity} line {e.Exception.LineNumber}: {e.Message}");
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        while (reader.Read()) { }
        return errors;
    }
}

public sealed class when_a_grant_with_three_payments_is_partly_revoked(AppFixture app) : RecoveryTest(app)
{
    [Fact]
    public async Task the_hearing_is_awaited_the_grant_lowered_commitments_released_and_the_claim_paid_in_two_instalments_through_camt053()
    {
        // Three payments (3,000 + 2,000 + 1,000) on a grant of 7,000 for 2027.
        await Booked(3000m, new(FundingYear, 1, 15), new(FundingYear, 1, 15));
        SetToday(FundingYear, 2, 1);
        await Booked(2000m, new(FundingYear, 3, 15), new(FundingYear, 3, 15));
        SetToday(FundingYear, 4, 1);
        await Booked(1000m, new(FundingYear, 5, 14), new(FundingYear, 5, 14));

        SetToday(FundingYear, 6, 1);
        await Post(Officer, $"/grants/{GrantId}/revocation/facts", new
        {
            learnedOn = $"{FundingYear}-05-20", facts = "Die Honorarkraft wurde nur für vier Monate beschäftigt.", evidence = "Zwischennachweis vom 20.05.", version = await GrantVersion(),
        });
        var file = (await Get(Officer, $"/grants/{GrantId}/revocation")).Json();
        file.GetProperty("deadline").GetString().ShouldBe($"{FundingYear + 1}-05-20");
        await Post(Officer, $"/grants/{GrantId}/revocation/hearing", new
        {
            text = "Wir beabsichtigen, den Zuwendungsbescheid teilweise zu widerrufen.", replyDueOn = $"{FundingYear}-06-20", version = await GrantVersion(),
        });
        var proposal = new
        {
            scope = "partial", newAmount = 4000m, effectiveFrom = $"{FundingYear}-03-01", reasons = "Zweck nur teilweise erfüllt.",
            legalBasis = "§ 49 Abs. 3 Satz 1 Nr. 1 VwVfG NRW", paymentDueOn = $"{FundingYear}-07-31", version = await GrantVersion(),
        };
        var before = (await AllEvents()).Count;
        var early = (await Post(Officer, $"/grants/{GrantId}/revocation/proposal", proposal, 422)).ShouldBeProblem(422);
        early.GetProperty("detail").GetString()!.ShouldContain($"{FundingYear}-06-20");
        early.GetProperty("detail").GetString()!.ShouldContain("§ 28");
        (await AllEvents()).Count.ShouldBe(before);

        SetToday(FundingYear, 6, 21);
        await Post(Officer, $"/grants/{GrantId}/revocation/proposal", proposal);
        (await Post(Approver, $"/grants/{GrantId}/revocation/approve", new { version = proposal.version }, 409)).ShouldBeProblem(409);
        var version = await GrantVersion();
        (await Post(App.Token(Roles.Admin, "Anna Officer", sub: "anna-officer"), $"/grants/{GrantId}/revocation/approve", new { version }, 403)).ShouldBeProblem(403);
        var approved = (await Post(Approver, $"/grants/{GrantId}/revocation/approve", new { version })).Json();
        approved.GetProperty("recoveryAmount").GetDecimal().ShouldBe(2000m);
        var claimId = approved.GetProperty("claimId").GetGuid();
        // The applicant's notifications are German and use German formats (2.000,00 EUR, not 2,000.00).
        var texts = await NotificationTexts(t => t.Any(x => x.Contains("zurückgefordert")) && t.Any(x => x.Contains("beträgt jetzt")));
        texts.ShouldContain(x => x.Contains("werden 2.000,00 EUR zuzüglich Zinsen nach § 49a Abs. 3 VwVfG NRW zurückgefordert, fällig am 31.07."));
        texts.ShouldContain(x => x.Contains("die Zuwendung beträgt jetzt 4.000,00 EUR."));

        var ledger = (await Get(ApplicantToken, $"/grants/{GrantId}")).Json();
        ledger.GetProperty("granted").GetDecimal().ShouldBe(4000m);
        ledger.GetProperty("state").GetString().ShouldBe("revoked");
        ledger.GetProperty("revoked").GetDecimal().ShouldBe(3000m);
        ledger.GetProperty("claimed").GetDecimal().ShouldBe(2000m);
        ledger.GetProperty("recoverable").GetDecimal().ShouldBe(2000m);
        // 7,000 committed, 6,000 paid: the unpaid 1,000 is released; the paid money stays committed until it comes back.
        (await Budget(FundingYear)).GetProperty("committed").GetDecimal().ShouldBe(6000m);

        var revocationId = (await Get(Officer, $"/grants/{GrantId}/revocation")).Json().GetProperty("revocations")[0].GetProperty("proposalId").GetGuid();
        var notice = (await Get(ApplicantToken, $"/grants/{GrantId}/revocations/{revocationId}/notice")).Json();
        notice.GetProperty("legalRemedy").GetString()!.ShouldContain("innerhalb eines Monats");
        notice.GetProperty("recoveryAmount").GetDecimal().ShouldBe(2000m);
        await LettersIssued(); // the letter follows the decision's commit
        var html = (await Get(ApplicantToken, $"/grants/{GrantId}/revocations/{revocationId}/notice.html")).ReadAsText();
        html.ShouldContain("Rechtsbehelfsbelehrung");
        html.ShouldContain("2.000,00&#xA0;EUR"); // a no-break space between amount and unit
        (await Get(ApplicantToken, $"/grants/{GrantId}/notice")).Json().GetProperty("grantedAmount").GetDecimal().ShouldBe(4000m);

        // The claim: the latest 2,000 paid, i.e. the 1,000 of 14 May and 1,000 of the 2,000 of 15 March (after the 1 March effect).
        var claim = (await Claim(claimId)).GetProperty("claim");
        var tranches = claim.GetProperty("tranches").EnumerateArray().ToList();
        tranches.Select(t => t.GetProperty("interestFrom").GetString()).ShouldBe([$"{FundingYear}-03-15", $"{FundingYear}-05-14"]);
        tranches.Select(t => t.GetProperty("amount").GetDecimal()).ShouldBe([1000m, 1000m]);
        var reference = claim.GetProperty("reference").GetString()!;

        // No base rate for 2026 and later yet: the calculation is refused, naming the half-year.
        (await Get(Finance, $"/recovery-claims/{claimId}/interest", 422)).ShouldBeProblem(422).GetProperty("detail").GetString()!.ShouldContain($"first half of {FundingYear}");
        await EnterRates(new DateOnly(FundingYear, 7, 1));

        await Post(Finance, $"/recovery-claims/{claimId}/instalments", new
        {
            instalments = new[] { new { dueOn = $"{FundingYear}-07-15", amount = 1000m }, new { dueOn = $"{FundingYear}-08-16", amount = 1100m } },
            reason = "Ratenzahlung auf Antrag des Vereins", version = await ClaimVersion(claimId),
        });

        // First instalment: no reference in the text, matched by the debtor's IBAN and the instalment amount.
        SetToday(FundingYear, 7, 16);
        var first = (await Import(Camt053(new Entry(1000m, false, new(FundingYear, 7, 15), null, OrgIban, "Verein Bruecke e.V.", "Rate 1")))).Json();
        first.GetProperty("booked").GetInt32().ShouldBe(1);
        first.GetProperty("unmatched").GetInt32().ShouldBe(0);
        // Second: the rest to the day it arrives, with the claim reference.
        var arrival = new DateOnly(FundingYear, 8, 13);
        var rest = (await Get(Finance, $"/recovery-claims/{claimId}/interest?until={arrival:yyyy-MM-dd}")).Json().GetProperty("balance").GetDecimal();
        SetToday(FundingYear, 8, 14);
        (await Import(Camt053(new Entry(rest, false, arrival, null, "DE02120300000000202051", "Kassenverwalter", $"Rueckforderung {reference} Rest"))))
            .Json().GetProperty("booked").GetInt32().ShouldBe(1);

        var account = (await Get(Finance, $"/recovery-claims/{claimId}/interest")).Json();
        account.GetProperty("balance").GetDecimal().ShouldBe(0m);
        account.GetProperty("principalOutstanding").GetDecimal().ShouldBe(0m);
        var receipts = account.GetProperty("receipts").EnumerateArray().ToList();
        receipts.Count.ShouldBe(2);
        var interestToJuly = receipts[0].GetProperty("toInterest").GetDecimal();
        interestToJuly.ShouldBeGreaterThan(0m);
        receipts[0].GetProperty("toPrincipal").GetDecimal().ShouldBe(1000m - interestToJuly);
        (receipts[0].GetProperty("toPrincipal").GetDecimal() + receipts[1].GetProperty("toPrincipal").GetDecimal()).ShouldBe(2000m);
        account.GetProperty("periods").EnumerateArray().Select(p => p.GetProperty("ratePercent").GetDecimal()).Distinct().ShouldBe([6.5m]);
        (await Claim(claimId)).GetProperty("status").GetString().ShouldBe("settled");

        var statement = (await Get(ApplicantToken, $"/organisations/{OrgId}/recovery-account")).Json();
        statement.GetProperty("received").GetDecimal().ShouldBe(1000m + rest);
        statement.GetProperty("balance").GetDecimal().ShouldBe(0m);
        (await Get(Finance, $"/grants/{GrantId}")).Json().GetProperty("recovered").GetDecimal().ShouldBe(1000m + rest);
        (await Get(Officer, $"/programmes/{ProgrammeId}/budget")).Json().GetProperty("returnedPerYear")[0].GetProperty("amount").GetDecimal().ShouldBe(1000m + rest);
        (await Get(Applicant(Guid.NewGuid()), $"/recovery-claims/{claimId}", 404)).ShouldBeProblem(404);
    }
}

public sealed class when_a_revocation_comes_too_late(AppFixture app) : RecoveryTest(app)
{
    [Fact]
    public async Task after_the_one_year_period_it_is_422_naming_the_date_and_nothing_is_appended()
    {
        var today = BerlinTime.Today(App.Clock.GetUtcNow());
        var learned = today.AddYears(-1).AddDays(-1);
        await Post(Officer, $"/grants/{GrantId}/revocation/facts", new { learnedOn = learned.ToString("yyyy-MM-dd"), facts = "Mitteilung des Finanzamts", evidence = "Schreiben", version = await GrantVersion() });
        await Post(Officer, $"/grants/{GrantId}/revocation/hearing/dispense", new { reason = "Der Verein hat auf Anhörung verzichtet", version = await GrantVersion() });
        var before = (await AllEvents()).Count;
        var problem = (await Post(Officer, $"/grants/{GrantId}/revocation/proposal", new
        {
            scope = "whole", effectiveFrom = today.ToString("yyyy-MM-dd"), reasons = "Zweckverfehlung", legalBasis = "§ 49 Abs. 3 Satz 1 Nr. 1 VwVfG NRW", version = await GrantVersion(),
        }, 422)).ShouldBeProblem(422);
        problem.GetProperty("detail").GetString()!.ShouldContain(learned.AddYears(1).ToString("yyyy-MM-dd"));
        problem.GetProperty("deadline").GetString().ShouldBe(learned.AddYears(1).ToString("yyyy-MM-dd"));
        (await AllEvents()).Count.ShouldBe(before);
    }
}

public sealed class when_the_bank_rejects_an_exported_payment(AppFixture app) : RecoveryTest(app)
{
    [Fact]
    public async Task a_pain002_rjct_marks_it_rejected_with_the_reason_and_it_can_be_released_again()
    {
        var (payment, batch) = await Exported(1000m);
        var e2e = (await Payment(payment)).GetProperty("endToEndId").GetString()!;
        var messageId = (await Get(Finance, $"/payment-batches/{batch}")).Json().GetProperty("messageId").GetString()!;
        var report = Sample("pain002-rejected.xml", true).Replace("E2E-TEST-0001", e2e).Replace("ORIGINAL-MSG-ID", messageId);
        Validate(report, "pain.002.001.10.xsd").ShouldBeEmpty();

        var result = (await Send(Finance, s => { s.Post.Text(report).ToUrl("/payment-status-reports"); s.WithRequestHeader("Content-Type", "application/xml"); })).Json();
        result.GetProperty("rejected").GetInt32().ShouldBe(1);
        var rejected = await Payment(payment);
        rejected.GetProperty("state").GetString().ShouldBe("rejected");
        rejected.GetProperty("rejectionReasonCode").GetString().ShouldBe("AC04");
        rejected.GetProperty("rejectionReasonText").GetString().ShouldBe("Konto erloschen");
        (await Get(Finance, $"/grants/{GrantId}")).Json().GetProperty("paid").GetDecimal().ShouldBe(0m);

        var again = (await Send(Finance, s => { s.Post.Text(report).ToUrl("/payment-status-reports"); s.WithRequestHeader("Content-Type", "application/xml"); })).Json();
        again.GetProperty("alreadyImported").GetBoolean().ShouldBeTrue();
        (await StreamEvents(payment)).Count.ShouldBe(6);

        var before = (await AllEvents()).Count;
        var bad = report.Replace("<TxSts>RJCT</TxSts>", "<TxSts>RJCT</TxSts><TxSts>X</TxSts>").Replace("PSR-TEST-0001", "PSR-TEST-0002");
        (await Send(Finance, s => { s.Post.Text(bad).ToUrl("/payment-status-reports"); s.WithRequestHeader("Content-Type", "application/xml"); s.StatusCodeShouldBe(400); }))
            .ShouldBeProblem(400);
        var xxe = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.10\">&x;</Document>";
        (await Send(Finance, s => { s.Post.Text(xxe).ToUrl("/payment-status-reports"); s.WithRequestHeader("Content-Type", "application/xml"); s.StatusCodeShouldBe(400); }))
            .ReadAsText().ShouldNotContain("root:");
        (await AllEvents()).Count.ShouldBe(before);

        InJanuary(); // released again in the year it is paid in (cash principle, § 72 LHO)
        await Post(Finance2, $"/payments/{payment}/release", new { version = 6 });
        (await Payment(payment)).GetProperty("attempt").GetInt32().ShouldBe(2);
    }
}

public sealed class when_money_comes_back_on_a_claim(AppFixture app) : RecoveryTest(app)
{
    private async Task<Guid> RaiseClaim(decimal principal, DateOnly ineffectiveFrom) =>
        (await Post(Finance, $"/grants/{GrantId}/recovery-claims", new { principal, ineffectiveFrom = ineffectiveFrom.ToString("yyyy-MM-dd"), reason = "Überzahlung laut Verwendungsnachweis" }, 201))
            .Body<CaseVersion>().Id;

    [Fact]
    public async Task a_camt054_credit_with_the_reference_is_received_and_an_overpayment_is_flagged()
    {
        await Booked(3000m, new(FundingYear, 1, 15), new(FundingYear, 1, 15));
        SetToday(FundingYear, 2, 1);
        (await Post(Finance, $"/grants/{GrantId}/recovery-claims", new { principal = 3000.01m, ineffectiveFrom = $"{FundingYear}-01-20", reason = "x" }, 422)).ShouldBeProblem(422);
        var claimId = await RaiseClaim(400m, new(FundingYear, 1, 20));
        await EnterRates(new DateOnly(FundingYear, 1, 1));
        var reference = (await Claim(claimId)).GetProperty("claim").GetProperty("reference").GetString()!;

        var notification = Sample("camt054-credit.xml", true).Replace("RF-0000-00000000", reference).Replace("2027-03-01", $"{FundingYear}-02-01");
        Validate(notification, "camt.054.001.08.xsd").ShouldBeEmpty();
        var imported = (await Send(Finance, s => { s.Post.Text(notification).ToUrl("/bank-notifications"); s.WithRequestHeader("Content-Type", "application/xml"); })).Json();
        imported.GetProperty("booked").GetInt32().ShouldBe(1);
        imported.GetProperty("message").GetString()!.ShouldContain("overpaid");
        var view = await Claim(claimId);
        view.GetProperty("status").GetString().ShouldBe("overpaid");
        view.GetProperty("account").GetProperty("overpaid").GetDecimal().ShouldBeGreaterThan(99m);
        (await Get(Finance, "/finance/dashboard")).Json().GetProperty("recovery").GetProperty("overpaid").GetArrayLength().ShouldBe(1);

        // The same entry again in the day's camt.053 statement, or the notification again: nothing is received twice.
        (await Send(Finance, s => { s.Post.Text(notification).ToUrl("/bank-notifications"); s.WithRequestHeader("Content-Type", "application/xml"); }))
            .Json().GetProperty("alreadyImported").GetBoolean().ShouldBeTrue();
        (await Claim(claimId)).GetProperty("claim").GetProperty("received").GetDecimal().ShouldBe(500m);
    }

    [Fact]
    public async Task overdue_claims_get_durable_reminders_by_the_clock_and_waivers_need_a_second_person()
    {
        await Booked(3000m, new(FundingYear, 1, 15), new(FundingYear, 1, 15));
        SetToday(FundingYear, 2, 1);
        var claimId = await RaiseClaim(1000m, new(FundingYear, 1, 20));
        var due = DateOnly.Parse((await Claim(claimId)).GetProperty("claim").GetProperty("dueOn").GetString()!, CultureInfo.InvariantCulture);
        due.ShouldBe(new DateOnly(FundingYear, 2, 1).AddDays(30)); // 2 March in a leap year

        // The first reminder is a durable scheduled message in PostgreSQL.
        await using (var session = App.Store.QuerySession())
        {
            var scheduled = await session.AdvancedSql.QueryAsync<int>(
                "select count(*)::int from funding.wolverine_incoming_envelopes where status = 'Scheduled' and message_type ilike '%ClaimReminderDue%'", CancellationToken.None);
            scheduled.Single().ShouldBeGreaterThan(0);
        }
        async Task Deliver(int level)
        {
            using var scope = Host.Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(new ClaimReminderDue(claimId, level));
        }
        await Deliver(1);
        (await Claim(claimId)).GetProperty("claim").GetProperty("reminders").GetArrayLength().ShouldBe(0);
        SetToday(FundingYear, 3, 18);
        await Deliver(1);
        await Deliver(1);
        var view = await Claim(claimId);
        view.GetProperty("status").GetString().ShouldBe("overdue");
        view.GetProperty("overdueSince").GetString().ShouldBe(due.AddDays(1).ToString("yyyy-MM-dd")); // the day after the due date
        view.GetProperty("claim").GetProperty("reminders").GetArrayLength().ShouldBe(1);
        // The reminder never states less than is owed: no base rate for the year yet, so it states principal and says more interest follows (German).
        var reminder = (await Notifications(3)).EnumerateArray().Single(n => n.GetProperty("subject").GetString()!.StartsWith("1. Mahnung"));
        var body = reminder.GetProperty("body").GetString()!;
        body.ShouldContain("Hauptforderung 1.000,00 EUR");
        body.ShouldContain($"zuzüglich weiterer Zinsen nach § 49a Abs. 3 VwVfG NRW ab dem 20.01.{FundingYear}");
        body.ShouldContain($"war am {due:dd.MM.yyyy} fällig");
        (await Get(Finance, "/finance/recovery")).Json().GetProperty("overdueClaims").GetInt32().ShouldBe(1);

        // Deferral moves the due date; the reminder for the old one is not sent again.
        await Post(Finance, $"/recovery-claims/{claimId}/defer", new { newDueOn = $"{FundingYear}-06-30", reason = "Liquiditätsengpass", version = await ClaimVersion(claimId) });
        (await Claim(claimId)).GetProperty("status").GetString().ShouldBe("open");

        await Post(Finance, $"/recovery-claims/{claimId}/waiver", new { kind = "remission", reason = "Verein aufgelöst, kein Vermögen", version = await ClaimVersion(claimId) });
        (await Post(Finance, $"/recovery-claims/{claimId}/waiver/approve", new { version = await ClaimVersion(claimId) }, 403)).ShouldBeProblem(403);
        await Post(Finance2, $"/recovery-claims/{claimId}/waiver/approve", new { version = await ClaimVersion(claimId) });
        (await Claim(claimId)).GetProperty("status").GetString().ShouldBe("remitted");
        (await Post(Finance, $"/recovery-claims/{claimId}/defer", new { newDueOn = $"{FundingYear}-09-30", reason = "x", version = await ClaimVersion(claimId) }, 409)).ShouldBeProblem(409);
    }
}
