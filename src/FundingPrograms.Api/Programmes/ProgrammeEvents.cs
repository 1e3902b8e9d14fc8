using FundingPrograms.Infrastructure;

namespace FundingPrograms.Programmes;

public sealed record ProgrammeCreated(Guid ProgrammeId, string Name, string Description, DateTimeOffset CreatedAt) : IDomainEvent;

public sealed record ProgrammeDetailsChanged(Guid ProgrammeId, string Name, string Description, string? Reason, DateTimeOffset ChangedAt) : IDomainEvent;
