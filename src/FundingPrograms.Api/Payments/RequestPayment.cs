using FundingPrograms.Grants;
using FundingPrograms.Programmes;

namespace FundingPrograms.Payments;

/// <summary>
/// A drawdown request (Mittelabruf) by the organisation, or an instalment an officer sets up: amount, when it is needed, what
/// for. With share financing the request states the amount due (<c>AmountDue</c>) and the service computes the grant's share
/// of it (ANBest-P Nr. 1.4); <c>Amount</c> may then be left out (or must not exceed that share).
/// </summary>
public sealed record RequestPayment(decimal? Amount, DateOnly? NeededOn, string? Purpose, decimal? AmountDue = null);

public static class RequestPaymentEndpoint
{
    /// <summary>The grant's share of an amount due under share financing, rounded down to the cent (own and third-party money are used in proportion).</summary>
    public static decimal ShareOf(decimal amountDue, decimal sharePercent) => Math.Floor(amountDue * sharePercent) / 100m;

    public static (PaymentRequested Requested, GrantPaymentReserved Reserved) Decide(Grant grant, Guid paymentId, RequestPayment cmd, PaymentKind kind,
        int horizonMonths, Actor actor, DateTimeOffset now)
    {
        var notice = grant.Notice;
        EnsureOpen(grant, kind);
        var share = notice.FinancingType == FinancingType.Share ? notice.Terms?.SharePercent ?? notice.SharePercent : (decimal?)null;
        new Check()
            .Money(cmd.Amount, "amount", required: share is null, allowZero: false)
            .Money(cmd.AmountDue, "amountDue", required: false, allowZero: false)
            .Date(cmd.NeededOn, "neededOn", required: true)
            .Required(cmd.Purpose, "purpose", 500)
            .ThrowIfAny();
        var needed = cmd.NeededOn!.Value;
        var today = BerlinTime.Today(now);
        var check = new Check();
        decimal amount;
        if (share is { } percent)
        {
            if (cmd.AmountDue is not { } due)
                throw ProblemException.Rule(
                    $"ANBest-P Nr. 1.4: with share financing own and third-party money are used in proportion, so state the amount due (amountDue); the grant pays {percent:0.##} % of it.",
                    new Dictionary<string, string[]> { ["amountDue"] = ["The amount falling due, of which the grant's share is paid."] });
            var payable = ShareOf(due, percent);
            check.That(payable > 0, "amountDue", "The grant's share of this amount is less than a cent.")
                .That(cmd.Amount is null || cmd.Amount <= payable, "amount",
                    $"ANBest-P Nr. 1.4: only the grant's share ({percent:0.##} %) of the {due:0.00} EUR due may be drawn: at most {payable:0.00} EUR.");
            amount = cmd.Amount ?? payable;
        }
        else amount = cmd.Amount!.Value;
        check.That(needed >= notice.PeriodStart && needed <= notice.PeriodEnd, "neededOn",
                $"ANBest-P Nr. 1.4: money can only be drawn for expenses falling due within the funding period {notice.PeriodStart:yyyy-MM-dd} – {notice.PeriodEnd:yyyy-MM-dd}.")
            .That(today <= notice.ProofOfUseDue, "neededOn",
                $"ANBest-P Nr. 1.4, 6.1: drawdowns are possible until the proof of use is due ({notice.ProofOfUseDue:yyyy-MM-dd}); that date has passed.")
            .That(needed <= today.AddMonths(horizonMonths), "neededOn",
                $"ANBest-P Nr. 1.4: money may be requested at most {horizonMonths} months before it is needed: request it from {needed.AddMonths(-horizonMonths):yyyy-MM-dd} on.");
        var budgetYear = ExpectedBudgetYear(grant, amount, today, needed);
        var remaining = notice.GrantedAmount - grant.Requested;
        check.That(amount <= remaining, "amount",
            $"ANBest-P Nr. 1.4: only {remaining:0.00} EUR of the granted {notice.GrantedAmount:0.00} EUR remain to be requested.");
        check.ThrowAsRuleIfAny("The payment cannot be requested (ANBest-P Nr. 1.4): see 'errors'.");
        return (new PaymentRequested(paymentId, grant.Id, grant.OrganisationId, grant.ProgrammeId, notice.Reference, kind, amount, needed,
                budgetYear, cmd.Purpose!.Trim(), actor.Id, now, cmd.AmountDue, share),
            new GrantPaymentReserved(grant.Id, paymentId, amount, budgetYear, now));
    }

    /// <summary>
    /// The budget year a drawdown is reserved in: the year it is expected to be paid in (cash principle, § 72 LHO), not the year
    /// of <c>neededOn</c>. It is paid between today and the day the money is needed, so the earliest year from today's to
    /// <c>neededOn</c>'s in which the grant's year split still has room for it; otherwise today's year. Whether that year really
    /// has the money is checked when the payment is released, in the year it is then paid in (<see cref="CashBudget"/>).
    /// </summary>
    public static int ExpectedBudgetYear(Grant grant, decimal amount, DateOnly today, DateOnly neededOn)
    {
        for (var year = today.Year; year <= Math.Max(today.Year, neededOn.Year); year++)
        {
            var share = grant.Notice.YearSplit.Where(y => y.Year == year).Sum(y => y.Amount);
            var reserved = grant.RequestedPerYear.Where(y => y.Year == year).Sum(y => y.Amount);
            if (share - reserved >= amount) return year;
        }
        return today.Year;
    }

    /// <summary>
    /// No money is drawn once the grant's use is being settled or it is gone: after the final proof of use is submitted the
    /// final notice settles what is still owed (ANBest-P Nr. 6.1, VV Nr. 11 zu § 44 LHO); a closed grant is settled (what the final
    /// notice left to pay is paid with <see cref="PayFinalBalanceEndpoint"/>, not as a drawdown); a wholly revoked grant has nothing left.
    /// </summary>
    public static void EnsureOpen(Grant grant, PaymentKind kind)
    {
        var wholly = grant.State == GrantState.Revoked
            && (grant.Notice.GrantedAmount == 0 || grant.Revocation.Revocations.LastOrDefault()?.Scope == Recovery.RevocationScope.Whole);
        if (wholly)
            throw ProblemException.InvalidState("The grant is wholly revoked (§§ 48, 49 VwVfG NRW): no money can be requested on it.");
        if (grant.State == GrantState.FinalProofSubmitted)
            throw ProblemException.InvalidState(
                "The final proof of use is submitted: no more money can be drawn; the final notice settles what is still owed (ANBest-P Nr. 6.1, VV Nr. 11 zu § 44 LHO).");
        if (grant.State == GrantState.Closed)
            throw ProblemException.InvalidState(kind == PaymentKind.Drawdown
                ? "The grant is closed by its final notice: no more drawdowns; what the final notice left to pay is paid by the authority."
                : $"The grant is closed by its final notice: what it left to pay is not a drawdown or instalment; pay it with POST /grants/{grant.Id}/final-balance (VV Nr. 11 zu § 44 LHO).");
    }

    /// <summary>Both drawdowns and instalments: the grant's stream is locked so that concurrent requests never exceed the granted amount.</summary>
    public static async Task<Created<CaseVersion>> Request(Guid grantId, RequestPayment cmd, PaymentKind kind, IDocumentSession session, TimeProvider clock,
        HttpContext http, CancellationToken ct)
    {
        var actor = Actor.From(http.User);
        var own = await Access.ApplicantOrganisation(actor, session, ct);
        var grantStream = await session.Events.FetchForExclusiveWriting<Grant>(grantId, ct);
        if (grantStream.Aggregate is null || (own is not null && grantStream.Aggregate.OrganisationId != own)) throw ProblemException.NotFound("The grant");
        var programme = await session.LoadAsync<Programme>(grantStream.Aggregate.ProgrammeId, ct) ?? throw ProblemException.NotFound("The programme");
        var paymentId = CaseIds.New(http);
        var (requested, reserved) = Decide(grantStream.Aggregate, paymentId, cmd, kind, programme.Definition.Financing.DrawdownHorizonMonths, actor, clock.GetUtcNow());
        grantStream.AppendOne(reserved);
        session.Events.StartStream<Payment>(paymentId, requested);
        return TypedResults.Created($"/payments/{paymentId}", new CaseVersion(paymentId, 1).WithETag(http));
    }

    [WolverinePost("/grants/{id}/drawdowns", OperationId = "RequestDrawdown"), Authorize(Roles = Roles.Applicant)]
    [Tags("Payments"), EndpointSummary("Request a drawdown (Mittelabruf) of a grant (applicant)")]
    public static Task<Created<CaseVersion>> Post(Guid id, RequestPayment cmd, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        Request(id, cmd, PaymentKind.Drawdown, session, clock, http, ct);
}
