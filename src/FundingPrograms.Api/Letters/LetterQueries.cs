using System.Security.Cryptography;
using FundingPrograms.Audit;
using FundingPrograms.Grants;
using JasperFx.Events;
using Marten.Pagination;
using Microsoft.AspNetCore.Mvc;

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
    public static async Task<Letter> Load(IQuerySession session, Guid id, HttpContext http, CancellationToken ct) =>
        await LoadOrPending(session, id, http, ct) switch
        {
            (Letter letter, _) => letter,
            _ => throw ProblemException.NotFound("The letter"),
        };

    /// <summary>
    /// The letter, or (while it is being issued, right after its decision) the pending one; 404 when neither exists or it belongs to
    /// another organisation than the applicant's.
    /// </summary>
    public static async Task<(Letter? Letter, PendingLetter? Pending)> LoadOrPending(IQuerySession session, Guid id, HttpContext http, CancellationToken ct)
    {
        var own = await Access.ApplicantOrganisation(Actor.From(http.User), session, ct);
        if (await session.LoadAsync<Letter>(id, ct) is { } letter)
            return own is not null && letter.OrganisationId != own ? throw ProblemException.NotFound("The letter") : (letter, null);
        if (await session.LoadAsync<PendingLetter>(id, ct) is { } pending && (own is null || pending.OrganisationId == own)) return (null, pending);
        throw ProblemException.NotFound("The letter");
    }

    /// <summary>The file of the letter (200), or 202 with <c>status: pending</c> while the letter is being issued.</summary>
    public static async Task<IResult> ServeOrPending(IDocumentSession session, Guid id, string extension, HttpContext http, TimeProvider clock, CancellationToken ct) =>
        await LoadOrPending(session, id, http, ct) switch
        {
            (Letter letter, _) => await Serve(session, letter, extension, http, clock, ct),
            (_, var pending) => LetterStatus.Accepted(pending!, http),
        };

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
        var archived = await LetterArchive.Read(session, letter.Id, file.Name, ct) ?? throw ProblemException.NotFound("The archived letter file");

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
        return Results.Bytes(archived, file.MediaType);
    }

    /// <summary>The letter of a grant's notice version (null for notices issued before letters were archived).</summary>
    public static async Task<Letter?> OfNotice(IQuerySession session, Guid grantId, int noticeVersion, CancellationToken ct) =>
        (await session.Query<Letter>().Where(l => l.GrantId == grantId && l.NoticeVersion == noticeVersion).ToListAsync(ct))
            .OrderBy(l => l.IssuedAt).FirstOrDefault();

    /// <summary>The letter of a grant's notice version that is being issued right now, if any.</summary>
    public static async Task<PendingLetter?> PendingOfNotice(IQuerySession session, Guid grantId, int noticeVersion, CancellationToken ct) =>
        (await session.Query<PendingLetter>().Where(l => l.GrantId == grantId && l.NoticeVersion == noticeVersion).ToListAsync(ct))
            .OrderBy(l => l.DecidedAt).FirstOrDefault();

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
    [Tags("Letters"), EndpointSummary("One letter: kind, subject, file reference, issue date, read receipt and its files with their SHA-256; 202 with status pending while it is being issued")]
    [ProducesResponseType<LetterListItem>(StatusCodes.Status200OK), ProducesResponseType<LetterStatus>(StatusCodes.Status202Accepted)]
    public static async Task<IResult> Get(Guid id, IQuerySession session, HttpContext http, CancellationToken ct) =>
        await LetterAccess.LoadOrPending(session, id, http, ct) switch
        {
            (Letter letter, _) => Results.Ok(LetterListItem.Of(letter)),
            (_, var pending) => LetterStatus.Accepted(pending!, http),
        };
}

public static class GetLetterPdfEndpoint
{
    [WolverineGet("/letters/{id}/letter.pdf", OperationId = "GetLetterPdf"), Authorize(Roles = Roles.Any)]
    [Tags("Letters"), EndpointSummary("The letter as archived PDF/A-2b (German original; ?lang=en for a non-binding reading copy where there is one)")]
    [ProducesResponseType<LetterStatus>(StatusCodes.Status202Accepted)]
    public static async Task<IResult> Get(Guid id, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        await LetterAccess.ServeOrPending(session, id, "pdf", http, clock, ct);
}

public static class GetLetterHtmlEndpoint
{
    [WolverineGet("/letters/{id}/letter.html", OperationId = "GetLetterHtml"), Authorize(Roles = Roles.Any)]
    [Tags("Letters"), EndpointSummary("The letter as archived HTML page (German original; ?lang=en for a non-binding reading copy where there is one)")]
    [ProducesResponseType<LetterStatus>(StatusCodes.Status202Accepted)]
    public static async Task<IResult> Get(Guid id, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        await LetterAccess.ServeOrPending(session, id, "html", http, clock, ct);
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
    [ProducesResponseType<LetterStatus>(StatusCodes.Status202Accepted)]
    public static async Task<IResult> Get(Guid id, int? version, DateTimeOffset? asOf, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var notice = GrantAccess.NoticeOf(http, await GrantAccess.Load(session, id, http, ct), version, asOf);
        if (await LetterAccess.OfNotice(session, id, notice.NoticeVersion, ct) is { } letter) return await LetterAccess.Serve(session, letter, "pdf", http, clock, ct);
        return await LetterAccess.PendingOfNotice(session, id, notice.NoticeVersion, ct) is { } pending ? LetterStatus.Accepted(pending, http)
            : throw ProblemException.NotFound($"An archived letter of version {notice.NoticeVersion} of the notice (issued before letters were archived)");
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
            var archived = await LetterArchive.ReadMany(session, wanted.Select(w => (((LetterIssued)w.Event.Data).LetterId, w.File.Name)).ToList(), ct);
            foreach (var (e, file, _) in wanted)
            {
                if (!archived.TryGetValue((((LetterIssued)e.Data).LetterId, file.Name), out var content))
                    return Broken(e, $"Letter {((LetterIssued)e.Data).LetterId}: its file {file.Name} is missing from the archive.");
                if (Convert.ToHexStringLower(SHA256.HashData(content)) != file.Sha256 || content.LongLength != file.Length)
                    return Broken(e, $"Letter {((LetterIssued)e.Data).LetterId}: the archived {file.Name} does not match the SHA-256 recorded in its letter_issued event: the stored letter was changed.");
            }
        }
        var total = await LetterArchive.Count(session, issued.Count == 0 ? 0 : issued[^1].Sequence, ct);
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
        var archived = await LetterArchive.Read(session, letterId, file.Name, ct);
        return archived is null ? null : (archived, $"{letter.Kind}-{letter.FileReference}.pdf");
    }
}
