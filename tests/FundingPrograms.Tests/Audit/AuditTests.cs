using System.Text.Json;
using Alba;
using FundingPrograms.Audit;
using FundingPrograms.Infrastructure;
using FundingPrograms.Tests.Infrastructure;
using FundingPrograms.Tests.Payments;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;

namespace FundingPrograms.Tests.Audit;

public sealed class when_an_auditor_reads_the_trail(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task it_filters_by_user_type_case_and_time_and_pages_by_cursor()
    {
        var start = TimeProvider.System.GetUtcNow().AddSeconds(-1); // wall clock: Marten stamps events with the process's system clock
        var (programme, call) = await this.OpenCall(Officer, App.Clock);
        await Post(Officer2, $"/programmes/{programme}/budget/increase", new { budgetLine = "0710/684 10", year = Year, amount = 1000m, reason = "Nachtrag", version = 4 });
        var org = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Founder", sub: "founder"), Officer);

        var all = (await Get(Auditor, "/audit/events?limit=500")).Json();
        all.GetProperty("items").GetArrayLength().ShouldBe((await AllEvents()).Count);
        var byOmar = (await Get(Auditor, "/audit/events?user=Omar%20Officer")).Json().GetProperty("items");
        byOmar.GetArrayLength().ShouldBe(1);
        byOmar[0].GetProperty("entry").GetProperty("reason").GetString().ShouldBe("Nachtrag");
        byOmar[0].GetProperty("entry").GetProperty("type").GetString().ShouldBe("budget_increased");
        byOmar[0].GetProperty("entry").GetProperty("correlationId").GetString().ShouldNotBeNullOrEmpty();
        (await Get(Auditor, "/audit/events?type=call_opened")).Json().GetProperty("items").GetArrayLength().ShouldBe(1);
        (await Get(Auditor, $"/audit/events?caseId={org}")).Json().GetProperty("items").GetArrayLength().ShouldBe(3);
        (await Get(Auditor, $"/audit/events?from={Uri.EscapeDataString(start.AddHours(1).ToString("O"))}")).Json().GetProperty("items").GetArrayLength().ShouldBe(0);

        var first = (await Get(Auditor, "/audit/events?limit=2")).Json();
        var next = (await Get(Auditor, $"/audit/events?limit=2&cursor={first.GetProperty("nextCursor").GetString()}")).Json();
        next.GetProperty("items")[0].GetProperty("entry").GetProperty("sequence").GetInt64()
            .ShouldBeGreaterThan(first.GetProperty("items")[1].GetProperty("entry").GetProperty("sequence").GetInt64());
        (await Get(Auditor, $"/audit/cases/{programme}")).Json().GetArrayLength().ShouldBe(5);
        (await Get(Auditor, "/audit/events?type=no_such_event", 400)).ShouldBeProblem(400);
        (await Get(Officer, "/audit/events", 403)).ShouldBeProblem(403);
    }

    [Fact]
    public async Task the_auditor_role_is_refused_by_every_command_endpoint()
    {
        var doc = (await Get(null, "/openapi/v1.json")).Json();
        var commands = 0;
        foreach (var path in doc.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "post" or "put" or "patch" or "delete"))
            {
                // The one command an auditor may give: a legal hold (and lifting it), which keeps personal data from retention erasure.
                if (path.Name.Contains("legal-holds")) continue;
                var url = System.Text.RegularExpressions.Regex.Replace(path.Name, "{[^}]+}", Guid.NewGuid().ToString());
                var result = await Send(Auditor, s =>
                {
                    if (operation.Name == "put") s.Put.Json(new { }).ToUrl(url); else s.Post.Json(new { }).ToUrl(url);
                    s.IgnoreStatusCode();
                });
                result.Context.Response.StatusCode.ShouldBe(403, $"{operation.Name.ToUpperInvariant()} {path.Name}");
                commands++;
            }
        commands.ShouldBeGreaterThan(30);
        (await AllEvents()).ShouldBeEmpty();
    }
}

public sealed class when_an_auditor_travels_in_time(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task applications_organisations_and_grants_are_shown_as_of_a_version_or_an_instant()
    {
        var (_, call) = await this.OpenCall(Officer, App.Clock);
        var org = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Founder", sub: "founder"), Officer);
        var applicant = Applicant(org);
        var id = await this.Draft(applicant, call, ApplicationSamples.Content(App.Clock));
        await Task.Delay(50);
        var beforeSubmit = TimeProvider.System.GetUtcNow(); // wall clock: asOf reads event timestamps, which Marten takes from the system clock
        await Task.Delay(50);
        await Post(applicant, $"/applications/{id}/submit", new { version = 1 });

        (await Get(Auditor, $"/applications/{id}")).Json().GetProperty("state").GetString().ShouldBe("submitted");
        (await Get(Auditor, $"/applications/{id}?version=1")).Json().GetProperty("state").GetString().ShouldBe("draft");
        (await Get(Auditor, $"/applications/{id}?asOf={Uri.EscapeDataString(beforeSubmit.ToString("O"))}")).Json().GetProperty("state").GetString().ShouldBe("draft");
        (await Get(Auditor, $"/organisations/{org}?version=1")).Json().GetProperty("verified").GetBoolean().ShouldBeFalse();
        (await Get(Auditor, $"/organisations/{org}")).Json().GetProperty("verified").GetBoolean().ShouldBeTrue();
        (await Get(Auditor, $"/applications/{id}?asOf={Uri.EscapeDataString(TestClock.SuiteStart.AddYears(-2).ToString("O"))}", 404)).ShouldBeProblem(404);
        (await Get(Auditor, $"/applications/{id}?version=abc", 400)).ShouldBeProblem(400);
        (await Get(Applicant(Guid.NewGuid()), $"/applications/{id}?version=1", 404)).ShouldBeProblem(404);
    }
}

public sealed class when_read_models_are_rebuilt(AppFixture app) : PaymentTest(app)
{
    [Fact]
    public async Task every_read_model_equals_the_live_one()
    {
        // A realistic history: programme, organisation, applications, a grant with an amendment, payments, a batch, a statement.
        var (payment, _) = await Exported(2500m);
        var endToEnd = (await Payment(payment)).GetProperty("endToEndId").GetString()!;
        await Import(Sample("booked-and-unrelated.xml").Replace("E2E-TEST-0001", endToEnd).Replace("7500.00", "2500.00"));
        await Post(Officer, $"/grants/{GrantId}/amendments", new { conditions = "Zusätzlicher Zwischenbericht", reason = "Auflage", version = 3 });
        var rejected = await Assessed("Andere Stelle");
        await Post(Approver, $"/applications/{rejected}/reject", new { reasons = "Kein Bedarf", version = 4 });

        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60)); // the report facts are async projections
        var live = await Snapshot();
        await Host.Services.GetRequiredService<ReadModelRebuilder>().RebuildAll(TestContext.Current.CancellationToken);
        var rebuilt = await Snapshot();
        rebuilt.Keys.ShouldBe(live.Keys);
        foreach (var (name, json) in live) rebuilt[name].ShouldBe(json, $"{name} differs after the rebuild");
        live.Values.Sum(v => v.Length).ShouldBeGreaterThan(5000);
    }

    private async Task<Dictionary<string, string>> Snapshot()
    {
        await using var session = App.Store.QuerySession();
        var result = new Dictionary<string, string>();
        async Task Add<T>() where T : class
        {
            var docs = await session.Query<T>().ToListAsync();
            var json = docs.Select(d => JsonSerializer.Serialize(d, d.GetType())).Order().ToList();
            json.ShouldNotBeEmpty(typeof(T).Name);
            result[typeof(T).Name] = string.Join("\n", json);
        }
        await Add<FundingPrograms.Programmes.Programme>();
        await Add<FundingPrograms.Organisations.Organisation>();
        await Add<FundingPrograms.Applications.Application>();
        await Add<FundingPrograms.Grants.Grant>();
        await Add<FundingPrograms.Payments.Payment>();
        await Add<FundingPrograms.Payments.PaymentBatch>();
        await Add<FundingPrograms.Payments.StatementRecord>();
        await Add<FundingPrograms.Reports.ApplicationFact>();
        await Add<FundingPrograms.Reports.GrantFact>();
        await Add<FundingPrograms.Reports.FactHistory>();
        return result;
    }
}
