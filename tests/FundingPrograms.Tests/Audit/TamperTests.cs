using System.Text.Json;
using FundingPrograms.Infrastructure;
using FundingPrograms.Tests.Infrastructure;
using Marten;
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

    /// <summary>One more event after the history, so that the store has at least two seals.</summary>
    private async Task OneMoreSeal()
    {
        await using (var session = App.Store.LightweightSession())
        {
            session.Events.StartStream(Guid.CreateVersion7(), new FundingPrograms.Tests.MultiNode.LoadTick(1, 1, "one more"));
            await session.SaveChangesAsync();
        }
        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        await using var query = App.Store.QuerySession();
        (await query.Query<FundingPrograms.Audit.Seal>().CountAsync()).ShouldBeGreaterThan(1);
    }

    [Fact]
    public async Task truncating_the_tail_together_with_its_links_and_seals_is_detected_by_the_outside_anchor()
    {
        await History();
        await OneMoreSeal();
        (await Verify()).GetProperty("intact").GetBoolean().ShouldBeTrue();
        // Everything after the second newest seal goes: events, links and the newest seal. What remains is a consistent chain.
        await Sql("""
            create temp table cut as select (data->>'toSequence')::bigint x from funding.mt_doc_seal order by id desc offset 1 limit 1;
            delete from funding.mt_doc_chainlink where id > (select x from cut);
            delete from funding.mt_events where seq_id > (select x from cut);
            delete from funding.mt_doc_seal where (data->>'toSequence')::bigint > (select x from cut);
            """);
        (await Broken()).ShouldContain("recorded in the outside anchor but missing from the store");
    }

    [Fact]
    public async Task a_seal_without_a_valid_signature_is_detected_and_an_auditor_checks_signatures_with_the_public_key_alone()
    {
        await History();
        var key = (await Host.Scenario(s => s.Get.Url("/audit/public-key"))).Json();
        using var ecdsa = System.Security.Cryptography.ECDsa.Create();
        ecdsa.ImportFromPem(key.GetProperty("publicKeyPem").GetString());
        await using (var query = App.Store.QuerySession())
        {
            var seals = await query.Query<FundingPrograms.Audit.Seal>().ToListAsync();
            seals.ShouldNotBeEmpty();
            foreach (var seal in seals)
                ecdsa.VerifyData(System.Text.Encoding.UTF8.GetBytes(
                        $"fundingprograms-seal-v1|{seal.Id}|{seal.FromSequence}|{seal.ToSequence}|{seal.Count}|{seal.Digest}|{seal.PreviousHash}|{seal.Hash}"),
                    Convert.FromBase64String(seal.Signature!), System.Security.Cryptography.HashAlgorithmName.SHA256).ShouldBeTrue();
        }
        await Sql("update funding.mt_doc_seal set data = jsonb_set(data, '{signature}', to_jsonb(encode(sha256('x'), 'base64'))) where id = (select max(id) from funding.mt_doc_seal)");
        (await Broken()).ShouldContain("valid signature");
    }
}
