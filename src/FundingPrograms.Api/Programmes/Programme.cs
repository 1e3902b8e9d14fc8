namespace FundingPrograms.Programmes;

public enum ProgrammeStatus { Draft, Published, Closed, Archived }

public enum CallState { Upcoming, Open, Closed }

/// <summary>The budget of one budget line in one budget year.</summary>
public sealed class BudgetYear
{
    public string BudgetLine { get; set; } = "";
    public string? BudgetLineName { get; set; }
    public int Year { get; set; }
    public decimal Allocated { get; set; }
    public decimal Committed { get; set; }
    public decimal Paid { get; set; }
    /// <summary>Commitment appropriation (Verpflichtungsermächtigung, § 38 LHO) for this later year, not yet turned into cash.</summary>
    public decimal CommitmentAppropriation { get; set; }
    /// <summary>What grants may still commit: cash appropriation plus commitment appropriation, minus what is committed.</summary>
    public decimal Free => Allocated + CommitmentAppropriation - Committed;
    /// <summary>Commitments beyond the cash appropriation are carried by the commitment appropriation.</summary>
    public decimal CommitmentAppropriationUsed => Math.Min(CommitmentAppropriation, Math.Max(0, Committed - Allocated));
}

public sealed class Call
{
    public Guid Id { get; set; }
    public Dictionary<string, string> Title { get; set; } = new();
    public Dictionary<string, string> Description { get; set; } = new();
    public DateTimeOffset OpensAt { get; set; }
    public DateTimeOffset ClosesAt { get; set; }
    public string[] Districts { get; set; } = [];
    public decimal? BudgetCap { get; set; }
    /// <summary>Grant money committed against this call (checked against its budget cap).</summary>
    public decimal Committed { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? ClosedReason { get; set; }
    public bool ClosedAutomatically { get; set; }

    /// <summary>When the window really ends: the deadline, or earlier if it was closed early.</summary>
    public DateTimeOffset EffectiveEnd => ClosedAt is { } c && c < ClosesAt ? c : ClosesAt;

    public CallState StateAt(DateTimeOffset now) =>
        ClosedAt is not null || now >= ClosesAt ? CallState.Closed : now < OpensAt ? CallState.Upcoming : CallState.Open;

    public bool Overlaps(DateTimeOffset opens, DateTimeOffset closes, string[] districts) =>
        opens < EffectiveEnd && OpensAt < closes
        && (Districts.Length == 0 || districts.Length == 0 || Districts.Intersect(districts).Any());
}

/// <summary>A programme's state, folded from its stream; kept as an inline snapshot so lists can query it.</summary>
public sealed partial class Programme : ICase
{
    public static string What => "The programme";
    Guid? ICase.OwnerOrganisation => null;

    public Guid Id { get; set; }
    public long Version { get; set; }
    public ProgrammeDefinition Definition { get; set; } = null!;
    public ProgrammeStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public List<BudgetYear> Budget { get; set; } = [];
    public List<Call> Calls { get; set; } = [];

    public BudgetYear? BudgetFor(string line, int year) => Budget.FirstOrDefault(b => b.BudgetLine == line && b.Year == year);
    public Call? CallById(Guid id) => Calls.FirstOrDefault(c => c.Id == id);

    public static Programme Create(ProgrammeCreated e) => new()
    {
        Id = e.ProgrammeId, Definition = e.Definition, Status = ProgrammeStatus.Draft, CreatedAt = e.CreatedAt,
    };

    public void Apply(ProgrammeRevised e) => Definition = e.Definition;

    public void Apply(ProgrammePublished e)
    {
        Status = ProgrammeStatus.Published;
        PublishedAt = e.PublishedAt;
    }

    public void Apply(ProgrammeClosed _) => Status = ProgrammeStatus.Closed;

    public void Apply(ProgrammeArchived _) => Status = ProgrammeStatus.Archived;

    public void Apply(BudgetAllocated e) => Budget.Add(new BudgetYear
    {
        BudgetLine = e.BudgetLine, BudgetLineName = e.BudgetLineName, Year = e.Year, Allocated = e.Amount,
    });

    public void Apply(BudgetIncreased e) => BudgetFor(e.BudgetLine, e.Year)!.Allocated += e.Amount;

    public void Apply(BudgetDecreased e) => BudgetFor(e.BudgetLine, e.Year)!.Allocated -= e.Amount;

    public void Apply(CommitmentAppropriationGranted e)
    {
        var budget = BudgetFor(e.BudgetLine, e.Year);
        if (budget is null) Budget.Add(new BudgetYear { BudgetLine = e.BudgetLine, BudgetLineName = e.BudgetLineName, Year = e.Year, CommitmentAppropriation = e.Amount });
        else budget.CommitmentAppropriation += e.Amount;
    }

    public void Apply(CommitmentAppropriationConverted e)
    {
        var budget = BudgetFor(e.BudgetLine, e.Year)!;
        budget.CommitmentAppropriation -= e.Amount;
        budget.Allocated += e.Amount;
    }

    public void Apply(CallOpened e) => Calls.Add(new Call
    {
        Id = e.CallId, Title = e.Title, Description = e.Description, OpensAt = e.OpensAt, ClosesAt = e.ClosesAt,
        Districts = e.Districts, BudgetCap = e.BudgetCap,
    });

    public void Apply(BudgetCommitted e)
    {
        foreach (var y in e.Years) BudgetFor(e.BudgetLine, y.Year)!.Committed += y.Amount;
        if (CallById(e.CallId) is { } call) call.Committed += e.Years.Sum(y => y.Amount);
    }

    public void Apply(BudgetReleased e)
    {
        foreach (var y in e.Years) BudgetFor(e.BudgetLine, y.Year)!.Committed -= y.Amount;
        if (CallById(e.CallId) is { } call) call.Committed -= e.Years.Sum(y => y.Amount);
    }

    public void Apply(Payments.BudgetPaid e)
    {
        var budget = BudgetFor(e.BudgetLine, e.Year);
        if (budget is not null) budget.Paid += e.Amount;
    }

    public void Apply(CallClosed e)
    {
        var call = CallById(e.CallId)!;
        call.ClosedAt = e.ClosedAt;
        call.ClosedReason = e.Reason;
        call.ClosedAutomatically = e.Automatic;
    }
}
