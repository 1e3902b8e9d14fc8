using FundingPrograms.Applications;
using FundingPrograms.Programmes;

namespace FundingPrograms.Grants;

/// <summary>
/// The grant notice (Zuwendungsbescheid): what was granted, how it is financed, for which period, from which budget
/// line and years, under which conditions. Every amendment issues a new version of it. Its content follows VV Nr. 4.2 zu § 44 LHO:
/// legal basis, purpose, financing type with its terms, eligible costs, amount per budget year, funding period, general
/// (ANBest-P version) and special conditions (<c>Conditions</c>), proof-of-use deadline, an approved early start and the
/// Rechtsbehelfsbelehrung. (Fields from <c>LegalBasis</c> on are null in notices issued before they existed.) <c>SharePercent</c> is the
/// funding rate of share financing only (ANBest-P Nr. 2.1.1): null for a fixed amount, gap or full financing, where a share has no
/// meaning and must not invite a recalculation by share (notices issued before carried a ratio there).
/// </summary>
public sealed record GrantNotice(
    int NoticeVersion,
    string Reference,
    string ProjectTitle,
    Guid OrganisationId,
    string OrganisationName,
    Guid ProgrammeId,
    Dictionary<string, string> ProgrammeName,
    decimal RequestedAmount,
    decimal GrantedAmount,
    string? ReductionReason,
    FinancingType FinancingType,
    decimal TotalEligibleCosts,
    decimal? SharePercent,
    decimal MaximumAmount,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    string BudgetLine,
    YearAmount[] YearSplit,
    string Conditions,
    string GeneralConditionsVersion,
    DateOnly ProofOfUseDue,
    DateTimeOffset IssuedAt,
    string IssuedBy,
    string? AmendmentReason,
    NoticeLegalBasis? LegalBasis = null,
    string? Purpose = null,
    FinancingTerms? Terms = null,
    EligibleCost[]? EligibleCosts = null,
    EarlyStartNote? EarlyStart = null,
    LegalRemedy? LegalRemedy = null);

public sealed record GrantIssued(
    Guid GrantId,
    Guid ApplicationId,
    Guid CallId,
    GrantNotice Notice,
    AcknowledgedFinding[] AcknowledgedFindings,
    DateTimeOffset At) : IDomainEvent;

/// <summary>An amendment notice; a raise carries who proposed it and the proposal an approver (another person) approved.</summary>
public sealed record GrantAmended(Guid GrantId, GrantNotice Notice, string[] Changes, string Reason, DateTimeOffset At,
    Guid? ProposalId = null, string? ProposedBy = null) : IDomainEvent;

/// <summary>The terms an amendment asks for (absent = unchanged).</summary>
public sealed record AmendmentTerms(decimal? Amount, YearAmount[]? YearSplit, DateOnly? PeriodStart, DateOnly? PeriodEnd, string? Conditions,
    string? GeneralConditionsVersion, string Reason);

/// <summary>An officer proposed raising the grant; an approver who is not the proposer must approve it (four-eyes) before it is issued.</summary>
public sealed record GrantAmendmentProposed(Guid GrantId, Guid ProposalId, AmendmentTerms Terms, string ProposedById, string ProposedByName, DateTimeOffset At) : IDomainEvent;
