using FundingPrograms.Infrastructure;
using FundingPrograms.Letters;
using FundingPrograms.Notifications;
using FundingPrograms.Tests.Grants;
using FundingPrograms.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine.Tracking;

namespace FundingPrograms.Tests.Letters;

/// <summary>
/// Letters are issued right after the decision commits, from Wolverine's durable inbox (the order is stored in the decision's
/// transaction): the decision names the letter at once, the letter answers 202 (<c>status: pending</c>) until it exists, then 200.
/// </summary>
public sealed class when_a_decision_commits_its_letter_follows(AppFixture app) : GrantTest(app)
{
    private LetterIssuingGate Gate => Host.Services.GetRequiredService<LetterIssuingGate>();

    public override async ValueTask DisposeAsync()
    {
        Gate.Release();
        await base.DisposeAsync();
    }

    /// <summary>A letter ordered by hand: one German document, its files counted in <c>letter_files</c>.</summary>
    public static IssueLetter Order(Guid organisationId, DateTimeOffset at, ApplicantNotification? notification = null)
    {
        var document = new LetterDocument("grant_notice", "de", true, new Letterhead("Ministerium", null, ["Straße 1", "40221 Düsseldorf"], []),
            new Addressee("Verein", ["Weg 2", "50667 Köln"]), "Düsseldorf, 27.11.2026", [new("Aktenzeichen", "FP-1")], "Zuwendungsbescheid",
            "Sehr geehrte Damen und Herren,", ["Ich bewillige."], [LetterSection.Text("legalRemedy", "Rechtsbehelfsbelehrung", "Klage.")],
            "Mit freundlichen Grüßen", "A", "B", null, "Seite", "Zuwendungsbescheid");
        var caseId = Guid.NewGuid();
        return new IssueLetter(Letter.IdFor("grant_notice", caseId, 1), "grant_notice", caseId, 1, organisationId, null, null, null, null, "FP-1", [document],
            "Bernd Approver", at, notification);
    }

    private static async Task<long> ArchivedFiles(Guid letterId)
    {
        await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("ConnectionStrings__Marten"));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("select count(*) from funding.letter_files where letter_id = @id", connection);
        command.Parameters.AddWithValue("id", letterId);
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    /// <summary>The letters the organisation's notifications announce, once at least <paramref name="atLeast"/> of them arrived.</summary>
    private async Task<List<Guid>> AnnouncedLetters(int atLeast)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var announced = (await Get(ApplicantToken, "/me/notifications?pageSize=100")).Json().GetProperty("items").EnumerateArray()
                .Where(n => n.TryGetProperty("letterId", out var l) && l.ValueKind == System.Text.Json.JsonValueKind.String).Select(n => n.GetProperty("letterId").GetGuid()).ToList();
            if (announced.Count >= atLeast || deadline.Elapsed > TimeSpan.FromSeconds(15)) return announced;
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task the_decision_names_the_letter_which_answers_202_pending_then_200()
    {
        var id = await Assessed();
        Gate.Hold(); // the letter's order waits in the durable inbox: the moment between the decision's commit and its letter
        var decision = (await Post(Approver, $"/applications/{id}/approve", GrantSamples.Approval(6500m, reductionReason: "Sachkosten gekürzt"))).Json();
        var letterId = decision.GetProperty("letterId").GetGuid();
        var grantId = decision.GetProperty("grantId").GetGuid();

        foreach (var url in new[] { $"/letters/{letterId}", $"/letters/{letterId}/letter.pdf", $"/letters/{letterId}/letter.html", $"/grants/{grantId}/notice.pdf",
                     $"/grants/{grantId}/notice.html" })
        {
            var pending = await Get(ApplicantToken, url, 202);
            pending.Context.Response.Headers.RetryAfter.ToString().ShouldBe("1");
            pending.Context.Response.ContentType.ShouldNotBeNull().ShouldStartWith("application/json");
            var body = pending.Json();
            body.GetProperty("status").GetString().ShouldBe("pending");
            body.GetProperty("id").GetGuid().ShouldBe(letterId);
            body.GetProperty("kind").GetString().ShouldBe("grant_notice");
        }
        // Another organisation learns nothing about it, pending or not.
        (await Get(Applicant(Guid.NewGuid(), "Someone Else"), $"/letters/{letterId}", 404)).ShouldBeProblem(404);
        (await Get(ApplicantToken, "/me/letters")).Json().GetProperty("total").GetInt64().ShouldBe(0);
        // The notification announcing the letter is sent after it exists, not before.
        (await AnnouncedLetters(0)).ShouldBeEmpty();
        await using (var query = App.Store.QuerySession())
            (await query.Events.QueryAllRawEvents().Where(e => e.EventTypeName == "letter_issued").CountAsync(TestContext.Current.CancellationToken)).ShouldBe(0);

        Gate.Release();
        await LettersIssued();
        var letter = (await Get(ApplicantToken, $"/letters/{letterId}")).Json();
        letter.GetProperty("id").GetGuid().ShouldBe(letterId);
        var pdf = (await Get(ApplicantToken, $"/letters/{letterId}/letter.pdf")).Context.Response.Body.ReadBytes();
        LetterChecks.ShouldBePdfA2b(pdf);
        letter.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("binding").GetBoolean() && f.GetProperty("mediaType").GetString() == "application/pdf")
            .GetProperty("sha256").GetString().ShouldBe(LetterChecks.Sha256(pdf));
        (await AnnouncedLetters(1)).ShouldBe([letterId]);
        // One letter_issued, with the decision's correlation id and user, like before.
        var events = await AllEvents();
        var issued = events.Single(e => e.EventTypeName == "letter_issued");
        issued.CorrelationId.ShouldBe(events.Single(e => e.EventTypeName == "application_approved").CorrelationId);
        issued.UserName.ShouldBe("Bernd Approver");
        (await Get(Auditor, "/audit/verify")).Json().GetProperty("intact").GetBoolean().ShouldBeTrue();
    }

    private async Task<System.Text.Json.JsonElement> LettersHealth() =>
        (await Host.Scenario(s => { s.Get.Url("/health/ready"); s.IgnoreStatusCode(); })).Json().GetProperty("checks").GetProperty("letters"); // only this check: the others depend on the clock

    [Fact]
    public async Task a_letter_still_pending_minutes_after_its_decision_degrades_readiness_without_naming_it()
    {
        var id = await Assessed();
        (await LettersHealth()).GetProperty("status").GetString().ShouldBe("Healthy");
        Gate.Hold(); // as if its order had failed for good
        var letterId = (await Post(Approver, $"/applications/{id}/approve", GrantSamples.Approval(6500m, reductionReason: "Sachkosten gekürzt"))).Json()
            .GetProperty("letterId").GetGuid();
        (await LettersHealth()).GetProperty("status").GetString().ShouldBe("Healthy", "a letter pending for a moment is normal");
        App.Clock.Advance(PendingLettersHealthCheck.MaxPending + TimeSpan.FromMinutes(1));
        var degraded = await LettersHealth();
        degraded.GetProperty("status").GetString().ShouldBe("Degraded");
        degraded.GetProperty("description").GetString().ShouldStartWith("1 decided letter(s) not issued");
        degraded.ToString().ShouldNotContain(letterId.ToString()); // readiness is anonymous
        Gate.Release();
        await LettersIssued();
        (await LettersHealth()).GetProperty("status").GetString().ShouldBe("Healthy");
    }

    [Fact]
    public async Task an_order_handled_twice_or_twice_at_once_issues_one_letter_with_one_set_of_files()
    {
        var notification = new ApplicantNotification(Guid.NewGuid(), OrgId, "Bescheid", "Ihr Bescheid liegt vor.", "/me/letters", App.Clock.GetUtcNow());
        var order = Order(OrgId, App.Clock.GetUtcNow(), notification with { LetterId = null });
        order = order with { Notification = notification with { LetterId = order.LetterId } };
        await Host.InvokeMessageAndWaitAsync(order);
        await Host.InvokeMessageAndWaitAsync(order); // redelivered
        (await StreamEvents(order.LetterId)).Count.ShouldBe(1);
        (await ArchivedFiles(order.LetterId)).ShouldBe(2); // de.pdf, de.html

        var twin = Order(OrgId, App.Clock.GetUtcNow());
        // Two nodes handling one order at the same moment (a tracked session cannot run twice at once: two buses invoke it inline).
        // Both wait at the gate inside their transactions, then start together: one commits, the other fails on the stream id and
        // is retried into "issued already".
        Gate.Hold();
        var both = Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            using var scope = Host.Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>().InvokeAsync(twin, TestContext.Current.CancellationToken);
        }));
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (Gate.Waiting < 2 && deadline.Elapsed < TimeSpan.FromSeconds(15)) await Task.Delay(10);
        Gate.Waiting.ShouldBe(2);
        Gate.Release();
        await both;
        (await StreamEvents(twin.LetterId)).Count.ShouldBe(1);
        (await ArchivedFiles(twin.LetterId)).ShouldBe(2);

        (await AllEvents()).Count(e => e.EventTypeName == "letter_issued").ShouldBe(2);
        (await AnnouncedLetters(1)).ShouldBe([order.LetterId]);
        (await Get(Auditor, "/audit/verify")).Json().GetProperty("intact").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task the_files_are_a_fresh_rendering_of_the_ordered_documents()
    {
        var order = Order(OrgId, App.Clock.GetUtcNow());
        await Host.InvokeMessageAndWaitAsync(order);
        var fresh = IssueLetterHandler.Render(order);
        foreach (var (name, _, _, _, bytes) in fresh)
        {
            var served = (await Get(Officer, $"/letters/{order.LetterId}/letter.{name[(name.IndexOf('.') + 1)..]}")).Context.Response.Body.ReadBytes();
            served.ShouldBe(bytes, name);
        }
    }

    [Fact]
    public async Task a_file_added_to_the_archive_afterwards_is_reported_by_verification()
    {
        var order = Order(OrgId, App.Clock.GetUtcNow());
        await Host.InvokeMessageAndWaitAsync(order);
        (await Get(Auditor, "/audit/verify")).Json().GetProperty("intact").GetBoolean().ShouldBeTrue();
        // A file slipped in beside a letter's own, then one under another stream (the organisation's), directly in PostgreSQL.
        foreach (var stream in new[] { order.LetterId, OrgId })
        {
            await using (var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("ConnectionStrings__Marten")))
            {
                await connection.OpenAsync(TestContext.Current.CancellationToken);
                await using var command = new NpgsqlCommand(
                    "delete from funding.letter_files where name = 'xx.pdf'; insert into funding.letter_files (letter_id, name, media_type, content, sha256) values (@id, 'xx.pdf', 'application/pdf', '\\x00', '')",
                    connection);
                command.Parameters.AddWithValue("id", stream);
                await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }
            var report = (await Get(Auditor, "/audit/verify")).Json();
            report.GetProperty("intact").GetBoolean().ShouldBeFalse();
            report.GetProperty("firstBroken").GetProperty("problem").GetString()!.ShouldContain("files were added to the archive afterwards");
        }
    }

    [Fact]
    public async Task many_approvals_at_once_each_get_exactly_one_letter()
    {
        var applications = new List<Guid>();
        for (var i = 0; i < 6; i++) applications.Add(await Assessed($"Koordination {i}"));
        var decisions = await Task.WhenAll(applications.Select(id => Post(Approver, $"/applications/{id}/approve", GrantSamples.Approval(6500m, reductionReason: "Sachkosten gekürzt"))));
        var letterIds = decisions.Select(d => d.Json().GetProperty("letterId").GetGuid()).ToList();
        letterIds.Distinct().Count().ShouldBe(6);
        await LettersIssued();
        foreach (var letterId in letterIds)
        {
            (await Get(ApplicantToken, $"/letters/{letterId}/letter.pdf")).Context.Response.ContentType.ShouldBe("application/pdf");
            (await StreamEvents(letterId)).Count(e => e.EventTypeName == "letter_issued").ShouldBe(1);
        }
        (await AllEvents()).Count(e => e.EventTypeName == "letter_issued").ShouldBe(6);
        (await AnnouncedLetters(6)).ShouldBe(letterIds, ignoreOrder: true);
        (await Get(Auditor, "/audit/verify")).Json().GetProperty("intact").GetBoolean().ShouldBeTrue();
    }
}
