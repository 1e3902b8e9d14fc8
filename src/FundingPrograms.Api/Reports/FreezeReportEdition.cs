namespace FundingPrograms.Reports;

public sealed record FreezeReportEdition(string? Title, DateOnly? PublicationDate, string? Note);

public static class FreezeReportEditionEndpoint
{
    public static ReportEditionFrozen Decide(Guid id, FreezeReportEdition cmd, long pinnedSequence, Actor actor, DateTimeOffset now)
    {
        new Check()
            .Required(cmd.Title, "title", 300)
            .Date(cmd.PublicationDate, "publicationDate", required: true)
            .That(cmd.Note is null || cmd.Note.Length <= 2000, "note", "At most 2000 characters are allowed.")
            .ThrowIfAny();
        return new ReportEditionFrozen(id, cmd.Title!.Trim(), cmd.PublicationDate!.Value, pinnedSequence, string.IsNullOrWhiteSpace(cmd.Note) ? null : cmd.Note.Trim(),
            actor.Id, actor.Name, now);
    }

    /// <summary>Freezes the figures as they are now: the edition pins the highest event sequence committed at this moment.</summary>
    [WolverinePost("/reports/editions", OperationId = "FreezeReportEdition"), Authorize(Roles = Roles.Officers)]
    [Tags("Reports"), EndpointSummary("Freeze the report figures for a publication date (an edition pins the event sequence)")]
    public static async Task<Created<CaseVersion>> Post(FreezeReportEdition cmd, IDocumentSession session, TimeProvider clock,
        HttpContext http, CancellationToken ct)
    {
        var id = CaseIds.New(http);
        var pinned = await Facts.HighestSequence(session, ct);
        session.Events.StartStream<ReportEdition>(id, Decide(id, cmd, pinned, Actor.From(http.User), clock.GetUtcNow()));
        return TypedResults.Created($"/reports/editions/{id}", new CaseVersion(id, 1).WithETag(http));
    }
}
