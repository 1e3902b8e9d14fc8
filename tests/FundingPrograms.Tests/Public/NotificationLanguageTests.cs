using FundingPrograms.Infrastructure;
using FundingPrograms.Notifications;
using FundingPrograms.Public;
using FundingPrograms.Tests.Grants;
using FundingPrograms.Tests.Infrastructure;

namespace FundingPrograms.Tests.Public;

/// <summary>
/// Decisions and drawdown refusals reach the applicant in the organisation's chosen language, with that language's number and
/// date formats, "EUR" and the references unchanged; without a choice they are German as before (issue 28).
/// </summary>
public sealed class when_notifications_follow_the_organisations_language(AppFixture app) : GrantTest(app)
{
    private async Task Choose(string language)
    {
        var version = (await Get(Officer, $"/organisations/{OrgId}")).Json().GetProperty("version").GetInt64();
        await Post(ApplicantToken, $"/organisations/{OrgId}/language", new { language, version });
    }

    /// <summary>Approves an application for 7,000 EUR, then refuses a drawdown of 1,234.56 EUR; returns the notifications, newest first.</summary>
    private async Task<List<(string Subject, string Body)>> ApprovedAndRefused()
    {
        var id = await Assessed();
        var grantId = (await Post(Approver, $"/applications/{id}/approve", GrantSamples.Approval())).Json().GetProperty("grantId").GetGuid();
        var december = new DateTimeOffset(FundingYear - 1, 12, 1, 9, 0, 0, TimeSpan.Zero);
        if (App.Clock.GetUtcNow() < december) App.Clock.Set(december);
        var payment = (await Post(ApplicantToken, $"/grants/{grantId}/drawdowns", new
        {
            amount = 1234.56m, amountDue = Math.Ceiling(1234.56m / 0.7m * 100m) / 100m, neededOn = $"{FundingYear}-01-15", purpose = "Honorare Januar",
        }, 201)).Body<CaseVersion>().Id;
        await Post(Finance, $"/payments/{payment}/refuse", new { reason = "Die Rechnung fehlt.", version = 1 });
        List<(string Subject, string Body)> all = [];
        for (var i = 0; i < 100 && !all.Any(n => n.Subject.Contains("Mittelabruf", StringComparison.Ordinal)); i++) // a wait loop for the durable queue
        {
            if (i > 0) await Task.Delay(100);
            all = (await Get(ApplicantToken, "/me/notifications?pageSize=100")).Json().GetProperty("items").EnumerateArray()
                .Select(n => (n.GetProperty("subject").GetString()!, n.GetProperty("body").GetString()!)).ToList();
        }
        return all;
    }

    private static (string Subject, string Body) About(List<(string Subject, string Body)> all, string word) =>
        all.Single(n => n.Subject.Contains(word, StringComparison.Ordinal));

    [Fact]
    public async Task in_turkish_with_turkish_dates_and_amounts()
    {
        await Choose("tr");
        var all = await ApprovedAndRefused();
        var decision = About(all, "Zuwendungsbescheid");
        decision.Subject.ShouldStartWith("Destek kararı (Zuwendungsbescheid) ZB-");
        decision.Body.ShouldContain($"başvurunuz onaylandı: 1 Ocak {FundingYear} – 31 Aralık {FundingYear} dönemi için 7.000,00 EUR.");
        var refusal = About(all, "Mittelabruf");
        refusal.Subject.ShouldStartWith("1.234,56 EUR tutarındaki ödeme talebi (Mittelabruf) reddedildi (ZB-");
        refusal.Body.ShouldBe("“Honorare Januar” ödeme talebiniz ödenmedi. Gerekçe: Die Rechnung fehlt.");
    }

    [Fact]
    public async Task in_english_with_english_dates_and_amounts()
    {
        await Choose("en");
        var all = await ApprovedAndRefused();
        var decision = About(all, "Zuwendungsbescheid");
        decision.Subject.ShouldStartWith("Grant notice (Zuwendungsbescheid) ZB-");
        decision.Body.ShouldContain($"has been approved: 7,000.00 EUR for the period 1 January {FundingYear} to 31 December {FundingYear}.");
        About(all, "Mittelabruf").Subject.ShouldStartWith("Drawdown (Mittelabruf) of 1,234.56 EUR refused (ZB-");
    }

    [Fact]
    public async Task in_german_when_no_language_was_chosen()
    {
        (await Get(Officer, $"/organisations/{OrgId}")).Json().GetProperty("language").GetString().ShouldBe("de");
        var all = await ApprovedAndRefused();
        var decision = About(all, "Zuwendungsbescheid");
        decision.Subject.ShouldStartWith("Zuwendungsbescheid ZB-");
        decision.Body.ShouldContain($"wurde bewilligt: 7.000,00 EUR für 01.01.{FundingYear}–31.12.{FundingYear}.");
        var refusal = About(all, "Mittelabruf");
        refusal.Subject.ShouldStartWith("Mittelabruf über 1.234,56 EUR abgelehnt (ZB-");
        refusal.Body.ShouldBe("Ihr Mittelabruf „Honorare Januar“ wurde nicht ausgezahlt. Grund: Die Rechnung fehlt.");
    }

    [Fact]
    public void each_language_writes_amounts_dates_and_terms_its_own_way()
    {
        var day = new DateOnly(2027, 7, 31);
        string Eur(string code) => PublicTexts.For(code).Eur(1028.08m);
        Eur("de").ShouldBe("1.028,08 EUR");
        Eur("en").ShouldBe("1,028.08 EUR");
        Eur("tr").ShouldBe("1.028,08 EUR");
        Eur("fa").ShouldStartWith("۱"); // Persian digits, "EUR" kept
        Eur("fa").ShouldEndWith("۰۸ EUR");
        Eur("ar").ShouldStartWith("1"); // Latin digits in Arabic
        Eur("ar").ShouldEndWith("08 EUR");
        Eur("uk").ShouldEndWith(",08 EUR");
        Eur("ru").ShouldEndWith(",08 EUR");
        PublicTexts.For("de").Day(day).ShouldBe("31.07.2027");
        PublicTexts.For("en").Day(day).ShouldBe("31 July 2027");
        PublicTexts.For("tr").Day(day).ShouldBe("31 Temmuz 2027");
        PublicTexts.For("de").Terms(["amount", "period"]).ShouldBe(German.Terms(["amount", "period"]));
        PublicTexts.For("en").Terms(["amount", "period", "purpose"]).ShouldBe("grant amount, funding period and purpose of the grant");
        PublicTexts.For("en").N("claim.body", ("grant", "ZB-2027-0001"), ("amount", "2,000.00 EUR"), ("date", "31 July 2027"), ("reference", "RF-2027-0001"))
            .ShouldBe("For the grant ZB-2027-0001, 2,000.00 EUR plus interest (§ 49a (3) VwVfG NRW) is claimed back, due on 31 July 2027. Please quote RF-2027-0001 when you pay.");
    }
}
