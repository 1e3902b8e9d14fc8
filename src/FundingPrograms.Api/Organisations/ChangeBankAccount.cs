using FundingPrograms.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace FundingPrograms.Organisations;

/// <summary>A new bank account: takes effect only once a second person (an officer) confirms it.</summary>
public sealed record RequestBankAccountChange(string? Iban, string? Bic, string? HolderName, string? Reason, long? Version);

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
    public static async Task<Ok<CaseVersion>> Post(Guid id, RequestBankAccountChange cmd, IDocumentSession session, TimeProvider clock,
        HttpContext http, CancellationToken ct)
    {
        var actor = Actor.From(http.User);
        await Access.EnsureMayAccess(actor, session, id, "The organisation", ct);
        return await session.Decide<Organisation>(http, id, cmd.Version, "The organisation",
            o => Decide(o, CaseIds.New(http), cmd, actor, clock.GetUtcNow()), ct);
    }
}

public sealed record ConfirmBankAccountChange(long? Version);

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
    public static Task<Ok<CaseVersion>> Post(Guid id, Guid changeId, ConfirmBankAccountChange cmd, IDocumentSession session, TimeProvider clock,
        HttpContext http, CancellationToken ct) =>
        session.Decide<Organisation>(http, id, cmd.Version, "The organisation", o => Decide(o, changeId, Actor.From(http.User), clock.GetUtcNow()), ct);
}
