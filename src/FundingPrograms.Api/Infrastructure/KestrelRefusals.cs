using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace FundingPrograms.Infrastructure;

/// <summary>
/// Kestrel refuses some requests before any application code runs (<c>%00</c> in the path, a malformed request line,
/// invalid header names or values, a bad or missing Host header, a request line or header block beyond its limits, a
/// request-header timeout) and answers them itself: status line, <c>Content-Length: 0</c>, <c>Connection: close</c>, no
/// body. ASP.NET Core has no supported way to write that body (the exception handler and status-code pages never see these
/// requests); it only lets one observe the refusal, through the documented DiagnosticSource event
/// <c>Microsoft.AspNetCore.Server.Kestrel.BadRequest</c> (payload: the request's features with
/// <see cref="IBadRequestExceptionFeature"/>). So:
/// <list type="number">
/// <item>A connection middleware on every endpoint (<see cref="KestrelServerOptions.ConfigureEndpointDefaults"/>) puts a
/// <see cref="KestrelRefusalWriter"/> in front of the connection's output pipe. On the normal path it only forwards each call
/// (one field test, no allocation, no look at the bytes).</item>
/// <item>The BadRequest event (raised on the connection's own flow, just before Kestrel writes its refusal) arms that
/// connection's writer. The next response bytes are then held back (at most 16 KiB) and, if they are exactly Kestrel's bare
/// refusal (HTTP/1.x status line, 4xx/5xx, <c>Content-Length: 0</c>, no body, no Content-Type), replaced by the same status
/// and headers plus an <c>application/problem+json</c> body (<see cref="ProblemTypes.BadRequest"/> for 400) and its
/// Content-Length. Anything else (e.g. the problem+json the exception handler already wrote for a malformed chunked body)
/// passes unchanged.</item>
/// </list>
/// The connection always ends after a refusal (Kestrel disables keep-alive), so the writer never has to find response
/// boundaries. HTTP/2 and HTTP/3 refusals are left alone (stream resets, not HTTP/1 responses); on an HTTPS endpoint terminated
/// by Kestrel itself the writer sees ciphertext and steps aside (the service runs behind a TLS-terminating proxy).
/// </summary>
public static class KestrelRefusals
{
    public const string BadRequestEvent = "Microsoft.AspNetCore.Server.Kestrel.BadRequest";

    private static readonly AsyncLocal<KestrelRefusalWriter?> CurrentConnection = new();

    public static void Install(KestrelServerOptions kestrel)
    {
        kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => async connection =>
        {
            var original = connection.Transport;
            var writer = new KestrelRefusalWriter(original.Output);
            connection.Transport = new DuplexPipe(original.Input, writer);
            CurrentConnection.Value = writer;
            try
            {
                await next(connection);
            }
            finally
            {
                await writer.DrainAsync();
                connection.Transport = original;
            }
        }));
        // Only this event name is enabled: the other names the hosting layer asks about per request are refused at once.
        kestrel.ApplicationServices?.GetService<DiagnosticListener>()?.Subscribe(new BadRequestObserver(), name => name == BadRequestEvent);
    }

    /// <summary>The reason Kestrel gives, without the request bytes it may quote (e.g. "Invalid request target").</summary>
    public static string Reason(Exception? error)
    {
        var message = error?.Message ?? "";
        var quote = message.IndexOf(": '", StringComparison.Ordinal);
        if (quote >= 0) message = message[..quote];
        message = message.Trim().TrimEnd('.');
        return message.Length is 0 or > 120 || !message.All(c => c is >= ' ' and < (char)127) ? "Malformed request" : message;
    }

    private sealed class BadRequestObserver : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key != BadRequestEvent || value.Value is not IFeatureCollection features || CurrentConnection.Value is not { } writer) return;
            var request = features.Get<IHttpRequestFeature>();
            if (request?.Protocol is { } protocol && (HttpProtocol.IsHttp2(protocol) || HttpProtocol.IsHttp3(protocol))) return;
            writer.Arm(Reason(features.Get<IBadRequestExceptionFeature>()?.Error), HttpMethods.IsHead(request?.Method ?? ""));
        }

        public void OnCompleted() { }

        public void OnError(Exception error) { }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }
}

/// <summary>
/// The connection's output pipe with Kestrel's bare refusals turned into problem+json (see <see cref="KestrelRefusals"/>).
/// Unarmed it forwards every call to the inner writer. Armed, the next buffer it hands out is its own; the bytes written there
/// are released unchanged as soon as they do not start like a 4xx/5xx HTTP/1 status line, exceed 16 KiB, or are not a bare
/// refusal when flushed.
/// </summary>
public sealed class KestrelRefusalWriter(PipeWriter inner) : PipeWriter
{
    private const int MaxHeld = 16 * 1024;
    private volatile Refusal? _armed;
    private bool _holding;
    private byte[]? _held;
    private int _length;

    private sealed record Refusal(string Reason, bool Head);

    /// <summary>The next response on this connection is Kestrel's refusal of a request (called from the BadRequest event).</summary>
    public void Arm(string reason, bool head) => _armed = new Refusal(reason, head);

    public override Memory<byte> GetMemory(int sizeHint = 0) => _armed is null ? inner.GetMemory(sizeHint) : Hold(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _armed is null ? inner.GetSpan(sizeHint) : Hold(sizeHint).Span;

    public override void Advance(int bytes)
    {
        // A buffer leased from the inner writer before the writer was armed is advanced there.
        if (_holding) Held(bytes);
        else inner.Advance(bytes);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_holding) Settle();
        return inner.FlushAsync(cancellationToken);
    }

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default) =>
        _armed is null ? inner.WriteAsync(source, cancellationToken) : base.WriteAsync(source, cancellationToken);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes + _length;

    public override void Complete(Exception? exception = null)
    {
        if (_holding) Settle();
        inner.Complete(exception);
    }

    public override ValueTask CompleteAsync(Exception? exception = null)
    {
        if (_holding) Settle();
        return inner.CompleteAsync(exception);
    }

    /// <summary>Writes out what is still held when the connection ends (Kestrel flushes its refusal, so normally nothing).</summary>
    public async ValueTask DrainAsync()
    {
        if (!_holding) return;
        try
        {
            Settle();
            await inner.FlushAsync();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or ObjectDisposedException or ConnectionAbortedException)
        {
            // The client is gone or the transport is already closed: nothing left to tell it.
        }
    }

    private Memory<byte> Hold(int sizeHint)
    {
        _holding = true;
        var needed = _length + Math.Max(sizeHint, 512);
        if (_held is null || _held.Length < needed)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 4096));
            if (_held is not null)
            {
                _held.AsSpan(0, _length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_held);
            }
            _held = bigger;
        }
        return _held.AsMemory(_length);
    }

    private void Held(int bytes)
    {
        _length += bytes;
        if (_length > MaxHeld || (_length >= 10 && !StartsLikeRefusal(_held!.AsSpan(0, _length)))) Release(null);
    }

    private void Settle()
    {
        var refusal = _armed;
        Release(refusal is null ? null : Rewrite(_held!.AsSpan(0, _length), refusal.Reason, refusal.Head));
    }

    private void Release(byte[]? replacement)
    {
        inner.Write(replacement ?? _held!.AsSpan(0, _length));
        if (_held is not null) ArrayPool<byte>.Shared.Return(_held);
        _held = null;
        _length = 0;
        _holding = false;
        _armed = null;
    }

    private static bool StartsLikeRefusal(ReadOnlySpan<byte> head) =>
        head.StartsWith("HTTP/1."u8) && head[8] == (byte)' ' && head[9] is (byte)'4' or (byte)'5';

    /// <summary>
    /// Kestrel's bare refusal (a complete HTTP/1 header block with a 4xx/5xx status, <c>Content-Length: 0</c>, no Content-Type
    /// or Transfer-Encoding, nothing after it) as the same status and headers with a problem+json body; null for anything else.
    /// </summary>
    public static byte[]? Rewrite(ReadOnlySpan<byte> response, string reason, bool head = false)
    {
        if (response.Length < 16 || !StartsLikeRefusal(response) || response.IndexOf("\r\n\r\n"u8) != response.Length - 4) return null;
        if (!int.TryParse(response.Slice(9, 3), out var status) || status is < 400 or > 599) return null;
        var lines = Encoding.Latin1.GetString(response[..^4]).Split("\r\n");
        // An unsupported HTTP version is the client's fault too: 400, so that no request makes the server answer 5xx.
        if (status == 505) (status, lines[0]) = (400, lines[0][..9] + "400 Bad Request");
        var headers = new StringBuilder(lines[0]).Append("\r\n");
        var emptyBody = false;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            var name = colon > 0 ? line[..colon].Trim() : "";
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                emptyBody = line[(colon + 1)..].Trim() == "0";
                continue;
            }
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                return null;
            headers.Append(line).Append("\r\n");
        }
        if (!emptyBody) return null;

        var correlationId = Guid.NewGuid().ToString("N");
        var body = Problem(status, reason, correlationId);
        headers.Append("Content-Type: application/problem+json\r\n")
            .Append(Correlation.Header).Append(": ").Append(correlationId).Append("\r\n")
            .Append("Content-Length: ").Append(body.Length).Append("\r\n\r\n");
        var headerBytes = Encoding.Latin1.GetBytes(headers.ToString());
        return head ? headerBytes : [.. headerBytes, .. body];
    }

    private static byte[] Problem(int status, string reason, string correlationId)
    {
        var (type, title) = status switch
        {
            400 => (ProblemTypes.BadRequest, "The HTTP request is malformed (or its HTTP version is not supported)."),
            405 => (ProblemTypes.MethodNotAllowed, ProblemTypes.TitleFor(405)),
            408 => (ProblemTypes.BadRequest, "The request did not arrive in time."),
            411 => (ProblemTypes.BadRequest, "The request needs a Content-Length."),
            413 => (ProblemTypes.PayloadTooLarge, ProblemTypes.TitleFor(413)),
            414 => (ProblemTypes.UriTooLong, ProblemTypes.TitleFor(414)),
            431 => (ProblemTypes.HeadersTooLarge, ProblemTypes.TitleFor(431)),
            _ => (ProblemTypes.BadRequest, "The request was refused."),
        };
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WriteString("title", title);
            json.WriteNumber("status", status);
            json.WriteString("detail", $"The server refused the request before reading it ({reason}). Check the request line, the header "
                + "names and values, the Host header and the body framing (HTTP/1.1, RFC 9112). Nothing was changed.");
            json.WriteString("correlationId", correlationId);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
