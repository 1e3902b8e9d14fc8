using System.Globalization;
using FundingPrograms.Infrastructure;
using FundingPrograms.Tests.Infrastructure;

namespace FundingPrograms.Tests.RealProcess;

/// <summary>?asOf= is ISO 8601 only; without an offset it is Berlin time (the service runs on the real clock here).</summary>
[Collection(nameof(ContractSweepCollection))]
public sealed class as_of_on_the_real_server(ContractSweepFixture fixture)
{
    private ServiceProcess S => fixture.Service;

    [Theory]
    [InlineData("/reports/funding?asOf=3.2.2027")]
    [InlineData("/reports/funding?asOf=02/03/2027")]
    [InlineData("/reports/funding?asOf=March%202,%202027")]
    [InlineData("/reports/funding?asOf=2027-3-2")]
    [InlineData("/reports/funding/export?format=csv&asOf=3.2.2027")]
    [InlineData("/reports/coverage?asOf=2027-02-30")]
    public async Task a_date_in_another_form_is_400_naming_the_iso_form(string url)
    {
        var officer = S.Token(Roles.Officer, "Anna Officer");
        var (status, body, response) = await S.Send(HttpMethod.Get, url, officer);
        ((int)status).ShouldBe(400, body.ToString());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var error = body.GetProperty("errors").GetProperty("asOf")[0].GetString()!;
        error.ShouldContain("ISO 8601");
        error.ShouldContain("2027-03-02T12:00");
    }

    [Fact]
    public async Task an_as_of_without_offset_is_berlin_time()
    {
        var before = ServiceProcess.Clock.GetUtcNow(); // the service's clock: the case is created after this instant
        var founder = S.Token(Roles.Applicant, "Asof Founder", sub: "asof-" + Guid.NewGuid().ToString("N")[..6]);
        var org = (await S.Post(founder, "/organisations", ApplicationSamples.Organisation("Zeitverein e.V."), 201)).GetProperty("id").GetGuid();
        var officer = S.Token(Roles.Officer, "Anna Officer");

        // Half an hour before the registration, written as Berlin wall-clock time without offset. Read as UTC it would be an
        // hour (two in summer) later, after the registration.
        var berlin = TimeZoneInfo.ConvertTime(before.AddMinutes(-30), BerlinTime.Zone).DateTime;
        var local = berlin.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var (status, body, _) = await S.Send(HttpMethod.Get, $"/organisations/{org}?asOf={local}", officer);
        ((int)status).ShouldBe(404, $"asOf={local} (Berlin) is before the registration at {before:O}: {body}");

        var later = TimeZoneInfo.ConvertTime(ServiceProcess.Clock.GetUtcNow().AddMinutes(1), BerlinTime.Zone).DateTime;
        (status, body, _) = await S.Send(HttpMethod.Get, $"/organisations/{org}?asOf={later.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture)}", officer);
        ((int)status).ShouldBe(200, body.ToString());
        var utc = ServiceProcess.Clock.GetUtcNow().AddMinutes(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        (status, body, _) = await S.Send(HttpMethod.Get, $"/organisations/{org}?asOf={utc}", officer);
        ((int)status).ShouldBe(200, body.ToString());
        // An explicit offset other than Z (it used to reach PostgreSQL as such and answer 500).
        var plusOne = ServiceProcess.Clock.GetUtcNow().AddMinutes(1).ToOffset(TimeSpan.FromHours(1)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        (status, body, _) = await S.Send(HttpMethod.Get, $"/organisations/{org}?asOf={Uri.EscapeDataString(plusOne)}", officer);
        ((int)status).ShouldBe(200, body.ToString());
    }
}
