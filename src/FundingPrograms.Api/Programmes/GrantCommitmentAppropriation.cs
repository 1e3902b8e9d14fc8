namespace FundingPrograms.Programmes;

/// <summary>
/// A commitment appropriation (Verpflichtungsermächtigung, § 38 LHO) for a later budget year of a budget line: grants approved now
/// may commit amounts for that year against it. It becomes that year's cash budget only when the year has come (conversion).
/// </summary>
public sealed record GrantCommitmentAppropriation(string? BudgetLine, string? BudgetLineName, int? Year, decimal? Amount, string? Reason, long? Version) : IVersionedCommand;

public static class GrantCommitmentAppropriationEndpoint
{
    public static IReadOnlyList<object> Decide(Programme programme, GrantCommitmentAppropriation cmd, DateTimeOffset now)
    {
        BudgetRules.Validate(new ChangeBudget(cmd.BudgetLine, cmd.BudgetLineName, cmd.Year, cmd.Amount, cmd.Reason, cmd.Version), now, reasonRequired: true).ThrowIfAny();
        BudgetRules.EnsureNotArchived(programme);
        var current = BerlinTime.Today(now).Year;
        if (cmd.Year <= current)
            throw ProblemException.Rule($"§ 38 LHO: a commitment appropriation is for a later budget year than the current one ({current}); budget {cmd.Year} as cash.",
                new Dictionary<string, string[]> { ["year"] = [$"A year after {current}."] });
        return [new CommitmentAppropriationGranted(programme.Id, cmd.BudgetLine!.Trim(), cmd.BudgetLineName?.Trim(), cmd.Year!.Value, cmd.Amount!.Value, cmd.Reason!.Trim(), now)];
    }

    [WolverinePost("/programmes/{id}/budget/commitment-appropriations", OperationId = "GrantCommitmentAppropriation"), Authorize(Roles = Roles.Officers)]
    [Tags("Budget"), EndpointSummary("Enter a commitment appropriation (Verpflichtungsermächtigung) for a later budget year (with a reason)")]
    public static (Ok<CaseVersion>, Events) Post(GrantCommitmentAppropriation cmd, [WriteAggregate(Required = false)] Programme programme, TimeProvider clock, HttpContext http) =>
        CaseVersion.After(programme, Decide(programme, cmd, clock.GetUtcNow()), http);
}
