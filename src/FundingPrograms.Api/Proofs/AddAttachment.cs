using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;

namespace FundingPrograms.Proofs;

public sealed record AttachmentAdded(Guid Id, Guid AttachmentId, long Version, string ContentType, string Sha256);

/// <summary>
/// Attaches a file to a draft proof (body: the raw file; ?fileName=…; version as If-Match or ?version=). The type is taken
/// from the content, not the header: PDF, PNG, JPEG, XLSX or CSV, anything else 415; above Proofs:MaxAttachmentBytes 413.
/// </summary>
public static class AddAttachmentEndpoint
{
    public const long DefaultMaxBytes = 20 * 1024 * 1024;
    public const long HardMaxBytes = 256L * 1024 * 1024;
    public const int MaxAttachments = 50;

    /// <summary>The content type by magic bytes; null when it is none of the accepted kinds.</summary>
    public static string? Sniff(byte[] b)
    {
        var s = b.AsSpan();
        if (s.StartsWith("%PDF-"u8)) return "application/pdf";
        if (s.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return "image/png";
        if (s.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return "image/jpeg";
        if (s.StartsWith((ReadOnlySpan<byte>)[0x50, 0x4B, 0x03, 0x04]))
        {
            try
            {
                using var zip = new ZipArchive(new MemoryStream(b), ZipArchiveMode.Read);
                var names = zip.Entries.Select(e => e.FullName).ToList();
                return names.Contains("[Content_Types].xml") && names.Any(n => n.StartsWith("xl/", StringComparison.Ordinal))
                    ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : null;
            }
            catch (InvalidDataException) { return null; }
        }
        // CSV: text without control characters (other than tab and line breaks), with a delimiter on its first line.
        var head = s[..Math.Min(s.Length, 64 * 1024)];
        foreach (var c in head)
            if (c < 0x09 || c is 0x0B or 0x0C || (c > 0x0D && c < 0x20) || c == 0x7F) return null;
        var text = ReceiptFiles.Decode(head.ToArray());
        var first = text.Split('\n', 2)[0];
        return first.Contains(';') || first.Contains(',') ? "text/csv" : null;
    }

    public static (ProofAttachmentAdded Added, ProofAttachmentFile File) Decide(Proof proof, Guid attachmentId, string? fileName, byte[] content, Actor actor,
        DateTimeOffset now)
    {
        new Check()
            .Required(fileName, "fileName", 200)
            .That(fileName is null || (fileName.IndexOfAny(['/', '\\']) < 0 && !fileName.Any(char.IsControl)), "fileName", "A plain file name, without folders.")
            .ThrowIfAny();
        if (!proof.IsEditable)
            throw ProblemException.InvalidState($"The proof is {proof.State.ToString().ToLowerInvariant()}: after submission it is frozen.");
        if (proof.Attachments.Count >= MaxAttachments) throw ProblemException.Rule($"A proof has at most {MaxAttachments} attachments.");
        var type = Sniff(content) ?? throw ProblemException.Of(415, ProblemTypes.UnsupportedMediaType,
            "The file is not a PDF, PNG, JPEG, XLSX or CSV file (checked by its content, not its name).");
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        var info = new AttachmentInfo(attachmentId, fileName!.Trim(), type, content.LongLength, sha, actor.Name, now);
        return (new ProofAttachmentAdded(proof.Id, info),
            new ProofAttachmentFile { Id = attachmentId, ProofId = proof.Id, GrantId = proof.GrantId, FileName = info.FileName, ContentType = type, Content = content });
    }

    [WithoutIdempotencyKey]
    [WolverinePost("/proofs/{id}/attachments", OperationId = "AddProofAttachment"), Authorize(Roles = Roles.Applicant)]
    [RequestSizeLimit(HardMaxBytes)]
    [Tags("Proofs of use"), EndpointSummary("Attach a file (PDF, PNG, JPEG, XLSX, CSV) to a draft proof; its SHA-256 goes into the event")]
    public static async Task<(Created<AttachmentAdded>, Events)> Post(string? fileName, long? version, [WriteAggregate(Required = false)] Proof proof,
        IDocumentSession session, IConfiguration config, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var limit = Math.Min(config.GetValue("Proofs:MaxAttachmentBytes", DefaultMaxBytes), HardMaxBytes);
        var content = await ProofAccess.ReadBody(http, limit, ct);
        var (added, file) = Decide(proof, Guid.CreateVersion7(), fileName, content, Actor.From(http.User), clock.GetUtcNow());
        session.Store(file);
        http.Response.Headers.ETag = Versioning.ETag(proof.Version + 1);
        return (TypedResults.Created($"/proofs/{proof.Id}/attachments/{file.Id}",
            new AttachmentAdded(proof.Id, file.Id, proof.Version + 1, added.Attachment.ContentType, added.Attachment.Sha256)), [added]);
    }
}
