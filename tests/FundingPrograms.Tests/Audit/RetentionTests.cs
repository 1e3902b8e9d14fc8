using System.Globalization;
using FundingPrograms.Audit;
using FundingPrograms.Infrastructure;
using FundingPrograms.Organisations;
using FundingPrograms.Tests.Infrastructure;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace FundingPrograms.Tests.Audit;

public sealed class when_the_retention_period_ends(AppFixture app) : ApiTest(app)
{
    private async Task<Guid> OrganisationWithAWithdrawnApplication()
    {
        var (_, call) = await this.OpenCall(Officer, App.Clock);
        var org = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Founder", sub: "founder"), Officer);
        var id = await this.Draft(Applicant(org), call, ApplicationSamples.Content(App.Clock));
        await Post(Applicant(org), $"/applications/{id}/withdraw", new { reason = "Projekt anders finanziert", version = 1 });
        return org;
    }

    private async Task Run(bool scheduled = false)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(new RetentionSweep(scheduled));
    }

    private async Task<bool> Erased(Guid org) =>
        (await Get(Officer, $"/organisations/{org}")).Json().GetProperty("contactPersons")[0].GetProperty("erased").GetBoolean();

    private async Task<System.Text.Json.JsonElement> Report() => (await Get(Auditor, "/audit/retention")).Json();

    [Fact]
    public async Task the_daily_run_erases_personal_data_like_the_endpoint_unless_a_legal_hold_applies()
    {
        var org = await OrganisationWithAWithdrawnApplication();
        await Run();
        (await Erased(org)).ShouldBeFalse("retention runs 5 years after the withdrawal");
        (await Report()).GetProperty("due").GetArrayLength().ShouldBe(0);

        App.Clock.Advance(TimeSpan.FromDays(5 * 366 + 2));
        var due = (await Report()).GetProperty("due");
        due.GetArrayLength().ShouldBe(1);
        due[0].GetProperty("organisationId").GetGuid().ShouldBe(org);

        // A pending court case: the auditor places a hold, and the run leaves the data alone.
        (await Post(Auditor, $"/organisations/{org}/legal-holds", new { reason = " " }, 400)).ShouldBeProblem(400);
        var hold = (await Post(Auditor, $"/organisations/{org}/legal-holds", new { reason = "Klage VG Köln 7 K 123/31 anhängig" }, 201)).Json().GetProperty("id").GetGuid();
        var report = await Report();
        report.GetProperty("due").GetArrayLength().ShouldBe(0);
        report.GetProperty("held")[0].GetProperty("legalHolds")[0].GetProperty("reason").GetString()!.ShouldContain("7 K 123/31");
        await Run();
        (await Erased(org)).ShouldBeFalse("a legal hold keeps the data");

        await Post(Officer, $"/legal-holds/{hold}/lift", new { reason = "Verfahren rechtskräftig abgeschlossen", version = 1 });
        (await Post(Officer, $"/legal-holds/{hold}/lift", new { reason = "again", version = 2 }, 409)).ShouldBeProblem(409);
        await Run();
        (await Erased(org)).ShouldBeTrue();

        var erasure = (await AllEvents()).Single(e => e.EventTypeName == "personal_data_erased");
        ((PersonalDataErased)erasure.Data).Basis.ShouldBe(ErasureBasis.RetentionEnded);
        erasure.UserName.ShouldBe(RetentionSweepHandler.UserName);
        await using (var session = App.Store.QuerySession())
            (await session.Query<PersonalDataKey>().CountAsync()).ShouldBe(0);
        report = await Report();
        report.GetProperty("due").GetArrayLength().ShouldBe(0);
        report.GetProperty("erased")[0].GetProperty("basis").GetString().ShouldBe("retentionEnded");
        (await AllEvents()).Select(e => e.EventTypeName).ShouldContain("legal_hold_lifted");

        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var verify = (await Get(Auditor, "/audit/verify")).Json();
        verify.GetProperty("intact").GetBoolean().ShouldBeTrue(verify.ToString());
    }

    [Fact]
    public async Task the_scheduled_run_happens_once_a_day_however_many_nodes_start_it()
    {
        var org = await OrganisationWithAWithdrawnApplication();
        App.Clock.Advance(TimeSpan.FromDays(5 * 366 + 2));
        await Task.WhenAll(Run(scheduled: true), Run(scheduled: true), Run(scheduled: true));
        (await Erased(org)).ShouldBeTrue();
        (await AllEvents()).Count(e => e.EventTypeName == "personal_data_erased").ShouldBe(1);
        await using var session = App.Store.QuerySession();
        (await session.Query<RetentionRun>().CountAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task holds_are_refused_to_applicants_and_for_unknown_organisations()
    {
        var org = await OrganisationWithAWithdrawnApplication();
        (await Post(Applicant(org), $"/organisations/{org}/legal-holds", new { reason = "x" }, 403)).ShouldBeProblem(403);
        (await Post(Officer, $"/organisations/{Guid.NewGuid()}/legal-holds", new { reason = "x" }, 404)).ShouldBeProblem(404);
        (await Post(Officer, $"/legal-holds/{Guid.NewGuid()}/lift", new { reason = "x", version = 1 }, 404)).ShouldBeProblem(404);
        (await AllEvents()).ShouldNotContain(e => e.EventTypeName.StartsWith("legal_hold"));
    }

    [Theory]
    [InlineData("2026-11-27T02:30:00Z", "2026-11-28T01:00:00Z")]
    [InlineData("2026-11-27T00:30:00Z", "2026-11-27T01:00:00Z")]
    [InlineData("2026-07-01T00:30:00Z", "2026-07-02T00:00:00Z")]
    [InlineData("2027-03-27T12:00:00Z", "2027-03-28T01:00:00Z")] // 02:00 does not exist on the last Sunday of March: 03:00 CEST
    [InlineData("2027-10-30T12:00:00Z", "2027-10-31T01:00:00Z")] // 02:00 happens twice on the last Sunday of October: the second
    [InlineData("2027-12-31T21:30:00Z", "2028-01-01T01:00:00Z")] // 22:30 on New Year's Eve in Berlin
    [InlineData("2027-12-31T23:30:00Z", "2028-01-01T01:00:00Z")] // 00:30 on 1 January in Berlin, still 31 December in UTC
    public void the_next_run_is_at_two_in_the_morning_in_berlin(string now, string next) =>
        RetentionSweepHandler.NextRun(DateTimeOffset.Parse(now, CultureInfo.InvariantCulture)).ShouldBe(DateTimeOffset.Parse(next, CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("2028-02-28T06:00:00Z", 6, "2028-02-29T05:00:00Z")] // a leap day
    [InlineData("2027-03-28T03:59:00Z", 6, "2027-03-28T04:00:00Z")] // 06:00 CEST on the day the clocks go forward
    [InlineData("2027-10-31T04:59:00Z", 6, "2027-10-31T05:00:00Z")] // 06:00 CET on the day the clocks go back
    [InlineData("2027-06-30T22:30:00Z", 0, "2027-07-01T22:00:00Z")] // 00:30 on 1 July in Berlin: the next midnight is 2 July
    public void a_daily_sweep_runs_at_its_berlin_hour_on_every_day(string now, int hour, string next) =>
        RecurringWork.NextDaily(DateTimeOffset.Parse(now, CultureInfo.InvariantCulture), hour).ShouldBe(DateTimeOffset.Parse(next, CultureInfo.InvariantCulture));
}
