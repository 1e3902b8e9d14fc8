using System.Text.RegularExpressions;
using FundingPrograms.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace FundingPrograms.Programmes;

/// <summary>
/// Budget of a programme per budget line (Haushaltsstelle, e.g. "0710/684 10") and budget year:
/// allocate it once, then increase or decrease it with a reason.
/// </summary>
public sealed record ChangeBudget(string? BudgetLine, string? BudgetLineName, int? Year, decimal? Amount, string? Reason, long? Version);

public static partial class BudgetRules
{
    [GeneratedRegex(@"^[0-9A-Za-z][0-9A-Za-z ./-]{0,39}$")]
    private static partial Regex BudgetLinePattern();

    public static Check Validate(ChangeBudget cmd, DateTimeOffset now, bool reasonRequired)
    {
        var check = new Check()
            .Required(cmd.BudgetLine, "budgetLine", 40)
            .That(cmd.BudgetLine is null || BudgetLinePattern().IsMatch(cmd.BudgetLine.Trim()), "budgetLine", "A budget line is like '0710/684 10' (letters, digits, space, . / -).")
            .That(cmd.Year is not null && cmd.Year >= BerlinTime.Today(now).Year - 1 && cmd.Year <= BerlinTime.Today(now).Year + 10, "year",
                $"The budget year is between {BerlinTime.Today(now).Year - 1} and {BerlinTime.Today(now).Year + 10}.")
            .Money(cmd.Amount, "amount", allowZero: false);
        if (reasonRequired) check.Required(cmd.Reason, "reason", 2000);
        return check;
    }

    public static void EnsureNotArchived(Programme programme)
    {
        if (programme.Status == ProgrammeStatus.Archived) throw ProblemException.InvalidState("An archived programme cannot be changed.");
    }
}

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
    public static Task<Ok<CaseVersion>> Post(Guid id, ChangeBudget cmd, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        session.Decide<Programme>(http, id, cmd.Version, "The programme", p => Decide(p, cmd, clock.GetUtcNow()), ct);
}

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
    public static Task<Ok<CaseVersion>> Post(Guid id, ChangeBudget cmd, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        session.Decide<Programme>(http, id, cmd.Version, "The programme", p => Decide(p, cmd, clock.GetUtcNow()), ct);
}

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
    public static Task<Ok<CaseVersion>> Post(Guid id, ChangeBudget cmd, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        session.Decide<Programme>(http, id, cmd.Version, "The programme", p => Decide(p, cmd, clock.GetUtcNow()), ct);
}
