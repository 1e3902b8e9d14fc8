using FundingPrograms.Grants;
using FundingPrograms.Payments;
using FundingPrograms.Programmes;
using FundingPrograms.Proofs;

namespace FundingPrograms.Recovery;

/// <summary>One booked payment as the § 49a (4) calculation sees it: the day the bank booked it and the amount.</summary>
public sealed record BookedPayment(Guid PaymentId, DateOnly BookedOn, decimal Amount);

/// <summary>
/// Part of a payment used by one expense (receipt): on which day, how much of the grant's money, and how many days it lay idle after
/// the payment when it was used after the drawdown horizon (0 when used in time; otherwise counted from the payment, § 49a (4) VwVfG NRW).
/// </summary>
public sealed record IdleMoneyUse(int ReceiptNo, string ReceiptNumber, DateOnly UsedOn, bool UsedOnFromReceiptDate, decimal Amount, int IdleDays);

/// <summary>
/// One payment in the § 49a (4) calculation: the horizon (booked + N months, § 188 (2) BGB), every use in FIFO order, what was used in
/// time, late, or not at all (that is recovered with § 49a (3) interest, not here), the interest periods and the interest (cents).
/// </summary>
public sealed record IdlePayment(Guid PaymentId, DateOnly BookedOn, decimal Amount, DateOnly UseBy, IReadOnlyList<IdleMoneyUse> Uses, decimal UsedInTime,
    decimal UsedLate, decimal NotUsed, IReadOnlyList<InterestPeriod> Periods, decimal Interest);

public sealed record IdleInterestResult(string Method, int HorizonMonths, decimal GrantSharePercent, IReadOnlyList<IdlePayment> Payments, decimal Interest);

/// <summary>
/// Interest under § 49a (4) VwVfG NRW on money drawn but not used within the drawdown horizon (ANBest-P Nr. 1.4: N = 2 months in
/// NRW, a programme parameter). Money is used first in, first out: the expenses of the proof of use, by the day they were paid, consume
/// the earliest booked payments first. For each part used after the horizon, interest runs at the § 49a (3) rate (base rate + 5 points,
/// day by day across the half-year rate changes, actual days / 365) from the payment (its booking day) up to, not including, the day
/// of use: § 49a (4) VwVfG NRW and ANBest-P Nr. 8.5 charge for the time from the payment until the use, not only the days after the horizon. Exact amounts are summed per payment and rounded to cents at the end; the total is the sum of the payments' cents.
/// </summary>
public static class IdleMoneyInterest
{
    public const string Method =
        "§ 49a (4) VwVfG NRW with ANBest-P Nr. 1.4: money not used within N months of its booking (the horizon ends on the day of the same number, § 188 (2) BGB) " +
        "bears interest at base rate (§ 247 BGB) + 5 points p.a. from the payment (its booking day) up to (excluding) the day of use, every day of it, not only the days after the horizon (ANBest-P Nr. 8.5); money used within the horizon bears nothing; expenses use the earliest payments first (FIFO), " +
        "each expense by the day it was paid (the receipt date where no day of payment is given), with share financing only the grant's share of it; " +
        "actual days / 365; exact amounts summed per payment and rounded to cents at the end.";

    public static IdleInterestResult Calculate(IReadOnlyList<BookedPayment> payments, IReadOnlyList<Receipt> receipts, decimal grantSharePercent, int horizonMonths,
        BaseRateTable rates)
    {
        var ordered = payments.OrderBy(p => p.BookedOn).ThenBy(p => p.PaymentId).ToList();
        var left = ordered.Select(p => p.Amount).ToArray();
        var uses = ordered.Select(_ => new List<IdleMoneyUse>()).ToArray();
        var current = 0;
        foreach (var r in receipts.OrderBy(r => r.UsedOn).ThenBy(r => r.No))
        {
            // Share financing: own and third-party money are used in proportion (ANBest-P Nr. 1.4), so only the grant's share of the expense.
            var need = InterestCalculator.Cents(r.Amount * grantSharePercent / 100m);
            while (need > 0 && current < ordered.Count)
            {
                if (left[current] <= 0) { current++; continue; }
                var part = Math.Min(need, left[current]);
                var p = ordered[current];
                // An expense paid before the money arrived (pre-financed) is reimbursed by it: used on the day of booking.
                var usedOn = r.UsedOn > p.BookedOn ? r.UsedOn : p.BookedOn;
                // Used after the horizon: idle from the payment until its use (§ 49a (4) VwVfG NRW "für die Zeit ... bis zur ... Verwendung"), every day of it.
                var late = usedOn > UseBy(p.BookedOn, horizonMonths);
                uses[current].Add(new IdleMoneyUse(r.No, r.Number, usedOn, r.PaidOn is null, part, late ? usedOn.DayNumber - p.BookedOn.DayNumber : 0));
                left[current] -= part;
                need -= part;
            }
        }

        var result = new List<IdlePayment>();
        for (var i = 0; i < ordered.Count; i++)
        {
            var p = ordered[i];
            var periods = new List<InterestPeriod>();
            var exact = 0m;
            foreach (var u in uses[i].Where(u => u.IdleDays > 0))
                exact += InterestCalculator.AccruePeriods($"Zahlung vom {p.BookedOn:dd.MM.yyyy}, Beleg {u.ReceiptNo} ({u.ReceiptNumber})", u.Amount, p.BookedOn, u.UsedOn,
                    rates, periods);
            var late = uses[i].Where(u => u.IdleDays > 0).Sum(u => u.Amount);
            var used = uses[i].Sum(u => u.Amount);
            result.Add(new IdlePayment(p.PaymentId, p.BookedOn, p.Amount, UseBy(p.BookedOn, horizonMonths), uses[i], used - late, late, p.Amount - used, periods,
                InterestCalculator.Cents(exact)));
        }
        return new IdleInterestResult(Method, horizonMonths, grantSharePercent, result, result.Sum(p => p.Interest));
    }

    /// <summary>The horizon's last day: booked + N months, the day of the same number or the month's last day (§ 188 (2), (3) BGB). Money used on it or before bears nothing.</summary>
    public static DateOnly UseBy(DateOnly bookedOn, int horizonMonths) => bookedOn.AddMonths(horizonMonths);

    /// <summary>The stream holding finance's decision on a grant's § 49a (4) interest: one per grant.</summary>
    public static Guid FileId(Guid grantId) => StatementMatching.DeterministicGuid($"idle-interest|{grantId}");

    /// <summary>The final proof of use the dates of use come from: submitted (or further), else null.</summary>
    public static Proof? FinalProof(IEnumerable<Proof> proofs) =>
        proofs.Where(p => p.Kind == ProofKind.Final && p.State is not (ProofState.Draft or ProofState.ReturnedForCompletion)).OrderBy(p => p.CreatedAt).LastOrDefault();

    /// <summary>The grant's share of each expense: the share percentage with share financing, otherwise all of it (the grant counts as used first).</summary>
    public static decimal GrantShare(GrantNotice notice) => notice.FinancingType == FinancingType.Share ? notice.SharePercent ?? 100m : 100m;

    /// <summary>Everything the calculation needs, loaded; 404 for another organisation's grant, 409 while there is no submitted final proof, 422 for a missing base rate.</summary>
    public static async Task<(Grant Grant, Proof Proof, IdleInterestResult Result, IdleInterestFile? File)> Load(IQuerySession session, Guid grantId, HttpContext http,
        CancellationToken ct)
    {
        var own = await Access.ApplicantOrganisation(Actor.From(http.User), session, ct);
        var grant = await session.LoadAsync<Grant>(grantId, ct);
        if (grant is null || (own is not null && grant.OrganisationId != own)) throw ProblemException.NotFound("The grant");
        var proofs = await session.Query<Proof>().Where(p => p.GrantId == grantId).ToListAsync(ct);
        var proof = FinalProof(proofs) ?? throw ProblemException.InvalidState(
            "The grant has no submitted final proof of use yet: the days the money was used come from its receipts (ANBest-P Nr. 6), so § 49a (4) VwVfG NRW interest cannot be computed.");
        var programme = await session.LoadAsync<Programme>(grant.ProgrammeId, ct);
        var payments = await session.Query<Payment>().Where(p => p.GrantId == grantId && p.State == PaymentState.Booked).ToListAsync(ct);
        var rates = await BaseRateTable.Load(session, ct);
        var file = await session.LoadAsync<IdleInterestFile>(FileId(grantId), ct);
        try
        {
            var result = Calculate(payments.Where(p => p.BookingDate is not null).Select(p => new BookedPayment(p.Id, p.BookingDate!.Value, p.Amount)).ToList(),
                proof.Content.Receipts, GrantShare(grant.Notice), programme?.Definition.Financing.DrawdownHorizonMonths ?? 2, rates);
            return (grant, proof, result, file);
        }
        catch (MissingBaseRateException e)
        {
            throw e.ToProblem();
        }
    }
}

/// <summary>Finance claimed the § 49a (4) interest: an interest-only recovery claim was raised; the calculation it rests on is kept here.</summary>
public sealed record IdleInterestClaimed(Guid FileId, Guid GrantId, Guid ProofId, Guid ClaimId, string ClaimReference, decimal Interest, int HorizonMonths,
    decimal GrantSharePercent, IdlePayment[] Payments, string By, string ByName, DateTimeOffset At) : IDomainEvent;

/// <summary>Finance decided not to claim the § 49a (4) interest ("können ... verlangt werden": discretion), with the reason.</summary>
public sealed record IdleInterestWaived(Guid FileId, Guid GrantId, Guid ProofId, decimal Interest, int HorizonMonths, decimal GrantSharePercent,
    IdlePayment[] Payments, string Reason, string By, string ByName, DateTimeOffset At) : IDomainEvent;

public enum IdleInterestOutcome { Claimed, Waived }

public sealed record IdleInterestDecision(IdleInterestOutcome Outcome, decimal Interest, Guid ProofId, Guid? ClaimId, string? ClaimReference, string? Reason,
    string ByName, DateTimeOffset At);

/// <summary>Finance's decision on a grant's § 49a (4) interest (one stream per grant, inline snapshot).</summary>
public sealed partial class IdleInterestFile
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public Guid GrantId { get; set; }
    public IdleInterestDecision? Decision { get; set; }
    public IdlePayment[] Payments { get; set; } = [];

    public static IdleInterestFile Create(IdleInterestClaimed e) => new()
    {
        Id = e.FileId, GrantId = e.GrantId, Payments = e.Payments,
        Decision = new IdleInterestDecision(IdleInterestOutcome.Claimed, e.Interest, e.ProofId, e.ClaimId, e.ClaimReference, null, e.ByName, e.At),
    };

    public static IdleInterestFile Create(IdleInterestWaived e) => new()
    {
        Id = e.FileId, GrantId = e.GrantId, Payments = e.Payments,
        Decision = new IdleInterestDecision(IdleInterestOutcome.Waived, e.Interest, e.ProofId, null, null, e.Reason, e.ByName, e.At),
    };

    /// <summary>A second decision is refused: the interest is claimed or waived once per grant.</summary>
    public static void EnsureUndecided(IdleInterestFile? file)
    {
        if (file?.Decision is { } d)
            throw ProblemException.InvalidState(d.Outcome == IdleInterestOutcome.Claimed
                ? $"The § 49a (4) interest of this grant was claimed on {d.At:yyyy-MM-dd} by {d.ByName} ({d.ClaimReference}, {d.Interest:0.00} EUR)."
                : $"The § 49a (4) interest of this grant was waived on {d.At:yyyy-MM-dd} by {d.ByName}: {d.Reason}");
    }

    /// <summary>Dates of use must have been checked: the final proof is examined (or settled by the final notice).</summary>
    public static void EnsureExamined(Proof proof)
    {
        if (proof.State is not (ProofState.Examined or ProofState.Settled))
            throw ProblemException.InvalidState(
                $"The final proof is {proof.State.ToString().ToLowerInvariant()}: decide on § 49a (4) interest once its examination has confirmed the days the money was used.");
    }
}

/// <summary>The calculation for a grant, and finance's decision if made.</summary>
public sealed record IdleInterestView(Guid GrantId, string GrantReference, Guid ProofId, ProofState ProofState, string Method, int HorizonMonths,
    decimal GrantSharePercent, IReadOnlyList<IdlePayment> Payments, decimal UsedInTime, decimal UsedLate, decimal NotUsed, decimal Interest,
    IdleInterestDecision? Decision);

public static class GetIdleInterestEndpoint
{
    [WolverineGet("/grants/{id}/idle-interest", OperationId = "GetIdleInterest"), Authorize(Roles = Roles.Any)]
    [Tags("Recovery"), EndpointSummary("§ 49a (4) VwVfG NRW interest on money not used within the drawdown horizon: per payment, FIFO uses, periods, days, rate, amount")]
    public static async Task<IdleInterestView> Get(Guid id, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var (grant, proof, result, file) = await IdleMoneyInterest.Load(session, id, http, ct);
        return new IdleInterestView(grant.Id, grant.Notice.Reference, proof.Id, proof.State, result.Method, result.HorizonMonths, result.GrantSharePercent,
            result.Payments, result.Payments.Sum(p => p.UsedInTime), result.Payments.Sum(p => p.UsedLate), result.Payments.Sum(p => p.NotUsed), result.Interest,
            file?.Decision);
    }
}
