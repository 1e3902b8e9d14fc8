using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using FundingPrograms.Infrastructure;
using FundingPrograms.Tests.Contracts;
using FundingPrograms.Tests.Infrastructure;

namespace FundingPrograms.Tests.RealProcess;

/// <summary>
/// The built service (the API's own bin output, as ops/run starts it) as a real process on a free loopback port: Kestrel,
/// real sockets, its own configuration. Its own schema on the ops/test database, so it never touches the Alba suite's data.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    public Uri BaseAddress { get; }
    public HttpClient Http { get; }
    public AuthOptions Auth { get; } = new() { SigningKey = AppFixture.SigningKey };

    private ServiceProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>The service's own clock (PostgreSQL's: see <see cref="TestClock.Database"/>), from which a real-process test derives its dates.</summary>
    public static TimeProvider Clock => TestClock.Database;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public static string ApiDll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dll = Repo.File("src", "FundingPrograms.Api", "bin", configuration, "net10.0", "FundingPrograms.Api.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing: build the solution first (ops/test does).");
        return dll;
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Starts the service and waits until /health/live answers.</summary>
    public static async Task<ServiceProcess> Start(string schema, string? connectionString = null, IDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Repo.File("src", "FundingPrograms.Api"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(ApiDll());
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["ConnectionStrings__Marten"] = connectionString ?? Environment.GetEnvironmentVariable("ConnectionStrings__Marten")
            ?? throw new InvalidOperationException("ConnectionStrings__Marten is not set: run the tests with ops/test.");
        info.Environment["Marten__Schema"] = schema;
        info.Environment["Auth__SigningKey"] = AppFixture.SigningKey;
        info.Environment["Audit__ChainKey"] = AppFixture.ChainKey;
        info.Environment["Wolverine__Solo"] = "true";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) info.Environment[key] = value;
        if (Environment.GetEnvironmentVariable("FP_FAKETIME_OFFSET") is { Length: > 0 } offset && offset != "0"
            && Environment.GetEnvironmentVariable("FP_FAKETIME_LIB") is { Length: > 0 } faketime)
        {
            info.Environment["LD_PRELOAD"] = faketime;
            info.Environment["FAKETIME"] = offset.StartsWith('-') ? offset : "+" + offset;
            info.Environment["FAKETIME_DONT_FAKE_MONOTONIC"] = "1";
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (process.HasExited) throw new InvalidOperationException($"The service exited during start-up ({process.ExitCode}):\n{service.Output}");
            try
            {
                using var live = await service.Http.GetAsync("/health/live");
                if (live.IsSuccessStatusCode) return service;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        await service.DisposeAsync();
        throw new TimeoutException($"The service did not start within 90 s:\n{service.Output}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public string Token(string role, string name, Guid? org = null, string? sub = null) =>
        DevTokens.Create(Auth, sub ?? name.ToLowerInvariant().Replace(' ', '-'), name, [role], org, now: Clock.GetUtcNow());

    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> Send(HttpMethod method, string url, string? token,
        HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json") == true
            ? JsonDocument.Parse(text).RootElement.Clone() : JsonSerializer.SerializeToElement(text);
        return (response.StatusCode, body, response);
    }

    /// <summary>POSTs JSON and asserts the status; returns the body.</summary>
    public async Task<JsonElement> Post(string token, string url, object body, int status = 200)
    {
        var (code, json, _) = await Send(HttpMethod.Post, url, token, Json(body));
        ((int)code).ShouldBe(status, $"POST {url}: {json}");
        return json;
    }

    public async Task<JsonElement> Get(string token, string url, int status = 200)
    {
        var (code, json, _) = await Send(HttpMethod.Get, url, token);
        ((int)code).ShouldBe(status, $"GET {url}: {json}");
        return json;
    }

    public static StringContent Json(object body) =>
        new(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");

    [DllImport("libc", SetLastError = true, EntryPoint = "kill")]
    private static extern int SysKill(int pid, int signal);

    /// <summary>Sends SIGTERM (what Ctrl-C's sibling, a container stop or systemd sends) and waits for the exit.</summary>
    public async Task<bool> Terminate(TimeSpan wait)
    {
        if (_process.HasExited) return true;
        SysKill(_process.Id, 15);
        using var cts = new CancellationTokenSource(wait);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>kill -9: the process dies at once; nothing of it runs any more (no shutdown, no flush, no rollback of its own).</summary>
    public async Task KillHard()
    {
        if (_process.HasExited) return;
        SysKill(_process.Id, 9);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            if (!await Terminate(TimeSpan.FromSeconds(10))) _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}

/// <summary>A loopback TCP forwarder in front of PostgreSQL: stopping it is a database outage for the service behind it.</summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource? _cts;
    public int Port { get; }

    public TcpProxy(string host, int port)
    {
        _target = new IPEndPoint(IPAddress.Parse(host == "localhost" ? "127.0.0.1" : host), port);
        Port = ServiceProcess.FreePort();
    }

    public void Start()
    {
        _cts = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _ = Accept(_listener, _cts.Token);
    }

    /// <summary>Closes the listener (new connections are refused) and cuts every open connection.</summary>
    public void Stop()
    {
        _cts?.Cancel();
        _listener?.Stop();
        lock (_open)
        {
            foreach (var c in _open) { try { c.Client.Close(0); } catch (ObjectDisposedException) { } }
            _open.Clear();
        }
    }

    private async Task Accept(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient inbound;
            try { inbound = await listener.AcceptTcpClientAsync(ct); }
            catch (Exception) { return; }
            var outbound = new TcpClient();
            try { await outbound.ConnectAsync(_target, ct); }
            catch (Exception) { inbound.Dispose(); outbound.Dispose(); continue; }
            lock (_open) { _open.Add(inbound); _open.Add(outbound); }
            _ = Pump(inbound, outbound, ct);
            _ = Pump(outbound, inbound, ct);
        }
    }

    private static async Task Pump(TcpClient from, TcpClient to, CancellationToken ct)
    {
        try { await from.GetStream().CopyToAsync(to.GetStream(), ct); }
        catch (Exception) { }
        finally
        {
            try { to.Client.Shutdown(SocketShutdown.Send); } catch (Exception) { }
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }
}
