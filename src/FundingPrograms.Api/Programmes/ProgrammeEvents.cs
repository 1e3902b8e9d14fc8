namespace FundingPrograms.Programmes;

public sealed record ProgrammeCreated(Guid ProgrammeId, ProgrammeDefinition Definition, DateTimeOffset CreatedAt) : IDomainEvent;

public sealed record ProgrammeRevised(Guid ProgrammeId, ProgrammeDefinition Definition, string? Reason, DateTimeOffset RevisedAt) : IDomainEvent;

public sealed record ProgrammePublished(Guid ProgrammeId, DateTimeOffset PublishedAt) : IDomainEvent;

public sealed record ProgrammeClosed(Guid ProgrammeId, string Reason, DateTimeOffset ClosedAt) : IDomainEvent;

public sealed record ProgrammeArchived(Guid ProgrammeId, string Reason, DateTimeOffset ArchivedAt) : IDomainEvent;

public sealed record BudgetAllocated(Guid ProgrammeId, string BudgetLine, string? BudgetLineName, int Year, decimal Amount, string? Reason, DateTimeOffset At) : IDomainEvent;

public sealed record BudgetIncreased(Guid ProgrammeId, string BudgetLine, int Year, decimal Amount, string Reason, DateTimeOffset At) : IDomainEvent;

public sealed record BudgetDecreased(Guid ProgrammeId, string BudgetLine, int Year, decimal Amount, string Reason, DateTimeOffset At) : IDomainEvent;

public sealed record CallOpened(
    Guid ProgrammeId,
    Guid CallId,
    Dictionary<string, string> Title,
    Dictionary<string, string> Description,
    DateTimeOffset OpensAt,
    DateTimeOffset ClosesAt,
    string[] Districts,
    decimal? BudgetCap,
    DateTimeOffset OpenedAt) : IDomainEvent;

public sealed record CallClosed(Guid ProgrammeId, Guid CallId, string? Reason, bool Automatic, DateTimeOffset ClosedAt) : IDomainEvent;

public sealed record YearAmount(int Year, decimal Amount);

/// <summary>Approval or an amendment committed grant money against budget years of a budget line (and the call's cap).</summary>
public sealed record BudgetCommitted(Guid ProgrammeId, Guid GrantId, Guid CallId, string BudgetLine, YearAmount[] Years, DateTimeOffset At) : IDomainEvent;

/// <summary>An amendment lowered a grant: its commitment is released back to the budget years.</summary>
public sealed record BudgetReleased(Guid ProgrammeId, Guid GrantId, Guid CallId, string BudgetLine, YearAmount[] Years, string Reason, DateTimeOffset At) : IDomainEvent;

/// <summary>A commitment appropriation (Verpflichtungsermächtigung, § 38 LHO): grants may commit money for this later year before its cash budget exists.</summary>
public sealed record CommitmentAppropriationGranted(Guid ProgrammeId, string BudgetLine, string? BudgetLineName, int Year, decimal Amount, string Reason, DateTimeOffset At) : IDomainEvent;

/// <summary>The year has come: its commitment appropriation became that year's cash budget (what grants committed against it can now be paid).</summary>
public sealed record CommitmentAppropriationConverted(Guid ProgrammeId, string BudgetLine, int Year, decimal Amount, string Reason, DateTimeOffset At) : IDomainEvent;
