namespace FundingPrograms.Programmes;

public sealed record CallView(
    Guid Id,
    Guid ProgrammeId,
    Dictionary<string, string> Title,
    Dictionary<string, string> Description,
    DateTimeOffset OpensAt,
    DateTimeOffset ClosesAt,
    string OpensAtLocal,
    string ClosesAtLocal,
    string[] Districts,
    decimal? BudgetCap,
    CallState State,
    DateTimeOffset? ClosedAt,
    string? ClosedReason,
    bool ClosedAutomatically)
{
    public static CallView Of(Guid programmeId, Call c, DateTimeOffset now) => new(c.Id, programmeId, c.Title, c.Description, c.OpensAt, c.ClosesAt,
        BerlinTime.Local(c.OpensAt), BerlinTime.Local(c.ClosesAt), c.Districts, c.BudgetCap, c.StateAt(now), c.ClosedAt, c.ClosedReason,
        c.ClosedAutomatically);
}

/// <summary>The programme as officers see it; applicants get the same without budget figures.</summary>
public sealed record ProgrammeDetail(
    Guid Id,
    long Version,
    ProgrammeStatus Status,
    ProgrammeDefinition Definition,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PublishedAt,
    IReadOnlyList<CallView> Calls,
    IReadOnlyList<BudgetYear>? Budget);

public static class GetProgrammeEndpoint
{
    [WolverineGet("/programmes/{id}", OperationId = "GetProgramme"), Authorize(Roles = Roles.Any)]
    [Tags("Programmes"), EndpointSummary("A programme with its calls (and, for staff, its budget)")]
    public static async Task<ProgrammeDetail> Get(Guid id, IQuerySession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var p = await session.LoadAsync<Programme>(id, ct) ?? throw ProblemException.NotFound("The programme");
        var actor = Actor.From(http.User);
        var staff = !actor.IsApplicant;
        if (!staff && p.Status == ProgrammeStatus.Draft) throw ProblemException.NotFound("The programme");
        http.Response.Headers.ETag = Versioning.ETag(p.Version);
        var now = clock.GetUtcNow();
        return new ProgrammeDetail(p.Id, p.Version, p.Status, p.Definition, p.CreatedAt, p.PublishedAt,
            p.Calls.Select(c => CallView.Of(p.Id, c, now)).ToList(), staff ? p.Budget : null);
    }
}

public static class GetCallEndpoint
{
    [WolverineGet("/calls/{callId}", OperationId = "GetCall"), Authorize(Roles = Roles.Any)]
    [Tags("Calls"), EndpointSummary("A call, with its state now")]
    public static async Task<CallView> Get(Guid callId, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var programme = await session.Query<Programme>().FirstOrDefaultAsync(p => p.Calls.Any(c => c.Id == callId), ct)
            ?? throw ProblemException.NotFound("The call");
        return CallView.Of(programme.Id, programme.CallById(callId)!, clock.GetUtcNow());
    }
}

public static class GetProgrammeHistoryEndpoint
{
    [WolverineGet("/programmes/{id}/history", OperationId = "GetProgrammeHistory"), Authorize(Roles = Roles.Staff)]
    [Tags("Programmes"), EndpointSummary("Every change of a programme: who, when, what, why")]
    public static Task<IReadOnlyList<HistoryEntry>> Get(Guid id, IQuerySession session, CancellationToken ct) =>
        CaseHistory.Of(session, id, "The programme", ct);
}
