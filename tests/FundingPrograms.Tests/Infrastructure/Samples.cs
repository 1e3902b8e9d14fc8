using FundingPrograms.Infrastructure;

namespace FundingPrograms.Tests.Infrastructure;

/// <summary>Valid request bodies a test can start from and vary.</summary>
public static class Samples
{
    public static Dictionary<string, object?> Programme(string name = "Förderung von Migrantenselbstorganisationen") => new()
    {
        ["name"] = new Dictionary<string, string> { ["de"] = name, ["en"] = "Funding for migrant self-organisations" },
        ["description"] = new Dictionary<string, string>
        {
            ["de"] = "Projektförderung für Migrantenselbstorganisationen bis 15.000 EUR.",
            ["en"] = "Project grants for migrant self-organisations up to EUR 15,000.",
        },
        ["legalBasis"] = new { guideline = "Richtlinie über die Förderung von Migrantenselbstorganisationen", date = "2024-01-15" },
        ["targetDimensions"] = new[] { "II", "III" },
        ["targetGroups"] = new[] { "women", "young_adults" },
        ["eligibleOrganisationTypes"] = new[] { "mso", "volunteer_initiative" },
        ["financing"] = Financing(),
        ["assessmentCriteria"] = new object[]
        {
            new { key = "need", name = "Bedarf und Zielgruppe", weight = 40 },
            new { key = "quality", name = "Qualität des Konzepts", weight = 35 },
            new { key = "sustainability", name = "Nachhaltigkeit", weight = 25 },
        },
    };

    public static Dictionary<string, object?> Financing() => new()
    {
        ["allowedTypes"] = new[] { "share", "fixedAmount" },
        ["maxSharePercent"] = 80m,
        ["minGrant"] = 1000m,
        ["maxGrant"] = 15000m,
        ["minOwnContributionPercent"] = 20m,
        ["maxVolunteerSharePercent"] = 15m,
        ["drawdownHorizonMonths"] = 2,
        ["proofOfUseDeadlineMonths"] = 6,
    };

    public static Dictionary<string, object?> With(this Dictionary<string, object?> body, string key, object? value)
    {
        var copy = new Dictionary<string, object?>(body) { [key] = value };
        return copy;
    }

    /// <summary>Local Berlin time of an instant, as the API takes it ("2026-05-31T23:59").</summary>
    public static string Berlin(DateTimeOffset instant) => BerlinTime.Local(instant);

    /// <summary>A call that opened yesterday and closes in 30 days (by the test clock).</summary>
    public static Dictionary<string, object?> OpenCallNow(TimeProvider clock, long version, string[]? districts = null) =>
        Call(Berlin(clock.GetUtcNow().AddDays(-1)), Berlin(clock.GetUtcNow().AddDays(30)), districts, version);

    public static Dictionary<string, object?> Call(string opensAt, string closesAt, string[]? districts = null, long version = 0) => new()
    {
        ["title"] = new Dictionary<string, string> { ["de"] = "Förderaufruf 2026", ["en"] = "Call for proposals 2026" },
        ["description"] = new Dictionary<string, string> { ["de"] = "Anträge bis zum Stichtag.", ["en"] = "Apply by the deadline." },
        ["opensAt"] = opensAt,
        ["closesAt"] = closesAt,
        ["districts"] = districts ?? [],
        ["budgetCap"] = 200000m,
        ["version"] = version,
    };
}

public static class ProgrammeSteps
{
    public static async Task<Guid> CreateProgramme(this ApiTest test, string token, object? body = null) =>
        (await test.PostAs(token, "/programmes", body ?? Samples.Programme(), 201)).Body<CaseVersion>().Id;

    /// <summary>A published programme with 500,000 EUR on budget line 0710/684 10 for this year. Returns its id; version 3.</summary>
    public static async Task<Guid> PublishedProgramme(this ApiTest test, string token, object? body = null)
    {
        var id = await test.CreateProgramme(token, body);
        await test.PostAs(token, $"/programmes/{id}/publish", new { version = 1 });
        await test.PostAs(token, $"/programmes/{id}/budget/allocate", new { budgetLine = "0710/684 10", budgetLineName = "Zuschüsse an MSO", year = test.Year, amount = 500000m, version = 2 });
        return id;
    }
}
