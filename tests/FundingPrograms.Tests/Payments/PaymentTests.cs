using System.Text;
using System.Text.Json;
using System.Xml;
using System.Xml.Schema;
using Alba;
using FundingPrograms.Infrastructure;
using FundingPrograms.Tests.Contracts;
using FundingPrograms.Tests.Grants;
using FundingPrograms.Tests.Infrastructure;

namespace FundingPrograms.Tests.Payments;

/// <summary>An approved grant of 7,000 EUR for next year, the clock in December so that January money may be drawn.</summary>
public abstract class PaymentTest(AppFixture app) : GrantTest(app)
{
    protected Guid GrantId;
    protected string Finance2 => App.Token(Roles.Finance, "Felix Finance");
    protected DateOnly NeededOn => new(FundingYear, 1, 15);

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var id = await Assessed();
        GrantId = (await Post(Approver, $"/applications/{id}/approve", GrantSamples.Approval())).Json().GetProperty("grantId").GetGuid();
        var december = new DateTimeOffset(FundingYear - 1, 12, 1, 9, 0, 0, TimeSpan.Zero);
        if (App.Clock.GetUtcNow() < december) App.Clock.Set(december);
    }

    protected async Task<Guid> Drawdown(decimal amount, DateOnly? neededOn = null, int status = 201) =>
        (await Post(ApplicantToken, $"/grants/{GrantId}/drawdowns", new { amount, amountDue = Due(amount), neededOn = (neededOn ?? NeededOn).ToString("yyyy-MM-dd"), purpose = "Honorare Januar" }, status))
            .Body<CaseVersion>().Id;

    /// <summary>An amount due whose 70 % share (the sample grant's) is at least <paramref name="amount"/> (ANBest-P Nr. 1.4).</summary>
    protected static decimal Due(decimal amount) => Math.Ceiling(amount / 0.7m * 100m) / 100m;

    /// <summary>Drawn, certified by Fatma, released by Felix, batched and exported. Returns (payment, batch).</summary>
    protected async Task<(Guid Payment, Guid Batch)> Exported(decimal amount)
    {
        var payment = await Drawdown(amount);
        await Post(Finance, $"/payments/{payment}/certify", new { version = 1 });
        // Released and exported on 2 January: paid in the funding year (cash principle, § 72 LHO). The clock goes back afterwards,
        // so that later steps of a test still find the call open.
        var december = App.Clock.GetUtcNow();
        InJanuary();
        await Post(Finance2, $"/payments/{payment}/release", new { version = 2 });
        var batch = (await Post(Finance, "/payment-batches", new { paymentIds = new[] { payment } }, 201)).Body<CaseVersion>().Id;
        await Post(Finance2, $"/payment-batches/{batch}/export", new { version = 1 });
        App.Clock.Set(december);
        return (payment, batch);
    }

    protected async Task<JsonElement> Payment(Guid id) => (await Get(Finance, $"/payments/{id}")).Json();

    /// <summary>The clock on 2 January of the funding year: money for it is paid (and counts) in that year.</summary>
    protected void InJanuary() => App.Clock.Set(new DateTimeOffset(FundingYear, 1, 2, 9, 0, 0, TimeSpan.Zero));

    /// <summary>A sample statement; its booking day is moved into the funding year (the cash principle counts payments in the booking year).</summary>
    protected string Sample(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payments", "Samples", name)).Replace("2026-03-16", $"{FundingYear}-01-16");

    protected Task<IScenarioResult> Import(string xml, int status = 200, string contentType = "application/xml") => Send(Finance, s =>
    {
        s.Post.Text(xml).ToUrl("/bank-statements");
        s.WithRequestHeader("Content-Type", contentType);
        s.StatusCodeShouldBe(status);
    });

    /// <summary>A file of the shared folder beside the checkout (also from a worktree nested one level deeper).</summary>
    private static string SharedFile(params string[] parts)
    {
        for (var dir = new DirectoryInfo(Repo.Root).Parent; dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine([dir.FullName, "shared", .. parts]);
            if (File.Exists(path)) return path;
        }
        // A clone without the shared folder next to it validates against the copy kept in the tests (same bytes, see Schemas/).
        return Path.Combine(Repo.Root, "tests", "FundingPrograms.Tests", "Payments", "Schemas", parts[^1]);
    }

    public static IReadOnlyList<string> ValidatePain001(string xml)
    {
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, DtdProcessing = DtdProcessing.Prohibit };
        settings.Schemas.Add(null, SharedFile("iso20022", "pain.001.001.09.xsd"));
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity} line {e.Exception.LineNumber}: {e.Message}");
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        while (reader.Read()) { }
        return errors;
    }
}

public sealed class when_a_grant_is_paid_out(AppFixture app) : PaymentTest(app)
{
    [Fact]
    public async Task drawdown_certify_release_batch_pain001_camt053_booked_and_the_ledgers_add_up()
    {
        var (payment, batch) = await Exported(3000m);
        var view = await Payment(payment);
        view.GetProperty("state").GetString().ShouldBe("exported");
        view.GetProperty("payee").GetProperty("iban").GetString().ShouldBe(ApplicationSamples.ValidIban);
        view.GetProperty("certifiedByName").GetString().ShouldBe("Fatma Finance");
        view.GetProperty("releasedByName").GetString().ShouldBe("Felix Finance");
        var endToEnd = view.GetProperty("endToEndId").GetString()!;

        var file = (await Get(Finance, $"/payment-batches/{batch}/pain001.xml")).ReadAsText();
        ValidatePain001(file).ShouldBeEmpty();
        file.ShouldContain(endToEnd);
        file.ShouldContain("<NbOfTxs>1</NbOfTxs>");
        file.ShouldContain("<CtrlSum>3000.00</CtrlSum>");
        file.ShouldContain("Bruecke"); // "Verein Brücke e.V." transliterated to the SEPA character set
        (await Get(Finance, $"/payment-batches/{batch}/pain001.xml")).ReadAsText().ShouldBe(file); // frozen: identical on re-export
        (await Post(Finance, $"/payment-batches/{batch}/export", new { version = 2 }, 409)).ShouldBeProblem(409);

        var ledger = (await Get(ApplicantToken, $"/grants/{GrantId}")).Json();
        ledger.GetProperty("requested").GetDecimal().ShouldBe(3000m);
        ledger.GetProperty("paid").GetDecimal().ShouldBe(0m);

        var reference = view.GetProperty("grantReference").GetString()!;
        var statement = Sample("booked-and-unrelated.xml").Replace("E2E-TEST-0001", endToEnd).Replace("7500.00", "3000.00").Replace("ZB-2026-ABCDEF12", reference);
        var imported = (await Import(statement)).Json();
        imported.GetProperty("booked").GetInt32().ShouldBe(1);
        imported.GetProperty("unmatched").GetInt32().ShouldBe(2);
        (await Payment(payment)).GetProperty("state").GetString().ShouldBe("booked");

        ledger = (await Get(ApplicantToken, $"/grants/{GrantId}")).Json();
        ledger.GetProperty("paid").GetDecimal().ShouldBe(3000m);
        ledger.GetProperty("outstanding").GetDecimal().ShouldBe(4000m);
        var budget = await Budget(FundingYear);
        budget.GetProperty("committed").GetDecimal().ShouldBe(7000m);
        budget.GetProperty("paid").GetDecimal().ShouldBe(3000m);

        var again = (await Import(statement)).Json();
        again.GetProperty("alreadyImported").GetBoolean().ShouldBeTrue();
        (await Budget(FundingYear)).GetProperty("paid").GetDecimal().ShouldBe(3000m);

        var reconciliation = (await Get(Finance, "/reconciliation")).Json();
        var unmatched = reconciliation.GetProperty("unmatchedEntries").EnumerateArray().ToList();
        unmatched.Count.ShouldBe(2);
        var batchTotals = reconciliation.GetProperty("batches")[0];
        batchTotals.GetProperty("total").GetDecimal().ShouldBe(3000m);
        batchTotals.GetProperty("booked").GetDecimal().ShouldBe(3000m);
        batchTotals.GetProperty("open").GetDecimal().ShouldBe(0m);
        var statementTotals = reconciliation.GetProperty("statements")[0];
        (statementTotals.GetProperty("matched").GetDecimal() + statementTotals.GetProperty("unmatched").GetDecimal())
            .ShouldBe(statementTotals.GetProperty("debits").GetDecimal() + statementTotals.GetProperty("credits").GetDecimal());

        var statementId = imported.GetProperty("statementId").GetGuid();
        var credit = unmatched.Single(e => !e.GetProperty("isDebit").GetBoolean()).GetProperty("entryKey").GetString();
        await Post(Finance, $"/bank-statements/{statementId}/explain", new { entryKey = credit, reason = "Erstattung Portokosten, kein Förderfall", version = 1 });
        (await Get(Finance, "/reconciliation")).Json().GetProperty("unmatchedEntries").GetArrayLength().ShouldBe(1);
        (await Get(Finance, "/finance/dashboard")).Json().GetProperty("payments").EnumerateArray()
            .Single(p => p.GetProperty("state").GetString() == "booked").GetProperty("amount").GetDecimal().ShouldBe(3000m);
    }

    [Fact]
    public async Task a_returned_transfer_is_marked_with_its_reason_and_can_be_released_again()
    {
        var (payment, _) = await Exported(2000m);
        var endToEnd = (await Payment(payment)).GetProperty("endToEndId").GetString()!;
        var statement = Sample("returned.xml").Replace("E2E-TEST-0001", endToEnd).Replace("7500.00", "2000.00");
        (await Import(statement)).Json().GetProperty("returned").GetInt32().ShouldBe(1);
        var returned = await Payment(payment);
        returned.GetProperty("state").GetString().ShouldBe("returned");
        returned.GetProperty("returnReasonCode").GetString().ShouldBe("AC04");
        (await Get(ApplicantToken, $"/grants/{GrantId}")).Json().GetProperty("paid").GetDecimal().ShouldBe(0m);
        (await Budget(FundingYear)).GetProperty("paid").GetDecimal().ShouldBe(0m);
        (await Get(Finance, "/finance/dashboard")).Json().GetProperty("returns").GetArrayLength().ShouldBe(1);

        // The organisation enters its new account, an officer confirms it, finance releases the payment again.
        await Post(ApplicantToken, $"/organisations/{OrgId}/bank-accounts", new { iban = "NL91ABNA0417164300", holderName = "Verein Brücke e.V.", reason = "Konto aufgelöst", version = 3 });
        var change = (await Get(Officer, $"/organisations/{OrgId}")).Json().GetProperty("bankAccounts")[1].GetProperty("changeId").GetGuid();
        await Post(Officer, $"/organisations/{OrgId}/bank-accounts/{change}/confirm", new { version = 4 });
        (await Post(Finance, $"/payments/{payment}/release", new { version = 6 }, 403)).ShouldBeProblem(403); // Fatma certified it
        InJanuary(); // paid in the funding year (§ 72 LHO)
        await Post(Finance2, $"/payments/{payment}/release", new { version = 6 });
        var again = await Payment(payment);
        again.GetProperty("state").GetString().ShouldBe("released");
        again.GetProperty("payee").GetProperty("iban").GetString().ShouldBe("NL91ABNA0417164300");
        again.GetProperty("attempt").GetInt32().ShouldBe(2);
    }
}

public sealed class when_finance_matches_an_entry_by_hand(AppFixture app) : PaymentTest(app)
{
    [Fact]
    public async Task the_payment_is_booked_with_the_reason_and_the_ledgers_follow()
    {
        var (payment, _) = await Exported(1200m);
        var imported = (await Import(Sample("booked-and-unrelated.xml"))).Json(); // the bank lost the end-to-end id of our 1,200.00
        imported.GetProperty("booked").GetInt32().ShouldBe(0);
        var statementId = imported.GetProperty("statementId").GetGuid();
        var entry = (await Get(Finance, "/reconciliation")).Json().GetProperty("unmatchedEntries").EnumerateArray()
            .Single(e => e.GetProperty("amount").GetDecimal() == 1200m).GetProperty("entryKey").GetString();

        (await Post(Finance, $"/bank-statements/{statementId}/match", new { entryKey = entry, paymentId = payment, version = 1 }, 400)).ShouldBeProblem(400); // no reason
        await Post(Finance, $"/bank-statements/{statementId}/match", new { entryKey = entry, paymentId = payment, reason = "Bank hat Verwendungszweck gekürzt; Betrag und Datum passen", version = 1 });
        var booked = await Payment(payment);
        booked.GetProperty("state").GetString().ShouldBe("booked");
        (await Get(Finance, $"/grants/{GrantId}")).Json().GetProperty("paid").GetDecimal().ShouldBe(1200m);
        (await Budget(FundingYear)).GetProperty("paid").GetDecimal().ShouldBe(1200m);
        var statement = (await Get(Auditor, $"/bank-statements/{statementId}")).Json();
        statement.GetProperty("reasons").GetProperty(entry!).GetString()!.ShouldContain("Verwendungszweck");
        (await Post(Finance, $"/bank-statements/{statementId}/match", new { entryKey = entry, paymentId = payment, reason = "again", version = 2 }, 409)).ShouldBeProblem(409);
    }
}

public sealed class when_payments_are_requested_wrongly(AppFixture app) : PaymentTest(app)
{
    [Fact]
    public async Task a_drawdown_beyond_the_rest_outside_the_period_or_too_early_is_422()
    {
        await Drawdown(5000m);
        var before = (await AllEvents()).Count;
        (await Post(ApplicantToken, $"/grants/{GrantId}/drawdowns", new { amount = 2000.01m, amountDue = Due(2000.01m), neededOn = NeededOn.ToString("yyyy-MM-dd"), purpose = "x" }, 422))
            .ShouldBeProblem(422).FieldErrors("amount")[0].ShouldContain("2000.00");
        (await Post(ApplicantToken, $"/grants/{GrantId}/drawdowns", new { amount = 100m, amountDue = Due(100m), neededOn = $"{FundingYear + 1}-01-15", purpose = "x" }, 422))
            .ShouldBeProblem(422).FieldErrors("neededOn").ShouldNotBeEmpty();
        var late = new DateOnly(FundingYear, 11, 1);
        (await Post(ApplicantToken, $"/grants/{GrantId}/drawdowns", new { amount = 100m, amountDue = Due(100m), neededOn = late.ToString("yyyy-MM-dd"), purpose = "x" }, 422))
            .ShouldBeProblem(422).FieldErrors("neededOn")[0].ShouldContain(late.AddMonths(-2).ToString("yyyy-MM-dd"));
        (await Post(ApplicantToken, $"/grants/{GrantId}/drawdowns", new { amount = 100m, purpose = "x" }, 400)).ShouldBeProblem(400);
        (await AllEvents()).Count.ShouldBe(before);
        (await Post(Applicant(Guid.NewGuid()), $"/grants/{GrantId}/drawdowns", new { amount = 1m, amountDue = 2m, neededOn = NeededOn.ToString("yyyy-MM-dd"), purpose = "x" }, 404)).ShouldBeProblem(404);
    }

    [Fact]
    public async Task an_amendment_cannot_cut_the_grant_below_what_is_already_requested()
    {
        await Drawdown(5000m);
        var problem = (await Post(Officer, $"/grants/{GrantId}/amendments", new { amount = 4000m, reason = "Kürzung", version = 2 }, 422)).ShouldBeProblem(422);
        problem.FieldErrors("amount")[0].ShouldContain("5000.00");
        await Post(Officer, $"/grants/{GrantId}/amendments", new { amount = 5000m, reason = "Kürzung auf das Abgerufene", version = 2 });
    }

    [Fact]
    public async Task the_certifier_cannot_release_and_batches_need_released_payments()
    {
        var payment = await Drawdown(1000m);
        await Post(Finance, $"/payments/{payment}/certify", new { version = 1 });
        (await Post(Finance, $"/payments/{payment}/release", new { version = 2 }, 403)).ShouldBeProblem(403).GetProperty("detail").GetString()!.ShouldContain("Four-eyes");
        (await Post(Finance, "/payment-batches", new { paymentIds = Array.Empty<Guid>() }, 400)).ShouldBeProblem(400);
        (await Post(Finance, "/payment-batches", new { paymentIds = new[] { payment } }, 422)).ShouldBeProblem(422);
        (await Post(Finance, "/payment-batches", new { paymentIds = new[] { Guid.NewGuid() } }, 404)).ShouldBeProblem(404);
        (await Post(ApplicantToken, $"/payments/{payment}/certify", new { version = 2 }, 403)).ShouldBeProblem(403);
        (await Post(Officer, $"/payments/{payment}/release", new { version = 2 }, 403)).ShouldBeProblem(403);
    }

    [Fact]
    public async Task many_parallel_drawdowns_never_exceed_the_granted_amount()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {ApplicantToken}");
            s.WithRequestHeader("Idempotency-Key", $"drawdown-{i % 9}"); // one retry among them
            s.Post.Json(new { amount = 1000m, amountDue = Due(1000m), neededOn = NeededOn.ToString("yyyy-MM-dd"), purpose = "Honorare" }).ToUrl($"/grants/{GrantId}/drawdowns");
            s.IgnoreStatusCode();
        })));
        var statuses = results.Select(r => r.Context.Response.StatusCode).ToArray();
        // 9 distinct requests of 1,000 against 7,000 (plus one retry, answered like its original: replayed 201 or refused again).
        statuses.ShouldAllBe(s => s == 201 || s == 422, string.Join(",", statuses));
        statuses.Count(s => s == 201).ShouldBeInRange(7, 8, string.Join(",", statuses));
        var ledger = (await Get(Finance, $"/grants/{GrantId}")).Json();
        ledger.GetProperty("requested").GetDecimal().ShouldBe(7000m);
        (await AllEvents()).Count(e => e.EventTypeName == "payment_requested").ShouldBe(7);
    }
}

public sealed class when_a_bank_statement_is_bad(AppFixture app) : PaymentTest(app)
{
    [Fact]
    public async Task the_older_camt_053_001_02_is_accepted_too()
    {
        var imported = (await Import(Sample("minimal-v02.xml"))).Json();
        imported.GetProperty("alreadyImported").GetBoolean().ShouldBeFalse();
        imported.GetProperty("entries").GetInt32().ShouldBe(2); // the pending entry is skipped
        var statement = (await Get(Finance, $"/bank-statements/{imported.GetProperty("statementId").GetGuid()}")).Json();
        statement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("status").GetString()).ShouldAllBe(s => s == "unmatched");
    }

    private async Task Refused(string xml, int status, string? contains = null)
    {
        var before = (await AllEvents()).Count;
        var problem = (await Import(xml, status)).ShouldBeProblem(status);
        if (contains is not null) problem.GetProperty("detail").GetString()!.ShouldContain(contains);
        (await AllEvents()).Count.ShouldBe(before);
    }

    [Fact]
    public async Task every_kind_of_bad_statement_is_refused_and_nothing_is_imported()
    {
        await Refused(Sample("other-account.xml"), 422, "DE89370400440532013000");
        await Refused(Sample("usd-entry.xml"), 422, "USD");
        await Refused("<Document><unclosed></Document>", 400);
        await Refused(Sample("booked-and-unrelated.xml").Replace("<BkTxCd>", "<BkTxCdX>").Replace("</BkTxCd>", "</BkTxCdX>"), 400);
        var xxe = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">&x;</Document>";
        var result = await Import(xxe, 400);
        result.ReadAsText().ShouldNotContain("root:");
        var huge = "<?xml version=\"1.0\"?><Document>" + new string(' ', 6 * 1024 * 1024) + "</Document>";
        await Refused(huge, 413);
        (await Import(Sample("booked-and-unrelated.xml"), 415, "text/plain")).ShouldBeProblem(415);
    }
}
