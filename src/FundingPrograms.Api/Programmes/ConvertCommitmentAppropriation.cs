namespace FundingPrograms.Programmes;

/// <summary>When its year has come, the commitment appropriation of a budget line becomes that year's cash budget (recorded, with a reason).</summary>
public sealed record ConvertCommitmentAppropriation(string? BudgetLine, int? Year, string? Reason, long? Version) : IVersionedCommand;

public static class ConvertCommitmentAppropriationEndpoint
{
    public static IReadOnlyList<object> Decide(Programme programme, ConvertCommitmentAppropriation cmd, DateTimeOffset now)
    {
        new Check().Required(cmd.BudgetLine, "budgetLine", 40).That(cmd.Year is not null, "year", "The budget year is required.")
            .Required(cmd.Reason, "reason", 2000).ThrowIfAny();
        BudgetRules.EnsureNotArchived(programme);
        var line = cmd.BudgetLine!.Trim();
        var current = BerlinTime.Today(now).Year;
        if (cmd.Year > current)
            throw ProblemException.Rule($"§ 38 LHO: the commitment appropriation for {cmd.Year} becomes cash only when {cmd.Year} has come (now {current}).",
                new Dictionary<string, string[]> { ["year"] = [$"{current} or earlier."] });
        var budget = programme.BudgetFor(line, cmd.Year!.Value);
        if (budget is not { CommitmentAppropriation: > 0 })
            throw ProblemException.Rule($"Budget line {line} has no commitment appropriation for {cmd.Year} to convert.");
        return [new CommitmentAppropriationConverted(programme.Id, line, cmd.Year.Value, budget.CommitmentAppropriation, cmd.Reason!.Trim(), now)];
    }

    [WolverinePost("/programmes/{id}/budget/commitment-appropriations/convert", OperationId = "ConvertCommitmentAppropriation"), Authorize(Roles = Roles.Officers)]
    [Tags("Budget"), EndpointSummary("Turn a year's commitment appropriation into its cash budget once the year has come (officer)")]
    public static (Ok<CaseVersion>, Events) Post(ConvertCommitmentAppropriation cmd, [WriteAggregate(Required = false)] Programme programme, TimeProvider clock, HttpContext http) =>
        CaseVersion.After(programme, Decide(programme, cmd, clock.GetUtcNow()), http);
}
