namespace FundingPrograms.Programmes;

public static class IncreaseBudgetEndpoint
{
    public static IReadOnlyList<object> Decide(Programme programme, ChangeBudget cmd, DateTimeOffset now)
    {
        BudgetRules.Validate(cmd, now, reasonRequired: true).ThrowIfAny();
        BudgetRules.EnsureNotArchived(programme);
        var line = cmd.BudgetLine!.Trim();
        if (programme.BudgetFor(line, cmd.Year!.Value) is null)
            throw ProblemException.Rule($"Budget line {line} has no budget for {cmd.Year} yet; allocate it first.");
        return [new BudgetIncreased(programme.Id, line, cmd.Year.Value, cmd.Amount!.Value, cmd.Reason!.Trim(), now)];
    }

    [WolverinePost("/programmes/{id}/budget/increase", OperationId = "IncreaseBudget"), Authorize(Roles = Roles.Officers)]
    [Tags("Budget"), EndpointSummary("Increase a budget year (with a reason)")]
    public static (Ok<CaseVersion>, Events) Post(ChangeBudget cmd, [WriteAggregate(Required = false)] Programme programme, TimeProvider clock, HttpContext http) =>
        CaseVersion.After(programme, Decide(programme, cmd, clock.GetUtcNow()), http);
}
