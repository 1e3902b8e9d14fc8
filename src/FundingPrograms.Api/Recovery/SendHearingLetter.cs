using FundingPrograms.Grants;
using FundingPrograms.Notifications;
using Wolverine;

namespace FundingPrograms.Recovery;

/// <summary>The hearing letter (Anhörung, § 28 (1) VwVfG NRW): what is intended and why, and until when the organisation may reply.</summary>
public sealed record SendHearingLetter(string? Text, DateOnly? ReplyDueOn, long? Version) : IVersionedCommand;

public static class SendHearingLetterEndpoint
{
    /// <summary>At least this many days to reply (two weeks is the usual minimum for a hearing).</summary>
    public const int MinReplyDays = 14;

    public static IReadOnlyList<object> Decide(Grant grant, SendHearingLetter cmd, Guid hearingId, Actor officer, DateTimeOffset now)
    {
        var today = BerlinTime.Today(now);
        new Check()
            .Required(cmd.Text, "text", 20_000)
            .Date(cmd.ReplyDueOn, "replyDueOn", required: true)
            .That(cmd.ReplyDueOn is null || cmd.ReplyDueOn >= today.AddDays(MinReplyDays), "replyDueOn",
                $"Give the organisation at least {MinReplyDays} days to reply (from {today.AddDays(MinReplyDays):yyyy-MM-dd}).")
            .ThrowIfAny();
        if (grant.Revocation.Facts.Count == 0)
            throw ProblemException.Rule("Record the facts (and when the authority learned them) before the hearing: they start the one-year period of § 48 (4) VwVfG NRW.");
        return [new HearingLetterSent(grant.Id, hearingId, cmd.Text!.Trim(), cmd.ReplyDueOn!.Value, officer.Id, officer.Name, now)];
    }

    [WolverinePost("/grants/{id}/revocation/hearing", OperationId = "SendHearingLetter"), Authorize(Roles = Roles.Officers)]
    [Tags("Revocation"), EndpointSummary("Send the hearing letter (§ 28 VwVfG NRW) with a reply due date")]
    public static async Task<(Ok<CaseVersion>, Events)> Post(SendHearingLetter cmd, [WriteAggregate(Required = false)] Grant grant, IDocumentSession session,
        IMessageBus bus, TimeProvider clock, Letters.LetterIssuer letters, HttpContext http, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var events = Decide(grant, cmd, Guid.CreateVersion7(), Actor.From(http.User), now);
        var letter = await letters.Hearing(session, grant, events.OfType<HearingLetterSent>().Single(), ct);
        var lang = await NotificationTexts.LanguageOf(session, grant.OrganisationId, ct);
        await letter.Notify(new ApplicantNotification(Guid.CreateVersion7(), grant.OrganisationId, lang.N("hearing.subject", ("reference", grant.Notice.Reference)),
            lang.N("hearing.body", ("text", cmd.Text!.Trim()), ("date", lang.Day(cmd.ReplyDueOn!.Value))), $"/grants/{grant.Id}/revocation", now, letter.LetterId));
        return CaseVersion.After(grant, events, http);
    }
}
