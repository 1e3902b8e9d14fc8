using FundingPrograms.Infrastructure;
using FundingPrograms.Tests.Infrastructure;

namespace FundingPrograms.Tests.RealProcess;

/// <summary>
/// What the real-process fixtures seed over HTTP, dated from the service's own clock: a published programme budgeted for this year
/// and the next, an open call, a verified organisation with a confirmed account, one approved grant and one rejected application.
/// </summary>
public sealed record SeededPortfolio(Guid Programme, Guid Call, Guid Organisation, Guid Approved, Guid Grant, Guid Rejected, string Officer, string Applicant)
{
    public static async Task<SeededPortfolio> Seed(ServiceProcess s)
    {
        var officer = s.Token(Roles.Officer, "Anna Officer");
        var officer2 = s.Token(Roles.Officer, "Omar Officer");
        var approver = s.Token(Roles.Approver, "Bernd Approver");
        var clock = ServiceProcess.Clock;
        var today = BerlinTime.Today(clock.GetUtcNow());
        var programme = (await s.Post(officer, "/programmes", Samples.Programme(), 201)).GetProperty("id").GetGuid();
        await s.Post(officer, $"/programmes/{programme}/publish", new { version = 1 });
        for (var i = 0; i < 2; i++)
            await s.Post(officer, $"/programmes/{programme}/budget/allocate",
                new { budgetLine = "0710/684 10", budgetLineName = "Zuschüsse an MSO", year = today.Year + i, amount = 500000m, version = 2 + i });
        var call = (await s.Post(officer, $"/programmes/{programme}/calls", Samples.OpenCallNow(clock, 4), 201)).GetProperty("callId").GetGuid();

        var founder = s.Token(Roles.Applicant, "Founder", sub: "founder-" + Guid.NewGuid().ToString("N")[..6]);
        var org = (await s.Post(founder, "/organisations", ApplicationSamples.Organisation(), 201)).GetProperty("id").GetGuid();
        await s.Post(officer, $"/organisations/{org}/verify", new { migrationBackgroundDocumented = true, nonProfitStatusChecked = true, evidence = "Satzung geprüft", version = 1 });
        var change = (await s.Get(officer, $"/organisations/{org}")).GetProperty("bankAccounts")[0].GetProperty("changeId").GetGuid();
        await s.Post(officer, $"/organisations/{org}/bank-accounts/{change}/confirm", new { version = 2 });
        var applicant = s.Token(Roles.Applicant, "Ayse Applicant", org);

        var start = today;
        var end = start.AddMonths(11);
        var content = ApplicationSamples.Content(clock).With("periodStart", start.ToString("yyyy-MM-dd")).With("periodEnd", end.ToString("yyyy-MM-dd"));
        async Task<Guid> Assessed()
        {
            var application = (await s.Post(applicant, "/applications", new { callId = call, content }, 201)).GetProperty("id").GetGuid();
            await s.Post(applicant, $"/applications/{application}/submit", new { version = 1 });
            await s.Post(officer2, $"/applications/{application}/formal-check", new { version = 2 });
            await s.Post(officer2, $"/applications/{application}/assess", new
            {
                scores = new[] { new { criterion = "need", score = 80m }, new { criterion = "quality", score = 70m }, new { criterion = "sustainability", score = 60m } },
                recommendation = "approve", recommendedAmount = 7000m, version = 3,
            });
            return application;
        }
        var approved = await Assessed();
        object? split = start.Year == end.Year ? null : new[] { new { year = start.Year, amount = 5000m }, new { year = end.Year, amount = 2000m } };
        var grant = (await s.Post(approver, $"/applications/{approved}/approve", GrantSamples.Approval(yearSplit: split))).GetProperty("grantId").GetGuid();
        var rejected = await Assessed();
        await s.Post(approver, $"/applications/{rejected}/reject", new { reasons = "Die Mittel des Aufrufs sind ausgeschöpft.", version = 4 });
        return new SeededPortfolio(programme, call, org, approved, grant, rejected, officer, applicant);
    }
}
