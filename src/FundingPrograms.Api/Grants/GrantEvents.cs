using FundingPrograms.Applications;
using FundingPrograms.Infrastructure;
using FundingPrograms.Programmes;

namespace FundingPrograms.Grants;

/// <summary>
/// The grant notice (Zuwendungsbescheid): what was granted, how it is financed, for which period, from which budget
/// line and years, under which conditions. Every amendment issues a new version of it.
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
    decimal SharePercent,
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
    string? AmendmentReason);

public sealed record GrantIssued(
    Guid GrantId,
    Guid ApplicationId,
    Guid CallId,
    GrantNotice Notice,
    AcknowledgedFinding[] AcknowledgedFindings,
    DateTimeOffset At) : IDomainEvent;

public sealed record GrantAmended(Guid GrantId, GrantNotice Notice, string[] Changes, string Reason, DateTimeOffset At) : IDomainEvent;
