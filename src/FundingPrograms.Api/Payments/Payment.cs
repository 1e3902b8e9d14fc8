using FundingPrograms.Organisations;

namespace FundingPrograms.Payments;

public enum PaymentState { Requested, Certified, Released, Batched, Exported, Booked, Returned, Refused, Rejected }

/// <summary>A payment (drawdown or instalment), folded from its stream (inline snapshot).</summary>
public sealed partial class Payment : ICase
{
    public static string What => "The payment";
    Guid? ICase.OwnerOrganisation => OrganisationId;

    public Guid Id { get; set; }
    public long Version { get; set; }
    public Guid GrantId { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid ProgrammeId { get; set; }
    public string GrantReference { get; set; } = "";
    public PaymentKind Kind { get; set; }
    public decimal Amount { get; set; }
    public DateOnly NeededOn { get; set; }
    public int BudgetYear { get; set; }
    public string Purpose { get; set; } = "";
    public PaymentState State { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public string? CertifiedBy { get; set; }
    public string? CertifiedByName { get; set; }
    public string? ReleasedByName { get; set; }
    /// <summary>When it was last released: a released payment not yet booked counts against that year's cash (§ 72 LHO).</summary>
    public DateTimeOffset? ReleasedAt { get; set; }
    public BankAccount? Payee { get; set; }
    public int Attempt { get; set; }
    public Guid? BatchId { get; set; }
    public string? EndToEndId { get; set; }
    public DateTimeOffset? ExportedAt { get; set; }
    public DateOnly? BookingDate { get; set; }
    public string? ReturnReasonCode { get; set; }
    public string? ReturnReasonText { get; set; }

    public static Payment Create(PaymentRequested e) => new()
    {
        Id = e.PaymentId, GrantId = e.GrantId, OrganisationId = e.OrganisationId, ProgrammeId = e.ProgrammeId, GrantReference = e.GrantReference,
        Kind = e.Kind, Amount = e.Amount, NeededOn = e.NeededOn, BudgetYear = e.BudgetYear, Purpose = e.Purpose, State = PaymentState.Requested,
        RequestedAt = e.At,
    };

    public void Apply(PaymentCertified e)
    {
        State = PaymentState.Certified;
        CertifiedBy = e.CertifiedBy;
        CertifiedByName = e.CertifiedByName;
    }

    public void Apply(PaymentReleased e)
    {
        State = PaymentState.Released;
        Payee = e.Payee;
        Attempt = e.Attempt;
        ReleasedByName = e.ReleasedByName;
        ReleasedAt = e.At;
        BatchId = null;
        EndToEndId = null;
        ExportedAt = null;
    }

    public void Apply(PaymentBatched e)
    {
        State = PaymentState.Batched;
        BatchId = e.BatchId;
        EndToEndId = e.EndToEndId;
    }

    public void Apply(PaymentExported e)
    {
        State = PaymentState.Exported;
        ExportedAt = e.At;
    }

    public void Apply(PaymentBooked e)
    {
        State = PaymentState.Booked;
        BookingDate = e.BookingDate;
    }

    public string? RefusalReason { get; set; }

    public void Apply(PaymentRefused e)
    {
        State = PaymentState.Refused;
        RefusalReason = e.Reason;
    }

    public void Apply(PaymentReturned e)
    {
        State = PaymentState.Returned;
        ReturnReasonCode = e.ReasonCode;
        ReturnReasonText = e.ReasonText;
    }

    public string? RejectionStatus { get; set; }
    public string? RejectionReasonCode { get; set; }
    public string? RejectionReasonText { get; set; }

    /// <summary>The bank rejected the exported transfer before booking it (pain.002 RJCT/PART): nothing was paid; it can be released again.</summary>
    public void Apply(PaymentRejected e)
    {
        State = PaymentState.Rejected;
        RejectionStatus = e.Status;
        RejectionReasonCode = e.ReasonCode;
        RejectionReasonText = e.ReasonText;
    }

    /// <summary>Accounting records are kept 8 years after the end of the year in which the payment was booked.</summary>
    public DateOnly? RetentionUntil => BookingDate is { } d ? new DateOnly(d.Year + 8, 12, 31) : null;

    public static string EndToEndIdFor(Guid paymentId, int attempt) => $"P{paymentId:N}{attempt % 100:D2}";
}

public enum BatchState { Created, Exported }

public sealed partial class PaymentBatch : ICase
{
    public static string What => "The payment batch";
    Guid? ICase.OwnerOrganisation => null;

    public Guid Id { get; set; }
    public long Version { get; set; }
    public Guid[] PaymentIds { get; set; } = [];
    public DateOnly ExecutionDate { get; set; }
    public BatchState State { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? MessageId { get; set; }
    public int NumberOfTransactions { get; set; }
    public decimal ControlSum { get; set; }
    public string? Pain001Xml { get; set; }
    public DateTimeOffset? ExportedAt { get; set; }

    public static PaymentBatch Create(PaymentBatchCreated e) => new()
    {
        Id = e.BatchId, PaymentIds = e.PaymentIds, ExecutionDate = e.ExecutionDate, State = BatchState.Created, CreatedAt = e.At,
    };

    public void Apply(PaymentBatchExported e)
    {
        State = BatchState.Exported;
        MessageId = e.MessageId;
        NumberOfTransactions = e.NumberOfTransactions;
        ControlSum = e.ControlSum;
        Pain001Xml = e.Pain001Xml;
        ExportedAt = e.At;
    }
}

/// <summary>An imported bank statement with every entry and how it was reconciled.</summary>
public sealed partial class StatementRecord : ICase
{
    public static string What => "The bank statement";
    Guid? ICase.OwnerOrganisation => null;

    public Guid Id { get; set; }
    public long Version { get; set; }
    public string MessageId { get; set; } = "";
    public string BankStatementId { get; set; } = "";
    public string AccountIban { get; set; } = "";
    public DateTimeOffset ImportedAt { get; set; }
    public List<ImportedEntry> Entries { get; set; } = [];
    public Dictionary<string, string> Reasons { get; set; } = new();

    public static StatementRecord Create(BankStatementImported e) => new()
    {
        Id = e.StatementId, MessageId = e.MessageId, BankStatementId = e.BankStatementId, AccountIban = e.AccountIban, ImportedAt = e.At,
        Entries = e.Entries.ToList(),
    };

    public void Apply(StatementEntryMatched e)
    {
        var i = Entries.FindIndex(x => x.Key == e.EntryKey);
        Entries[i] = Entries[i] with { Status = EntryStatus.Matched, PaymentId = e.PaymentId };
        Reasons[e.EntryKey] = e.Reason;
    }

    public void Apply(StatementEntryExplained e)
    {
        var i = Entries.FindIndex(x => x.Key == e.EntryKey);
        Entries[i] = Entries[i] with { Status = EntryStatus.Explained };
        Reasons[e.EntryKey] = e.Reason;
    }
}
