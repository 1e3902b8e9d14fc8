namespace FundingPrograms.Reports;

/// <summary>An officer froze the report figures for a publication: the edition pins the event sequence they are computed from.</summary>
public sealed record ReportEditionFrozen(
    Guid EditionId, string Title, DateOnly PublicationDate, long PinnedSequence, string? Note, string FrozenBy, string FrozenByName,
    DateTimeOffset At) : IDomainEvent;

/// <summary>A report edition (inline snapshot): every report can be re-read at its pinned event sequence.</summary>
public sealed partial class ReportEdition
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public string Title { get; set; } = "";
    public DateOnly PublicationDate { get; set; }
    public long PinnedSequence { get; set; }
    public string? Note { get; set; }
    public string FrozenByName { get; set; } = "";
    public DateTimeOffset FrozenAt { get; set; }

    public static ReportEdition Create(ReportEditionFrozen e) => new()
    {
        Id = e.EditionId, Title = e.Title, PublicationDate = e.PublicationDate, PinnedSequence = e.PinnedSequence, Note = e.Note,
        FrozenByName = e.FrozenByName, FrozenAt = e.At,
    };
}

/// <summary>
/// Where a report's figures come from: the live facts (every event up to <paramref name="FactsSequence"/>: the facts are an
/// async projection and may trail the newest event by a moment), the events up to an instant, or an edition's pinned sequence.
/// </summary>
public sealed record ReportBasis(
    string Source, DateTimeOffset? AsOf, Guid? EditionId, string? EditionTitle, DateOnly? PublicationDate, long? PinnedSequence, long? FactsSequence = null);

public static class ReportScope
{
    /// <summary>Validates asOf/edition (one or neither) and loads the facts they name.</summary>
    public static async Task<(FactSet Facts, ReportBasis Basis)> Load(DateTimeOffset? asOf, Guid? edition, IQuerySession session, HttpContext http, Check check,
        CancellationToken ct)
    {
        check.Bound(http, "asOf", asOf).Bound(http, "edition", edition)
            .That(asOf is null || edition is null, "asOf", "Give either asOf or edition, not both.")
            .ThrowIfAny();
        if (edition is { } id)
        {
            var e = await session.LoadAsync<ReportEdition>(id, ct) ?? throw ProblemException.NotFound("The report edition");
            var facts = await Facts.AtSequence(session, e.Id, e.PinnedSequence, ct);
            return (facts, new ReportBasis("edition", null, e.Id, e.Title, e.PublicationDate, e.PinnedSequence));
        }
        if (asOf is { } instant)
            return (await Facts.Cut(session, null, instant, ct), new ReportBasis("asOf", instant, null, null, null, null));
        var live = await Facts.Current(session, ct);
        return (live, new ReportBasis("live", null, null, null, null, null, live.Sequence));
    }
}

public static class ListReportEditionsEndpoint
{
    [WolverineGet("/reports/editions", OperationId = "ListReportEditions"), Authorize(Roles = Roles.Staff)]
    [Tags("Reports"), EndpointSummary("Report editions, newest publication first")]
    public static async Task<IReadOnlyList<ReportEdition>> List(IQuerySession session, CancellationToken ct) =>
        await session.Query<ReportEdition>().OrderByDescending(e => e.PublicationDate).ThenByDescending(e => e.PinnedSequence).ToListAsync(ct);
}

public static class GetReportEditionEndpoint
{
    [WolverineGet("/reports/editions/{id}", OperationId = "GetReportEdition"), Authorize(Roles = Roles.Staff)]
    [Tags("Reports"), EndpointSummary("One report edition; read its figures with ?edition={id} on any report")]
    public static async Task<ReportEdition> Get(Guid id, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<ReportEdition>(id, ct) ?? throw ProblemException.NotFound("The report edition");
}
