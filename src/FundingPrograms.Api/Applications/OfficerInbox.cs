using FundingPrograms.ReferenceData;

namespace FundingPrograms.Applications;

public sealed record InboxItem(
    Guid Id,
    string? Title,
    Guid OrganisationId,
    string OrganisationName,
    string OrganisationType,
    Guid ProgrammeId,
    Guid CallId,
    ApplicationState State,
    DateTimeOffset StateSince,
    int DaysInState,
    DateTimeOffset? SubmittedAt,
    string[] Districts,
    decimal? RequestedAmount,
    DateOnly? CompletionDueDate,
    bool CompletionOverdue,
    long Version);

/// <summary>A slice of the inbox; pass <c>nextCursor</c> as <c>cursor</c> for the next one (stable while new applications arrive).</summary>
public sealed record InboxPage(IReadOnlyList<InboxItem> Items, string? NextCursor);

public static class OfficerInboxEndpoint
{
    /// <summary>
    /// Submitted and later applications (drafts stay private), filterable by programme, call, state, district,
    /// organisation type and minimum days in the current state; sorted by time in state (oldest first by default).
    /// </summary>
    [WolverineGet("/inbox", OperationId = "OfficerInbox"), Authorize(Roles = Roles.Staff)]
    [Tags("Assessment"), EndpointSummary("Officer inbox of applications, with cursor paging")]
    public static async Task<InboxPage> Get(Guid? programmeId, Guid? callId, ApplicationState? state, string? district, string? organisationType,
        int? minDaysInState, string? sort, string? cursor, int? limit, IQuerySession session, ReferenceCatalogue reference, TimeProvider clock,
        HttpContext http, CancellationToken ct)
    {
        long? after = null;
        if (cursor is not null && long.TryParse(cursor, out var c) && c > 0) after = c;
        var size = limit ?? 50;
        new Check()
            .Bound(http, "programmeId", programmeId).Bound(http, "callId", callId).Bound(http, "state", state)
            .Bound(http, "minDaysInState", minDaysInState).Bound(http, "limit", limit)
            .That(cursor is null || after is not null, "cursor", "Use the nextCursor of the previous page.")
            .That(size is >= 1 and <= 200, "limit", "Between 1 and 200.")
            .That(sort is null or "oldest" or "newest", "sort", "Use 'oldest' (default) or 'newest'.")
            .That(state != ApplicationState.Draft, "state", "Drafts are private to the applicant until submitted.")
            .That(district is null || reference.IsDistrict(district), "district", "Unknown district (Kreisschlüssel).")
            .That(organisationType is null || reference.IsOrganisationType(organisationType), "organisationType", "Unknown organisation type.")
            .That(minDaysInState is null or (>= 0 and <= 36_500), "minDaysInState", "Between 0 and 36500 days.")
            .ThrowIfAny();

        var now = clock.GetUtcNow();
        var query = session.Query<Application>().Where(a => a.State != ApplicationState.Draft);
        if (programmeId is { } p) query = query.Where(a => a.ProgrammeId == p);
        if (callId is { } cl) query = query.Where(a => a.CallId == cl);
        if (state is { } s) query = query.Where(a => a.State == s);
        if (organisationType is not null) query = query.Where(a => a.OrganisationType == organisationType);
        if (district is not null) query = query.Where(a => a.Content.Districts.Contains(district));
        if (minDaysInState is { } days)
        {
            var before = now.AddDays(-days);
            query = query.Where(a => a.StateSince <= before);
        }
        var newest = sort == "newest";
        if (after is { } last) query = newest ? query.Where(a => a.StateSequence < last) : query.Where(a => a.StateSequence > last);
        query = newest ? query.OrderByDescending(a => a.StateSequence) : query.OrderBy(a => a.StateSequence);
        var found = await query.Take(size + 1).ToListAsync(ct);

        var today = BerlinTime.Today(now);
        var items = found.Take(size).Select(a => new InboxItem(a.Id, a.Content.Title, a.OrganisationId, a.OrganisationName, a.OrganisationType,
            a.ProgrammeId, a.CallId, a.State, a.StateSince, (int)(now - a.StateSince).TotalDays, a.SubmittedAt, a.Content.Districts,
            a.Content.RequestedAmount, a.CompletionDueDate, a.State == ApplicationState.ReturnedForCompletion && a.CompletionDueDate < today, a.Version)).ToList();
        return new InboxPage(items, found.Count > size ? found[size - 1].StateSequence.ToString() : null);
    }
}
