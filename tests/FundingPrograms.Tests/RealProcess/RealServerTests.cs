using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using FundingPrograms.Infrastructure;
using FundingPrograms.Tests.Infrastructure;
using FundingPrograms.Tests.Payments;
using Npgsql;

namespace FundingPrograms.Tests.RealProcess;

/// <summary>One real service process for the tests of this class (schema of its own).</summary>
public sealed class RealServerFixture : IAsyncLifetime
{
    public ServiceProcess Service { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Service = await ServiceProcess.Start("real_" + Guid.NewGuid().ToString("N")[..8]);

    public async ValueTask DisposeAsync() => await Service.DisposeAsync();
}

[CollectionDefinition(nameof(RealServerCollection))]
public sealed class RealServerCollection : ICollectionFixture<RealServerFixture>;

/// <summary>What a client sees from the built service on a real socket (Kestrel), not from the in-memory test host.</summary>
[Collection(nameof(RealServerCollection))]
public sealed class on_the_real_server(RealServerFixture fixture)
{
    private ServiceProcess S => fixture.Service;
    private string Officer => S.Token(Roles.Officer, "Anna Officer");
    private string Officer2 => S.Token(Roles.Officer, "Omar Officer");
    private string Approver => S.Token(Roles.Approver, "Bernd Approver");
    private string Finance => S.Token(Roles.Finance, "Fatma Finance");
    private string Finance2 => S.Token(Roles.Finance, "Felix Finance");

    private static StringContent Xml(string xml) => new(xml, Encoding.UTF8, "application/xml");

    [Fact]
    public async Task the_money_path_runs_from_programme_to_reconciliation()
    {
        var clock = ServiceProcess.Clock;
        var today = BerlinTime.Today(clock.GetUtcNow());
        var programme = (await S.Post(Officer, "/programmes", Samples.Programme(), 201)).GetProperty("id").GetGuid();
        await S.Post(Officer, $"/programmes/{programme}/publish", new { version = 1 });
        for (var i = 0; i < 3; i++)
            await S.Post(Officer, $"/programmes/{programme}/budget/allocate",
                new { budgetLine = "0710/684 10", budgetLineName = "Zuschüsse an MSO", year = today.Year + i, amount = 500000m, version = 2 + i });
        var call = (await S.Post(Officer, $"/programmes/{programme}/calls", Samples.OpenCallNow(clock, 5), 201)).GetProperty("callId").GetGuid();

        var founder = S.Token(Roles.Applicant, "Founder", sub: "founder-" + Guid.NewGuid().ToString("N")[..6]);
        var org = (await S.Post(founder, "/organisations", ApplicationSamples.Organisation(), 201)).GetProperty("id").GetGuid();
        await S.Post(Officer, $"/organisations/{org}/verify", new { migrationBackgroundDocumented = true, nonProfitStatusChecked = true, evidence = "Satzung geprüft", version = 1 });
        var change = (await S.Get(Officer, $"/organisations/{org}")).GetProperty("bankAccounts")[0].GetProperty("changeId").GetGuid();
        await S.Post(Officer, $"/organisations/{org}/bank-accounts/{change}/confirm", new { version = 2 });
        var applicant = S.Token(Roles.Applicant, "Ayse Applicant", org);

        // A funding period from today (the call opened today) for eleven months, and money needed today: the server's clock is
        // real, so the payments are released in the current year, which must have cash on the grant and the budget line
        // (cash principle, § 72 LHO). A period starting later could put the drawdown into a year without cash now.
        var start = BerlinTime.Today(clock.GetUtcNow());
        var end = start.AddMonths(11);
        var content = ApplicationSamples.Content(clock).With("periodStart", start.ToString("yyyy-MM-dd")).With("periodEnd", end.ToString("yyyy-MM-dd"));
        var application = (await S.Post(applicant, "/applications", new { callId = call, content }, 201)).GetProperty("id").GetGuid();
        await S.Post(applicant, $"/applications/{application}/submit", new { version = 1 });
        await S.Post(Officer2, $"/applications/{application}/formal-check", new { version = 2 });
        await S.Post(Officer2, $"/applications/{application}/assess", new
        {
            scores = new[] { new { criterion = "need", score = 80m }, new { criterion = "quality", score = 70m }, new { criterion = "sustainability", score = 60m } },
            recommendation = "approve", recommendedAmount = 7000m, version = 3,
        });
        var due = start;
        object? split = start.Year == end.Year ? null : new[] { new { year = start.Year, amount = 5000m }, new { year = end.Year, amount = 2000m } };
        var grant = (await S.Post(Approver, $"/applications/{application}/approve", GrantSamples.Approval(yearSplit: split))).GetProperty("grantId").GetGuid();

        var neededOn = due.ToString("yyyy-MM-dd");
        // Share financing (70 %): the request states the amount due; the grant pays its share (ANBest-P Nr. 1.4).
        var booked = (await S.Post(applicant, $"/grants/{grant}/drawdowns", new { amount = 2500m, amountDue = 3571.43m, neededOn, purpose = "Honorare" }, 201)).GetProperty("id").GetGuid();
        var returned = (await S.Post(applicant, $"/grants/{grant}/drawdowns", new { amount = 1000m, amountDue = 1428.58m, neededOn, purpose = "Miete" }, 201)).GetProperty("id").GetGuid();
        foreach (var payment in new[] { booked, returned })
        {
            await S.Post(Finance, $"/payments/{payment}/certify", new { version = 1 });
            await S.Post(Finance2, $"/payments/{payment}/release", new { version = 2 });
        }
        var batch = (await S.Post(Finance, "/payment-batches", new { paymentIds = new[] { booked, returned } }, 201)).GetProperty("id").GetGuid();
        await S.Post(Finance2, $"/payment-batches/{batch}/export", new { version = 1 });

        var (status, _, file) = await S.Send(HttpMethod.Get, $"/payment-batches/{batch}/pain001.xml", Finance);
        status.ShouldBe(HttpStatusCode.OK);
        file.Content.Headers.ContentType!.MediaType.ShouldBe("application/xml");
        var pain = await file.Content.ReadAsStringAsync();
        pain.ShouldContain("<CtrlSum>3500.00</CtrlSum>");
        var a = await S.Get(Finance, $"/payments/{booked}");
        var b = await S.Get(Finance, $"/payments/{returned}");
        pain.ShouldContain(a.GetProperty("endToEndId").GetString()!);
        pain.ShouldContain(b.GetProperty("endToEndId").GetString()!);
        var statementId = "STMT-REAL-" + Guid.NewGuid().ToString("N")[..8];
        var statement = Statements.BookedAndReturned(b.GetProperty("endToEndId").GetString()!, 1000m, b.GetProperty("grantReference").GetString()!,
            statementId, returnFirst: false,
            extraDebit: (a.GetProperty("endToEndId").GetString()!, 2500m, a.GetProperty("grantReference").GetString()!));
        var (importStatus, imported, _) = await S.Send(HttpMethod.Post, "/bank-statements", Finance, Xml(statement));
        importStatus.ShouldBe(HttpStatusCode.OK, imported.ToString());
        imported.GetProperty("booked").GetInt32().ShouldBe(2);
        imported.GetProperty("returned").GetInt32().ShouldBe(1);
        imported.GetProperty("unmatched").GetInt32().ShouldBe(2);

        (await S.Get(Finance, $"/payments/{booked}")).GetProperty("state").GetString().ShouldBe("booked");
        (await S.Get(Finance, $"/payments/{returned}")).GetProperty("state").GetString().ShouldBe("returned");
        var ledger = await S.Get(applicant, $"/grants/{grant}");
        ledger.GetProperty("paid").GetDecimal().ShouldBe(2500m);
        var reconciliation = await S.Get(Finance, "/reconciliation");
        // This statement's entries: the server is shared with BankFileTests, whose statements leave unmatched entries of their own.
        reconciliation.GetProperty("unmatchedEntries").EnumerateArray().Count(e => e.GetProperty("bankStatementId").GetString() == statementId).ShouldBe(2);
        var totals = reconciliation.GetProperty("batches").EnumerateArray().Single(x => x.GetProperty("batchId").GetGuid() == batch);
        totals.GetProperty("booked").GetDecimal().ShouldBe(2500m);

        S.Output.ShouldNotContain("Unhandled error");
    }

    [Theory]
    [InlineData("")]
    [InlineData("<x/>")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Document>&x;</Document>")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><l>&c;</l>")]
    public async Task a_statement_that_is_not_camt053_is_400_not_500(string xml)
    {
        var (status, body, response) = await S.Send(HttpMethod.Post, "/bank-statements", Finance, Xml(xml));
        ((int)status).ShouldBe(400, body.ToString());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task a_streamed_upload_over_5_mib_without_content_length_is_413()
    {
        // The server answers 413 once 5 MiB are read and closes the connection while the client may still be sending: the client's
        // kernel can then drop the answer on the reset (a race of the transport, not of the service). Three tries, one answer needed.
        HttpResponseMessage? response = null;
        for (var attempt = 1; response is null; attempt++)
        {
            var content = new StreamContent(new EndlessXml(6 * 1024 * 1024));
            content.Headers.ContentType = new("application/xml");
            content.Headers.ContentLength.ShouldBeNull();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/bank-statements") { Content = content };
            request.Headers.Authorization = new("Bearer", Finance);
            request.Headers.TransferEncodingChunked = true;
            try { response = await S.Http.SendAsync(request); }
            catch (HttpRequestException) when (attempt < 3) { }
        }
        using var _ = response;
        ((int)response.StatusCode).ShouldBe(413, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task json_refusals_are_problems_on_the_real_server_too()
    {
        var (status, body, _) = await S.Send(HttpMethod.Post, "/organisations", S.Token(Roles.Applicant, "Nul", sub: "nul"),
            ServiceProcess.Json(ApplicationSamples.Organisation("Verein\u0000Brücke")));
        ((int)status).ShouldBe(400, body.ToString());
        body.GetProperty("errors").GetProperty("legalName").GetArrayLength().ShouldBeGreaterThan(0);

        var noType = new ByteArrayContent(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Samples.Programme(), JsonSerializerOptions.Web)));
        (status, _, _) = await S.Send(HttpMethod.Post, "/programmes", Officer, noType);
        ((int)status).ShouldBe(415);
    }

    [Fact]
    public async Task a_very_long_address_is_414_and_huge_headers_are_431_as_problems()
    {
        var longPath = "/applications/" + new string('a', 12_000);
        var raw = await RawRequest($"GET {longPath} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        raw.ShouldStartWith("HTTP/1.1 414");
        raw.ShouldContain("application/problem+json");

        var huge = await RawRequest($"GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {new string('b', 40_000)}\r\nConnection: close\r\n\r\n");
        huge.ShouldStartWith("HTTP/1.1 431");
        huge.ShouldContain("application/problem+json");
    }

    private async Task<string> RawRequest(string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, S.BaseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>A non-seekable XML stream of the given size (so HttpClient sends it chunked, without Content-Length).</summary>
    private sealed class EndlessXml(long size) : Stream
    {
        private static readonly byte[] Head = Encoding.ASCII.GetBytes("<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"><!--");
        private long _sent;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _sent; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_sent >= size) return 0;
            var n = (int)Math.Min(count, size - _sent);
            for (var i = 0; i < n; i++)
            {
                var at = _sent + i;
                buffer[offset + i] = at < Head.Length ? Head[at] : (byte)'x';
            }
            _sent += n;
            return n;
        }
    }
}

/// <summary>The service behind a TCP proxy to PostgreSQL: cutting the proxy is a database outage; SIGTERM ends the process cleanly.</summary>
public sealed class when_the_database_goes_away_on_the_real_server
{
    [Fact]
    public async Task commands_answer_503_with_retry_after_then_work_again_and_sigterm_exits_cleanly()
    {
        var connection = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("ConnectionStrings__Marten"));
        await using var proxy = new TcpProxy(connection.Host ?? "127.0.0.1", connection.Port);
        proxy.Start();
        connection.Host = "127.0.0.1";
        connection.Port = proxy.Port;
        connection.Timeout = 3;
        await using var service = await ServiceProcess.Start("outage_" + Guid.NewGuid().ToString("N")[..8], connection.ConnectionString);
        var officer = service.Token(Roles.Officer, "Anna Officer");
        await service.Post(officer, "/programmes", Samples.Programme(), 201);

        proxy.Stop();
        for (var i = 0; i < 3; i++)
        {
            var (status, body, response) = await service.Send(HttpMethod.Post, "/programmes", officer, ServiceProcess.Json(Samples.Programme()));
            ((int)status).ShouldBe(503, body.ToString());
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            response.Headers.RetryAfter.ShouldNotBeNull();
            body.GetProperty("type").GetString().ShouldBe(ProblemTypes.ServiceUnavailable);
        }
        var (read, _, _) = await service.Send(HttpMethod.Get, "/programmes", officer);
        ((int)read).ShouldBe(503);

        proxy.Start();
        var recovered = false;
        for (var i = 0; i < 50 && !recovered; i++)
        {
            var (status, _, _) = await service.Send(HttpMethod.Post, "/programmes", officer, ServiceProcess.Json(Samples.Programme()));
            recovered = status == HttpStatusCode.Created;
            if (!recovered) await Task.Delay(200);
        }
        recovered.ShouldBeTrue("the service did not recover after the database came back");
        service.Output.ShouldNotContain("Unhandled error");

        (await service.Terminate(TimeSpan.FromSeconds(20))).ShouldBeTrue("the service did not stop within 20 s of SIGTERM");
        service.ExitCode.ShouldBe(0, service.Output);
        service.Output.ShouldContain("Application is shutting down");
    }
}
