using FundingPrograms.Applications;
using FundingPrograms.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace FundingPrograms.Grants;

public sealed record DoubleFundingFinding(
    string Id,
    string Kind,
    string Description,
    CostCategory Category,
    string Purpose,
    Guid? OtherApplicationId,
    Guid? OtherProgrammeId,
    string? OtherTitle,
    ApplicationState? OtherState);

/// <summary>
/// The double-funding check (strategy: "Doppelförderungen"): the same organisation funded, or applying, for the same
/// purpose (cost category, and for staff the same post) over overlapping periods in any programme; and a cost item
/// funded above 100 % across them. Every finding must be acknowledged with a reason before approval.
/// </summary>
public static class DoubleFunding
{
    private static readonly ApplicationState[] Live =
        [ApplicationState.Submitted, ApplicationState.ReturnedForCompletion, ApplicationState.FormallyChecked, ApplicationState.Assessed, ApplicationState.Approved];

    public static async Task<IReadOnlyList<DoubleFundingFinding>> Find(IQuerySession session, Application application, CancellationToken ct)
    {
        var others = await session.Query<Application>()
            .Where(a => a.OrganisationId == application.OrganisationId && a.Id != application.Id).ToListAsync(ct);
        return Findings(application, others.Where(a => Live.Contains(a.State)).ToList());
    }

    /// <summary>A short, stable key for a purpose inside finding ids.</summary>
    private static string Key(string purpose) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(purpose)))[..16].ToLowerInvariant();

    private static string Purpose(CostItem item) => (item.Category == CostCategory.Staff ? item.Post ?? item.Description : item.Description).Trim().ToLowerInvariant();

    /// <summary>The share of its costs an application is funded with (granted amount once approved).</summary>
    private static decimal FundedShare(Application a)
    {
        var total = a.Content.CostItems.Sum(i => i.Amount);
        var funded = a.Decision?.GrantedAmount ?? a.Content.RequestedAmount ?? 0;
        return total == 0 ? 0 : funded / total;
    }

    private static bool Overlap(ApplicationContent a, ApplicationContent b) =>
        a.PeriodStart is { } s1 && a.PeriodEnd is { } e1 && b.PeriodStart is { } s2 && b.PeriodEnd is { } e2 && s1 <= e2 && s2 <= e1;

    public static IReadOnlyList<DoubleFundingFinding> Findings(Application application, IReadOnlyList<Application> others)
    {
        var findings = new List<DoubleFundingFinding>();
        foreach (var item in application.Content.CostItems.DistinctBy(i => (i.Category, Purpose(i))))
        {
            var purpose = Purpose(item);
            var matches = others.Where(o => Overlap(application.Content, o.Content)
                && o.Content.CostItems.Any(i => i.Category == item.Category && Purpose(i) == purpose)).ToList();
            foreach (var other in matches)
                findings.Add(new DoubleFundingFinding($"overlap:{other.Id:N}:{item.Category.ToString().ToLowerInvariant()}:{Key(purpose)}", "overlap",
                    $"'{other.Content.Title}' ({other.State}) funds the same {item.Category.ToString().ToLowerInvariant()} item '{purpose}' " +
                    $"for an overlapping period ({other.Content.PeriodStart:yyyy-MM-dd} – {other.Content.PeriodEnd:yyyy-MM-dd}).",
                    item.Category, purpose, other.Id, other.ProgrammeId, other.Content.Title, other.State));
            var share = FundedShare(application) + matches.Sum(FundedShare);
            if (matches.Count > 0 && share > 1)
                findings.Add(new DoubleFundingFinding($"overfunded:{item.Category.ToString().ToLowerInvariant()}:{Key(purpose)}", "overfunded",
                    $"Together the applications fund the item '{purpose}' at {decimal.Round(share * 100, 1)} % of its costs (more than 100 %).",
                    item.Category, purpose, null, null, null, null));
        }
        return findings;
    }
}

public static class GetDoubleFundingEndpoint
{
    [WolverineGet("/applications/{id}/double-funding", OperationId = "GetDoubleFundingFindings"), Authorize(Roles = Roles.Staff)]
    [Tags("Decisions"), EndpointSummary("Double-funding findings the approver must acknowledge before approval")]
    public static async Task<IReadOnlyList<DoubleFundingFinding>> Get(Guid id, IQuerySession session, CancellationToken ct)
    {
        var application = await session.LoadAsync<Application>(id, ct) ?? throw ProblemException.NotFound(ApplicationAccess.What);
        return await DoubleFunding.Find(session, application, ct);
    }
}
