using System.Security.Cryptography;

namespace FundingPrograms.Letters;

/// <summary>One file of an issued letter, as archived: <c>de.pdf</c>, <c>de.html</c>, <c>en.pdf</c>…</summary>
public sealed record LetterFile(string Name, string Language, string MediaType, bool Binding, string Sha256, long Length);

/// <summary>
/// A letter was issued for a decision, right after the decision's transaction committed (from the order stored in it, see
/// <see cref="IssueLetter"/>): its files were rendered once and archived, and their SHA-256 recorded here, so the audit chain
/// covers the exact bytes sent.
/// </summary>
public sealed record LetterIssued(
    Guid LetterId,
    string Kind,
    Guid OrganisationId,
    Guid? ProgrammeId,
    Guid? ApplicationId,
    Guid? GrantId,
    int? NoticeVersion,
    string FileReference,
    string Subject,
    LetterFile[] Files,
    string IssuedBy,
    DateTimeOffset IssuedAt) : IDomainEvent;

/// <summary>An applicant of the organisation opened (downloaded) the letter: the read receipt.</summary>
public sealed record LetterRead(Guid LetterId, string UserId, string UserName, string File, DateTimeOffset At) : IDomainEvent;

public sealed record LetterReader(string UserId, string UserName, DateTimeOffset At);

/// <summary>A letter and its read receipts, folded from its own stream (inline snapshot).</summary>
public sealed partial class Letter
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public string Kind { get; set; } = "";
    public Guid OrganisationId { get; set; }
    public Guid? ProgrammeId { get; set; }
    public Guid? ApplicationId { get; set; }
    public Guid? GrantId { get; set; }
    public int? NoticeVersion { get; set; }
    public string FileReference { get; set; } = "";
    public string Subject { get; set; } = "";
    public LetterFile[] Files { get; set; } = [];
    public string IssuedBy { get; set; } = "";
    public DateTimeOffset IssuedAt { get; set; }
    public List<LetterReader> ReadBy { get; set; } = [];

    public static Letter Create(LetterIssued e) => new()
    {
        Id = e.LetterId, Kind = e.Kind, OrganisationId = e.OrganisationId, ProgrammeId = e.ProgrammeId, ApplicationId = e.ApplicationId,
        GrantId = e.GrantId, NoticeVersion = e.NoticeVersion, FileReference = e.FileReference, Subject = e.Subject, Files = e.Files,
        IssuedBy = e.IssuedBy, IssuedAt = e.IssuedAt,
    };

    public void Apply(LetterRead e)
    {
        if (ReadBy.All(r => r.UserId != e.UserId)) ReadBy.Add(new LetterReader(e.UserId, e.UserName, e.At));
    }

    /// <summary>The id of a decision's letter: derived from what it decides, so a retried command cannot issue a second one.</summary>
    public static Guid IdFor(string kind, Guid caseId, int version)
    {
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"letter/{kind}/{caseId:N}/{version}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8 (name-based, custom)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}

/// <summary>
/// The archived bytes of one letter file as letters were archived before the table <c>letter_files</c> (a Marten document,
/// base64 in jsonb): never written any more, still served and verified for those letters (see <see cref="LetterArchive"/>).
/// </summary>
public sealed class ArchivedLetterFile
{
    /// <summary><c>{letterId:N}/{name}</c>.</summary>
    public string Id { get; set; } = "";
    public Guid LetterId { get; set; }
    public string Name { get; set; } = "";
    public string MediaType { get; set; } = "";
    public byte[] Content { get; set; } = [];

    public static string IdOf(Guid letterId, string name) => $"{letterId:N}/{name}";
}
