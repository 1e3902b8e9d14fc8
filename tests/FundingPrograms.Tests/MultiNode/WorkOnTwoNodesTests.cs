using System.Text.Json;
using Alba;
using FundingPrograms.Infrastructure;
using FundingPrograms.Programmes;
using FundingPrograms.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace FundingPrograms.Tests.MultiNode;

[Collection(nameof(MultiNodeCollection))]
public sealed class when_work_is_spread_over_two_nodes(TwoNodes nodes)
{
    private string Officer => nodes.Token(Roles.Officer, "Anna Officer");
    private string Assessor => nodes.Token(Roles.Officer, "Omar Officer");
    private string Approver => nodes.Token(Roles.Approver, "Bernd Approver");

    private static async Task<JsonElement> Send(IAlbaHost host, string token, string url, object body, int status)
    {
        var result = await host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {token}");
            s.Post.Json(body, JsonStyle.MinimalApi).ToUrl(url);
            s.StatusCodeShouldBe(status);
        });
        return result.Json();
    }

    private static async Task<JsonElement> Read(IAlbaHost host, string token, string url) => (await host.Scenario(s =>
    {
        s.WithRequestHeader("Authorization", $"Bearer {token}");
        s.Get.Url(url);
    })).Json();

    [Fact]
    public async Task approvals_on_both_nodes_never_commit_more_than_the_budget()
    {
        var (a, b) = (nodes.A, nodes.B);
        var year = GrantSamples.FundingYear(nodes.Clock);
        var programme = (await Send(a, Officer, "/programmes", Samples.Programme("Zwei Knoten"), 201)).GetProperty("id").GetGuid();
        await Send(b, Officer, $"/programmes/{programme}/publish", new { version = 1 }, 200);
        await Send(a, Officer, $"/programmes/{programme}/budget/allocate", new { budgetLine = "0710/684 99", year, amount = 21000.50m, version = 2 }, 200);
        var call = (await Send(b, Officer, $"/programmes/{programme}/calls", Samples.OpenCallNow(nodes.Clock, 3), 201)).GetProperty("callId").GetGuid();

        var founder = nodes.Token(Roles.Applicant, "Founder Two Nodes");
        var org = (await Send(a, founder, "/organisations", ApplicationSamples.Organisation("Verein Zwei Knoten e.V."), 201)).GetProperty("id").GetGuid();
        await Send(b, Officer, $"/organisations/{org}/verify", new { migrationBackgroundDocumented = true, nonProfitStatusChecked = true, evidence = "Satzung geprüft", version = 1 }, 200);
        var change = (await Read(a, Officer, $"/organisations/{org}")).GetProperty("bankAccounts")[0].GetProperty("changeId").GetGuid();
        await Send(a, Officer, $"/organisations/{org}/bank-accounts/{change}/confirm", new { version = 2 }, 200);
        var applicant = nodes.Token(Roles.Applicant, "Ayse Applicant", org);

        var ids = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            var host = i % 2 == 0 ? a : b;
            var id = (await Send(host, applicant, "/applications", new { callId = call, content = GrantSamples.NextYearContent(nodes.Clock, $"Stelle {i}") }, 201))
                .GetProperty("id").GetGuid();
            await Send(host, applicant, $"/applications/{id}/submit", new { version = 1 }, 200);
            await Send(host, Assessor, $"/applications/{id}/formal-check", new { version = 2 }, 200);
            await Send(host, Assessor, $"/applications/{id}/assess", new
            {
                scores = new[] { new { criterion = "need", score = 80m }, new { criterion = "quality", score = 70m }, new { criterion = "sustainability", score = 60m } },
                recommendation = "approve", recommendedAmount = 7000m, version = 3,
            }, 200);
            ids.Add(id);
        }

        var results = await Task.WhenAll(ids.Select((id, i) => (i % 2 == 0 ? a : b).Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {Approver}");
            s.Post.Json(GrantSamples.Approval(budgetLine: "0710/684 99")).ToUrl($"/applications/{id}/approve");
            s.IgnoreStatusCode();
        })));
        var statuses = results.Select(r => r.Context.Response.StatusCode).ToArray();
        statuses.Count(s => s == 200).ShouldBe(3, string.Join(",", statuses));
        statuses.Count(s => s == 422).ShouldBe(3, string.Join(",", statuses));
        var line = (await Read(b, Officer, $"/programmes/{programme}/budget")).GetProperty("years").EnumerateArray()
            .Single(y => y.GetProperty("year").GetInt32() == year).GetProperty("lines").EnumerateArray()
            .Single(l => l.GetProperty("budgetLine").GetString() == "0710/684 99");
        line.GetProperty("committed").GetDecimal().ShouldBe(21000m);
    }

    [Fact]
    public async Task a_calls_deadline_closes_it_exactly_once()
    {
        var programme = (await Send(nodes.A, Officer, "/programmes", Samples.Programme("Fristende auf zwei Knoten"), 201)).GetProperty("id").GetGuid();
        await Send(nodes.B, Officer, $"/programmes/{programme}/publish", new { version = 1 }, 200);
        // The deadline is three seconds ahead: the scheduled close is delivered three seconds later, when the clock has moved on.
        var deadline = nodes.Clock.GetUtcNow().AddSeconds(3);
        var body = Samples.Call(Samples.Berlin(nodes.Clock.GetUtcNow().AddDays(-1)), deadline.ToString("yyyy-MM-ddTHH:mm:ssK"), version: 2);
        var call = (await Send(nodes.A, Officer, $"/programmes/{programme}/calls", body, 201)).GetProperty("callId").GetGuid();
        nodes.Clock.Advance(TimeSpan.FromSeconds(3));

        JsonElement view = default;
        for (var i = 0; i < 60; i++)
        {
            view = await Read(nodes.B, Officer, $"/calls/{call}");
            if (view.GetProperty("closedAt").ValueKind != JsonValueKind.Null) break;
            await Task.Delay(500);
        }
        view.GetProperty("closedAutomatically").GetBoolean().ShouldBeTrue(view.ToString());
        await Task.Delay(3000); // time for a second delivery, if there were one
        await using var session = nodes.A.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await session.Events.FetchStreamAsync(programme)).Count(e => e.Data is CallClosed).ShouldBe(1);
    }
}
