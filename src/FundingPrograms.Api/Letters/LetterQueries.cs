using System.Security.Cryptography;
using FundingPrograms.Audit;
using FundingPrograms.Grants;
using JasperFx.Events;
using Marten.Pagination;

namespace FundingPrograms.Letters;

public sealed record LetterLink(string Language, string MediaType, bool Binding, string Href, string Sha256, long Length);

/// <summary>A letter as listed: what, when, whether an applicant of the organisation has opened it, and its files.</summary>
public sealed record LetterListItem(Guid Id, string Kind, string Subject, string FileReference, Guid OrganisationId, Guid? ApplicationId, Guid? GrantId,
    int? NoticeVersion, DateTimeOffset IssuedAt, string IssuedBy, bool Read, DateTimeOffset? FirstReadAt, IReadOnlyList<LetterLink> Files)
{
    public static LetterListItem Of(Letter l) => new(l.Id, l.Kind, l.Subject, l.FileReference, l.OrganisationId, l.ApplicationId, l.GrantId, l.NoticeVersion,
        l.IssuedAt, l.IssuedBy, l.ReadBy.Count > 0, l.ReadBy.Count > 0 ? l.ReadBy.Min(r => r.At) : null,
        l.Files.Select(f => new LetterLink(f.Language, f.MediaType, f.Binding,
            $"/letters/{l.Id}/letter.{Path.GetExtension(f.Name).TrimStart('.')}{(f.Language == "de" ? "" : "?lang=" + f.Language)}", f.Sha256, f.Length)).ToList());
}

public static class LetterAccess
{
    /// <summary>The letter, or 404 — also when it belongs to another organisation than the applicant's.</summary>
    public static async Task<Letter> Load(IQuerySession session, Guid id, HttpContext http, CancellationToken ct)
    {
        var own = await Access.ApplicantOrganisation(Actor.From(http.User), session, ct);
        var letter = await session.LoadAsync<Letter>(id, ct);
        if (letter is null || (own is not null && letter.OrganisationId != own)) throw ProblemException.NotFound("The letter");
        return letter;
    }

    /// <summary>
    /// The archived bytes of the letter's file in the asked language (?lang= or Accept-Language; German, the binding
    /// original, otherwise). An applicant's first download is recorded as a read receipt.
    /// </summary>
    public static async Task<IResult> Serve(IDocumentSession session, Letter letter, string extension, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var lang = Texts.Language(http);
        var file = letter.Files.FirstOrDefault(f => f.Name == $"{lang}.{extension}")
            ?? letter.Files.FirstOrDefault(f => lang.Contains('-') && f.Name == $"{lang[..lang.IndexOf('-')]}.{extension}")
            ?? letter.Files.FirstOrDefault(f => f.Binding && f.Name.EndsWith("." + extension, StringComparison.Ordinal))
            ?? throw ProblemException.NotFound($"A {extension} file of the letter");
        var archived = await session.LoadAsync<ArchivedLetterFile>(ArchivedLetterFile.IdOf(letter.Id, file.Name), ct)
            ?? throw ProblemException.NotFound("The archived letter file");

        var actor = Actor.From(http.User);
        if (actor.IsApplicant && letter.ReadBy.All(r => r.UserId != actor.Id))
        {
            await EventMetadataMiddleware.Before(http, session, ct);
            session.Events.Append(letter.Id, new LetterRead(letter.Id, actor.Id, actor.Name, file.Name, clock.GetUtcNow()));
            await session.SaveChangesAsync(ct);
        }

        http.Response.Headers.ETag = $"\"{file.Sha256}\"";
        http.Response.Headers.ContentLanguage = file.Language;
        http.Response.Headers["X-Letter-Binding"] = file.Binding ? "true" : "false";
        http.Response.Headers["X-Content-SHA256"] = file.Sha256;
        http.Response.Headers.ContentDisposition = $"inline; filename=\"{letter.Kind}-{letter.FileReference}-{file.Name}\"";
        return Results.Bytes(archived.Content, file.MediaType);
    }

    /// <summary>The letter of a grant's notice version (null for notices issued before letters were archived).</summary>
    public static async Task<Letter?> OfNotice(IQuerySession session, Guid grantId, int noticeVersion, CancellationToken ct) =>
        (await session.Query<Letter>().Where(l => l.GrantId == grantId && l.NoticeVersion == noticeVersion).ToListAsync(ct))
            .OrderBy(l => l.IssuedAt).FirstOrDefault();

    public static async Task<Page<LetterListItem>> List(IQuerySession session, HttpContext http, Guid organisationId, int? page, int? pageSize, CancellationToken ct)
    {
        var (number, size) = Page<LetterListItem>.Normalize(http, page, pageSize);
        var found = await session.Query<Letter>().Where(l => l.OrganisationId == organisationId).OrderByDescending(l => l.IssuedAt).ThenByDescending(l => l.Id)
            .ToPagedListAsync(number, size, ct);
        return new Page<LetterListItem>(found.Select(LetterListItem.Of).ToList(), number, size, found.TotalItemCount);
    }
}

public static class GetLetterEndpoint
{
    [WolverineGet("/letters/{id}", OperationId = "GetLetter"), Authorize(Roles = Roles.Any)]
    [Tags("Letters"), EndpointSummary("One letter: kind, subject, file reference, issue date, read receipt and its files with their SHA-256")]
    public static async Task<LetterListItem> Get(Guid id, IQuerySession session, HttpContext http, CancellationToken ct) =>
        LetterListItem.Of(await LetterAccess.Load(session, id, http, ct));
}

public static class GetLetterPdfEndpoint
{
    [WolverineGet("/letters/{id}/letter.pdf", OperationId = "GetLetterPdf"), Authorize(Roles = Roles.Any)]
    [Tags("Letters"), EndpointSummary("The letter as archived PDF/A-2b (German original; ?lang=en for a non-binding reading copy where there is one)")]
    public static async Task<IResult> Get(Guid id, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        await LetterAccess.Serve(session, await LetterAccess.Load(session, id, http, ct), "pdf", http, clock, ct);
}

public static class GetLetterHtmlEndpoint
{
    [WolverineGet("/letters/{id}/letter.html", OperationId = "GetLetterHtml"), Authorize(Roles = Roles.Any)]
    [Tags("Letters"), EndpointSummary("The letter as archived HTML page (German original; ?lang=en for a non-binding reading copy where there is one)")]
    public static async Task<IResult> Get(Guid id, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        await LetterAccess.Serve(session, await LetterAccess.Load(session, id, http, ct), "html", http, clock, ct);
}

public static class MyLettersEndpoint
{
    [WolverineGet("/me/letters", OperationId = "MyLetters"), Authorize(Roles = Roles.Applicant)]
    [Tags("Letters"), EndpointSummary("The letters sent to the signed-in applicant's organisation, newest first, with read receipts")]
    public static async Task<Page<LetterListItem>> Get(int? page, int? pageSize, IQuerySession session, HttpContext http, CancellationToken ct) =>
        await LetterAccess.List(session, http, await Access.ApplicantOrganisation(Actor.From(http.User), session, ct) ?? Guid.Empty, page, pageSize, ct);
}

public static class OrganisationLettersEndpoint
{
    [WolverineGet("/organisations/{id}/letters", OperationId = "OrganisationLetters"), Authorize(Roles = Roles.Any)]
    [Tags("Letters"), EndpointSummary("The letters sent to an organisation, newest first (applicants: only their own)")]
    public static async Task<Page<LetterListItem>> Get(Guid id, int? page, int? pageSize, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        await Access.EnsureMayAccess(Actor.From(http.User), session, id, "The organisation", ct);
        return await LetterAccess.List(session, http, id, page, pageSize, ct);
    }
}

public static class GetGrantNoticePdfEndpoint
{
    [WolverineGet("/grants/{id}/notice.pdf", OperationId = "GetGrantNoticePdf"), Authorize(Roles = Roles.Any)]
    [Tags("Grants"), EndpointSummary("The grant or amendment notice as archived PDF/A-2b, of a notice version (?version=) or an instant (?asOf=); ?lang=en for a reading copy")]
    public static async Task<IResult> Get(Guid id, int? version, DateTimeOffset? asOf, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var notice = GrantAccess.NoticeOf(http, await GrantAccess.Load(session, id, http, ct), version, asOf);
        var letter = await LetterAccess.OfNotice(session, id, notice.NoticeVersion, ct)
            ?? throw ProblemException.NotFound($"An archived letter of version {notice.NoticeVersion} of the notice (issued before letters were archived)");
        return await LetterAccess.Serve(session, letter, "pdf", http, clock, ct);
    }
}

/// <summary>
/// Part of the audit verification: every file a <c>letter_issued</c> event lists must be archived with exactly the
/// bytes whose SHA-256 the event recorded, and no archived file may lack such an event.
/// </summary>
public static class LetterArchiveVerification
{
    public static async Task<BrokenLink?> Verify(IQuerySession session, CancellationToken ct)
    {
        var issued = await session.Events.QueryAllRawEvents().Where(e => e.EventTypeName == "letter_issued").OrderBy(e => e.Sequence).ToListAsync(ct);
        var expected = 0;
        foreach (var chunk in issued.Chunk(50))
        {
            var wanted = chunk.SelectMany(e => ((LetterIssued)e.Data).Files.Select(f => (Event: e, File: f, Id: ArchivedLetterFile.IdOf(((LetterIssued)e.Data).LetterId, f.Name))))
                .ToList();
            expected += wanted.Count;
            var archived = (await session.LoadManyAsync<ArchivedLetterFile>(ct, wanted.Select(w => w.Id).ToArray())).ToDictionary(a => a.Id);
            foreach (var (e, file, archiveId) in wanted)
            {
                if (!archived.TryGetValue(archiveId, out var a))
                    return Broken(e, $"Letter {((LetterIssued)e.Data).LetterId}: its file {file.Name} is missing from the archive.");
                if (Convert.ToHexStringLower(SHA256.HashData(a.Content)) != file.Sha256 || a.Content.LongLength != file.Length)
                    return Broken(e, $"Letter {((LetterIssued)e.Data).LetterId}: the archived {file.Name} does not match the SHA-256 recorded in its letter_issued event: the stored letter was changed.");
            }
        }
        var total = await session.Query<ArchivedLetterFile>().CountAsync(ct);
        return total == expected ? null
            : new BrokenLink(null, null, null, $"The letter archive holds {total} files, the letter_issued events list {expected}: files were added to the archive afterwards.");
    }

    private static BrokenLink Broken(IEvent e, string problem) => new(e.Sequence, e.StreamId, e.Version, problem);
}

/// <summary>The binding PDF of a letter, for the e-mail that announces it.</summary>
public static class LetterAttachment
{
    public static async Task<(byte[] Content, string FileName)?> Pdf(IQuerySession session, Guid letterId, CancellationToken ct)
    {
        var letter = await session.LoadAsync<Letter>(letterId, ct);
        var file = letter?.Files.FirstOrDefault(f => f.Binding && f.MediaType == "application/pdf");
        if (letter is null || file is null) return null;
        var archived = await session.LoadAsync<ArchivedLetterFile>(ArchivedLetterFile.IdOf(letterId, file.Name), ct);
        return archived is null ? null : (archived.Content, $"{letter.Kind}-{letter.FileReference}.pdf");
    }
}
