using FundingPrograms.Programmes;

namespace FundingPrograms.Applications;

public enum CostCategory { Staff, Material, Investment, Other }

/// <summary>One cost item of the financing plan; staff items say which post (share of a full-time post, months).</summary>
public sealed record CostItem(CostCategory Category, string Description, decimal Amount, decimal? PostSharePercent, int? Months, string? Post);

public sealed record ThirdPartyFund(string Source, decimal Amount, bool Confirmed);

/// <summary>What an applicant writes; a draft may be incomplete, submission requires all of it and the programme's rules.</summary>
public sealed record ApplicationContent(
    string? Title,
    string? Summary,
    string? Description,
    string? TargetDimension,
    string[] TargetGroups,
    string[] Districts,
    DateOnly? PeriodStart,
    DateOnly? PeriodEnd,
    CostItem[] CostItems,
    decimal OwnCash,
    decimal OwnVolunteerWork,
    ThirdPartyFund[] ThirdPartyFunds,
    decimal? RequestedAmount,
    FinancingType? FinancingType,
    bool EarlyStartRequested = false,
    string? EarlyStartReason = null,
    /// <summary>For a project in several districts: each district's share in percent (adding up to 100); equal shares when absent.</summary>
    Dictionary<string, decimal>? DistrictShares = null);

public sealed record ApplicationDrafted(
    Guid ApplicationId,
    Guid OrganisationId,
    string OrganisationName,
    string OrganisationType,
    Guid ProgrammeId,
    Guid CallId,
    ApplicationContent Content,
    DateTimeOffset At,
    string? FileReference = null) : IDomainEvent;

public sealed record ApplicationEdited(Guid ApplicationId, ApplicationContent Content, string[] ChangedFields, DateTimeOffset At) : IDomainEvent;

public sealed record ApplicationSubmitted(Guid ApplicationId, decimal TotalCosts, decimal RequestedAmount, bool Resubmission, DateTimeOffset At) : IDomainEvent;

public sealed record ApplicationReturnedForCompletion(Guid ApplicationId, string[] MissingItems, DateOnly DueDate, string? Note, DateTimeOffset At) : IDomainEvent;

public sealed record ApplicationFormallyChecked(Guid ApplicationId, string? Note, DateTimeOffset At) : IDomainEvent;

public sealed record CriterionScore(string Criterion, decimal Score, decimal Weight);

public enum Recommendation { Approve, Reject }

public sealed record ApplicationAssessed(
    Guid ApplicationId,
    CriterionScore[] Scores,
    decimal TotalScore,
    Recommendation Recommendation,
    decimal? RecommendedAmount,
    string? Reasons,
    string AssessorId,
    string AssessorName,
    DateTimeOffset At) : IDomainEvent;

public sealed record ApplicationWithdrawn(Guid ApplicationId, string? Reason, DateTimeOffset At) : IDomainEvent;

/// <summary>A double-funding finding the approver acknowledged, with the reason it is not double funding.</summary>
public sealed record AcknowledgedFinding(string FindingId, string Description, string Reason);

public sealed record ApplicationApproved(
    Guid ApplicationId,
    Guid GrantId,
    decimal GrantedAmount,
    AcknowledgedFinding[] AcknowledgedFindings,
    string ApproverId,
    string ApproverName,
    DateTimeOffset At) : IDomainEvent;

/// <summary>A rejection is a notice too (VV Nr. 4.2 zu § 44 LHO): reasons and the Rechtsbehelfsbelehrung (null in rejections before notices existed).</summary>
public sealed record ApplicationRejected(Guid ApplicationId, string Reasons, string ApproverId, string ApproverName, DateTimeOffset At,
    Grants.RejectionNotice? Notice = null) : IDomainEvent;

/// <summary>
/// An officer approved an early start (vorzeitiger Maßnahmebeginn, VV Nr. 1.3 zu § 44 LHO): the project may begin from
/// <c>From</c>, before the notice. It promises no funding.
/// </summary>
public sealed record ApplicationEarlyStartApproved(Guid ApplicationId, DateOnly From, string Reason, string OfficerId, string OfficerName, DateTimeOffset At) : IDomainEvent;
