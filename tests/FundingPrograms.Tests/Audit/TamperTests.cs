using System.Text.Json;
using FundingPrograms.Infrastructure;
using FundingPrograms.Tests.Infrastructure;
using Marten.Events;
using Npgsql;

namespace FundingPrograms.Tests.Audit;

/// <summary>Tampering directly in PostgreSQL, the way an insider with database access would; each must be detected.</summary>
public sealed class when_someone_tampers_with_the_event_store(AppFixture app) : ApiTest(app)
{
    private async Task History()
    {
        var (_, call) = await this.OpenCall(Officer, App.Clock);
        var org = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Founder", sub: "founder"), Officer);
        var id = await this.Draft(Applicant(org), call, ApplicationSamples.Content(App.Clock));
        await Post(Applicant(org), $"/applications/{id}/submit", new { version = 1 });
        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var report = await Verify();
        report.GetProperty("intact").GetBoolean().ShouldBeTrue(report.ToString());
        report.GetProperty("pendingEvents").GetInt32().ShouldBe(0);
    }

    private async Task<JsonElement> Verify() => (await Get(Auditor, "/audit/verify")).Json();

    private static async Task Sql(string sql)
    {
        await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("ConnectionStrings__Marten"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<string> Broken()
    {
        var report = await Verify();
        report.GetProperty("intact").GetBoolean().ShouldBeFalse();
        return report.GetProperty("firstBroken").GetProperty("problem").GetString()!;
    }

    [Fact]
    public async Task an_untouched_store_verifies_and_an_auditor_can_only_read()
    {
        await History();
        var report = await Verify();
        report.GetProperty("eventsChecked").GetInt32().ShouldBeGreaterThan(5);
        report.GetProperty("latestSealHash").GetString().ShouldNotBeNullOrEmpty();
        (await Get(Officer, "/audit/verify", 403)).ShouldBeProblem(403);
    }

    [Fact]
    public async Task changing_an_events_data_is_detected()
    {
        await History();
        await Sql("update funding.mt_events set data = jsonb_set(data, '{amount}', '9999999') where type = 'budget_allocated'");
        (await Broken()).ShouldContain("does not match its keyed hash");
    }

    [Fact]
    public async Task rewriting_who_did_something_is_detected()
    {
        await History();
        await Sql("update funding.mt_events set user_name = 'Someone Else' where type = 'programme_published'");
        (await Broken()).ShouldContain("does not match its keyed hash");
    }

    [Fact]
    public async Task deleting_an_event_is_detected()
    {
        await History();
        await Sql("delete from funding.mt_events where type = 'programme_published'");
        (await Broken()).ShouldContain("was chained but is no longer in the store");
    }

    [Fact]
    public async Task deleting_an_event_together_with_its_chain_link_is_detected()
    {
        await History();
        await Sql("""
            delete from funding.mt_doc_chainlink where data->>'type' = 'programme_published';
            delete from funding.mt_events where type = 'programme_published';
            """);
        // Found either by the stream's version gap or, when the event had a seal of its own, by that seal's count.
        var problem = await Broken();
        (problem.Contains("jumps from version 1 to 3") || problem.Contains("Seal")).ShouldBeTrue(problem);
    }

    [Fact]
    public async Task deleting_a_whole_stream_is_detected()
    {
        await History();
        await Sql("""
            delete from funding.mt_events where stream_id in (select stream_id from funding.mt_events where type = 'application_drafted');
            delete from funding.mt_streams where id not in (select distinct stream_id from funding.mt_events);
            """);
        (await Broken()).ShouldContain("no longer in the store");
    }

    [Fact]
    public async Task swapping_two_events_is_detected()
    {
        await History();
        await Sql("""
            with pair as (select min(seq_id) a, max(seq_id) b from funding.mt_events where type <> 'tombstone')
            update funding.mt_events e set data = o.data, type = o.type, mt_dotnet_type = o.mt_dotnet_type
            from pair, funding.mt_events o
            where (e.seq_id = pair.a and o.seq_id = pair.b) or (e.seq_id = pair.b and o.seq_id = pair.a);
            """);
        (await Broken()).ShouldContain("does not match its keyed hash");
    }

    [Fact]
    public async Task truncating_the_tail_is_detected_even_with_its_chain_links()
    {
        await History();
        await Sql("""
            delete from funding.mt_doc_chainlink where id in (select seq_id from funding.mt_events order by seq_id desc limit 3);
            delete from funding.mt_events where seq_id in (select seq_id from funding.mt_events order by seq_id desc limit 3);
            """);
        (await Broken()).ShouldContain("truncated");
    }

    [Fact]
    public async Task forging_a_link_without_the_key_is_detected()
    {
        await History();
        // An insider rewrites an event and recomputes a plain SHA-256 as its "hash": without the key it cannot match.
        await Sql("""
            update funding.mt_events set data = jsonb_set(data, '{reason}', '"forged"') where type = 'budget_allocated';
            update funding.mt_doc_chainlink set data = jsonb_set(data, '{hash}', to_jsonb(encode(sha256('x'), 'hex'))) where data->>'type' = 'budget_allocated';
            """);
        (await Broken()).ShouldContain("keyed hash");
    }

    [Fact]
    public async Task an_event_forged_by_sql_at_the_tail_is_detected_although_the_daemon_seals_it()
    {
        await History();
        // An insider appends a plausible event to a stream directly in PostgreSQL, before the daemon reaches it.
        await Sql("""
            with s as (select stream_id, max(version) v from funding.mt_events where stream_id = (select stream_id from funding.mt_events where type = 'budget_allocated' limit 1) group by stream_id)
            insert into funding.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived, user_name, correlation_id, causation_id, headers)
            select nextval('funding.mt_events_sequence'), gen_random_uuid(), e.stream_id, s.v + 1, jsonb_set(e.data, '{amount}', '2000'), e.type, now(), e.tenant_id,
                   e.mt_dotnet_type, false, e.user_name, e.correlation_id, e.causation_id, e.headers
            from funding.mt_events e join s on s.stream_id = e.stream_id where e.type = 'budget_allocated';
            update funding.mt_streams set version = version + 1 where id = (select stream_id from funding.mt_events where type = 'budget_allocated' limit 1);
            """);
        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        (await Broken()).ShouldContain("has no link");
    }

    [Fact]
    public async Task archiving_an_event_is_detected()
    {
        await History();
        await Sql("update funding.mt_events set is_archived = true where type = 'budget_allocated'");
        (await Broken()).ShouldContain("archived");
    }
}
