namespace FundingPrograms.Programmes;

public static class AllocateBudgetEndpoint
{
    public static IReadOnlyList<object> Decide(Programme programme, ChangeBudget cmd, DateTimeOffset now)
    {
        BudgetRules.Validate(cmd, now, reasonRequired: false).ThrowIfAny();
        BudgetRules.EnsureNotArchived(programme);
        var line = cmd.BudgetLine!.Trim();
        if (programme.BudgetFor(line, cmd.Year!.Value) is not null)
            throw ProblemException.Rule($"Budget line {line} already has a budget for {cmd.Year}; increase or decrease it instead.");
        return [new BudgetAllocated(programme.Id, line, cmd.BudgetLineName?.Trim(), cmd.Year.Value, cmd.Amount!.Value, cmd.Reason?.Trim(), now)];
    }

    [WolverinePost("/programmes/{id}/budget/allocate", OperationId = "AllocateBudget"), Authorize(Roles = Roles.Officers)]
    [Tags("Budget"), EndpointSummary("Allocate a budget to a budget line for a budget year")]
    public static (Ok<CaseVersion>, Events) Post(ChangeBudget cmd, [WriteAggregate(Required = false)] Programme programme, TimeProvider clock, HttpContext http) =>
        CaseVersion.After(programme, Decide(programme, cmd, clock.GetUtcNow()), http);
}
