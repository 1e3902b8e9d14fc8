using FundingPrograms.Grants;
using FundingPrograms.Infrastructure;
using FundingPrograms.Payments;
using FundingPrograms.Proofs;
using FundingPrograms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static FundingPrograms.Tests.Deciders.Given;

namespace FundingPrograms.Tests.Proofs;

/// <summary>ANBest-P Nr. 6.1 Satz 2: an interim proof of a budget year's money by 30 April of the next year (pure rules, no database).</summary>
public sealed class when_a_grant_runs_past_the_end_of_a_budget_year
{
    /// <summary>A grant from 1 July 2027 to 30 June 2028, 3,500 EUR paid in 2027.</summary>
    private static Grant Running(DateOnly? end = null, decimal paid2027 = 3500m)
    {
        var (g, _, _) = Granted(start: new DateOnly(2027, 7, 1), end: end ?? new DateOnly(2028, 6, 30),
            split: end is null ? [new YearAmountInput(2027, 3500m), new YearAmountInput(2028, 3500m)] : [new YearAmountInput(2027, 7000m)]);
        if (paid2027 > 0)
        {
            var payment = Guid.NewGuid();
            g.Apply(new GrantPaymentReserved(g.Id, payment, paid2027, 2027, Now));
            g.Apply(new GrantPaid(g.Id, payment, paid2027, 2027, new DateOnly(2027, 7, 10), Now));
        }
        return g;
    }

    private static Proof Interim(Grant g, ProofState state) =>
        new() { Id = Guid.NewGuid(), GrantId = g.Id, Kind = ProofKind.Interim, BudgetYear = 2027, State = state, CreatedAt = Now };

    [Fact]
    public void the_money_of_a_year_the_purpose_ran_past_is_proved_by_30_april_unless_submitted()
    {
        var g = Running();
        InterimProofs.Owed(g, []).ShouldBe([new InterimProofOwed(2027, 3500m, new DateOnly(2028, 4, 30), null)]);
        var draft = Interim(g, ProofState.Draft);
        InterimProofs.Owed(g, [draft]).Single().ProofId.ShouldBe(draft.Id); // a draft is not a proof
        InterimProofs.Owed(g, [Interim(g, ProofState.Submitted)]).ShouldBeEmpty();
        InterimProofs.Owed(g, [Interim(g, ProofState.ReturnedForCompletion)]).ShouldBeEmpty(); // the completion date applies

        InterimProofs.Owed(Running(end: new DateOnly(2027, 12, 31)), []).ShouldBeEmpty(); // purpose fulfilled within the year: the final proof
        InterimProofs.Owed(Running(paid2027: 0m), []).ShouldBeEmpty(); // nothing received in 2027
        var submittedFinal = Running();
        submittedFinal.Apply(new FinalProofSubmitted(submittedFinal.Id, Guid.NewGuid(), 7000m, Now));
        InterimProofs.Owed(submittedFinal, []).ShouldBeEmpty();
    }

    [Fact]
    public void it_has_the_same_reminders_and_overdue_list_as_the_final_proof()
    {
        var g = Running();
        var settings = new ProofReminderSettings();
        string[] Stages(DateOnly today) => ProofReminders.Due(g, [], settings, today).Where(r => r.Key.StartsWith("interim|", StringComparison.Ordinal))
            .Select(r => r.Stage).ToArray();
        Stages(new DateOnly(2028, 4, 1)).ShouldBeEmpty();
        Stages(new DateOnly(2028, 4, 2)).ShouldBe(["before-28"]);
        Stages(new DateOnly(2028, 4, 23)).ShouldBe(["before-7"]);
        Stages(new DateOnly(2028, 4, 30)).ShouldBe(["before-7"]);
        Stages(new DateOnly(2028, 5, 1)).ShouldBe(["after-1"]);
        var (subject, body) = ProofReminders.Text(ProofReminders.Due(g, [], settings, new DateOnly(2028, 4, 2)).Single(r => r.Key.StartsWith("interim|", StringComparison.Ordinal)));
        subject.ShouldContain("Zwischennachweis");
        subject.ShouldContain("30.04.2028");
        body.ShouldContain("Zwischennachweis über die im Haushaltsjahr 2027 erhaltenen Beträge");

        var due = ProofWorklist.Items(g, [], new DateOnly(2028, 4, 30)).Single(i => i.Kind == ProofKind.Interim);
        (due.Status, due.DueDate, due.BudgetYear, due.Overdue).ShouldBe(("due", (DateOnly?)new DateOnly(2028, 4, 30), (int?)2027, false));
        var overdue = ProofWorklist.Items(g, [], new DateOnly(2028, 5, 1)).Single(i => i.Kind == ProofKind.Interim);
        (overdue.Status, overdue.Overdue).ShouldBe(("overdue", true));
        ProofWorklist.Items(g, [Interim(g, ProofState.Submitted)], new DateOnly(2028, 5, 1)).ShouldNotContain(i => i.Kind == ProofKind.Interim && i.Overdue);
    }
}

/// <summary>Over HTTP: a grant from January of the funding year to June of the next, paid in the funding year, owes an interim proof by 30 April.</summary>
public sealed class when_an_interim_proof_falls_due(AppFixture app) : ProofTest(app)
{
    [Fact]
    public async Task it_is_on_the_worklist_the_dashboard_and_the_overdue_list_and_reminded_until_submitted()
    {
        var programmeVersion = (await Get(Officer, $"/programmes/{ProgrammeId}")).Json().GetProperty("version").GetInt64();
        await Post(Officer, $"/programmes/{ProgrammeId}/budget/allocate", new { budgetLine = "0710/684 10", year = FundingYear + 1, amount = 100000m, version = programmeVersion });
        var content = GrantSamples.NextYearContent(App.Clock, "Elternarbeit").With("periodEnd", $"{FundingYear + 1}-06-30");
        var application = await this.AssessedApplication(ApplicantToken, CallId, content, Officer2);
        var split = new[] { new { year = FundingYear, amount = 3500m }, new { year = FundingYear + 1, amount = 3500m } };
        var grant = (await Post(Approver, $"/applications/{application}/approve", GrantSamples.Approval(yearSplit: split))).Json().GetProperty("grantId").GetGuid();
        await PayOut(3500m, grant); // booked 16 January of the funding year

        // 28 days before 30 April of the next year: due, the applicant's next deadline, a reminder.
        App.Clock.Set(new DateTimeOffset(FundingYear + 1, 4, 2, 9, 0, 0, TimeSpan.Zero));
        var item = (await Get(Officer, $"/proof-worklist?programmeId={ProgrammeId}&status=due")).Json().EnumerateArray()
            .Single(i => i.GetProperty("kind").GetString() == "interim");
        item.GetProperty("budgetYear").GetInt32().ShouldBe(FundingYear);
        item.GetProperty("dueDate").GetString().ShouldBe($"{FundingYear + 1}-04-30");
        var next = (await Get(ApplicantToken, "/dashboard/grants")).Json().GetProperty("next");
        next.GetProperty("nextDeadline").GetString().ShouldBe($"{FundingYear + 1}-04-30");
        next.GetProperty("nextStep").GetString()!.ShouldContain("interim proof");
        await Sweep();
        (await Notifications(1)).EnumerateArray().ShouldContain(n => n.GetProperty("subject").GetString()!.StartsWith("Erinnerung: Zwischennachweis"));

        // 1 May: overdue, on the overdue list.
        App.Clock.Set(new DateTimeOffset(FundingYear + 1, 5, 1, 9, 0, 0, TimeSpan.Zero));
        (await Get(Officer, $"/proof-worklist/overdue?programmeId={ProgrammeId}")).Json().EnumerateArray()
            .ShouldContain(i => i.GetProperty("kind").GetString() == "interim" && i.GetProperty("overdue").GetBoolean());

        // Submitted: no longer due or overdue.
        var proof = (await Post(ApplicantToken, $"/grants/{grant}/proofs", new
        {
            kind = "interim", budgetYear = FundingYear,
            content = new
            {
                report = Report(12), numbers = new { lines = new[] { new { line = 1, actual = 3000m } }, ownCash = 0m, volunteerWork = 0m, thirdPartyFunds = 0m, grantReceived = 3500m },
                receipts = new[] { new { number = "H-1", date = $"{FundingYear}-03-31", payee = "Honorarkraft Öztürk", purpose = "Koordination", planLine = 1, amount = 3000m } },
            },
        }, 201)).Body<CaseVersion>().Id;
        await Post(ApplicantToken, $"/proofs/{proof}/submit", new { version = 1 });
        (await Get(Officer, $"/proof-worklist/overdue?programmeId={ProgrammeId}")).Json().EnumerateArray()
            .ShouldNotContain(i => i.GetProperty("kind").GetString() == "interim" && i.GetProperty("status").GetString() == "overdue");
    }

    private async Task Sweep()
    {
        using var scope = Host.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>().InvokeAsync(new SweepProofReminders(null));
    }

    private async Task<System.Text.Json.JsonElement> Notifications(int atLeast)
    {
        for (var i = 0; i < 100; i++)
        {
            var page = (await Get(ApplicantToken, "/me/notifications")).Json();
            var items = page.GetProperty("items");
            if (items.EnumerateArray().Count(n => n.GetProperty("subject").GetString()!.StartsWith("Erinnerung: Zwischennachweis", StringComparison.Ordinal)) >= atLeast)
                return items;
            await Task.Delay(100);
        }
        throw new TimeoutException("The reminder did not arrive.");
    }
}
