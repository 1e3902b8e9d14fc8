using FundingPrograms.Grants;

namespace FundingPrograms.Payments;

/// <summary>
/// Pay what the final notice left to pay (Restzahlung). Not a drawdown (ANBest-P Nr. 1.4 does not apply: no funding period, horizon or
/// proof-of-use date): the authority pays the balance it decided (VV Nr. 11 zu § 44 LHO), whatever the date. <c>Amount</c> defaults to
/// the whole balance. The payment is then certified and released by two different people like any other.
/// </summary>
public sealed record PayFinalBalance(decimal? Amount, string? Purpose);

public static class PayFinalBalanceEndpoint
{
    public const string DefaultPurpose = "Restzahlung laut Schlussbescheid";

    public static (PaymentRequested Requested, GrantPaymentReserved Reserved) Decide(Grant grant, Guid paymentId, PayFinalBalance cmd, Actor actor, DateTimeOffset now)
    {
        new Check()
            .Money(cmd.Amount, "amount", required: false, allowZero: false)
            .That(cmd.Purpose is null || cmd.Purpose.Length <= 500, "purpose", "At most 500 characters.")
            .ThrowIfAny();
        if (grant.State != GrantState.Closed || grant.FinalAmount is not { } final)
            throw ProblemException.InvalidState(
                "There is no final notice yet: before it, money is drawn under ANBest-P Nr. 1.4 (drawdowns, instalments); the balance is paid once the final notice fixes it (VV Nr. 11 zu § 44 LHO).");
        // What the final notice left to pay, less what is already requested (requested includes paid, and payments on their way).
        var balance = final - grant.Requested;
        if (balance <= 0)
            throw ProblemException.Rule(
                $"VV Nr. 11 zu § 44 LHO: the final notice set the grant at {final:0.00} EUR and {grant.Requested:0.00} EUR are requested or paid: nothing is left to pay.",
                new Dictionary<string, string[]> { ["amount"] = ["Nothing is left to pay under the final notice."] });
        var amount = cmd.Amount ?? balance;
        if (amount > balance)
            throw ProblemException.Rule(
                $"VV Nr. 11 zu § 44 LHO: the final notice set the grant at {final:0.00} EUR; {grant.Requested:0.00} EUR are requested or paid, so at most {balance:0.00} EUR remain to be paid.",
                new Dictionary<string, string[]> { ["amount"] = [$"At most {balance:0.00} EUR."] });
        var today = BerlinTime.Today(now);
        // Cash principle (§ 72 LHO): it counts in the year it is paid, today's; the release checks that year's cash on the budget line.
        return (new PaymentRequested(paymentId, grant.Id, grant.OrganisationId, grant.ProgrammeId, grant.Notice.Reference, PaymentKind.FinalBalance, amount, today,
                today.Year, string.IsNullOrWhiteSpace(cmd.Purpose) ? DefaultPurpose : cmd.Purpose.Trim(), actor.Id, now),
            new GrantPaymentReserved(grant.Id, paymentId, amount, today.Year, now));
    }

    [WolverinePost("/grants/{id}/final-balance", OperationId = "PayFinalBalance"), Authorize(Roles = Roles.OfficersAndFinance)]
    [Tags("Payments"), EndpointSummary("Pay the balance a final notice left to pay: not a drawdown, whatever the date; certified and released four-eyes (officer or finance)")]
    public static async Task<Created<CaseVersion>> Post(Guid id, PayFinalBalance cmd, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        // The grant's stream is locked, so that two requests cannot together pay more than the balance.
        var grantStream = await session.Events.FetchForExclusiveWriting<Grant>(id, ct);
        if (grantStream.Aggregate is null) throw ProblemException.NotFound("The grant");
        var paymentId = CaseIds.New(http);
        var (requested, reserved) = Decide(grantStream.Aggregate, paymentId, cmd, Actor.From(http.User), clock.GetUtcNow());
        grantStream.AppendOne(reserved);
        session.Events.StartStream<Payment>(paymentId, requested);
        return TypedResults.Created($"/payments/{paymentId}", new CaseVersion(paymentId, 1).WithETag(http));
    }
}
