namespace FundingPrograms.Proofs;

/// <summary>A proof of use (interim or final) of one grant, folded from its stream (inline snapshot).</summary>
public sealed partial class Proof : ICase
{
    public static string What => ProofAccess.What;
    Guid? ICase.OwnerOrganisation => OrganisationId;

    public Guid Id { get; set; }
    public long Version { get; set; }
    public Guid GrantId { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid ProgrammeId { get; set; }
    public string GrantReference { get; set; } = "";
    public ProofKind Kind { get; set; }
    public int? BudgetYear { get; set; }
    public ProofState State { get; set; }
    public DateTimeOffset StateSince { get; set; }
    public ProofContent Content { get; set; } = ProofContent.Empty;
    public List<AttachmentInfo> Attachments { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
    public string[] MissingItems { get; set; } = [];
    public DateOnly? CompletionDueDate { get; set; }
    public string? ReturnNote { get; set; }
    public ExaminationDepth? Depth { get; set; }
    public int[] Sample { get; set; } = [];
    public string? ExaminerId { get; set; }
    public string? ExaminerName { get; set; }
    public List<RulingRecord> Rulings { get; set; } = [];
    public string? ExaminationNote { get; set; }
    public Recalculation? Recalculation { get; set; }
    public DateTimeOffset? ExaminedAt { get; set; }
    public decimal? FinalAmount { get; set; }
    public string? ApprovedBy { get; set; }

    public bool IsEditable => State is ProofState.Draft or ProofState.ReturnedForCompletion;

    private void Enter(ProofState state, DateTimeOffset at)
    {
        State = state;
        StateSince = at;
    }

    public static Proof Create(ProofDrafted e)
    {
        var p = new Proof
        {
            Id = e.ProofId, GrantId = e.GrantId, OrganisationId = e.OrganisationId, ProgrammeId = e.ProgrammeId, GrantReference = e.GrantReference,
            Kind = e.Kind, BudgetYear = e.BudgetYear, Content = e.Content, CreatedAt = e.At,
        };
        p.Enter(ProofState.Draft, e.At);
        return p;
    }

    public void Apply(ProofEdited e) => Content = e.Content;

    public void Apply(ProofAttachmentAdded e) => Attachments.Add(e.Attachment);

    public void Apply(ProofSubmitted e)
    {
        SubmittedAt ??= e.At;
        MissingItems = [];
        CompletionDueDate = null;
        ReturnNote = null;
        Enter(ProofState.Submitted, e.At);
    }

    public void Apply(ProofReturnedForCompletion e)
    {
        MissingItems = e.MissingItems;
        CompletionDueDate = e.DueDate;
        ReturnNote = e.Note;
        Enter(ProofState.ReturnedForCompletion, e.At);
    }

    public void Apply(ProofExaminationStarted e)
    {
        Depth = e.Depth;
        Sample = e.Sample;
        ExaminerId = e.OfficerId;
        ExaminerName = e.OfficerName;
        Enter(ProofState.InExamination, e.At);
    }

    public void Apply(ProofReceiptsRuled e)
    {
        foreach (var r in e.Rulings)
        {
            Rulings.RemoveAll(x => x.Receipt == r.Receipt);
            Rulings.Add(r);
        }
        Rulings.Sort((a, b) => a.Receipt.CompareTo(b.Receipt));
    }

    public void Apply(ProofExamined e)
    {
        ExaminationNote = e.Note;
        Recalculation = e.Recalculation;
        ExaminerId = e.OfficerId;
        ExaminerName = e.OfficerName;
        ExaminedAt = e.At;
        Enter(ProofState.Examined, e.At);
    }

    public void Apply(FinalNoticeApproved e)
    {
        FinalAmount = e.FinalAmount;
        ApprovedBy = e.ApproverName;
        Enter(ProofState.Settled, e.At);
    }
}

/// <summary>The per-programme reminder timing for proof deadlines (defaults: 28 and 7 days before, 1 day after).</summary>
public sealed partial class ProofReminderSettings
{
    public static readonly int[] DefaultDaysBefore = [28, 7];
    public const int DefaultDaysAfter = 1;

    public Guid Id { get; set; }
    public long Version { get; set; }
    public Guid ProgrammeId { get; set; }
    public int[] DaysBefore { get; set; } = DefaultDaysBefore;
    public int DaysAfter { get; set; } = DefaultDaysAfter;

    public static ProofReminderSettings Create(ProofRemindersConfigured e) => new() { ProgrammeId = e.ProgrammeId, DaysBefore = e.DaysBefore, DaysAfter = e.DaysAfter };

    public void Apply(ProofRemindersConfigured e)
    {
        DaysBefore = e.DaysBefore;
        DaysAfter = e.DaysAfter;
    }

    public static Guid StreamFor(Guid programmeId) => Payments.StatementMatching.DeterministicGuid($"proof-reminders|{programmeId}");
}

/// <summary>The stored bytes of an attachment (its metadata and SHA-256 are in the proof's events).</summary>
public sealed class ProofAttachmentFile
{
    public Guid Id { get; set; }
    public Guid ProofId { get; set; }
    public Guid GrantId { get; set; }
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public byte[] Content { get; set; } = [];
}

/// <summary>A reminder that was sent: its id (what, which due date, which stage) makes it exactly-once.</summary>
public sealed class SentProofReminder
{
    public string Id { get; set; } = "";
    public Guid GrantId { get; set; }
    public Guid? ProofId { get; set; }
    public Guid OrganisationId { get; set; }
    public string Stage { get; set; } = "";
    public DateOnly DueDate { get; set; }
    public DateTimeOffset SentAt { get; set; }
}
