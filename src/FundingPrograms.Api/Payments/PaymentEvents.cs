using FundingPrograms.Organisations;

namespace FundingPrograms.Payments;

/// <summary>
/// Drawdown: requested by the organisation (ANBest-P Nr. 1.4). Instalment: set up by the ministry under the same rules. FinalBalance: what the
/// final notice left to pay (VV Nr. 11 zu § 44 LHO) — not a drawdown, paid whatever the date, certified and released like any payment.
/// </summary>
public enum PaymentKind { Drawdown, Instalment, FinalBalance }

public sealed record PaymentRequested(
    Guid PaymentId, Guid GrantId, Guid OrganisationId, Guid ProgrammeId, string GrantReference, PaymentKind Kind, decimal Amount,
    DateOnly NeededOn, int BudgetYear, string Purpose, string RequestedBy, DateTimeOffset At, decimal? AmountDue = null, decimal? SharePercent = null) : IDomainEvent;

/// <summary>Finance or an officer refused a drawdown with a reason (e.g. missing interim proof); its reservation on the grant is released.</summary>
public sealed record PaymentRefused(Guid PaymentId, Guid GrantId, string Reason, string RefusedBy, string RefusedByName, DateTimeOffset At) : IDomainEvent;

/// <summary>On the grant's stream: a refused payment gives its reserved amount back.</summary>
public sealed record GrantPaymentReservationReleased(Guid GrantId, Guid PaymentId, decimal Amount, int BudgetYear, DateTimeOffset At) : IDomainEvent;

public sealed record PaymentCertified(Guid PaymentId, string CertifiedBy, string CertifiedByName, DateTimeOffset At) : IDomainEvent;

/// <summary>Released by a second finance user; the payee is the organisation's confirmed account at this moment, frozen.</summary>
public sealed record PaymentReleased(Guid PaymentId, BankAccount Payee, Guid BankAccountChangeId, int Attempt, string ReleasedBy, string ReleasedByName, DateTimeOffset At) : IDomainEvent;

public sealed record PaymentBatched(Guid PaymentId, Guid BatchId, string EndToEndId, DateTimeOffset At) : IDomainEvent;

public sealed record PaymentExported(Guid PaymentId, Guid BatchId, string MessageId, DateTimeOffset At) : IDomainEvent;

public sealed record PaymentBooked(Guid PaymentId, Guid StatementId, string EntryKey, DateOnly BookingDate, bool Manual, string? Reason, DateTimeOffset At) : IDomainEvent;

public sealed record PaymentReturned(Guid PaymentId, Guid StatementId, string EntryKey, string? ReasonCode, string? ReasonText, DateTimeOffset At) : IDomainEvent;

/// <summary>
/// The bank rejected an exported transfer before any booking (pain.002 status RJCT, or a rejected transaction of a PART report),
/// with its reason code (e.g. AC04): unlike a return, no money left the account. It can be released again once the account is fixed.
/// </summary>
public sealed record PaymentRejected(Guid PaymentId, Guid ReportId, string Key, string Status, string? ReasonCode, string? ReasonText, DateTimeOffset At) : IDomainEvent;

/// <summary>On the grant's stream: a drawdown or instalment reserves part of the granted amount.</summary>
public sealed record GrantPaymentReserved(Guid GrantId, Guid PaymentId, decimal Amount, int BudgetYear, DateTimeOffset At) : IDomainEvent;

/// <summary>On the grant's stream: the bank booked the payment (positive) or it came back after booking (negative).</summary>
public sealed record GrantPaid(Guid GrantId, Guid PaymentId, decimal Amount, int BudgetYear, DateOnly BookingDate, DateTimeOffset At) : IDomainEvent;

/// <summary>On the programme's stream: money paid out of a budget year (negative when a booked payment came back).</summary>
public sealed record BudgetPaid(Guid ProgrammeId, Guid GrantId, Guid PaymentId, string BudgetLine, int Year, decimal Amount, DateTimeOffset At) : IDomainEvent;

public sealed record PaymentBatchCreated(Guid BatchId, Guid[] PaymentIds, DateOnly ExecutionDate, DateTimeOffset At) : IDomainEvent;

/// <summary>The exported pain.001 file itself is part of the event: an exported batch is frozen and re-export returns these bytes.</summary>
public sealed record PaymentBatchExported(Guid BatchId, string MessageId, int NumberOfTransactions, decimal ControlSum, string Pain001Xml, DateTimeOffset At) : IDomainEvent;

public enum EntryStatus { Matched, Returned, Unmatched, Explained, Duplicate }

public sealed record ImportedEntry(
    string Key, decimal Amount, string Currency, bool IsDebit, bool IsReturn, DateOnly BookingDate, string? EndToEndId, string? CounterpartyIban,
    string? CounterpartyName, string? RemittanceText, string? ReturnReasonCode, string? ReturnReasonText, EntryStatus Status, Guid? PaymentId);

public sealed record BankStatementImported(
    Guid StatementId, string Version, string MessageId, string BankStatementId, string AccountIban, DateTimeOffset CreatedAt, ImportedEntry[] Entries,
    DateTimeOffset At) : IDomainEvent;

public sealed record StatementEntryMatched(Guid StatementId, string EntryKey, Guid PaymentId, string Reason, DateTimeOffset At) : IDomainEvent;

public sealed record StatementEntryExplained(Guid StatementId, string EntryKey, string Reason, DateTimeOffset At) : IDomainEvent;
