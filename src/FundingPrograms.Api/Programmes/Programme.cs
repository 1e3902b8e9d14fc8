namespace FundingPrograms.Programmes;

public enum ProgrammeStatus { Draft, Published, Closed, Archived }

/// <summary>A programme's state, folded from its events (live aggregation).</summary>
public sealed class Programme
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public ProgrammeStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public static Programme Create(ProgrammeCreated e) => new()
    {
        Id = e.ProgrammeId, Name = e.Name, Description = e.Description, Status = ProgrammeStatus.Draft, CreatedAt = e.CreatedAt,
    };

    public void Apply(ProgrammeDetailsChanged e)
    {
        Name = e.Name;
        Description = e.Description;
    }
}
