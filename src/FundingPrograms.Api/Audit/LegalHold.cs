namespace FundingPrograms.Audit;

/// <summary>A legal hold (e.g. a pending court case) keeps an organisation's personal data beyond its retention period.</summary>
public sealed record LegalHoldPlaced(Guid HoldId, Guid OrganisationId, string Reason, string ByUserId, string ByName, DateTimeOffset At) : IDomainEvent;

/// <summary>The hold was lifted, with a reason: retention erasure applies again.</summary>
public sealed record LegalHoldLifted(Guid HoldId, Guid OrganisationId, string Reason, string ByUserId, string ByName, DateTimeOffset At) : IDomainEvent;

/// <summary>One legal hold on an organisation's personal data (its own stream; inline snapshot).</summary>
public sealed partial class LegalHold : ICase
{
    public static string What => "The legal hold";
    Guid? ICase.OwnerOrganisation => OrganisationId;

    public Guid Id { get; set; }
    public long Version { get; set; }
    public Guid OrganisationId { get; set; }
    public string Reason { get; set; } = "";
    public string PlacedBy { get; set; } = "";
    public DateTimeOffset PlacedAt { get; set; }
    public bool Active { get; set; }
    public string? LiftReason { get; set; }
    public string? LiftedBy { get; set; }
    public DateTimeOffset? LiftedAt { get; set; }

    public static LegalHold Create(LegalHoldPlaced e) => new()
    {
        Id = e.HoldId, OrganisationId = e.OrganisationId, Reason = e.Reason, PlacedBy = e.ByName, PlacedAt = e.At, Active = true,
    };

    public void Apply(LegalHoldLifted e)
    {
        Active = false;
        LiftReason = e.Reason;
        LiftedBy = e.ByName;
        LiftedAt = e.At;
    }
}
