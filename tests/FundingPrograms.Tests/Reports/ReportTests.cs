using System.Globalization;
using System.Text;
using System.Text.Json;
using Alba;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using FundingPrograms.Infrastructure;
using FundingPrograms.Payments;
using FundingPrograms.Programmes;
using FundingPrograms.Tests.Infrastructure;
using Marten;
using Marten.Events;

namespace FundingPrograms.Tests.Reports;

/// <summary>
/// A small known portfolio, every figure worked out by hand (Y0 = the year of T0, Y1 = the funding year, Y2 the one after; all submitted at T0):
/// <code>
/// app  prog org (type)        dim groups                  districts (shares)            outcome (decided at)        grant per year
/// A1   P1   A (mso)           II  women                   05315 Köln                    approved T0+10d             Y1 3000, Y2 4000; paid 1000 (Y1) at T0+40d
/// A2   P1   B (volunteer)     III women, young_adults     05315 25 %, 05711 Bielefeld 75 %  approved T0+20d         Y1 6000.01 → Köln 1500.00, Bielefeld 4500.01
/// A3   P2   C (mso)           I   families_with_children  05111 Düsseldorf, 05913 Dortmund approved T0+30d          Y1 5000.01 → 2500.01 / 2500.00
/// A4   P2   A (mso)           II  women                   05315                         rejected T0+30d
/// A5   P1   B (volunteer)     II  women                   05315                         withdrawn at T0
/// A6   P1   C (mso)           II  women                   05315                         draft (never submitted: not counted)
/// </code>
/// </summary>
public abstract class ReportTest(AppFixture app) : ApiTest(app)
{
    protected Guid P1, P2, OrgA, OrgB, OrgC, A1, A2, A3, A4, A5, A6, G1, G2, G3;
    protected DateTimeOffset T0;
    /// <summary>The year of T0 (the clock moves 40 days during the portfolio, possibly into the next year).</summary>
    protected int Y0;
    protected int Y1 => FundingYear;
    protected int Y2 => Y1 + 1;

    private Dictionary<string, object?> Content(string purpose, string dimension, string[] groups, string[] districts, object? shares = null) =>
        GrantSamples.NextYearContent(App.Clock, purpose)
            .With("targetDimension", dimension).With("targetGroups", groups).With("districts", districts).With("districtShares", shares);

    /// <summary>Everything up to and including A2's approval (T0+20d).</summary>
    protected async Task PortfolioUntilSecondApproval()
    {
        T0 = App.Clock.GetUtcNow();
        Y0 = BerlinTime.Today(T0).Year;
        P1 = await this.PublishedProgramme(Officer);
        var c1 = (await Post(Officer, $"/programmes/{P1}/calls", Samples.OpenCallNow(App.Clock, 3), 201)).Body<CallCreated>().CallId;
        await Post(Officer, $"/programmes/{P1}/budget/allocate", new { budgetLine = "0710/684 10", year = Y1, amount = 100000m, version = 4 });
        await Post(Officer, $"/programmes/{P1}/budget/allocate", new { budgetLine = "0710/684 10", year = Y2, amount = 100000m, version = 5 });
        P2 = await this.PublishedProgramme(Officer, Samples.Programme("Integrationsagenturen")
            .With("targetDimensions", new[] { "I", "II" }).With("targetGroups", new[] { "families_with_children", "women" })
            .With("eligibleOrganisationTypes", new[] { "mso", "integration_agency" }));
        var c2 = (await Post(Officer, $"/programmes/{P2}/calls", Samples.OpenCallNow(App.Clock, 3), 201)).Body<CallCreated>().CallId;
        await Post(Officer, $"/programmes/{P2}/budget/allocate", new { budgetLine = "0710/684 10", year = Y1, amount = 100000m, version = 4 });

        OrgA = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Founder A", sub: "founder-a"), Officer, ApplicationSamples.Organisation("Verein Brücke e.V.", "mso", "05315"));
        OrgB = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Founder B", sub: "founder-b"), Officer, ApplicationSamples.Organisation("Nachbarschaftshilfe Bielefeld", "volunteer_initiative", "05711"));
        OrgC = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Founder C", sub: "founder-c"), Officer, ApplicationSamples.Organisation("Kulturverein Dortmund e.V.", "mso", "05913"));

        var a1Content = Content("A1", "II", ["women"], ["05315"]).With("periodStart", $"{Y1}-07-01").With("periodEnd", $"{Y2}-06-30");
        A1 = await this.AssessedApplication(Applicant(OrgA), c1, a1Content, Officer2);
        A2 = await this.AssessedApplication(Applicant(OrgB), c1, Content("A2", "III", ["women", "young_adults"], ["05711", "05315"],
            new Dictionary<string, decimal> { ["05315"] = 25m, ["05711"] = 75m }), Officer2);
        A3 = await this.AssessedApplication(Applicant(OrgC), c2, Content("A3", "I", ["families_with_children"], ["05913", "05111"]), Officer2);
        A4 = await this.AssessedApplication(Applicant(OrgA), c2, Content("A4", "II", ["women"], ["05315"]), Officer2);
        A5 = await this.Draft(Applicant(OrgB), c1, Content("A5", "II", ["women"], ["05315"]));
        await Post(Applicant(OrgB), $"/applications/{A5}/submit", new { version = 1 });
        await Post(Applicant(OrgB), $"/applications/{A5}/withdraw", new { reason = "Projekt entfällt", version = 2 });
        A6 = await this.Draft(Applicant(OrgC), c1, Content("A6", "II", ["women"], ["05315"]));

        App.Clock.Advance(TimeSpan.FromDays(10));
        G1 = (await Post(Approver, $"/applications/{A1}/approve", GrantSamples.Approval(7000m,
            yearSplit: new[] { new { year = Y1, amount = 3000m }, new { year = Y2, amount = 4000m } }))).Json().GetProperty("grantId").GetGuid();
        App.Clock.Advance(TimeSpan.FromDays(10));
        G2 = (await Post(Approver, $"/applications/{A2}/approve", GrantSamples.Approval(6000.01m, reductionReason: "Honorare gekürzt")))
            .Json().GetProperty("grantId").GetGuid();
    }

    /// <summary>The rest: A3 approved and A4 rejected at T0+30d; 1000 EUR booked to A1's grant at T0+40d.</summary>
    protected async Task PortfolioRest()
    {
        App.Clock.Advance(TimeSpan.FromDays(10));
        G3 = (await Post(Approver, $"/applications/{A3}/approve", GrantSamples.Approval(5000.01m, reductionReason: "Sachkosten gekürzt")))
            .Json().GetProperty("grantId").GetGuid();
        await Post(Approver, $"/applications/{A4}/reject", new { reasons = "Der Bedarf ist nicht belegt.", version = 4 });
        App.Clock.Advance(TimeSpan.FromDays(10));
        // The bank booking of a payment appends GrantPaid to the grant's stream (PaymentTests drive the whole SEPA path).
        await using var session = App.Store.LightweightSession();
        session.Events.Append(G1, new GrantPaid(G1, Guid.NewGuid(), 1000m, Y1, DateOnly.FromDateTime(App.Clock.GetUtcNow().UtcDateTime), App.Clock.GetUtcNow()));
        await session.SaveChangesAsync();
    }

    protected async Task Portfolio()
    {
        await PortfolioUntilSecondApproval();
        await PortfolioRest();
    }

    /// <summary>
    /// The report facts are an async projection: before reading a report, wait until the daemon has folded every event
    /// (a report answers as of the facts' sequence, see basis.factsSequence).
    /// </summary>
    protected new async Task<IScenarioResult> Get(string? token, string url, int status = 200)
    {
        await LettersIssued(); // the decisions' letters follow their commits: their events come before the facts are read
        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        return await base.Get(token, url, status);
    }

    protected static JsonElement Row(JsonElement report, params (string Dim, string Code)[] key) =>
        report.GetProperty("rows").EnumerateArray().Single(r => key.All(k => r.GetProperty("key").GetProperty(k.Dim).GetString() == k.Code));

    protected static void Figures(JsonElement row, decimal granted, decimal paid, int grants, int applications, int applicants)
    {
        row.GetProperty("granted").GetDecimal().ShouldBe(granted);
        row.GetProperty("paid").GetDecimal().ShouldBe(paid);
        row.GetProperty("grants").GetInt32().ShouldBe(grants);
        row.GetProperty("applications").GetInt32().ShouldBe(applications);
        row.GetProperty("applicants").GetInt32().ShouldBe(applicants);
    }
}

public sealed class when_the_ministry_reports_on_a_known_portfolio(AppFixture app) : ReportTest(app)
{
    [Fact]
    public async Task every_figure_of_the_funding_report_is_the_one_worked_out_by_hand()
    {
        await Portfolio();

        var byProgramme = (await Get(Officer, "/reports/funding?groupBy=programme")).Json();
        byProgramme.GetProperty("rows").GetArrayLength().ShouldBe(2);
        Figures(Row(byProgramme, ("programme", P1.ToString())), 13000.01m, 1000m, 2, 3, 2); // A1 + A2; A5 withdrawn still counts as an application
        Figures(Row(byProgramme, ("programme", P2.ToString())), 5000.01m, 0m, 1, 2, 2);     // A3; A4 rejected
        Row(byProgramme, ("programme", P2.ToString())).GetProperty("labels").GetProperty("programme").GetString().ShouldBe("Integrationsagenturen");
        Figures(byProgramme.GetProperty("total"), 18000.02m, 1000m, 3, 5, 3);
        byProgramme.GetProperty("basis").GetProperty("source").GetString().ShouldBe("live");

        // Multi-district money split by shares (A2 25/75) and equally (A3), exact to the cent; counts per district are not additive.
        var byDistrict = (await Get(Auditor, "/reports/funding?groupBy=district")).Json();
        byDistrict.GetProperty("rows").GetArrayLength().ShouldBe(4);
        Figures(Row(byDistrict, ("district", "05111")), 2500.01m, 0m, 1, 1, 1);
        Figures(Row(byDistrict, ("district", "05315")), 8500.00m, 1000m, 2, 4, 2); // A1 7000 + A2 1500.00; A1, A2, A4, A5
        Figures(Row(byDistrict, ("district", "05711")), 4500.01m, 0m, 1, 1, 1);
        Figures(Row(byDistrict, ("district", "05913")), 2500.00m, 0m, 1, 1, 1);
        Row(byDistrict, ("district", "05711")).GetProperty("labels").GetProperty("district").GetString().ShouldBe("Bielefeld");
        byDistrict.GetProperty("rows").EnumerateArray().Sum(r => r.GetProperty("granted").GetDecimal()).ShouldBe(18000.02m);
        byDistrict.GetProperty("nonAdditive").EnumerateArray().Select(x => x.GetString()).ShouldBe(["applicants", "grants", "applications"], ignoreOrder: true);

        var byRegion = (await Get(Finance, "/reports/funding?groupBy=region&measure=granted,grants")).Json();
        Row(byRegion, ("region", "Köln")).GetProperty("granted").GetDecimal().ShouldBe(8500.00m);
        Row(byRegion, ("region", "Detmold")).GetProperty("granted").GetDecimal().ShouldBe(4500.01m);
        Row(byRegion, ("region", "Düsseldorf")).GetProperty("granted").GetDecimal().ShouldBe(2500.01m);
        Row(byRegion, ("region", "Arnsberg")).GetProperty("granted").GetDecimal().ShouldBe(2500.00m);
        Row(byRegion, ("region", "Köln")).GetProperty("paid").ValueKind.ShouldBe(JsonValueKind.Null); // not asked for
        var bySettlement = (await Get(Admin, "/reports/funding?groupBy=settlement&measure=granted")).Json();
        bySettlement.GetProperty("rows").EnumerateArray().Sum(r => r.GetProperty("granted").GetDecimal()).ShouldBe(18000.02m);

        // Target groups are not additive: A2 counts with its full amount for women and for young adults.
        var byGroup = (await Get(Approver, "/reports/funding?groupBy=targetGroup")).Json();
        Figures(Row(byGroup, ("targetGroup", "women")), 13000.01m, 1000m, 2, 4, 2);
        Figures(Row(byGroup, ("targetGroup", "young_adults")), 6000.01m, 0m, 1, 1, 1);
        Figures(Row(byGroup, ("targetGroup", "families_with_children")), 5000.01m, 0m, 1, 1, 1);
        Figures(byGroup.GetProperty("total"), 18000.02m, 1000m, 3, 5, 3);
        byGroup.GetProperty("nonAdditive").EnumerateArray().Select(x => x.GetString()).ShouldContain("granted");
        byGroup.GetProperty("notes").EnumerateArray().Select(x => x.GetString()).ShouldContain(n => n!.Contains("not additive"));

        var byDimensionAndType = (await Get(Officer, "/reports/funding?groupBy=dimension,organisationType")).Json();
        byDimensionAndType.GetProperty("rows").GetArrayLength().ShouldBe(4);
        Figures(Row(byDimensionAndType, ("dimension", "I"), ("organisationType", "mso")), 5000.01m, 0m, 1, 1, 1);
        Figures(Row(byDimensionAndType, ("dimension", "II"), ("organisationType", "mso")), 7000m, 1000m, 1, 2, 1);
        Figures(Row(byDimensionAndType, ("dimension", "II"), ("organisationType", "volunteer_initiative")), 0m, 0m, 0, 1, 1);
        Figures(Row(byDimensionAndType, ("dimension", "III"), ("organisationType", "volunteer_initiative")), 6000.01m, 0m, 1, 1, 1);

        // Budget years: money by budget year, applications by year of submission.
        var byYear = (await Get(Officer, "/reports/funding?groupBy=year")).Json();
        Figures(Row(byYear, ("year", Y0.ToString())), 0m, 0m, 0, 5, 3);
        Figures(Row(byYear, ("year", Y1.ToString())), 14000.02m, 1000m, 3, 0, 0);
        Figures(Row(byYear, ("year", Y2.ToString())), 4000m, 0m, 1, 0, 0);
        var inY2 = (await Get(Officer, $"/reports/funding?year={Y2}&groupBy=programme")).Json();
        inY2.GetProperty("rows").GetArrayLength().ShouldBe(1);
        Figures(Row(inY2, ("programme", P1.ToString())), 4000m, 0m, 1, 0, 0);
        Figures(inY2.GetProperty("total"), 4000m, 0m, 1, 0, 0);
    }

    [Fact]
    public async Task processing_times_coverage_and_the_heat_map_show_the_portfolio()
    {
        await Portfolio();
        string Month(int days) => BerlinTime.Today(T0.AddDays(days)).ToString("yyyy-MM");

        var times = (await Get(Officer, "/reports/processing-times")).Json();
        var rows = times.GetProperty("rows").EnumerateArray()
            .Select(r => (Measure: r.GetProperty("measure").GetString(), Programme: r.GetProperty("programmeId").GetGuid(), Month: r.GetProperty("month").GetString(),
                Count: r.GetProperty("count").GetInt32(), Median: r.GetProperty("medianDays").GetDecimal(), P90: r.GetProperty("p90Days").GetDecimal())).ToList();
        // P1 decisions after 10 and 20 days, P2 two decisions after 30 days, P1's first payment after 40 days.
        var p1Decisions = rows.Where(r => r.Measure == "submissionToDecision" && r.Programme == P1).ToList();
        if (Month(10) == Month(20))
            p1Decisions.ShouldBe([("submissionToDecision", P1, Month(10), 2, 15m, 20m)]);
        else
            p1Decisions.ShouldBe([("submissionToDecision", P1, Month(10), 1, 10m, 10m), ("submissionToDecision", P1, Month(20), 1, 20m, 20m)]);
        rows.Where(r => r.Measure == "submissionToDecision" && r.Programme == P2).ShouldBe([("submissionToDecision", P2, Month(30), 2, 30m, 30m)]);
        rows.Where(r => r.Measure == "submissionToFirstPayment").ShouldBe([("submissionToFirstPayment", P1, Month(40), 1, 40m, 40m)]);

        var coverage = (await Get(Auditor, "/reports/coverage")).Json();
        coverage.GetProperty("rows").GetArrayLength().ShouldBe(53);
        coverage.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("code").GetString()).ShouldBe(["I", "II", "III"]);
        JsonElement Cell(string district, string column) => coverage.GetProperty("rows").EnumerateArray()
            .Single(r => r.GetProperty("district").GetString() == district).GetProperty("cells").EnumerateArray()
            .Single(c => c.GetProperty("column").GetString() == column);
        void Expect(string district, string column, int grants, decimal granted, string level)
        {
            var c = Cell(district, column);
            c.GetProperty("grants").GetInt32().ShouldBe(grants);
            c.GetProperty("granted").GetDecimal().ShouldBe(granted);
            c.GetProperty("level").GetString().ShouldBe(level);
            c.GetProperty("grantedPerHundredThousand").ValueKind.ShouldBe(JsonValueKind.Null); // no population configured: never invented
        }
        Expect("05315", "II", 1, 7000m, "funded");
        Expect("05315", "III", 1, 1500.00m, "thin"); // the thinnest of the 5 funded cells
        Expect("05711", "III", 1, 4500.01m, "funded");
        Expect("05111", "I", 1, 2500.01m, "funded");
        Expect("05913", "I", 1, 2500.00m, "funded");
        Expect("05315", "I", 0, 0m, "gap");
        coverage.GetProperty("gaps").GetInt32().ShouldBe(53 * 3 - 5);
        coverage.GetProperty("thinCells").GetInt32().ShouldBe(1);
        coverage.GetProperty("populationConfigured").GetBoolean().ShouldBeFalse();

        var svg = await Get(Officer, "/reports/coverage.svg");
        svg.Context.Response.ContentType.ShouldNotBeNull().ShouldStartWith("image/svg+xml");
        var doc = System.Xml.Linq.XDocument.Parse(svg.ReadAsText());
        var root = doc.Root!;
        root.Attribute("aria-labelledby")!.Value.ShouldBe("cov-title cov-desc");
        var ns = root.Name.Namespace;
        // A map, not a table: one keyboard-reachable district per Kreisschlüssel, the five Regierungsbezirke outlined.
        var districts = root.Descendants(ns + "a").Where(a => a.Attribute("class")?.Value == "district").ToList();
        districts.Select(a => a.Attribute("data-code")!.Value).OrderBy(c => c).ShouldBe(FundingPrograms.ReferenceData.ReferenceCatalogue.Instance.Districts.Select(d => d.Code).OrderBy(c => c));
        root.Descendants(ns + "path").Count(p => p.Attribute("data-region") is not null).ShouldBe(5);
        var bielefeld = districts.Single(a => a.Attribute("data-code")!.Value == "05711").Attribute("aria-label")!.Value;
        bielefeld.ShouldStartWith("Bielefeld: 1 von 3 gefördert.");
        bielefeld.ShouldContain("Gesellschaft gestalten (Zugehörigkeit, Teilhabe, Antidiskriminierung, Erinnerungskultur): 1 Bewilligung(en), 4.500,01 EUR");
        districts.Single(a => a.Attribute("data-code")!.Value == "05315").Attribute("aria-label")!.Value.ShouldContain("1.500,00 EUR (dünn besetzt)");
        districts.Single(a => a.Attribute("data-code")!.Value == "05315").Attribute("aria-label")!.Value.ShouldStartWith("Köln: 2 von 3 gefördert.");
        svg.ReadAsText().ShouldContain("GeoBasis-DE / BKG");
        svg.ReadAsText().ShouldContain("0 von 3 gefördert (nur Lücken)");
    }

    [Fact]
    public async Task applicants_and_anonymous_callers_get_no_staff_report_and_bad_parameters_are_400()
    {
        await Portfolio();
        (await Get(Applicant(OrgA), "/reports/funding", 403)).ShouldBeProblem(403);
        (await Get(Applicant(OrgA), "/reports/coverage.svg", 403)).ShouldBeProblem(403);
        (await Get(Applicant(OrgA), "/reports/lists/grants/export?format=csv", 403)).ShouldBeProblem(403);
        (await Post(Applicant(OrgA), "/reports/editions", new { title = "x", publicationDate = "2027-01-01" }, 403)).ShouldBeProblem(403);
        (await Get(null, "/reports/funding", 401)).ShouldBeProblem(401);
        var before = (await AllEvents()).Count;
        (await Get(Officer, "/reports/funding?groupBy=colour", 400)).ShouldBeProblem(400).FieldErrors("groupBy").ShouldNotBeEmpty();
        (await Get(Officer, "/reports/funding?measure=profit", 400)).ShouldBeProblem(400).FieldErrors("measure").ShouldNotBeEmpty();
        (await Get(Officer, "/reports/funding?year=abc", 400)).ShouldBeProblem(400).FieldErrors("year").ShouldNotBeEmpty();
        (await Get(Officer, "/reports/funding?asOf=yesterday", 400)).ShouldBeProblem(400).FieldErrors("asOf").ShouldNotBeEmpty();
        (await Get(Officer, $"/reports/funding?asOf=2026-01-01T00:00:00Z&edition={Guid.NewGuid()}", 400)).ShouldBeProblem(400);
        (await Get(Officer, $"/reports/funding?edition={Guid.NewGuid()}", 404)).ShouldBeProblem(404);
        (await Get(Officer, "/reports/coverage?dimension=colour", 400)).ShouldBeProblem(400);
        (await Get(Officer, "/reports/funding/export?format=pdf", 400)).ShouldBeProblem(400).FieldErrors("format").ShouldNotBeEmpty();
        (await Post(Officer, "/reports/editions", new { title = "", publicationDate = (string?)null }, 400)).ShouldBeProblem(400);
        (await AllEvents()).Count.ShouldBe(before);
    }
}

public sealed class when_reports_are_exported(AppFixture app) : ReportTest(app)
{
    private static List<string[]> ParseCsv(byte[] bytes, char separator) => ReportFiles.ParseCsv(bytes, separator);
    private static List<object?[]> ParseXlsx(byte[] bytes) => ReportFiles.ParseXlsx(bytes);

    private async Task<byte[]> Download(string url, string contentType, string? token = null)
    {
        var result = await Get(token ?? Officer, url);
        result.Context.Response.ContentType.ShouldNotBeNull().ShouldStartWith(contentType);
        var stream = new MemoryStream();
        await result.Context.Response.Body.CopyToAsync(stream);
        return stream.ToArray();
    }

    [Fact]
    public async Task csv_and_xlsx_parse_back_to_the_json_report()
    {
        await Portfolio();
        var json = (await Get(Officer, "/reports/funding?groupBy=district,dimension")).Json();
        var expected = json.GetProperty("rows").EnumerateArray().Append(json.GetProperty("total")).Select(r => new
        {
            District = r.GetProperty("key").GetProperty("district").GetString()!,
            Name = r.GetProperty("labels").GetProperty("district").GetString()!,
            Dimension = r.GetProperty("key").GetProperty("dimension").GetString()!,
            Granted = r.GetProperty("granted").GetDecimal(), Paid = r.GetProperty("paid").GetDecimal(),
            Grants = r.GetProperty("grants").GetInt32(), Applications = r.GetProperty("applications").GetInt32(), Applicants = r.GetProperty("applicants").GetInt32(),
        }).ToList();
        expected.Count.ShouldBe(6); // 05111 I, 05315 II, 05315 III, 05711 III, 05913 I + total

        foreach (var (separator, culture, query) in new[] { (',', CultureInfo.InvariantCulture, ""), (';', CultureInfo.GetCultureInfo("de-DE"), "&separator=semicolon") })
        {
            var csv = ParseCsv(await Download($"/reports/funding/export?format=csv&groupBy=district,dimension{query}", "text/csv"), separator);
            csv[0].ShouldBe(separator == ';'
                ? ["Kreis", "Kreis (Name)", "Zieldimension", "Zieldimension (Name)", "Bewilligt (EUR)", "Ausgezahlt (EUR)", "Zuwendungen", "Anträge", "Antragsteller"]
                : ["district", "districtName", "dimension", "dimensionName", "granted", "paid", "grants", "applications", "applicants"]);
            csv.Skip(1).Select(r => new
            {
                District = r[0], Name = r[1], Dimension = r[2], Granted = decimal.Parse(r[4], culture), Paid = decimal.Parse(r[5], culture),
                Grants = int.Parse(r[6]), Applications = int.Parse(r[7]), Applicants = int.Parse(r[8]),
            }).ToList().ShouldBe(separator == ';' ? expected.SkipLast(1).Append(expected[^1] with { Name = "Summe" }).ToList() : expected); // the German file's total row reads 'Summe'
        }

        var xlsx = ParseXlsx(await Download("/reports/funding/export?format=xlsx&groupBy=district,dimension", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        xlsx[0].ShouldBe(new object?[] { "district", "districtName", "dimension", "dimensionName", "granted", "paid", "grants", "applications", "applicants" });
        xlsx.Skip(1).Select(r => new
        {
            District = (string)r[0]!, Name = (string)r[1]!, Dimension = (string)r[2]!, Granted = (decimal)r[4]!, Paid = (decimal)r[5]!,
            Grants = (int)(decimal)r[6]!, Applications = (int)(decimal)r[7]!, Applicants = (int)(decimal)r[8]!,
        }).ToList().ShouldBe(expected);

        // Processing times and coverage export the same rows as their JSON.
        var times = (await Get(Officer, "/reports/processing-times")).Json().GetProperty("rows");
        var timesCsv = ParseCsv(await Download("/reports/processing-times/export?format=csv", "text/csv"), ',');
        timesCsv.Count.ShouldBe(times.GetArrayLength() + 1);
        timesCsv.Skip(1).Select(r => (r[0], r[3], decimal.Parse(r[5], CultureInfo.InvariantCulture)))
            .ShouldBe(times.EnumerateArray().Select(t => (t.GetProperty("measure").GetString()!, t.GetProperty("month").GetString()!, t.GetProperty("medianDays").GetDecimal())));
        var coverageXlsx = ParseXlsx(await Download("/reports/coverage/export?format=xlsx", "application/vnd.openxmlformats"));
        coverageXlsx.Count.ShouldBe(1 + 53 * 3);
        coverageXlsx.Skip(1).Sum(r => (decimal)r[8]!).ShouldBe(18000.02m);

        // The main lists.
        var grants = ParseCsv(await Download("/reports/lists/grants/export?format=csv", "text/csv"), ',');
        grants.Count.ShouldBe(4);
        grants.Skip(1).Sum(r => decimal.Parse(r[6], CultureInfo.InvariantCulture)).ShouldBe(18000.02m);
        grants.Skip(1).Sum(r => decimal.Parse(r[8], CultureInfo.InvariantCulture)).ShouldBe(1000m);
        var inbox = ParseXlsx(await Download("/reports/lists/inbox/export?format=xlsx", "application/vnd.openxmlformats"));
        inbox.Count.ShouldBe(1 + 5); // A6 is a draft
        (await Get(Finance, "/reports/lists/payments/export?format=csv")).Context.Response.StatusCode.ShouldBe(200);
        ParseCsv(await Download("/reports/lists/reconciliation/export?format=csv", "text/csv", Finance), ',').Count.ShouldBe(1);
    }
}

public sealed class when_an_edition_is_frozen(AppFixture app) : ReportTest(app)
{
    [Fact]
    public async Task it_reproduces_its_figures_after_later_approvals_and_asOf_recomputes_from_the_events()
    {
        await PortfolioUntilSecondApproval();
        var frozenAt = App.Clock.GetUtcNow();
        var liveThen = (await Get(Officer, "/reports/funding?groupBy=programme,district")).Json();
        var edition = (await Post(Officer, "/reports/editions", new { title = "Teilhabe- und Integrationsbericht, Zwischenstand", publicationDate = $"{Y1}-03-01" }, 201))
            .Body<CaseVersion>().Id;

        await PortfolioRest(); // later approvals, a rejection and a payment

        var now = (await Get(Officer, "/reports/funding?groupBy=programme,district")).Json();
        now.GetProperty("total").GetProperty("granted").GetDecimal().ShouldBe(18000.02m);
        var reread = (await Get(Auditor, $"/reports/funding?groupBy=programme,district&edition={edition}")).Json();
        reread.GetProperty("rows").GetRawText().ShouldBe(liveThen.GetProperty("rows").GetRawText());
        reread.GetProperty("total").GetRawText().ShouldBe(liveThen.GetProperty("total").GetRawText());
        reread.GetProperty("total").GetProperty("granted").GetDecimal().ShouldBe(13000.01m);
        reread.GetProperty("basis").GetProperty("source").GetString().ShouldBe("edition");
        reread.GetProperty("basis").GetProperty("editionId").GetGuid().ShouldBe(edition);

        var asOf = (await Get(Officer, $"/reports/funding?groupBy=programme,district&asOf={Uri.EscapeDataString(frozenAt.AddDays(5).ToString("O"))}")).Json();
        asOf.GetProperty("rows").GetRawText().ShouldBe(liveThen.GetProperty("rows").GetRawText());
        var asOfLater = (await Get(Officer, $"/reports/funding?asOf={Uri.EscapeDataString(App.Clock.GetUtcNow().ToString("O"))}")).Json();
        asOfLater.GetProperty("total").GetRawText().ShouldBe((await Get(Officer, "/reports/funding")).Json().GetProperty("total").GetRawText());

        // The other reports read the edition too; editions are listed.
        (await Get(Officer, $"/reports/coverage?edition={edition}")).Json().GetProperty("rows").EnumerateArray()
            .SelectMany(r => r.GetProperty("cells").EnumerateArray()).Sum(c => c.GetProperty("granted").GetDecimal()).ShouldBe(13000.01m);
        (await Get(Officer, $"/reports/processing-times?edition={edition}")).Json().GetProperty("rows").EnumerateArray()
            .Sum(r => r.GetProperty("count").GetInt32()).ShouldBe(2);
        var list = (await Get(Finance, "/reports/editions")).Json();
        list.GetArrayLength().ShouldBe(1);
        list[0].GetProperty("title").GetString().ShouldBe("Teilhabe- und Integrationsbericht, Zwischenstand");
        list[0].GetProperty("publicationDate").GetString().ShouldBe($"{Y1}-03-01");
        list[0].GetProperty("frozenByName").GetString().ShouldBe("Anna Officer");
        (await AllEvents()).Single(e => e.EventTypeName == "report_edition_frozen").StreamId.ShouldBe(edition);
    }
}

public sealed class when_the_public_reads_statistics(AppFixture app) : ReportTest(app)
{
    [Fact]
    public async Task cells_of_fewer_than_three_organisations_are_suppressed_without_sign_in()
    {
        await Portfolio();
        var result = await Get(null, "/catalogue/statistics?lang=en");
        result.Context.Response.Headers.ContentLanguage.ToString().ShouldBe("en");
        var stats = result.Json();
        stats.GetProperty("minimumOrganisations").GetInt32().ShouldBe(3);
        JsonElement Cell(JsonElement row, string region) => row.GetProperty("cells").EnumerateArray().Single(c => c.GetProperty("column").GetString() == region);
        var rows = stats.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("code").GetString()!);
        rows["I"].GetProperty("name").GetString().ShouldNotBeNullOrWhiteSpace();

        // Every funded cell holds 1 or 2 organisations: suppressed, figures absent. Empty cells are true zeros.
        foreach (var (dim, region) in new[] { ("II", "Köln"), ("III", "Köln"), ("III", "Detmold"), ("I", "Düsseldorf"), ("I", "Arnsberg") })
        {
            var c = Cell(rows[dim], region);
            c.GetProperty("suppressed").GetBoolean().ShouldBeTrue();
            c.GetProperty("granted").ValueKind.ShouldBe(JsonValueKind.Null);
            c.GetProperty("organisations").ValueKind.ShouldBe(JsonValueKind.Null);
        }
        Cell(rows["I"], "Münster").GetProperty("granted").GetDecimal().ShouldBe(0m);
        rows["II"].GetProperty("total").GetProperty("suppressed").GetBoolean().ShouldBeTrue();
        Cell(stats.GetProperty("total"), "Köln").GetProperty("suppressed").GetBoolean().ShouldBeTrue(); // 2 organisations
        var grand = stats.GetProperty("total").GetProperty("total");
        grand.GetProperty("suppressed").GetBoolean().ShouldBeFalse(); // 3 organisations, and no published line gives a suppressed cell away
        grand.GetProperty("granted").GetDecimal().ShouldBe(18000.02m);
        grand.GetProperty("organisations").GetInt32().ShouldBe(3);
        grand.GetProperty("grants").GetInt32().ShouldBe(3);
        stats.GetRawText().ShouldNotContain("Verein Brücke");
    }
}

public sealed class when_an_application_declares_district_shares(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task shares_must_name_the_projects_districts_and_add_up_to_100_percent()
    {
        var (_, call) = await this.OpenCall(Officer, App.Clock);
        var org = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Founder", sub: "founder"), Officer);
        var content = ApplicationSamples.Content(App.Clock).With("districts", new[] { "05315", "05711" });
        var before = (await AllEvents()).Count;
        async Task Refused(object shares, string field)
        {
            var problem = (await Post(Applicant(org), "/applications", new { callId = call, content = content.With("districtShares", shares) }, 400)).ShouldBeProblem(400);
            problem.FieldErrors(field).ShouldNotBeEmpty();
        }
        await Refused(new Dictionary<string, decimal> { ["05315"] = 60m, ["05711"] = 30m }, "districtShares");        // 90 %
        await Refused(new Dictionary<string, decimal> { ["05315"] = 100m }, "districtShares");                        // one missing
        await Refused(new Dictionary<string, decimal> { ["05315"] = 50m, ["05711"] = 40m, ["05111"] = 10m }, "districtShares.05111");
        await Refused(new Dictionary<string, decimal> { ["05315"] = 100.5m, ["05711"] = -0.5m }, "districtShares.05711");
        (await AllEvents()).Count.ShouldBe(before);

        var id = await this.Draft(Applicant(org), call, content.With("districtShares", new Dictionary<string, decimal> { ["05315"] = 33.33m, ["05711"] = 66.67m }));
        (await Get(Applicant(org), $"/applications/{id}")).Json().GetProperty("content").GetProperty("districtShares").GetProperty("05711").GetDecimal().ShouldBe(66.67m);
    }
}

/// <summary>Reads exported CSV (RFC 4180, UTF-8 with BOM) and XLSX files back into rows.</summary>
public static class ReportFiles
{
    public static List<string[]> ParseCsv(byte[] bytes, char separator)
    {
        bytes.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        text.ShouldEndWith("\r\n");
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else field.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == separator) { fields.Add(field.ToString()); field.Clear(); }
            else if (ch == '\r' && text[i + 1] == '\n') { fields.Add(field.ToString()); field.Clear(); rows.Add(fields.ToArray()); fields.Clear(); i++; }
            else field.Append(ch);
        }
        return rows;
    }

    public static List<object?[]> ParseXlsx(byte[] bytes)
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var part = document.WorkbookPart!;
        var sheet = part.WorksheetParts.Single().Worksheet;
        var result = new List<object?[]>();
        foreach (var row in sheet.Descendants<Row>())
        {
            var cells = row.Elements<Cell>().ToList();
            var width = cells.Max(c => Column(c.CellReference!.Value!)) + 1;
            var values = new object?[width];
            foreach (var c in cells)
                values[Column(c.CellReference!.Value!)] = c.DataType?.Value == CellValues.InlineString
                    ? c.InlineString!.Text!.Text
                    : decimal.Parse(c.CellValue!.Text, CultureInfo.InvariantCulture);
            result.Add(values);
        }
        return result;
    }

    public static int Column(string reference) => reference.TakeWhile(char.IsLetter).Aggregate(0, (n, ch) => n * 26 + (ch - 'A' + 1)) - 1;
}
