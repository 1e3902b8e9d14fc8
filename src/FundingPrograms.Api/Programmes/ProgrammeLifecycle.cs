namespace FundingPrograms.Programmes;

/// <summary>A lifecycle step of a programme (publish, close, archive): the expected version and, where the step needs one, a reason.</summary>
public sealed record ProgrammeStep(string? Reason, long? Version) : IVersionedCommand;
