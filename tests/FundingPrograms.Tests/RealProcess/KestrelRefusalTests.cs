using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using FundingPrograms.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace FundingPrograms.Tests.RealProcess;

/// <summary>
/// What Kestrel refuses before any application code runs comes back as problem+json (KestrelRefusals), on a real socket:
/// raw bytes over TCP, since HttpClient refuses to send such requests.
/// </summary>
[Collection(nameof(RealServerCollection))]
public sealed class kestrel_refusals_on_the_real_server(RealServerFixture fixture)
{
    private ServiceProcess S => fixture.Service;

    [Theory]
    [InlineData("GET /programmes/%00 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")]
    [InlineData("GET /applications/%00 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")]
    [InlineData("GET /applications/a%00b/history HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")]
    [InlineData("GE(T /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")]
    [InlineData("GET /health/live HTTP/1.1 extra\r\nHost: 127.0.0.1\r\n\r\n")]
    [InlineData("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: y\r\n\r\n")]
    [InlineData("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Value: a{NUL}b\r\n\r\n")]
    [InlineData("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A{SOH}b: y\r\n\r\n")]
    [InlineData("GET /health/live HTTP/1.1\r\nHost: exa mple.com\r\n\r\n")]
    [InlineData("GET /health/live HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")]
    [InlineData("GET /health/live HTTP/1.1\r\n\r\n")]
    [InlineData("GET /health/live HTTP/1.7\r\nHost: 127.0.0.1\r\n\r\n")]
    public async Task a_request_kestrel_refuses_is_400_problem_json(string request)
    {
        // Control characters are spelled {NUL} and {SOH} here, so that the test names stay printable.
        var bytes = Encoding.Latin1.GetBytes(request.Replace("{NUL}", "\u0000").Replace("{SOH}", "\u0001"));
        var response = await RawHttp.Exchange(S.BaseAddress.Port, bytes);
        response.Status.ShouldBe(400, response.ToString());
        response.Header("Content-Type").ShouldBe("application/problem+json", response.ToString());
        if (response.Header("Content-Length") is { } length) length.ShouldBe(response.Body.Length.ToString());
        using var json = JsonDocument.Parse(response.Body);
        json.RootElement.GetProperty("status").GetInt32().ShouldBe(400);
        json.RootElement.GetProperty("type").GetString().ShouldBe(ProblemTypes.BadRequest);
        json.RootElement.GetProperty("title").GetString().ShouldNotBeNullOrWhiteSpace();
        json.RootElement.GetProperty("detail").GetString()!.Length.ShouldBeGreaterThan(20);
        S.Output.ShouldNotContain("Unhandled error");
    }

    [Fact]
    public async Task a_refused_head_request_gets_the_problem_headers_without_a_body()
    {
        var response = await RawHttp.Exchange(S.BaseAddress.Port, "HEAD /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: y\r\n\r\n"u8.ToArray(),
            head: true);
        response.Status.ShouldBe(400);
        response.Header("Content-Type").ShouldBe("application/problem+json");
        int.Parse(response.Header("Content-Length")!).ShouldBeGreaterThan(0);
        response.Header("Connection").ShouldBe("close");
        response.Body.ShouldBeEmpty();
        response.Rest.ShouldBeEmpty();
    }

    [Fact]
    public async Task a_malformed_chunked_body_is_400_problem_json()
    {
        var token = S.Token(Roles.Officer, "Anna Officer");
        var request = Encoding.ASCII.GetBytes("POST /programmes HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
            + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
        var response = await RawHttp.Exchange(S.BaseAddress.Port, request);
        response.Status.ShouldBe(400, response.ToString());
        response.Header("Content-Type").ShouldBe("application/problem+json");
        using var json = JsonDocument.Parse(response.Body);
        json.RootElement.GetProperty("status").GetInt32().ShouldBe(400);
    }

    [Fact]
    public async Task normal_requests_on_one_kept_alive_connection_are_unchanged()
    {
        var expected = await S.Http.GetStringAsync("/reference-data");
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, S.BaseAddress.Port);
        var stream = client.GetStream();
        var reader = new RawHttp(stream);
        foreach (var path in new[] { "/reference-data", "/health/live", "/reference-data" })
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
            var response = await reader.Read();
            response.Status.ShouldBe(200, response.ToString());
            response.Header("Connection").ShouldBeNull();
            if (path == "/reference-data")
            {
                response.Header("Content-Type")!.ShouldStartWith("application/json");
                Encoding.UTF8.GetString(response.Body).ShouldBe(expected);
            }
            else
            {
                Encoding.UTF8.GetString(response.Body).ShouldBe("Healthy");
            }
        }

        // Two pipelined requests in one write: both answered in order on the same connection.
        await stream.WriteAsync("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"u8.ToArray());
        (await reader.Read()).Status.ShouldBe(200);
        (await reader.Read()).Status.ShouldBe(200);
    }
}

/// <summary>The writer in front of the connection's output pipe, without a server: what passes unchanged and what is rewritten.</summary>
public sealed class the_kestrel_refusal_writer
{
    private static readonly byte[] BareRefusal =
        "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nDate: Fri, 27 Nov 2026 06:00:00 GMT\r\nContent-Length: 0\r\n\r\n"u8.ToArray();

    private static async Task<byte[]> Written(Pipe pipe, KestrelRefusalWriter writer)
    {
        await writer.CompleteAsync();
        var result = await pipe.Reader.ReadAsync();
        var bytes = result.Buffer.ToArray();
        pipe.Reader.AdvanceTo(result.Buffer.End);
        return bytes;
    }

    [Fact]
    public async Task unarmed_it_passes_everything_even_bytes_that_look_like_a_refusal()
    {
        var pipe = new Pipe();
        var writer = new KestrelRefusalWriter(pipe.Writer);
        var normal = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"u8.ToArray();
        await writer.WriteAsync(normal);
        BareRefusal.CopyTo(writer.GetSpan(BareRefusal.Length));
        writer.Advance(BareRefusal.Length);
        await writer.FlushAsync();
        (await Written(pipe, writer)).ShouldBe([.. normal, .. BareRefusal]);
    }

    [Fact]
    public void unarmed_it_allocates_nothing_per_write()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
        var writer = new KestrelRefusalWriter(pipe.Writer);
        var payload = new byte[200];
        void Respond()
        {
            payload.CopyTo(writer.GetSpan(256));
            writer.Advance(payload.Length);
            writer.FlushAsync().IsCompletedSuccessfully.ShouldBeTrue();
            pipe.Reader.TryRead(out var read).ShouldBeTrue();
            pipe.Reader.AdvanceTo(read.Buffer.End);
        }
        for (var i = 0; i < 1000; i++) Respond();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++) Respond();
        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBe(0);
    }

    [Fact]
    public async Task armed_it_turns_the_bare_refusal_into_problem_json()
    {
        var pipe = new Pipe();
        var writer = new KestrelRefusalWriter(pipe.Writer);
        writer.Arm("Invalid request target", head: false);
        // Kestrel writes the header block in pieces, then flushes.
        BareRefusal.AsSpan(0, 20).CopyTo(writer.GetSpan());
        writer.Advance(20);
        BareRefusal.AsSpan(20).CopyTo(writer.GetSpan());
        writer.Advance(BareRefusal.Length - 20);
        await writer.FlushAsync();
        var text = Encoding.Latin1.GetString(await Written(pipe, writer));

        text.ShouldStartWith("HTTP/1.1 400 Bad Request\r\n");
        text.ShouldContain("Connection: close\r\n");
        text.ShouldContain("Content-Type: application/problem+json\r\n");
        text.ShouldNotContain("Content-Length: 0\r\n");
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        var body = text[split..];
        text.ShouldContain($"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n");
        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("type").GetString().ShouldBe(ProblemTypes.BadRequest);
        json.RootElement.GetProperty("detail").GetString()!.ShouldContain("Invalid request target");
    }

    [Fact]
    public async Task armed_it_passes_a_response_that_already_has_a_body()
    {
        var pipe = new Pipe();
        var writer = new KestrelRefusalWriter(pipe.Writer);
        writer.Arm("Bad chunk size data", head: false);
        var problem = "HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json\r\nContent-Length: 2\r\n\r\n{}"u8.ToArray();
        await writer.WriteAsync(problem);
        var stream = new byte[40_000];
        Array.Fill(stream, (byte)'x');
        await writer.WriteAsync(stream);
        (await Written(pipe, writer)).ShouldBe([.. problem, .. stream]);
    }

    [Fact]
    public async Task armed_it_releases_body_bytes_at_once_and_keeps_a_buffer_leased_before()
    {
        var pipe = new Pipe();
        var writer = new KestrelRefusalWriter(pipe.Writer);
        var leased = writer.GetMemory(5);
        writer.Arm("Bad chunk size data", head: false);
        "hello"u8.CopyTo(leased.Span);
        writer.Advance(5);
        " world, not a status line"u8.CopyTo(writer.GetSpan(100));
        writer.Advance(25);
        writer.UnflushedBytes.ShouldBe(30);
        await writer.FlushAsync();
        Encoding.ASCII.GetString(await Written(pipe, writer)).ShouldBe("hello world, not a status line");
    }

    [Fact]
    public void a_refused_head_request_gets_headers_only_and_other_statuses_their_types()
    {
        var head = Encoding.Latin1.GetString(KestrelRefusalWriter.Rewrite(BareRefusal, "Invalid request header", head: true)!);
        head.ShouldEndWith("\r\n\r\n");
        head.ShouldContain("Content-Type: application/problem+json");

        var tooLong = "HTTP/1.1 414 URI Too Long\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"u8;
        var rewritten = Encoding.UTF8.GetString(KestrelRefusalWriter.Rewrite(tooLong, "Request line too long")!);
        rewritten.ShouldContain(ProblemTypes.UriTooLong);
        KestrelRefusalWriter.Rewrite("HTTP/1.1 400 Bad Request\r\nContent-Length: 5\r\n\r\n"u8, "x").ShouldBeNull();
        KestrelRefusalWriter.Rewrite("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"u8, "x").ShouldBeNull();
        KestrelRefusals.Reason(new BadHttpRequestException("Invalid request target: '/a\\x00'")).ShouldBe("Invalid request target");
    }
}

/// <summary>A minimal HTTP/1.1 response reader over a raw socket (Content-Length, chunked, or until the server closes).</summary>
public sealed class RawHttp(Stream stream)
{
    private readonly List<byte> _buffer = [];

    public sealed record Response(int Status, string Head, byte[] Body, byte[] Rest)
    {
        public string? Header(string name) => Head.Split("\r\n").Skip(1)
            .Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            .Select(p => p[1].Trim()).FirstOrDefault();

        public override string ToString() => Head + "\r\n\r\n" + Encoding.UTF8.GetString(Body);
    }

    /// <summary>Sends the bytes on a new connection and reads one response, then (Connection: close) everything until the server closes.</summary>
    public static async Task<Response> Exchange(int port, byte[] request, bool head = false)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync(request);
        var reader = new RawHttp(stream);
        var response = await reader.Read(head);
        var rest = string.Equals(response.Header("Connection"), "close", StringComparison.OrdinalIgnoreCase) ? await reader.ReadToEnd() : [];
        return response with { Rest = rest };
    }

    public async Task<Response> Read(bool head = false)
    {
        var end = await Until("\r\n\r\n"u8.ToArray());
        var headText = Encoding.Latin1.GetString([.. _buffer.Take(end)]);
        _buffer.RemoveRange(0, end + 4);
        var response = new Response(int.Parse(headText.AsSpan(9, 3)), headText, [], []);
        if (head) return response;
        if (response.Header("Transfer-Encoding") is { } te && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            var body = new List<byte>();
            while (true)
            {
                var lineEnd = await Until("\r\n"u8.ToArray());
                var size = Convert.ToInt32(Encoding.ASCII.GetString([.. _buffer.Take(lineEnd)]).Split(';')[0].Trim(), 16);
                _buffer.RemoveRange(0, lineEnd + 2);
                await Fill(size + 2);
                body.AddRange(_buffer.Take(size));
                _buffer.RemoveRange(0, size + 2);
                if (size == 0) return response with { Body = [.. body] };
            }
        }
        var length = response.Header("Content-Length") is { } cl ? int.Parse(cl) : -1;
        if (length < 0) return response with { Body = await ReadToEnd() };
        await Fill(length);
        var content = _buffer.Take(length).ToArray();
        _buffer.RemoveRange(0, length);
        return response with { Body = content };
    }

    private async Task<byte[]> ReadToEnd()
    {
        while (await More()) { }
        var all = _buffer.ToArray();
        _buffer.Clear();
        return all;
    }

    private async Task<int> Until(byte[] marker)
    {
        while (true)
        {
            var at = _buffer.ToArray().AsSpan().IndexOf(marker);
            if (at >= 0) return at;
            if (!await More()) throw new EndOfStreamException("The server closed the connection mid-response: " + Encoding.Latin1.GetString([.. _buffer]));
        }
    }

    private async Task Fill(int count)
    {
        while (_buffer.Count < count)
            if (!await More()) throw new EndOfStreamException("The server closed the connection mid-body.");
    }

    private async Task<bool> More()
    {
        var chunk = new byte[16 * 1024];
        var n = await stream.ReadAsync(chunk).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        _buffer.AddRange(chunk.AsSpan(0, n).ToArray());
        return n > 0;
    }
}
