using Marten.Pagination;

namespace FundingPrograms.Programmes;

public sealed record ProgrammeListItem(
    Guid Id,
    string Name,
    ProgrammeStatus Status,
    long Version,
    DateTimeOffset CreatedAt,
    int OpenCalls,
    decimal Allocated,
    decimal Committed,
    decimal Paid,
    decimal Free);

public static class ListProgrammesEndpoint
{
    [WolverineGet("/programmes", OperationId = "ListProgrammes"), Authorize(Roles = Roles.Staff)]
    [Tags("Programmes"), EndpointSummary("Programmes with their state and budget figures (officer view), newest first")]
    public static async Task<Page<ProgrammeListItem>> Get(ProgrammeStatus? status, int? page, int? pageSize, IQuerySession session,
        TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var check = new Check().Bound(http, "status", status);
        var (number, size) = Page<ProgrammeListItem>.Normalize(http, page, pageSize, check);
        check.ThrowIfAny();
        var query = session.Query<Programme>().AsQueryable();
        if (status is { } s) query = query.Where(p => p.Status == s);
        var found = await query.OrderByDescending(p => p.CreatedAt).ToPagedListAsync(number, size, ct);
        var now = clock.GetUtcNow();
        var items = found.Select(p => new ProgrammeListItem(p.Id, p.Definition.Name.In(Texts.Default), p.Status, p.Version, p.CreatedAt,
            p.Calls.Count(c => c.StateAt(now) == CallState.Open),
            p.Budget.Sum(b => b.Allocated), p.Budget.Sum(b => b.Committed), p.Budget.Sum(b => b.Paid), p.Budget.Sum(b => b.Free))).ToList();
        return new Page<ProgrammeListItem>(items, number, size, found.TotalItemCount);
    }
}
