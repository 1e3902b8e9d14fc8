using System.Text.RegularExpressions;

namespace FundingPrograms.Programmes;

/// <summary>
/// Budget of a programme per budget line (Haushaltsstelle, e.g. "0710/684 10") and budget year:
/// allocate it once, then increase or decrease it with a reason.
/// </summary>
public sealed record ChangeBudget(string? BudgetLine, string? BudgetLineName, int? Year, decimal? Amount, string? Reason, long? Version) : IVersionedCommand;

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
