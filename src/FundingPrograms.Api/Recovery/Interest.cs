namespace FundingPrograms.Recovery;

/// <summary>
/// One part of a claim's principal that bears interest from its own day: for a payment, never before the day it was paid
/// (§ 49a (3) VwVfG NRW), and never before the day the grant became ineffective.
/// </summary>
public sealed record InterestTranche(string Label, Guid? PaymentId, DateOnly PaidOn, DateOnly InterestFrom, decimal Amount);

/// <summary>Money received on a claim: the day it arrived and the amount.</summary>
public sealed record ClaimReceipt(string Key, DateOnly ArrivedOn, decimal Amount);

/// <summary>One line of the calculation: a tranche's principal over days at one rate.</summary>
public sealed record InterestPeriod(string Tranche, DateOnly From, DateOnly To, int Days, decimal Principal, decimal BaseRatePercent, decimal RatePercent,
    decimal Amount, decimal ExactAmount);

/// <summary>How one receipt was applied (§ 367 BGB): costs, then interest, then principal; what is left over is overpaid.</summary>
public sealed record ReceiptAllocation(string Key, DateOnly ArrivedOn, decimal Amount, decimal ToCosts, decimal ToInterest, decimal ToPrincipal, decimal Overpaid);

public sealed record InterestCalculation(
    DateOnly Until,
    string Method,
    IReadOnlyList<InterestPeriod> Periods,
    IReadOnlyList<ReceiptAllocation> Receipts,
    decimal Principal,
    decimal Costs,
    decimal InterestAccrued,
    decimal Remitted,
    decimal PrincipalPaid,
    decimal InterestPaid,
    decimal CostsPaid,
    decimal PrincipalOutstanding,
    decimal InterestOutstanding,
    decimal CostsOutstanding,
    decimal Balance,
    decimal Overpaid);

/// <summary>
/// Interest on a recovery claim under § 49a (3) VwVfG NRW: 5 percentage points above the base rate (§ 247 BGB) a year,
/// per tranche from its interest start until the day the money arrives. Day by day across the half-year rate changes;
/// actual days / 365 (also in leap years); a day counts from the start day up to, not including, the day of arrival;
/// exact amounts are summed and rounded to cents (half away from zero) only at the end. Receipts settle costs, then
/// interest, then principal (§ 367 (1) BGB); principal is settled on the tranche that bears interest longest first
/// (§ 366 (2) BGB: the most burdensome debt first).
/// </summary>
public static class InterestCalculator
{
    public const decimal PointsAboveBaseRate = 5m;
    public const string Method = "§ 49a (3) VwVfG NRW: base rate (§ 247 BGB) + 5 points p.a.; actual days / 365; from the interest start up to (excluding) the day the money arrives; rounded to cents at the end; receipts settle costs, interest, principal (§ 367 BGB).";

    public static decimal Cents(decimal exact) => decimal.Round(exact, 2, MidpointRounding.AwayFromZero);

    /// <param name="fixedInterest">Interest owed from the start and not accruing (an interest-only claim under § 49a (4) VwVfG NRW, computed once).</param>
    public static InterestCalculation Calculate(IReadOnlyList<InterestTranche> tranches, IReadOnlyList<ClaimReceipt> receipts, decimal costs, DateOnly until,
        BaseRateTable rates, DateOnly? remittedOn = null, decimal fixedInterest = 0m)
    {
        var outstanding = tranches.Select(t => t.Amount).ToArray();
        var periods = new List<InterestPeriod>();
        var allocations = new List<ReceiptAllocation>();
        decimal exactInterest = fixedInterest, interestPaid = 0m, costsPaid = 0m, principalPaid = 0m;
        var stop = remittedOn is { } s && s < until ? s : until;
        var cursor = tranches.Count == 0 ? until : tranches.Min(t => t.InterestFrom);

        void Accrue(DateOnly to)
        {
            var end = to < stop ? to : stop;
            for (var i = 0; i < tranches.Count; i++)
            {
                var from = tranches[i].InterestFrom > cursor ? tranches[i].InterestFrom : cursor;
                if (outstanding[i] <= 0 || from >= end) continue;
                exactInterest += AccruePeriods(tranches[i].Label, outstanding[i], from, end, rates, periods);
            }
            if (to > cursor) cursor = to;
        }

        foreach (var receipt in receipts.OrderBy(r => r.ArrivedOn).ThenBy(r => r.Key, StringComparer.Ordinal))
        {
            if (receipt.ArrivedOn > until) continue;
            Accrue(receipt.ArrivedOn);
            var left = receipt.Amount;
            if (remittedOn is { } r && receipt.ArrivedOn > r)
            {
                allocations.Add(new ReceiptAllocation(receipt.Key, receipt.ArrivedOn, receipt.Amount, 0m, 0m, 0m, left));
                continue;
            }
            var toCosts = Math.Min(left, costs - costsPaid);
            costsPaid += toCosts; left -= toCosts;
            var toInterest = Math.Min(left, Math.Max(0m, Cents(exactInterest) - interestPaid));
            interestPaid += toInterest; left -= toInterest;
            var toPrincipal = 0m;
            foreach (var i in Enumerable.Range(0, tranches.Count).OrderBy(i => tranches[i].InterestFrom).ThenBy(i => i))
            {
                if (left <= 0) break;
                var part = Math.Min(left, outstanding[i]);
                outstanding[i] -= part;
                left -= part;
                toPrincipal += part;
            }
            principalPaid += toPrincipal;
            allocations.Add(new ReceiptAllocation(receipt.Key, receipt.ArrivedOn, receipt.Amount, toCosts, toInterest, toPrincipal, left));
        }
        Accrue(until);

        var interest = Cents(exactInterest);
        var principal = tranches.Sum(t => t.Amount);
        var overpaid = allocations.Sum(a => a.Overpaid);
        var principalOutstanding = principal - principalPaid;
        var interestOutstanding = interest - interestPaid;
        var costsOutstanding = costs - costsPaid;
        var remitted = 0m;
        if (remittedOn is not null)
        {
            // Erlass: what was owed on the day of the waiver is extinguished; interest stops that day.
            remitted = principalOutstanding + interestOutstanding + costsOutstanding;
            principalOutstanding = interestOutstanding = costsOutstanding = 0m;
        }
        return new InterestCalculation(until, Method, periods, allocations, principal, costs, interest, remitted, principalPaid, interestPaid, costsPaid,
            principalOutstanding, interestOutstanding, costsOutstanding, principalOutstanding + interestOutstanding + costsOutstanding - overpaid, overpaid);
    }

    /// <summary>
    /// Interest on <paramref name="principal"/> for the days [from, to), day by day across the half-year rate changes (base rate + 5
    /// points, actual days / 365): one period per half-year added to <paramref name="periods"/>; returns the exact (unrounded) sum.
    /// Throws <see cref="MissingBaseRateException"/> naming the half-year whose rate is not entered.
    /// </summary>
    public static decimal AccruePeriods(string label, decimal principal, DateOnly from, DateOnly to, BaseRateTable rates, List<InterestPeriod> periods)
    {
        var sum = 0m;
        foreach (var (a, b) in HalfYears(from, to))
        {
            var baseRate = rates.RateOn(a);
            var rate = baseRate + PointsAboveBaseRate;
            var days = b.DayNumber - a.DayNumber;
            var exact = principal * rate / 100m * days / 365m;
            sum += exact;
            periods.Add(new InterestPeriod(label, a, b, days, principal, baseRate, rate, Cents(exact), decimal.Round(exact, 6)));
        }
        return sum;
    }

    /// <summary>[from, to) cut at every 1 January and 1 July.</summary>
    public static IEnumerable<(DateOnly From, DateOnly To)> HalfYears(DateOnly from, DateOnly to)
    {
        var a = from;
        while (a < to)
        {
            var next = BaseRateTable.NextHalfYear(BaseRateTable.HalfYearOf(a));
            var b = next < to ? next : to;
            yield return (a, b);
            a = b;
        }
    }

    /// <summary>
    /// The tranches of a claim for money paid above what the grant now allows: the part of the cumulative payments above
    /// the new amount, i.e. the latest payments first. Interest on each runs from the later of its payment day and the day
    /// the grant became ineffective.
    /// </summary>
    public static IReadOnlyList<InterestTranche> Tranches(IEnumerable<(Guid PaymentId, DateOnly PaidOn, decimal Amount)> payments, decimal principal,
        DateOnly ineffectiveFrom)
    {
        var result = new List<InterestTranche>();
        var left = principal;
        foreach (var p in payments.OrderByDescending(p => p.PaidOn).ThenByDescending(p => p.PaymentId))
        {
            if (left <= 0) break;
            var part = Math.Min(left, p.Amount);
            if (part <= 0) continue;
            result.Add(new InterestTranche($"Zahlung vom {p.PaidOn:dd.MM.yyyy}", p.PaymentId, p.PaidOn, p.PaidOn > ineffectiveFrom ? p.PaidOn : ineffectiveFrom, part));
            left -= part;
        }
        if (left > 0) result.Add(new InterestTranche("ohne Zahlungsbezug", null, ineffectiveFrom, ineffectiveFrom, left));
        result.Reverse();
        return result;
    }
}
