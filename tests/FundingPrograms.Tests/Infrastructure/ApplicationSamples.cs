using FundingPrograms.Infrastructure;
using FundingPrograms.Programmes;

namespace FundingPrograms.Tests.Infrastructure;

public static class ApplicationSamples
{
    public const string ValidIban = "DE89370400440532013000";

    public static Dictionary<string, object?> Organisation(string name = "Verein Brücke e.V.", string type = "mso", string district = "05315") => new()
    {
        ["legalName"] = name,
        ["legalForm"] = "e.V.",
        ["registerCourt"] = "Amtsgericht Köln",
        ["registerNumber"] = "VR 12345",
        ["nonProfit"] = true,
        ["taxOfficeNoticeDate"] = "2024-06-01",
        ["organisationType"] = type,
        ["district"] = district,
        ["address"] = new { street = "Keupstraße 1", postalCode = "51063", city = "Köln" },
        ["contactPersons"] = new[] { new { name = "Ayşe Yılmaz", role = "Vorsitzende", email = "ayse@bruecke.example", phone = "+49 221 123456" } },
        ["bankAccount"] = new { iban = "DE89 3704 0044 0532 0130 00", bic = "COBADEFFXXX", holderName = name },
    };

    /// <summary>
    /// A plan of 10,000 EUR that keeps the sample programme's rules: 9,000 cash costs covered by 7,000 requested (70 %), 1,500 own cash and 500
    /// third-party funds; 1,000 volunteer work counted as cost and own contribution (own contribution 25 %).
    /// </summary>
    public static Dictionary<string, object?> Content(TimeProvider clock) => new()
    {
        ["title"] = "Frauencafé Mülheim",
        ["summary"] = "Wöchentlicher Treffpunkt für neu zugewanderte Frauen.",
        ["description"] = "Beratung, Sprachpraxis und Vernetzung im Stadtteil.",
        ["targetDimension"] = "II",
        ["targetGroups"] = new[] { "women" },
        ["districts"] = new[] { "05315" },
        ["periodStart"] = Start(clock).ToString("yyyy-MM-dd"),
        ["periodEnd"] = Start(clock).AddMonths(12).AddDays(-1).ToString("yyyy-MM-dd"),
        ["costItems"] = new object[]
        {
            new { category = "staff", description = "Projektkoordination", amount = 8000m, postSharePercent = 25m, months = 12, post = "Projektkoordination" },
            new { category = "material", description = "Raummiete und Material", amount = 1000m },
        },
        ["ownCash"] = 1500m,
        ["ownVolunteerWork"] = 1000m,
        ["thirdPartyFunds"] = new[] { new { source = "Stadt Köln", amount = 500m, confirmed = true } },
        ["requestedAmount"] = 7000m,
        ["financingType"] = "share",
    };

    public static DateOnly Start(TimeProvider clock) => BerlinTime.Today(clock.GetUtcNow()).AddDays(30);

    /// <summary>An organisation (registered by the applicant), verified, with its bank account confirmed. Returns the id.</summary>
    public static async Task<Guid> VerifiedOrganisation(this ApiTest test, string applicantToken, string officerToken, object? body = null)
    {
        var id = (await test.PostAs(applicantToken, "/organisations", body ?? Organisation(), 201)).Body<CaseVersion>().Id;
        await test.PostAs(officerToken, $"/organisations/{id}/verify", new { migrationBackgroundDocumented = true, nonProfitStatusChecked = true, evidence = "Satzung und Vorstandsliste geprüft", version = 1 });
        var change = (await test.GetAs(officerToken, $"/organisations/{id}")).Json().GetProperty("bankAccounts")[0].GetProperty("changeId").GetGuid();
        await test.PostAs(officerToken, $"/organisations/{id}/bank-accounts/{change}/confirm", new { version = 2 });
        return id;
    }

    /// <summary>A published programme with an open call: (programme id, call id).</summary>
    public static async Task<(Guid Programme, Guid Call)> OpenCall(this ApiTest test, string officerToken, TimeProvider clock)
    {
        var programme = await test.PublishedProgramme(officerToken);
        var call = (await test.PostAs(officerToken, $"/programmes/{programme}/calls", Samples.OpenCallNow(clock, 3), 201)).Body<CallCreated>();
        return (programme, call.CallId);
    }

    public static async Task<Guid> Draft(this ApiTest test, string applicantToken, Guid callId, object content) =>
        (await test.PostAs(applicantToken, "/applications", new { callId, content }, 201)).Body<CaseVersion>().Id;
}

public static class GrantSamples
{
    /// <summary>
    /// The budget year a fixture's grants are for: the first whole year that begins after every approval a fixture makes (they
    /// come up to 60 days after the test's start), so that no funding period has begun before its notice (VV Nr. 1.3 zu § 44 LHO)
    /// on any day the suite runs. Taken from the test clock's start, so it stays put while a test moves the clock.
    /// </summary>
    public static int FundingYear(TimeProvider clock) =>
        BerlinTime.Today((clock is TestClock t ? t.Start : clock.GetUtcNow()).AddDays(60)).Year + 1;

    /// <summary>
    /// Content whose funding period is the whole of next year (one budget year), with its own posts so that it matches no other;
    /// for a purpose other than the default also its own title and summary, so that no two purposes are similar (pg_trgm).
    /// </summary>
    public static Dictionary<string, object?> NextYearContent(TimeProvider clock, string purpose = "Koordination")
    {
        var year = FundingYear(clock);
        var content = ApplicationSamples.Content(clock);
        if (purpose != "Koordination")
        {
            var key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(purpose)))[..20];
            content = content.With("title", $"Projekt {purpose}").With("summary", $"Vorhaben {purpose}, Kennung {key}.");
        }
        return content
            .With("periodStart", $"{year}-01-01").With("periodEnd", $"{year}-12-31")
            .With("costItems", new object[]
            {
                new { category = "staff", description = $"Stelle {purpose}", amount = 8000m, postSharePercent = 25m, months = 12, post = purpose },
                new { category = "material", description = $"Material {purpose}", amount = 1000m },
            });
    }

    /// <summary>Drafted, submitted, formally checked and assessed (by Omar Officer, recommending approval). Version 4.</summary>
    public static async Task<Guid> AssessedApplication(this ApiTest test, string applicant, Guid call, object content, string assessor)
    {
        var id = await test.Draft(applicant, call, content);
        await test.PostAs(applicant, $"/applications/{id}/submit", new { version = 1 });
        await test.PostAs(assessor, $"/applications/{id}/formal-check", new { version = 2 });
        await test.PostAs(assessor, $"/applications/{id}/assess", new
        {
            scores = new[] { new { criterion = "need", score = 80m }, new { criterion = "quality", score = 70m }, new { criterion = "sustainability", score = 60m } },
            recommendation = "approve", recommendedAmount = 7000m, version = 3,
        });
        return id;
    }

    public static object Approval(decimal amount = 7000m, object? yearSplit = null, object? acknowledgements = null, string? budgetLine = "0710/684 10",
        string? reductionReason = null, long version = 4) => new
        {
            amount, reductionReason, budgetLine, yearSplit, acknowledgements, version,
            conditions = "Die Zuwendung ist zweckgebunden. Abweichungen sind unverzüglich mitzuteilen.",
            generalConditionsVersion = "ANBest-P (Fassung 2023)",
        };
}
