using System.Globalization;
using System.IO.Compression;
using Alba;
using FundingPrograms.Infrastructure;
using FundingPrograms.Recovery;
using FundingPrograms.Tests.Infrastructure;
using FundingPrograms.Tests.Recovery;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace FundingPrograms.Tests.Letters;

/// <summary>
/// A recovery claim is collected by letter (issue 26 items 1 and 2): its payment demand, every reminder, the deferral, the instalment
/// plan and the waiver are letters — rendered once, archived, hashed into their events, listed under /me/letters and in the dossier.
/// </summary>
public sealed class when_a_recovery_claim_is_collected_by_letter(AppFixture app) : RecoveryTest(app)
{
    private string Stranger => Applicant(Guid.NewGuid(), "Someone Else");

    private async Task<string> LetterText(string kind, bool legalRemedy, bool signed = true) =>
        await DecisionLetterChecks.Letter(this, ApplicantToken, Stranger, kind, legalRemedy, signed, language: "ru");

    [Fact]
    public async Task the_payment_demand_reminders_deferral_instalments_and_waivers_are_letters()
    {
        await ChooseLanguage("ru");
        await Booked(3000m, new(FundingYear, 1, 15), new(FundingYear, 1, 15));
        SetToday(FundingYear, 2, 1);
        var claimId = (await Post(Finance, $"/grants/{GrantId}/recovery-claims",
            new { principal = 1000m, costs = 25m, ineffectiveFrom = $"{FundingYear}-01-20", reason = "Überzahlung laut Zwischennachweis" }, 201)).Body<CaseVersion>().Id;
        var claim = (await Claim(claimId)).GetProperty("claim");
        var reference = References.Grouped(claim.GetProperty("reference").GetString()!);
        var due = DateOnly.Parse(claim.GetProperty("dueOn").GetString()!, CultureInfo.InvariantCulture);

        // 1. The payment demand: a claim raised by hand is decided by it (Leistungsbescheid), so it has a Rechtsbehelfsbelehrung.
        var demand = await LetterText("payment_demand", legalRemedy: true);
        demand.ShouldContain($"Leistungsbescheid und Zahlungsaufforderung zum Zuwendungsbescheid");
        demand.ShouldContain("setze ich den von Ihnen nach § 49a Abs. 1 VwVfG NRW zu erstattenden Betrag auf 1.000,00 EUR fest; hinzu kommen Kosten von 25,00 EUR.");
        demand.ShouldContain($"Der Betrag von 1.025,00 EUR ist bis zum {due:dd.MM.yyyy} unter Angabe des Kassenzeichens {reference} zu zahlen.");
        demand.ShouldContain("fünf Prozentpunkten über dem Basiszinssatz (§ 247 BGB)"); // § 49a Abs. 3 VwVfG NRW
        demand.ShouldContain("Kontoinhaber (Empfänger) Land Nordrhein-Westfalen - Landeshauptkasse");
        demand.ShouldContain("IBAN DE50 3005 0000 0001 2345 67");
        demand.ShouldContain("BIC WELADEDDXXX");
        demand.ShouldContain("Wenn die Zahlung nicht eingeht");
        demand.ShouldContain("Verwaltungsvollstreckungsgesetz NRW");
        demand.ShouldContain("Überzahlung laut Zwischennachweis");
        // The organisation reads Russian: its notification names the German term in brackets.
        (await Notifications(1)).EnumerateArray().Single(n => n.GetProperty("subject").GetString()!.Contains("(Rückforderung)", StringComparison.Ordinal))
            .GetProperty("letterId").GetGuid().ShouldBe(await LetterId("payment_demand"));

        // 2. Reminders are letters: each issued once, stating what is owed, never less.
        async Task Deliver(int level)
        {
            using var scope = Host.Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(new ClaimReminderDue(claimId, level));
        }
        SetToday(FundingYear, 3, 18);
        await Deliver(1);
        await Deliver(1); // the same level again: no second letter
        (await Letters()).Count(l => l == "reminder").ShouldBe(1);
        var reminder = await LetterText("reminder", legalRemedy: false, signed: false);
        reminder.ShouldContain($"1. Mahnung zum Kassenzeichen {reference}");
        reminder.ShouldContain($"war am {due:dd.MM.yyyy} fällig");
        reminder.ShouldContain("Hauptforderung 1.000,00 EUR");
        reminder.ShouldContain("Kosten 25,00 EUR");
        reminder.ShouldContain($"Offen sind 1.025,00 EUR, zuzüglich weiterer Zinsen nach § 49a Abs. 3 VwVfG NRW ab dem 20.01.{FundingYear}"); // no base rate for the year yet
        reminder.ShouldContain("maschinell erstellt und ist ohne Unterschrift gültig");
        var events = await AllEvents();
        var sent = events.Single(e => e.EventTypeName == "recovery_reminder_sent");
        var issued = events.Single(e => e.EventTypeName == "letter_issued" && ((FundingPrograms.Letters.LetterIssued)e.Data).Kind == "reminder");
        issued.CorrelationId.ShouldBe(sent.CorrelationId);
        ((RecoveryReminderSent)sent.Data).Statement.ShouldNotBeNull().Total.ShouldBe(1025m);

        // With the rates entered, the second reminder states the interest up to today (6.5 % on 1,000 from 20 January up to 1 April, actual days / 365).
        await EnterRates(new DateOnly(FundingYear, 1, 1));
        SetToday(FundingYear, 4, 1);
        await Deliver(2);
        var days = new DateOnly(FundingYear, 4, 1).DayNumber - new DateOnly(FundingYear, 1, 20).DayNumber;
        static decimal Interest(int d) => Math.Round(1000m * 0.065m * d / 365m, 2, MidpointRounding.AwayFromZero);
        var second = await LetterText("reminder", legalRemedy: false, signed: false);
        second.ShouldContain($"2. Mahnung zum Kassenzeichen {reference}");
        var owed = (1025m + Interest(days)).ToString("#,##0.00", CultureInfo.GetCultureInfo("de-DE"));
        second.ShouldContain($"Offen sind {owed} EUR, zuzüglich weiterer Zinsen nach § 49a Abs. 3 VwVfG NRW bis zum Tag des Zahlungseingangs.");
        second.ShouldContain($"einschließlich 31.03.{FundingYear}");
        second.ShouldContain("zuzüglich weiterer Zinsen nach § 49a Abs. 3 VwVfG NRW bis zum Tag des Zahlungseingangs");

        // 3. A deferral, instalments and the waivers are confirmed by letter.
        App.Clock.Advance(TimeSpan.FromMinutes(10)); // each letter its own instant: newest first
        await Post(Finance, $"/recovery-claims/{claimId}/defer", new { newDueOn = $"{FundingYear}-06-30", reason = "Liquiditätsengpass", version = await ClaimVersion(claimId) });
        var deferral = await LetterText("deferral_notice", legalRemedy: true);
        deferral.ShouldContain($"stunde ich bis zum 30.06.{FundingYear}");
        deferral.ShouldContain("die Zinsen laufen während der Stundung weiter");
        deferral.ShouldContain("Liquiditätsengpass");

        App.Clock.Advance(TimeSpan.FromMinutes(10)); // each letter its own instant: newest first
        await Post(Finance, $"/recovery-claims/{claimId}/instalments", new
        {
            instalments = new[] { new { dueOn = $"{FundingYear}-07-31", amount = 525m }, new { dueOn = $"{FundingYear}-08-31", amount = 525m } },
            reason = "Zahlung in zwei Raten", version = await ClaimVersion(claimId),
        });
        var instalments = await LetterText("instalment_notice", legalRemedy: true);
        instalments.ShouldContain("in 2 Raten von zusammen 1.050,00 EUR");
        instalments.ShouldContain($"1 31.07.{FundingYear} 525,00 EUR");
        instalments.ShouldContain($"2 31.08.{FundingYear} 525,00 EUR");

        App.Clock.Advance(TimeSpan.FromMinutes(10)); // each letter its own instant: newest first
        await Post(Finance, $"/recovery-claims/{claimId}/waiver", new { kind = "suspension", reason = "Vollstreckung derzeit aussichtslos", version = await ClaimVersion(claimId) });
        (await Letters()).Count(l => l == "waiver_notice").ShouldBe(0); // a proposal is no letter
        await Post(Finance2, $"/recovery-claims/{claimId}/waiver/approve", new { version = await ClaimVersion(claimId) });
        var suspension = await LetterText("waiver_notice", legalRemedy: false); // an internal measure, communicated: no decision
        suspension.ShouldContain("Niederschlagung");
        suspension.ShouldContain("Die Forderung bleibt bestehen");

        App.Clock.Advance(TimeSpan.FromMinutes(10)); // each letter its own instant: newest first
        await Post(Finance, $"/recovery-claims/{claimId}/waiver", new { kind = "remission", reason = "Verein aufgelöst, kein Vermögen", version = await ClaimVersion(claimId) });
        await Post(Finance2, $"/recovery-claims/{claimId}/waiver/approve", new { version = await ClaimVersion(claimId) });
        var remission = await LetterText("waiver_notice", legalRemedy: true);
        remission.ShouldContain($"Die Forderung mit dem Kassenzeichen {reference}");
        remission.ShouldContain("erlasse ich mit Wirkung vom 01.04.");

        // Every one is listed for the organisation and is in the grant's dossier.
        (await Letters()).ShouldBe(["waiver_notice", "waiver_notice", "instalment_notice", "deferral_notice", "reminder", "reminder", "payment_demand", "grant_notice"], ignoreOrder: true);
        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var dossier = (await Get(Auditor, $"/audit/grants/{GrantId}/dossier")).Context.Response.Body.ReadBytes();
        using var zip = new ZipArchive(new MemoryStream(dossier));
        foreach (var kind in new[] { "payment_demand", "reminder", "deferral_notice", "instalment_notice", "waiver_notice" })
            zip.Entries.ShouldContain(e => e.FullName.StartsWith($"letters/{kind}-") && e.FullName.EndsWith("-de.pdf"), kind);
        (await Get(Auditor, "/audit/verify")).Json().GetProperty("intact").GetBoolean().ShouldBeTrue();
    }

    private async Task<List<string>> Letters()
    {
        await LettersIssued();
        return (await Get(ApplicantToken, "/me/letters?pageSize=100")).Json().GetProperty("items").EnumerateArray().Select(l => l.GetProperty("kind").GetString()!).ToList();
    }

    private async Task<Guid> LetterId(string kind)
    {
        await LettersIssued();
        return (await Get(ApplicantToken, "/me/letters?pageSize=100")).Json().GetProperty("items").EnumerateArray().First(l => l.GetProperty("kind").GetString() == kind).GetProperty("id").GetGuid();
    }
}
