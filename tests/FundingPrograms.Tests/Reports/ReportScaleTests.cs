using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Alba;
using FundingPrograms.Grants;
using FundingPrograms.Infrastructure;
using FundingPrograms.Payments;
using FundingPrograms.Programmes;
using FundingPrograms.ReferenceData;
using FundingPrograms.Reports;
using FundingPrograms.Tests.Infrastructure;
using FundingPrograms.Tests.Proofs;
using FundingPrograms.Tests.Recovery;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;

namespace FundingPrograms.Tests.Reports;

public sealed class when_the_report_facts_are_folded_asynchronously(AppFixture app) : ReportTest(app)
{
    [Fact]
    public async Task the_live_report_names_the_sequence_its_facts_reach_and_follows_later_events_incrementally()
    {
        await Portfolio();
        var report = (await Get(Officer, "/reports/funding?groupBy=programme")).Json();
        var basis = report.GetProperty("basis");
        basis.GetProperty("source").GetString().ShouldBe("live");
        basis.GetProperty("factsSequence").GetInt64().ShouldBeGreaterThanOrEqualTo((await AllEvents()).Max(e => e.Sequence));

        await using (var session = App.Store.QuerySession())
        {
            var fact = (await session.LoadAsync<ApplicationFact>(A1)).ShouldNotBeNull();
            fact.LastSequence.ShouldBe((await StreamEvents(A1)).Where(e => e.Data is FundingPrograms.Applications.ApplicationApproved).Max(e => e.Sequence));
            fact.LatestAt.ShouldBe(T0.AddDays(10)); // approved at T0+10d, its latest event
            (await session.LoadAsync<GrantFact>(G1)).ShouldNotBeNull().LastSequence.ShouldBe((await StreamEvents(G1)).Max(e => e.Sequence));
        }

        // A later booking reaches the cached facts (only the touched grant is reloaded) and the figures follow.
        await using (var append = App.Store.LightweightSession())
        {
            append.Events.Append(G3, new GrantPaid(G3, Guid.NewGuid(), 500m, Y1, DateOnly.FromDateTime(App.Clock.GetUtcNow().UtcDateTime), App.Clock.GetUtcNow()));
            await append.SaveChangesAsync();
        }
        var after = (await Get(Officer, "/reports/funding?groupBy=programme")).Json();
        Figures(Row(after, ("programme", P2.ToString())), 5000.01m, 500m, 1, 2, 2);
        Figures(Row(after, ("programme", P1.ToString())), 13000.01m, 1000m, 2, 3, 2);
        after.GetProperty("basis").GetProperty("factsSequence").GetInt64().ShouldBeGreaterThan(basis.GetProperty("factsSequence").GetInt64());
    }

    [Fact]
    public async Task an_edition_and_an_asOf_read_equal_a_fold_of_every_event_from_the_start()
    {
        await PortfolioUntilSecondApproval();
        var middle = App.Clock.GetUtcNow();
        var edition = (await Post(Officer, "/reports/editions", new { title = "Zwischenstand", publicationDate = $"{Y1}-03-01" }, 201)).Body<CaseVersion>().Id;
        await PortfolioRest();
        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        const string query = "groupBy=programme,district,year";
        var byEdition = (await Get(Officer, $"/reports/funding?{query}&edition={edition}")).Json();
        var byAsOf = (await Get(Officer, $"/reports/funding?{query}&asOf={Uri.EscapeDataString(middle.ToString("O"))}")).Json();

        await using var session = App.Store.QuerySession();
        var pinned = (await session.LoadAsync<ReportEdition>(edition)).ShouldNotBeNull().PinnedSequence;
        var events = await session.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToListAsync();
        var labels = await ReportLabels.Load(session, Host.Services.GetRequiredService<ReferenceCatalogue>(), "de", CancellationToken.None);
        FundingReport Reference(Func<IEvent, bool> include)
        {
            var apps = new Dictionary<Guid, ApplicationFact>();
            var grants = new Dictionary<Guid, GrantFact>();
            foreach (var e in events.Where(include))
            {
                if (e.StreamId != Guid.Empty && apps.ContainsKey(e.StreamId) || e.Data is FundingPrograms.Applications.ApplicationDrafted)
                    if (Facts.Fold(apps.GetValueOrDefault(e.StreamId), e) is { } a) apps[e.StreamId] = a;
                if (e.Data is GrantIssued or GrantAmended or GrantPaid && Facts.Fold(grants.GetValueOrDefault(e.StreamId), e) is { } g) grants[e.StreamId] = g;
            }
            var facts = new FactSet(apps.Values.Where(x => x.SubmittedAt != null).ToList(), grants, null, null);
            return Funding.Compute(facts, null, ["programme", "district", "year"], Funding.AllMeasures, labels, new ReportBasis("reference", null, null, null, null, null));
        }
        void Same(JsonElement actual, FundingReport expected)
        {
            var rows = actual.GetProperty("rows").EnumerateArray().ToList();
            rows.Count.ShouldBe(expected.Rows.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                var (row, want) = (rows[i], expected.Rows[i]);
                foreach (var (dim, code) in want.Key) row.GetProperty("key").GetProperty(dim).GetString().ShouldBe(code);
                Figures(row, want.Granted!.Value, want.Paid!.Value, want.Grants!.Value, want.Applications!.Value, want.Applicants!.Value);
            }
            Figures(actual.GetProperty("total"), expected.Total.Granted!.Value, expected.Total.Paid!.Value, expected.Total.Grants!.Value,
                expected.Total.Applications!.Value, expected.Total.Applicants!.Value);
        }
        Same(byEdition, Reference(e => e.Sequence <= pinned));
        Same(byAsOf, Reference(e => Facts.InstantOf(e.Data) <= middle));
        byEdition.GetProperty("total").GetProperty("granted").GetDecimal().ShouldBe(13000.01m);
        byEdition.GetProperty("basis").GetProperty("pinnedSequence").GetInt64().ShouldBe(pinned);
    }
}

public sealed class when_the_public_embeds_the_heat_map(AppFixture app) : ReportTest(app)
{
    [Fact]
    public async Task it_shows_exactly_the_published_cells_without_sign_in_and_the_suppressed_ones_without_figures()
    {
        await Portfolio();
        var stats = (await Get(null, "/catalogue/statistics?lang=en")).Json();
        var result = await Get(null, "/catalogue/statistics.svg?lang=en");
        result.Context.Response.ContentType.ShouldNotBeNull().ShouldStartWith("image/svg+xml");
        result.Context.Response.Headers["Cross-Origin-Resource-Policy"].ToString().ShouldBe("cross-origin");
        result.Context.Response.Headers.ContentLanguage.ToString().ShouldBe("en");
        var text = result.ReadAsText();
        var root = XDocument.Parse(text).Root!;
        var ns = root.Name.Namespace;
        root.Attribute("aria-labelledby")!.Value.ShouldBe("stat-title stat-desc");
        var labels = root.Descendants(ns + "a").Where(a => a.Attribute("class")?.Value == "district")
            .ToDictionary(a => a.Attribute("data-code")!.Value, a => a.Attribute("aria-label")!.Value);
        labels.Count.ShouldBe(53); // a map of the 53 districts and district-free cities

        // The region totals of the table and the districts agree: a district is hidden or shows its money, and a region that
        // the table publishes never reveals a single hidden district (at least two are hidden in a region, or none).
        var districtsOf = FundingPrograms.ReferenceData.ReferenceCatalogue.Instance.Districts.GroupBy(d => d.Region);
        foreach (var region in districtsOf)
        {
            var hidden = region.Count(d => labels[d.Code].EndsWith(": not published", StringComparison.Ordinal));
            var regionTotal = stats.GetProperty("total").GetProperty("cells").EnumerateArray().Single(c => c.GetProperty("column").GetString() == region.Key);
            if (!regionTotal.GetProperty("suppressed").GetBoolean())
                hidden.ShouldNotBe(1, $"{region.Key}: one hidden district could be recomputed from the region's published total");
        }
        labels.Values.Count(l => l.EndsWith(": not published", StringComparison.Ordinal)).ShouldBeGreaterThan(0);
        labels.Values.ShouldAllBe(l => !l.Contains("not published") || !l.Contains("EUR"));
        labels["05315"].ShouldBe("Köln: not published"); // 2 organisations only
        text.ShouldNotContain("Verein Brücke");
        text.ShouldContain("Legend");
        text.ShouldContain("hatched: not published");
        (await Get(null, "/catalogue/statistics.svg?year=abc", 400)).ShouldBeProblem(400);
    }
}

public sealed class when_proofs_of_use_are_examined(AppFixture app) : ProofTest(app)
{
    [Fact]
    public async Task the_processing_times_report_the_days_from_submission_to_examination()
    {
        var grant = await ApprovedGrant("share", "Koordination");
        await PayOut(grant);
        var interim = (await Post(ApplicantToken, $"/grants/{grant}/proofs", new
        {
            kind = "interim", budgetYear = FundingYear,
            content = new
            {
                report = Report(20), numbers = new { lines = new[] { new { line = 1, actual = 2000m } }, ownCash = 0m, volunteerWork = 0m, thirdPartyFunds = 0m, grantReceived = 7000m },
                receipts = new[] { new { number = "H-1", date = $"{FundingYear}-03-31", payee = "Honorarkraft Öztürk", purpose = "Koordination", planLine = 1, amount = 2000m } },
            },
        }, 201)).Body<CaseVersion>().Id;
        await Post(ApplicantToken, $"/proofs/{interim}/submit", new { version = 1 });
        App.Clock.Advance(TimeSpan.FromDays(12));
        await Post(Officer, $"/proofs/{interim}/examination", new { depth = "simple", version = 2 });
        await Post(Officer, $"/proofs/{interim}/examine", new { note = "Zwischennachweis plausibel.", version = 3 });
        var month = BerlinTime.Today(App.Clock.GetUtcNow()).ToString("yyyy-MM");

        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var times = (await Get(Officer, "/reports/processing-times")).Json();
        var proofRows = times.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("measure").GetString() == "proofSubmittedToExamined").ToList();
        proofRows.Count.ShouldBe(1);
        proofRows[0].GetProperty("programmeId").GetGuid().ShouldBe(ProgrammeId);
        proofRows[0].GetProperty("month").GetString().ShouldBe(month);
        proofRows[0].GetProperty("count").GetInt32().ShouldBe(1);
        proofRows[0].GetProperty("medianDays").GetDecimal().ShouldBe(12m);
        proofRows[0].GetProperty("p90Days").GetDecimal().ShouldBe(12m);
        times.GetProperty("notes").EnumerateArray().Select(n => n.GetString()).ShouldContain(n => n!.StartsWith("proofSubmittedToExamined"));

        var result = await Get(Officer, "/reports/processing-times/export?format=csv");
        var stream = new MemoryStream();
        await result.Context.Response.Body.CopyToAsync(stream);
        ReportFiles.ParseCsv(stream.ToArray(), ',').Skip(1).ShouldContain(r => r[0] == "proofSubmittedToExamined" && r[3] == month && r[4] == "1");
    }
}

public sealed class when_claims_are_exported(AppFixture app) : RecoveryTest(app)
{
    private async Task<byte[]> Download(string url, string contentType)
    {
        var result = await Get(Finance, url);
        result.Context.Response.ContentType.ShouldNotBeNull().ShouldStartWith(contentType);
        var stream = new MemoryStream();
        await result.Context.Response.Body.CopyToAsync(stream);
        return stream.ToArray();
    }

    [Fact]
    public async Task csv_and_xlsx_hold_the_claims_list_with_interest_and_balance()
    {
        await Booked(3000m, new(FundingYear, 1, 15), new(FundingYear, 1, 15));
        SetToday(FundingYear, 2, 1);
        await EnterRates(new DateOnly(FundingYear, 1, 1));
        foreach (var principal in new[] { 400m, 250.55m })
            await Post(Finance, $"/grants/{GrantId}/recovery-claims", new { principal, ineffectiveFrom = $"{FundingYear}-01-20", reason = "Überzahlung laut Verwendungsnachweis" }, 201);
        var list = (await Get(Finance, "/recovery-claims")).Json().GetProperty("items").EnumerateArray()
            .OrderBy(c => c.GetProperty("principal").GetDecimal()).ToList();
        list.Count.ShouldBe(2);

        var csv = ReportFiles.ParseCsv(await Download("/reports/lists/claims/export?format=csv&separator=semicolon", "text/csv"), ';');
        // The German (';') file has German column names.
        csv[0].ShouldBe(new[] { "id", "reference", "grantReference", "organisationName", "basis", "status", "principal", "costs", "received", "interestToDate", "balance",
            "dueOn", "overdueSince", "reminders", "asOf", "missingBaseRate" }.Select(n => FundingPrograms.Reports.Export.GermanColumns.GetValueOrDefault(n, n)));
        csv[0][6].ShouldBe("Hauptforderung (EUR)");
        var de = CultureInfo.GetCultureInfo("de-DE");
        var fromCsv = csv.Skip(1).OrderBy(r => decimal.Parse(r[6], de)).ToList();
        for (var i = 0; i < 2; i++)
        {
            fromCsv[i][1].ShouldBe(list[i].GetProperty("reference").GetString());
            fromCsv[i][5].ShouldBe(list[i].GetProperty("status").GetString());
            decimal.Parse(fromCsv[i][6], de).ShouldBe(list[i].GetProperty("principal").GetDecimal());
            decimal.Parse(fromCsv[i][9], de).ShouldBe(list[i].GetProperty("interestToDate").GetDecimal());
            decimal.Parse(fromCsv[i][10], de).ShouldBe(list[i].GetProperty("balance").GetDecimal());
        }
        var xlsx = ReportFiles.ParseXlsx(await Download("/reports/lists/claims/export?format=xlsx", "application/vnd.openxmlformats"));
        xlsx.Count.ShouldBe(3);
        xlsx.Skip(1).Sum(r => (decimal)r[6]!).ShouldBe(650.55m);
        (await Get(Applicant(OrgId), "/reports/lists/claims/export?format=csv", 403)).ShouldBeProblem(403);
        (await Get(Finance, "/reports/lists/claims/export?format=csv&status=lost", 400)).ShouldBeProblem(400);
    }
}

public sealed class when_a_fact_is_folded
{
    [Fact]
    public void the_fold_never_changes_the_fact_it_starts_from()
    {
        var id = Guid.NewGuid();
        var before = new GrantFact { Id = id, Granted = 100m, PaidPerYear = [new YearAmount(2027, 10m)], LastSequence = 5 };
        var paid = new JasperFx.Events.Event<GrantPaid>(new GrantPaid(id, Guid.NewGuid(), 20m, 2027, new DateOnly(2027, 1, 2), DateTimeOffset.UnixEpoch.AddDays(3))) { Sequence = 9 };
        var after = Facts.Fold(before, paid).ShouldNotBeNull();
        after.PaidPerYear.Single().Amount.ShouldBe(30m);
        after.LastSequence.ShouldBe(9);
        after.LatestAt.ShouldBe(DateTimeOffset.UnixEpoch.AddDays(3));
        before.PaidPerYear.Single().Amount.ShouldBe(10m);
        before.LastSequence.ShouldBe(5);
    }
}
