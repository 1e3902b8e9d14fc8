namespace FundingPrograms.Programmes;

public sealed record BudgetLineFigures(string BudgetLine, string? BudgetLineName, decimal Allocated, decimal Committed, decimal Paid, decimal Free,
    decimal CommitmentAppropriation, decimal CommitmentAppropriationUsed);

/// <summary>
/// One budget year: <c>Allocated</c> is the cash appropriation, <c>CommitmentAppropriation</c> the Verpflichtungsermächtigung not yet
/// turned into cash (§ 38 LHO), <c>CommitmentAppropriationUsed</c> the part of it grants have committed.
/// </summary>
public sealed record BudgetYearFigures(int Year, decimal Allocated, decimal Committed, decimal Paid, decimal Free, IReadOnlyList<BudgetLineFigures> Lines,
    decimal CommitmentAppropriation, decimal CommitmentAppropriationUsed);

/// <summary>The programme budget by year: allocated, committed (by grants), paid (by payments) and free.</summary>
public sealed record BudgetOverview(Guid ProgrammeId, long Version, IReadOnlyList<BudgetYearFigures> Years, decimal Allocated, decimal Committed, decimal Paid, decimal Free)
{
    /// <summary>Money received back on recovery claims, per calendar year of arrival (Recovery/).</summary>
    public IReadOnlyList<YearAmount> ReturnedPerYear { get; init; } = [];

    public static BudgetOverview Of(Programme p)
    {
        var years = p.Budget.GroupBy(b => b.Year).OrderBy(g => g.Key).Select(g => new BudgetYearFigures(g.Key,
            g.Sum(b => b.Allocated), g.Sum(b => b.Committed), g.Sum(b => b.Paid), g.Sum(b => b.Free),
            g.OrderBy(b => b.BudgetLine).Select(b => new BudgetLineFigures(b.BudgetLine, b.BudgetLineName, b.Allocated, b.Committed, b.Paid, b.Free,
                b.CommitmentAppropriation, b.CommitmentAppropriationUsed)).ToList(),
            g.Sum(b => b.CommitmentAppropriation), g.Sum(b => b.CommitmentAppropriationUsed)))
            .ToList();
        return new BudgetOverview(p.Id, p.Version, years, years.Sum(y => y.Allocated), years.Sum(y => y.Committed), years.Sum(y => y.Paid), years.Sum(y => y.Free));
    }
}

public static class GetBudgetOverviewEndpoint
{
    [WolverineGet("/programmes/{id}/budget", OperationId = "GetBudgetOverview"), Authorize(Roles = Roles.Staff)]
    [Tags("Budget"), EndpointSummary("Budget overview per year: allocated, committed, paid, free")]
    public static async Task<BudgetOverview> Get(Guid id, IQuerySession session, CancellationToken ct) =>
        BudgetOverview.Of(await session.LoadAsync<Programme>(id, ct) ?? throw ProblemException.NotFound("The programme"))
            with
        { ReturnedPerYear = await Recovery.GrantRecovery.ReturnedPerYear(session, id, ct) };
}
