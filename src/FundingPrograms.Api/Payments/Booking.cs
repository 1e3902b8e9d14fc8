using FundingPrograms.Grants;

namespace FundingPrograms.Payments;

/// <summary>What a booking or a return appends: on the payment's stream, and (when money counts as paid or unpaid) on the grant's and the programme's.</summary>
public sealed record Posting(object OnPayment, GrantPaid? OnGrant, BudgetPaid? OnProgramme);

/// <summary>
/// The pure decisions behind <see cref="Ledger"/>: booking a payment the bank debited, and a return. Cash principle (§ 72 LHO): a
/// payment counts as paid in the budget year of its booking date, not the year it was needed in; a return takes back only what
/// was booked (before, or by a debit of the same import).
/// </summary>
public static class Booking
{
    public static Posting Book(Payment payment, Grant grant, Guid statementId, string entryKey, DateOnly bookingDate, bool manual, string? reason,
        DateTimeOffset now) =>
        Paid(new PaymentBooked(payment.Id, statementId, entryKey, bookingDate, manual, reason, now), payment, grant, payment.Amount, bookingDate, now);

    /// <param name="bookedInThisImport">The same import booked the payment just before (a return in the same statement as its debit).</param>
    public static Posting Return(Payment payment, bool bookedInThisImport, Grant grant, Guid statementId, ImportedEntry entry, DateTimeOffset now)
    {
        var returned = new PaymentReturned(payment.Id, statementId, entry.Key, entry.ReturnReasonCode, entry.ReturnReasonText, now);
        return payment.State == PaymentState.Booked || bookedInThisImport
            ? Paid(returned, payment, grant, -payment.Amount, entry.BookingDate, now)
            : new Posting(returned, null, null);
    }

    private static Posting Paid(object onPayment, Payment payment, Grant grant, decimal amount, DateOnly bookingDate, DateTimeOffset now) =>
        new(onPayment,
            new GrantPaid(payment.GrantId, payment.Id, amount, bookingDate.Year, bookingDate, now),
            new BudgetPaid(payment.ProgrammeId, payment.GrantId, payment.Id, grant.Notice.BudgetLine, bookingDate.Year, amount, now));
}
