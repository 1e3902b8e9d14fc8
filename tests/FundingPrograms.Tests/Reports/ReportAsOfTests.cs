using System.Diagnostics;
using System.Text.Json;
using Alba;
using FundingPrograms.Applications;
using FundingPrograms.Infrastructure;
using FundingPrograms.Payments;
using FundingPrograms.Programmes;
using FundingPrograms.ReferenceData;
using FundingPrograms.Reports;
using FundingPrograms.Tests.Infrastructure;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;

namespace FundingPrograms.Tests.Reports;

/// <summary>
/// asOf and editions read the versions of the report facts (<see cref="FactHistory"/>): one application and its grant change
/// step by step, one day apart, and every step's figures come back, to the cent, at its instant.
/// </summary>
public sealed class when_a_case_changes_step_by_step(AppFixture app) : ReportTest(app)
{
    private static string At(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("O"));

    private async Task<JsonElement> AsOf(DateTimeOffset t) =>
        (await Get(Officer, $"/reports/funding?groupBy=dimension,district&asOf={At(t)}")).Json();

    /// <summary>The figures of the single row (or none) and of the total.</summary>
    private static void Only(JsonElement report, string? dimension, string? district, decimal granted, decimal paid, int grants, int applications)
    {
        var rows = report.GetProperty("rows").EnumerateArray().ToList();
        if (dimension is null)
        {
            rows.ShouldBeEmpty();
        }
        else
        {
            rows.Count.ShouldBe(1);
            rows[0].GetProperty("key").GetProperty("dimension").GetString().ShouldBe(dimension);
            rows[0].GetProperty("key").GetProperty("district").GetString().ShouldBe(district);
            Figures(rows[0], granted, paid, grants, applications, applications);
        }
        Figures(report.GetProperty("total"), granted, paid, grants, applications, applications);
    }

    [Fact]
    public async Task asOf_each_step_gives_that_steps_figures_and_an_edition_keeps_its_step()
    {
        var t0 = App.Clock.GetUtcNow();
        var y1 = FundingYear;
        var programme = await this.PublishedProgramme(Officer);
        var call = (await Post(Officer, $"/programmes/{programme}/calls", Samples.OpenCallNow(App.Clock, 3), 201)).Body<CallCreated>().CallId;
        await Post(Officer, $"/programmes/{programme}/budget/allocate", new { budgetLine = "0710/684 10", year = y1, amount = 100000m, version = 4 });
        var org = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Founder A", sub: "founder-a"), Officer,
            ApplicationSamples.Organisation("Verein Brücke e.V.", "mso", "05315"));
        var applicant = Applicant(org);
        var content = GrantSamples.NextYearContent(App.Clock, "Schritte").With("targetDimension", "II").With("districts", new[] { "05315" });

        var steps = new List<DateTimeOffset>();
        void Next()
        {
            App.Clock.Advance(TimeSpan.FromDays(1));
            steps.Add(App.Clock.GetUtcNow());
        }

        Next(); // 0: drafted (II, Köln)
        var id = await this.Draft(applicant, call, content);
        Next(); // 1: edited (III, Bielefeld)
        await Put(applicant, $"/applications/{id}", new { content = content.With("targetDimension", "III").With("districts", new[] { "05711" }), version = 1 });
        Next(); // 2: submitted
        await Post(applicant, $"/applications/{id}/submit", new { version = 2 });
        Next(); // 3: formally checked and assessed
        await Post(Officer2, $"/applications/{id}/formal-check", new { version = 3 });
        await Post(Officer2, $"/applications/{id}/assess", new
        {
            scores = new[] { new { criterion = "need", score = 80m }, new { criterion = "quality", score = 70m }, new { criterion = "sustainability", score = 60m } },
            recommendation = "approve", recommendedAmount = 7000m, version = 4,
        });
        Next(); // 4: approved with 6000 EUR
        var grant = (await Post(Approver, $"/applications/{id}/approve", GrantSamples.Approval(6000m, reductionReason: "Honorare gekürzt", version: 5)))
            .Json().GetProperty("grantId").GetGuid();
        var edition = (await Post(Officer, "/reports/editions", new { title = "Nach der Bewilligung", publicationDate = $"{y1}-03-01" }, 201)).Body<CaseVersion>().Id;
        Next(); // 5: amended down to 5500 EUR
        await Post(Officer, $"/grants/{grant}/amendments", new { amount = 5500m, reason = "Kürzung", version = 1 });
        Next(); // 6: 1000 EUR booked
        await using (var session = App.Store.LightweightSession())
        {
            session.Events.Append(grant, new GrantPaid(grant, Guid.NewGuid(), 1000m, y1, DateOnly.FromDateTime(App.Clock.GetUtcNow().UtcDateTime), App.Clock.GetUtcNow()));
            await session.SaveChangesAsync();
        }
        Next(); // 7: nothing more

        Only(await AsOf(steps[0].AddTicks(-1)), null, null, 0m, 0m, 0, 0);
        Only(await AsOf(steps[0]), null, null, 0m, 0m, 0, 0);  // a draft is no application yet
        Only(await AsOf(steps[1]), null, null, 0m, 0m, 0, 0);
        Only(await AsOf(steps[2]), "III", "05711", 0m, 0m, 0, 1); // the edited content, not the drafted one
        Only(await AsOf(steps[3]), "III", "05711", 0m, 0m, 0, 1);
        Only(await AsOf(steps[4].AddTicks(-1)), "III", "05711", 0m, 0m, 0, 1);
        Only(await AsOf(steps[4]), "III", "05711", 6000m, 0m, 1, 1);
        Only(await AsOf(steps[5]), "III", "05711", 5500m, 0m, 1, 1);
        Only(await AsOf(steps[6]), "III", "05711", 5500m, 1000m, 1, 1);
        Only(await AsOf(steps[7]), "III", "05711", 5500m, 1000m, 1, 1);
        Only((await Get(Officer, "/reports/funding?groupBy=dimension,district")).Json(), "III", "05711", 5500m, 1000m, 1, 1);
        Only((await Get(Officer, $"/reports/funding?groupBy=dimension,district&edition={edition}")).Json(), "III", "05711", 6000m, 0m, 1, 1);

        // The versions: application drafted, edited, submitted, checked, assessed, approved; grant issued, amended, paid.
        await using var query = App.Store.QuerySession();
        var history = (await query.LoadAsync<FactHistory>(id)).ShouldNotBeNull();
        history.Versions.Count.ShouldBe(6);
        history.Versions.Select(v => v.Application!.State).ShouldBe([ApplicationState.Draft, ApplicationState.Draft, ApplicationState.Submitted,
            ApplicationState.FormallyChecked, ApplicationState.Assessed, ApplicationState.Approved]);
        history.OutOfOrder.ShouldBeFalse();
        var grantHistory = (await query.LoadAsync<FactHistory>(grant)).ShouldNotBeNull();
        grantHistory.Versions.Select(v => v.Grant!.Granted).ShouldBe([6000m, 5500m, 5500m]);
        grantHistory.FirstTicks.ShouldBe(steps[4].UtcTicks);
        grantHistory.LatestTicks.ShouldBe(steps[6].UtcTicks);
    }

    [Fact]
    public async Task a_booking_dated_before_an_amendment_counts_by_its_own_instant()
    {
        await Portfolio();
        // G2 (6000.01, Y1) amended down at T0+50d; then a booking whose instant is T0+45d is appended (instants out of order).
        App.Clock.Advance(TimeSpan.FromDays(10));
        var amendedAt = App.Clock.GetUtcNow();
        await Post(Officer, $"/grants/{G2}/amendments", new { amount = 5000m, reason = "Kürzung", version = 1 });
        var bookedAt = amendedAt.AddDays(-5);
        await using (var session = App.Store.LightweightSession())
        {
            session.Events.Append(G2, new GrantPaid(G2, Guid.NewGuid(), 700m, Y1, DateOnly.FromDateTime(bookedAt.UtcDateTime), bookedAt));
            await session.SaveChangesAsync();
        }

        var between = (await Get(Officer, $"/reports/funding?groupBy=programme&asOf={At(bookedAt.AddDays(1))}")).Json();
        Figures(Row(between, ("programme", P1.ToString())), 13000.01m, 1700m, 2, 3, 2); // the booking, not yet the amendment
        var after = (await Get(Officer, $"/reports/funding?groupBy=programme&asOf={At(amendedAt)}")).Json();
        Figures(Row(after, ("programme", P1.ToString())), 12000m, 1700m, 2, 3, 2);
        var before = (await Get(Officer, $"/reports/funding?groupBy=programme&asOf={At(bookedAt.AddTicks(-1))}")).Json();
        Figures(Row(before, ("programme", P1.ToString())), 13000.01m, 1000m, 2, 3, 2);

        await using var query = App.Store.QuerySession();
        (await query.LoadAsync<FactHistory>(G2)).ShouldNotBeNull().OutOfOrder.ShouldBeTrue();
        (await query.LoadAsync<FactHistory>(G1)).ShouldNotBeNull().OutOfOrder.ShouldBeFalse();
    }
}

/// <summary>The watchdog of the async report facts: every fact reflects the last event its projection has passed.</summary>
public sealed class when_a_report_fact_falls_out_of_step(AppFixture app) : ReportTest(app)
{
    [Fact]
    public async Task the_health_check_counts_it_and_names_its_id()
    {
        await Portfolio();
        var healthy = (await Get(Auditor, "/reports/facts/health")).Json();
        healthy.GetProperty("consistent").GetBoolean().ShouldBeTrue();
        var projections = healthy.GetProperty("projections").EnumerateArray().ToDictionary(p => p.GetProperty("fact").GetString()!);
        projections["application"].GetProperty("streams").GetInt32().ShouldBe(6);
        projections["grant"].GetProperty("streams").GetInt32().ShouldBe(3);
        projections["grant"].GetProperty("highWaterMark").GetInt64().ShouldBeGreaterThanOrEqualTo((await AllEvents()).Where(e => e.Data is GrantPaid).Max(e => e.Sequence));
        projections["application"].GetProperty("mismatching").GetInt32().ShouldBe(0);

        // A fact that missed its last event (as if the daemon had skipped it) and a grant whose fact is gone.
        await using (var session = App.Store.LightweightSession())
        {
            var schema = App.Store.Options.DatabaseSchemaName;
            session.QueueSqlCommand($"update {schema}.mt_doc_applicationfact set data = jsonb_set(data, '{{lastSequence}}', '1'::jsonb) where id = ?", A1);
            session.QueueSqlCommand($"delete from {schema}.mt_doc_grantfact where id = ?", G2);
            await session.SaveChangesAsync();
        }
        var broken = (await Get(Officer, "/reports/facts/health")).Json();
        broken.GetProperty("consistent").GetBoolean().ShouldBeFalse();
        projections = broken.GetProperty("projections").EnumerateArray().ToDictionary(p => p.GetProperty("fact").GetString()!);
        projections["application"].GetProperty("mismatching").GetInt32().ShouldBe(1);
        projections["application"].GetProperty("firstMismatching").EnumerateArray().Select(x => x.GetGuid()).ShouldBe([A1]);
        projections["grant"].GetProperty("mismatching").GetInt32().ShouldBe(1);
        projections["grant"].GetProperty("firstMismatching").EnumerateArray().Select(x => x.GetGuid()).ShouldBe([G2]);
        projections["proof"].GetProperty("mismatching").GetInt32().ShouldBe(0);
        (await Get(Applicant(OrgA), "/reports/facts/health", 403)).ShouldBeProblem(403);
    }
}

/// <summary>
/// A few thousand applications, each changing over two hours: asOf and edition reads at several cuts equal a fold of exactly
/// the events before the cut (the reference), and the time each read takes is written to the test output.
/// </summary>
public sealed class when_many_cases_are_read_as_of_an_instant(AppFixture app) : ReportTest(app)
{
    [Fact]
    public async Task every_cut_equals_a_fold_of_the_events_before_it()
    {
        const int count = 3000;
        var (programme, call) = await this.OpenCall(Officer, App.Clock);
        var start = App.Clock.GetUtcNow();
        var y1 = FundingYear;
        var reference = Host.Services.GetRequiredService<ReferenceCatalogue>();
        var districts = reference.Districts.Select(d => d.Code).ToArray();
        var random = new Random(7);
        var pins = new List<long>();
        // Transaction first, as the service's appends do: the daemon then waits for a slow batch instead of skipping its events.
        for (var batch = 0; batch < count; batch += 50)
        {
            await using var session = App.Store.LightweightSession();
            await session.BeginTransactionAsync(CancellationToken.None);
            for (var i = batch; i < batch + 50; i++)
            {
                var id = Guid.CreateVersion7();
                var at = start.AddMinutes(i);
                var content = new ApplicationContent($"Projekt {i}", $"Vorhaben {i}", "Beschreibung", (i % 3) switch { 0 => "I", 1 => "II", _ => "III" }, ["women"],
                    [districts[i % districts.Length]], new DateOnly(y1, 1, 1), new DateOnly(y1, 12, 31),
                    [new CostItem(CostCategory.Staff, "Stelle", 8000m, 25m, 12, $"Stelle {i}")], 1500m, 0m, [], 6500m, FinancingType.Share);
                var events = new List<object>
                {
                    new ApplicationDrafted(id, new Guid(i / 5 + 1, 0, 0, [0, 0, 0, 0, 0, 0, 0, 2]), $"Verein {i / 5}", "mso", programme, call, content, at),
                    new ApplicationEdited(id, content with { Districts = [districts[(i + 7) % districts.Length]] }, ["districts"], at.AddMinutes(5)),
                };
                var roll = random.Next(100);
                if (roll >= 20) events.Add(new ApplicationSubmitted(id, 10_000m, 7_000m, false, at.AddMinutes(30)));
                if (roll >= 50) events.Add(new ApplicationFormallyChecked(id, null, at.AddMinutes(45)));
                if (roll >= 80) events.Add(new ApplicationWithdrawn(id, "Entfällt", at.AddHours(2)));
                session.Events.StartStream<Application>(id, events.ToArray());
            }
            await session.SaveChangesAsync();
            pins.Add(await HighestSequence());
        }
        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(120));
        await using var query = App.Store.QuerySession();
        (await ReportFactsHealthEndpoint.Check(query, CancellationToken.None)).Consistent.ShouldBeTrue("the async report facts missed events");

        var all = await query.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToListAsync();
        var labels = await ReportLabels.Load(query, reference, "de", CancellationToken.None);
        string[] groupBy = ["dimension", "district"];
        string Expected(Func<IEvent, bool> include)
        {
            var apps = new Dictionary<Guid, ApplicationFact>();
            foreach (var e in all.Where(include))
                if ((apps.ContainsKey(e.StreamId) || e.Data is ApplicationDrafted) && Facts.Fold(apps.GetValueOrDefault(e.StreamId), e) is { } a) apps[e.StreamId] = a;
            var facts = new FactSet(apps.Values.Where(x => x.SubmittedAt != null).ToList(), new Dictionary<Guid, GrantFact>(), null, null);
            var report = Funding.Compute(facts, null, groupBy, Funding.AllMeasures, labels, new ReportBasis("reference", null, null, null, null, null));
            return Text(report.Rows, report.Total);
        }
        async Task<string> Actual(string parameter, string what)
        {
            await Get(Officer, "/reports/funding?groupBy=programme"); // the live facts loaded once (not part of the timing)
            var watch = Stopwatch.StartNew();
            var json = (await Get(Officer, $"/reports/funding?groupBy=dimension,district&{parameter}")).Json();
            TestContext.Current.TestOutputHelper?.WriteLine($"{what}: {watch.ElapsedMilliseconds} ms ({count} applications, {all.Count} events)");
            var rows = json.GetProperty("rows").Deserialize<FundingRow[]>(JsonSerializerOptions.Web)!;
            var total = json.GetProperty("total").Deserialize<FundingRow>(JsonSerializerOptions.Web)!;
            return Text(rows, total);
        }

        foreach (var (cut, what) in new[]
                 {
                     (start.AddDays(-1), "asOf before the seed"), (start.AddMinutes(count / 2.0), "asOf in the middle"),
                     (start.AddMinutes(count - 2), "asOf near the end"), (start.AddMinutes(count + 200), "asOf after everything"),
                 })
            (await Actual($"asOf={Uri.EscapeDataString(cut.ToString("O"))}", what)).ShouldBe(Expected(e => Facts.InstantOf(e.Data) <= cut), what);

        var pinned = pins[pins.Count / 2];
        var edition = Guid.NewGuid(); // an edition frozen in the middle of the seed
        await using (var session = App.Store.LightweightSession())
        {
            session.Store(new ReportEdition { Id = edition, Title = "Mitte", PublicationDate = new DateOnly(y1, 3, 1), PinnedSequence = pinned, FrozenAt = start });
            await session.SaveChangesAsync();
        }
        (await Actual($"edition={edition}", "edition in the middle (first read)")).ShouldBe(Expected(e => e.Sequence <= pinned), "edition");
    }

    private static string Text(IEnumerable<FundingRow> rows, FundingRow total) => string.Join("\n", rows.Append(total).Select(r => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"{string.Join("|", r.Key.OrderBy(k => k.Key).Select(k => k.Value))}: {r.Granted:0.00} {r.Paid:0.00} {r.Grants} {r.Applications} {r.Applicants}")));

    private async Task<long> HighestSequence()
    {
        await using var session = App.Store.QuerySession();
        return await Facts.HighestSequence(session, CancellationToken.None);
    }
}

public sealed class when_a_fact_version_is_recorded
{
    [Fact]
    public void an_event_that_changes_no_figure_keeps_no_version_and_an_earlier_instant_marks_the_stream()
    {
        var id = Guid.NewGuid();
        var t = DateTimeOffset.UnixEpoch.AddYears(57);
        var content = new ApplicationContent("Projekt", "Vorhaben", "Beschreibung", "II", ["women"], ["05315"], new DateOnly(2028, 1, 1), new DateOnly(2028, 12, 31),
            [new CostItem(CostCategory.Staff, "Stelle", 8000m, 25m, 12, "Stelle")], 1500m, 0m, [], 6500m, FinancingType.Share);
        IEvent At<T>(T data, long sequence) where T : notnull => new Event<T>(data) { Sequence = sequence, StreamId = id };

        var history = FactHistoryProjection.Record(null, At(new ApplicationDrafted(id, Guid.NewGuid(), "Verein", "mso", Guid.NewGuid(), Guid.NewGuid(), content, t), 10));
        history = FactHistoryProjection.Record(history, At(new ApplicationEdited(id, content with { Summary = "Neu" }, ["summary"], t.AddHours(1)), 11));
        history.ShouldNotBeNull().Versions.Count.ShouldBe(1); // the summary is in no report
        (history.LastSequence, history.LatestTicks, history.FirstSequence, history.FirstTicks).ShouldBe((11L, t.AddHours(1).UtcTicks, 10L, t.UtcTicks));
        history = FactHistoryProjection.Record(history, At(new ApplicationEdited(id, content with { Districts = ["05711"] }, ["districts"], t.AddHours(2)), 12));
        history = FactHistoryProjection.Record(history, At(new ApplicationSubmitted(id, 10_000m, 6500m, false, t.AddHours(3)), 13));
        history.ShouldNotBeNull().Versions.Select(v => v.Sequence).ShouldBe([10L, 12L, 13L]);
        history.Versions[1].Application!.Districts.ShouldBe(["05711"]);
        history.OutOfOrder.ShouldBeFalse();

        history = FactHistoryProjection.Record(history, At(new ApplicationFormallyChecked(id, null, t.AddHours(2.5)), 14));
        history.ShouldNotBeNull().OutOfOrder.ShouldBeTrue(); // an asOf between the two replays this stream
        history.LatestTicks.ShouldBe(t.AddHours(3).UtcTicks);
        history.Versions.Count.ShouldBe(4);
    }
}
