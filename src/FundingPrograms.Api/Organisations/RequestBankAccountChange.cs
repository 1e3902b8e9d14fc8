namespace FundingPrograms.Organisations;

/// <summary>A new bank account: takes effect only once a second person (an officer) confirms it.</summary>
public sealed record RequestBankAccountChange(string? Iban, string? Bic, string? HolderName, string? Reason, long? Version) : IVersionedCommand;

public static class RequestBankAccountChangeEndpoint
{
    public static IReadOnlyList<object> Decide(Organisation organisation, Guid changeId, RequestBankAccountChange cmd, Actor actor, DateTimeOffset now)
    {
        var check = new Check().That(cmd.Reason is null || cmd.Reason.Length <= 2000, "reason", "At most 2000 characters are allowed.");
        var account = OrganisationValidation.BankAccount(new BankAccountInput(cmd.Iban, cmd.Bic, cmd.HolderName), check, field: "");
        check.ThrowIfAny();
        return [new BankAccountChangeRequested(organisation.Id, changeId, account, actor.Id, cmd.Reason?.Trim(), now)];
    }

    [WolverinePost("/organisations/{id}/bank-accounts", OperationId = "RequestBankAccountChange"), Authorize(Roles = Roles.ApplicantsAndOfficers)]
    [Tags("Organisations"), EndpointSummary("Enter a new bank account (pending until a second person confirms it)")]
    public static (Ok<CaseVersion>, Events) Post(RequestBankAccountChange cmd, [WriteAggregate(Required = false)] Organisation organisation,
        TimeProvider clock, HttpContext http) =>
        CaseVersion.After(organisation, Decide(organisation, CaseIds.New(http), cmd, Actor.From(http.User), clock.GetUtcNow()), http);
}
