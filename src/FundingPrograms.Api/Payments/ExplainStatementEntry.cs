namespace FundingPrograms.Payments;

public sealed record ExplainStatementEntry(string? EntryKey, string? Reason, long? Version) : IVersionedCommand;

public static class ExplainStatementEntryEndpoint
{
    public static IReadOnlyList<object> Decide(StatementRecord statement, ExplainStatementEntry cmd, DateTimeOffset now)
    {
        new Check().Required(cmd.EntryKey, "entryKey", 200).Required(cmd.Reason, "reason", 2000).ThrowIfAny();
        var entry = statement.Entries.FirstOrDefault(e => e.Key == cmd.EntryKey) ?? throw ProblemException.NotFound("The statement entry");
        if (entry.Status != EntryStatus.Unmatched) throw ProblemException.InvalidState($"The entry is {entry.Status.ToString().ToLowerInvariant()} already.");
        return [new StatementEntryExplained(statement.Id, entry.Key, cmd.Reason!.Trim(), now)];
    }

    [WolverinePost("/bank-statements/{id}/explain", OperationId = "ExplainStatementEntry"), Authorize(Roles = Roles.Finance)]
    [Tags("Reconciliation"), EndpointSummary("Mark an unmatched statement entry as explained, with a reason (finance)")]
    public static (Ok<CaseVersion>, Events) Post(ExplainStatementEntry cmd, [WriteAggregate(Required = false)] StatementRecord statement, TimeProvider clock,
        HttpContext http) =>
        CaseVersion.After(statement, Decide(statement, cmd, clock.GetUtcNow()), http);
}
