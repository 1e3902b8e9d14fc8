using FundingPrograms.Programmes;

namespace FundingPrograms.Proofs;

public enum ProofKind { Interim, Final }

public enum ProofState { Draft, Submitted, ReturnedForCompletion, InExamination, Examined, Settled }

public enum ExaminationDepth { Simple, InDepth }

public enum ReceiptRuling { Recognised, Partly, NotRecognised }

/// <summary>Participants reached, per target group of the strategy (the numbers feed the integration report).</summary>
public sealed record ParticipantCount(string TargetGroup, int Count);

/// <summary>The factual report (Sachbericht): what was done, what came of it, who was reached.</summary>
public sealed record FactualReport(string? Activities, string? Results, ParticipantCount[] Participants);

/// <summary>Actual cash costs of one financing-plan line (1-based position in the plan), evidenced by receipts.</summary>
public sealed record CostLine(int Line, decimal Actual);

/// <summary>The numerical proof (zahlenmäßiger Nachweis).</summary>
public sealed record NumericalProof(CostLine[] Lines, decimal OwnCash, decimal VolunteerWork, decimal ThirdPartyFunds, decimal GrantReceived)
{
    public decimal CashCosts => Lines.Sum(l => l.Actual);
    /// <summary>Valued volunteer work counts as cost and as own contribution.</summary>
    public decimal TotalCosts => CashCosts + VolunteerWork;
}

/// <summary>
/// One entry of the list of receipts (Belegliste); <c>No</c> is its 1-based position in the list. <c>PaidOn</c> is the day the
/// expense was paid (Tag der Zahlung), i.e. the day the money was used; without it the receipt date counts (§ 49a (4) VwVfG NRW).
/// </summary>
public sealed record Receipt(int No, string Number, DateOnly Date, string Payee, string Purpose, int PlanLine, decimal Amount, DateOnly? PaidOn = null)
{
    /// <summary>The day the money was used: the day of payment where given, else the receipt date.</summary>
    public DateOnly UsedOn => PaidOn ?? Date;
}

public sealed record ProofContent(FactualReport Report, NumericalProof Numbers, Receipt[] Receipts)
{
    public static readonly ProofContent Empty = new(new FactualReport(null, null, []), new NumericalProof([], 0, 0, 0, 0), []);
}

public sealed record AttachmentInfo(Guid Id, string FileName, string ContentType, long Size, string Sha256, string UploadedBy, DateTimeOffset At);

public sealed record RulingRecord(int Receipt, ReceiptRuling Ruling, decimal RecognisedAmount, string? Reason, string OfficerName);

public sealed record ProofDrafted(Guid ProofId, Guid GrantId, Guid OrganisationId, Guid ProgrammeId, string GrantReference, ProofKind Kind, int? BudgetYear,
    ProofContent Content, DateTimeOffset At) : IDomainEvent;

public sealed record ProofEdited(Guid ProofId, ProofContent Content, string[] ChangedFields, DateTimeOffset At) : IDomainEvent;

/// <summary>A file was attached; its SHA-256 is in the event, so the audit chain covers the stored bytes.</summary>
public sealed record ProofAttachmentAdded(Guid ProofId, AttachmentInfo Attachment) : IDomainEvent;

public sealed record ProofSubmitted(Guid ProofId, Guid GrantId, ProofKind Kind, decimal TotalCosts, int Receipts, string[] Warnings, bool Resubmission,
    DateTimeOffset At) : IDomainEvent;

/// <summary>On the grant's stream: the final proof is in; amendments wait until the final notice.</summary>
public sealed record FinalProofSubmitted(Guid GrantId, Guid ProofId, decimal ProvedCosts, DateTimeOffset At) : IDomainEvent;

public sealed record ProofReturnedForCompletion(Guid ProofId, string[] MissingItems, DateOnly DueDate, string? Note, string OfficerName, DateTimeOffset At) : IDomainEvent;

/// <summary>Examination began: simple (plausibility) or in-depth with the reproducible sample of receipts (by position).</summary>
public sealed record ProofExaminationStarted(Guid ProofId, ExaminationDepth Depth, int[] Sample, int SampleSeed, string OfficerId, string OfficerName,
    DateTimeOffset At) : IDomainEvent;

public sealed record ProofReceiptsRuled(Guid ProofId, RulingRecord[] Rulings, DateTimeOffset At) : IDomainEvent;

/// <summary>The examination note (Prüfvermerk) with the recalculation; for a final proof it proposes the final amount.</summary>
public sealed record ProofExamined(Guid ProofId, Guid GrantId, ExaminationDepth Depth, string Note, Recalculation Recalculation, string OfficerId,
    string OfficerName, DateTimeOffset At) : IDomainEvent;

/// <summary>On the proof's stream: a second person approved the final notice.</summary>
public sealed record FinalNoticeApproved(Guid ProofId, Guid GrantId, decimal FinalAmount, string ApproverId, string ApproverName, DateTimeOffset At) : IDomainEvent;

/// <summary>On the grant's stream: the final notice (Schlussbescheid) set the final amount.</summary>
public sealed record FinalNoticeIssued(Guid GrantId, Guid ProofId, decimal ProvedCosts, decimal RecognisedCosts, decimal FinalAmount, decimal Paid,
    decimal ToRecover, decimal ToPay, DateOnly ExaminedOn, string ProposedBy, string ApprovedBy, DateTimeOffset At) : IDomainEvent;

/// <summary>
/// On the grant's stream: more was paid than the final amount; the difference is owed back. The claim that collects it is a
/// recovery claim of its own (Recovery.RecoveryClaimRaised, <c>ClaimId</c>), raised in the same transaction.
/// </summary>
public sealed record FinalOverpaymentEstablished(Guid GrantId, decimal Amount, string Reason, DateTimeOffset At, Guid? ClaimId = null) : IDomainEvent;

public sealed record GrantClosed(Guid GrantId, DateOnly ExaminedOn, DateOnly RetentionUntil, DateTimeOffset At) : IDomainEvent;

public sealed record ProofRemindersConfigured(Guid ProgrammeId, int[] DaysBefore, int DaysAfter, string By, DateTimeOffset At) : IDomainEvent;

/// <summary>The recalculation, step by step (each step a sentence and the amount it yields).</summary>
public sealed record Recalculation(
    FinancingType FinancingType,
    LineResult[] Lines,
    decimal ProvedCosts,
    decimal ReceiptCuts,
    decimal ToleranceCut,
    decimal RecognisedCosts,
    decimal OwnFunds,
    decimal ThirdPartyFunds,
    decimal MaximumAmount,
    decimal? SharePercent,
    decimal FinalAmount,
    decimal Paid,
    decimal ToRecover,
    decimal ToPay,
    CalculationStep[] Steps);

public sealed record LineResult(int Line, string Description, decimal Planned, decimal Proved, decimal ReceiptCuts, decimal Recognised, decimal OverPlan,
    decimal ToleranceAllowed);

public sealed record CalculationStep(string Description, decimal Amount);
