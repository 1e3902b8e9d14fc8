namespace FundingPrograms.Programmes;

public static class DecreaseBudgetEndpoint
{
    public static IReadOnlyList<object> Decide(Programme programme, ChangeBudget cmd, DateTimeOffset now)
    {
        BudgetRules.Validate(cmd, now, reasonRequired: true).ThrowIfAny();
        BudgetRules.EnsureNotArchived(programme);
        var line = cmd.BudgetLine!.Trim();
        var budget = programme.BudgetFor(line, cmd.Year!.Value)
            ?? throw ProblemException.Rule($"Budget line {line} has no budget for {cmd.Year}.");
        if (budget.Free < cmd.Amount!.Value || budget.Allocated < cmd.Amount.Value)
            throw ProblemException.Rule(
                $"The budget {line}/{cmd.Year} cannot go below what is already committed: allocated {budget.Allocated:0.00} EUR, " +
                $"committed {budget.Committed:0.00} EUR, so it can be decreased by at most {budget.Free:0.00} EUR.",
                new Dictionary<string, string[]> { ["amount"] = [$"At most {budget.Free:0.00} EUR."] });
        return [new BudgetDecreased(programme.Id, line, cmd.Year.Value, cmd.Amount.Value, cmd.Reason!.Trim(), now)];
    }

    [WolverinePost("/programmes/{id}/budget/decrease", OperationId = "DecreaseBudget"), Authorize(Roles = Roles.Officers)]
    [Tags("Budget"), EndpointSummary("Decrease a budget year (with a reason; never below what is committed)")]
    public static (Ok<CaseVersion>, Events) Post(ChangeBudget cmd, [WriteAggregate(Required = false)] Programme programme, TimeProvider clock, HttpContext http) =>
        CaseVersion.After(programme, Decide(programme, cmd, clock.GetUtcNow()), http);
}
