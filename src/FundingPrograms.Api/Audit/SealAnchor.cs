using System.Security.Cryptography;
using System.Text;
using Marten.Services;
using Npgsql;

namespace FundingPrograms.Audit;

/// <summary>
/// Signs seals with an asymmetric key (ECDSA P-256, SHA-256; Audit:SealSigningKey, a PKCS#8 PEM from a secret store). The public
/// key is published (<c>GET /audit/public-key</c>), so an auditor checks seals and dossiers without the HMAC secret.
/// </summary>
public sealed class SealSigner
{
    private readonly ECDsa _key = ECDsa.Create();

    public SealSigner(IConfiguration config)
    {
        var pem = config["Audit:SealSigningKey"];
        if (string.IsNullOrWhiteSpace(pem))
            throw new InvalidOperationException("Audit:SealSigningKey must be set to an ECDSA P-256 private key (PKCS#8 PEM, from a secret store in production).");
        _key.ImportFromPem(pem);
        if (_key.KeySize != 256) throw new InvalidOperationException("Audit:SealSigningKey must be an ECDSA P-256 key.");
        PublicKeyPem = _key.ExportSubjectPublicKeyInfoPem();
        KeyId = Convert.ToHexString(SHA256.HashData(_key.ExportSubjectPublicKeyInfo()))[..16].ToLowerInvariant();
    }

    public string PublicKeyPem { get; }
    public string KeyId { get; }

    /// <summary>What a seal's signature covers: every field of the seal but the time it was written.</summary>
    public static string Statement(Seal s) => $"fundingprograms-seal-v1|{s.Id}|{s.FromSequence}|{s.ToSequence}|{s.Count}|{s.Digest}|{s.PreviousHash}|{s.Hash}";

    public string Sign(Seal seal) => Convert.ToBase64String(_key.SignData(Encoding.UTF8.GetBytes(Statement(seal)), HashAlgorithmName.SHA256));

    public bool Verify(Seal seal)
    {
        try
        {
            return seal.Signature is { Length: > 0 } && _key.VerifyData(Encoding.UTF8.GetBytes(Statement(seal)), Convert.FromBase64String(seal.Signature), HashAlgorithmName.SHA256);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

/// <summary>One seal as recorded outside the database.</summary>
public sealed record AnchoredSeal(long Id, long FromSequence, long ToSequence, string PreviousHash, string Hash, string Line);

/// <summary>
/// The outside anchor: every seal's hash is appended (and fsynced) to a file outside the database once the seal is committed,
/// one file per node in Audit:Anchor:Directory (a write-once share in production). Verification compares the store with every
/// file, so truncating the tail together with its seals is detected. The directory defaults to .local/audit-anchor/ under the
/// content root, with one folder per database (PostgreSQL's system identifier, database, schema); "none" turns it off.
/// </summary>
public sealed class SealAnchor
{
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly Lazy<Task<string?>> _folder;
    private readonly string _node = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    public SealAnchor(IConfiguration config, IWebHostEnvironment env)
    {
        var configured = config["Audit:Anchor:Directory"];
        AllowRestart = config.GetValue("Audit:Anchor:AllowRestart", false);
        _folder = new Lazy<Task<string?>>(async () =>
        {
            if (string.Equals(configured, "none", StringComparison.OrdinalIgnoreCase)) return null;
            await using var source = NpgsqlDataSource.Create(config.GetConnectionString("Marten")!);
            await using var cmd = source.CreateCommand("select (select system_identifier from pg_control_system())::text || '-' || current_database()");
            var database = (string)(await cmd.ExecuteScalarAsync())!;
            var root = string.IsNullOrWhiteSpace(configured) ? Path.Combine(env.ContentRootPath, ".local", "audit-anchor") : configured;
            var folder = Path.Combine(root, $"{database}-{config["Marten:Schema"] ?? "funding"}");
            Directory.CreateDirectory(folder);
            return folder;
        });
    }

    /// <summary>Development and test databases are reset: there a seal chain may start again from its genesis.</summary>
    public bool AllowRestart { get; }

    public Task<string?> Folder() => _folder.Value;

    public async Task Append(IReadOnlyList<Seal> seals, CancellationToken ct)
    {
        if (seals.Count == 0 || await Folder() is not { } folder) return;
        await _write.WaitAsync(ct);
        try
        {
            await using var file = new FileStream(Path.Combine(folder, $"{_node}.log"), FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.WriteThrough);
            var text = string.Concat(seals.Select(s => $"{s.Id} {s.FromSequence} {s.ToSequence} {s.PreviousHash} {s.Hash} {DateTimeOffset.UtcNow:O}\n"));
            await file.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
            file.Flush(flushToDisk: true);
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>Every anchored seal of every node.</summary>
    public async Task<IReadOnlyList<AnchoredSeal>> Read(CancellationToken ct)
    {
        if (await Folder() is not { } folder) return [];
        var all = new List<AnchoredSeal>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.log"))
            foreach (var line in await File.ReadAllLinesAsync(path, ct))
            {
                var parts = line.Split(' ');
                if (parts.Length >= 5 && long.TryParse(parts[0], out var id) && long.TryParse(parts[1], out var from) && long.TryParse(parts[2], out var to))
                    all.Add(new AnchoredSeal(id, from, to, parts[3], parts[4], $"{Path.GetFileName(path)}: {line}"));
            }
        return all;
    }

    /// <summary>
    /// The first anchored seal the store lacks: any (or, where restarts are allowed, any that continues the store's own seal
    /// chain) whose hash is not among the store's seals. Null when the store holds everything anchored.
    /// </summary>
    public async Task<AnchoredSeal?> FirstMissing(IReadOnlyCollection<Seal> seals, CancellationToken ct) => FirstMissing(seals, await Read(ct));

    /// <summary>As above, against anchored seals read beforehand (read them before the store's seals, never after).</summary>
    public AnchoredSeal? FirstMissing(IReadOnlyCollection<Seal> seals, IReadOnlyList<AnchoredSeal> anchored)
    {
        var hashes = seals.Select(s => s.Hash).ToHashSet();
        return anchored.Where(a => !hashes.Contains(a.Hash) && (!AllowRestart || hashes.Contains(a.PreviousHash)))
            .OrderBy(a => a.Id).FirstOrDefault();
    }
}

/// <summary>Appends the seals of a daemon batch to the outside anchor once the batch is committed.</summary>
public sealed class AnchorOnCommit(SealAnchor anchor, IReadOnlyList<Seal> seals, ILogger logger) : IChangeListener
{
    public async Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        try
        {
            await anchor.Append(seals, token);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Seals {First}–{Last} are committed but could not be written to the outside anchor", seals[0].Id, seals[^1].Id);
        }
    }

    public Task BeforeCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token) => Task.CompletedTask;
}

public sealed record PublicSealKey(string Algorithm, string KeyId, string PublicKeyPem, string SignedStatement);

public static class PublicSealKeyEndpoint
{
    [WolverineGet("/audit/public-key", OperationId = "AuditPublicKey"), AllowAnonymous]
    [Tags("Audit"), EndpointSummary("The public key that verifies every seal's signature (ECDSA P-256, SHA-256), for auditors without the chain's secret")]
    public static PublicSealKey Get(SealSigner signer) => new("ECDSA P-256 with SHA-256 (signature: IEEE P1363 r||s, base64)", signer.KeyId, signer.PublicKeyPem,
        "fundingprograms-seal-v1|{id}|{fromSequence}|{toSequence}|{count}|{digest}|{previousHash}|{hash} as UTF-8");
}
