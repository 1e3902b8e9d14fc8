using FundingPrograms.Infrastructure;
using FundingPrograms.Tests.Infrastructure;
using FundingPrograms.Tests.Payments;
using Marten.Events;
using Npgsql;

namespace FundingPrograms.Tests.Audit;

public sealed class when_a_contact_person_asks_for_erasure(AppFixture app) : ApiTest(app)
{
    private static async Task<string> Dump(string sql)
    {
        await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("ConnectionStrings__Marten"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var text = new System.Text.StringBuilder();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) text.AppendLine(reader.GetValue(0)?.ToString());
        return text.ToString();
    }

    [Fact]
    public async Task the_data_becomes_unreadable_the_erasure_is_recorded_and_verification_still_passes()
    {
        var org = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Founder", sub: "founder"), Officer);
        var before = (await Get(Officer, $"/organisations/{org}")).Json().GetProperty("contactPersons")[0];
        before.GetProperty("name").GetString().ShouldBe("Ayşe Yılmaz");
        before.GetProperty("email").GetString().ShouldBe("ayse@bruecke.example");

        // At rest the personal data is encrypted: neither the events nor the snapshot hold it in clear text.
        var stored = await Dump("select data::text from funding.mt_events union all select data::text from funding.mt_doc_organisation");
        stored.ShouldNotContain("ayse@bruecke.example");
        stored.ShouldNotContain("Yılmaz");

        var subject = before.GetProperty("subjectId").GetGuid();
        (await Post(Officer, $"/organisations/{org}/personal-data/erase", new { basis = "request", version = 3 }, 400)).ShouldBeProblem(400); // no reason
        await Post(Officer, $"/organisations/{org}/personal-data/erase", new { subjectIds = new[] { subject }, basis = "request", reason = "Antrag der Betroffenen vom 12.03. (Art. 17 DSGVO)", version = 3 });

        var after = (await Get(Officer, $"/organisations/{org}")).Json().GetProperty("contactPersons")[0];
        after.GetProperty("erased").GetBoolean().ShouldBeTrue();
        after.GetProperty("name").GetString().ShouldBe("[erased]");
        (await Dump($"select count(*) from funding.mt_doc_personaldatakey where id = '{subject}'")).Trim().ShouldBe("0");
        (await Dump("select data::text from funding.mt_events")).ShouldNotContain("ayse@bruecke.example");

        var erasure = (await AllEvents()).Single(e => e.EventTypeName == "personal_data_erased");
        erasure.UserName.ShouldBe("Anna Officer");
        ((FundingPrograms.Organisations.PersonalDataErased)erasure.Data).Reason.ShouldContain("Art. 17");

        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var report = (await Get(Auditor, "/audit/verify")).Json();
        report.GetProperty("intact").GetBoolean().ShouldBeTrue(report.ToString());
        (await Post(Officer, $"/organisations/{org}/personal-data/erase", new { basis = "request", reason = "again", version = 4 }, 409)).ShouldBeProblem(409);
    }
}

public sealed class the_retention_periods(AppFixture app) : PaymentTest(app)
{
    [Fact]
    public async Task are_computed_and_shown_on_grants_payments_and_closed_applications()
    {
        var ledger = (await Get(Auditor, $"/grants/{GrantId}")).Json();
        var proofDue = DateOnly.Parse(ledger.GetProperty("proofOfUseDue").GetString()!);
        DateOnly.Parse(ledger.GetProperty("retentionUntil").GetString()!).ShouldBe(proofDue.AddYears(5));

        var (payment, _) = await Exported(1000m);
        var endToEnd = (await Payment(payment)).GetProperty("endToEndId").GetString()!;
        await Import(Sample("booked-and-unrelated.xml").Replace("E2E-TEST-0001", endToEnd).Replace("7500.00", "1000.00"));
        var booked = await Payment(payment);
        var bookingYear = DateOnly.Parse(booked.GetProperty("bookingDate").GetString()!).Year;
        booked.GetProperty("retentionUntil").GetString().ShouldBe($"{bookingYear + 8}-12-31");

        var rejected = await Assessed("Weitere Stelle");
        await Post(Approver, $"/applications/{rejected}/reject", new { reasons = "Kein Bedarf", version = 4 });
        var view = (await Get(Auditor, $"/applications/{rejected}")).Json();
        DateOnly.Parse(view.GetProperty("retentionUntil").GetString()!).ShouldBe(BerlinTime.Today(App.Clock.GetUtcNow()).AddYears(5));
    }
}
