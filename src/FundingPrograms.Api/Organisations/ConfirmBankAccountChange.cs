namespace FundingPrograms.Organisations;

public sealed record ConfirmBankAccountChange(long? Version) : IVersionedCommand;

public static class ConfirmBankAccountChangeEndpoint
{
    public static IReadOnlyList<object> Decide(Organisation organisation, Guid changeId, Actor actor, DateTimeOffset now)
    {
        var record = organisation.BankAccounts.FirstOrDefault(b => b.ChangeId == changeId) ?? throw ProblemException.NotFound("The bank account change");
        if (record.Status != BankAccountStatus.Pending) throw ProblemException.InvalidState("This bank account change is not pending.");
        if (record.EnteredBy == actor.Id)
            throw ProblemException.Forbidden("Four-eyes rule: the person who entered a bank account cannot confirm it. Ask a colleague.");
        return [new BankAccountChangeConfirmed(organisation.Id, changeId, actor.Id, now)];
    }

    [WolverinePost("/organisations/{id}/bank-accounts/{changeId}/confirm", OperationId = "ConfirmBankAccountChange"), Authorize(Roles = Roles.Officers)]
    [Tags("Organisations"), EndpointSummary("Confirm a bank account (officer; not the person who entered it)")]
    public static (Ok<CaseVersion>, Events) Post(Guid changeId, ConfirmBankAccountChange cmd, [WriteAggregate(Required = false)] Organisation organisation,
        TimeProvider clock, HttpContext http) =>
        CaseVersion.After(organisation, Decide(organisation, changeId, Actor.From(http.User), clock.GetUtcNow()), http);
}
