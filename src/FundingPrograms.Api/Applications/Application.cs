using FundingPrograms.Programmes;
using JasperFx.Events;

namespace FundingPrograms.Applications;

public enum ApplicationState { Draft, Submitted, ReturnedForCompletion, FormallyChecked, Assessed, Approved, Rejected, Withdrawn }

/// <summary>The decision on an application, as the applicant sees it.</summary>
public sealed record Decision(bool Approved, Guid? GrantId, decimal? GrantedAmount, string? Reasons, string DecidedBy, DateTimeOffset DecidedAt);

/// <summary>An application, folded from its stream (inline snapshot: the officer inbox and dashboards query it).</summary>
public sealed partial class Application : ICase
{
    public static string What => ApplicationAccess.What;
    Guid? ICase.OwnerOrganisation => OrganisationId;

    public Guid Id { get; set; }
    public long Version { get; set; }
    public Guid OrganisationId { get; set; }
    public string OrganisationName { get; set; } = "";
    public string OrganisationType { get; set; } = "";
    public Guid ProgrammeId { get; set; }
    public Guid CallId { get; set; }
    public ApplicationContent Content { get; set; } = null!;
    public ApplicationState State { get; set; }
    /// <summary>When the application entered its current state.</summary>
    public DateTimeOffset StateSince { get; set; }
    /// <summary>The event sequence that put it in its current state: a stable, unique cursor for the inbox.</summary>
    public long StateSequence { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
    public string[] MissingItems { get; set; } = [];
    public DateOnly? CompletionDueDate { get; set; }
    public ApplicationAssessed? Assessment { get; set; }
    public Decision? Decision { get; set; }
    /// <summary>An approved early start (vorzeitiger Maßnahmebeginn), if any.</summary>
    public ApplicationEarlyStartApproved? EarlyStart { get; set; }
    /// <summary>The rejection notice (Ablehnungsbescheid), once rejected.</summary>
    public Grants.RejectionNotice? RejectionNotice { get; set; }

    public static readonly ApplicationState[] Open =
        [ApplicationState.Draft, ApplicationState.Submitted, ApplicationState.ReturnedForCompletion, ApplicationState.FormallyChecked, ApplicationState.Assessed];

    public bool IsOpen => Open.Contains(State);
    public bool IsEditable => State is ApplicationState.Draft or ApplicationState.ReturnedForCompletion;

    private void Enter(ApplicationState state, DateTimeOffset at, long sequence)
    {
        State = state;
        StateSince = at;
        StateSequence = sequence;
    }

    /// <summary>The Aktenzeichen (<c>FP-2027-000042</c>) from the per-year sequence; null for applications drafted before it was given.</summary>
    public string? FileReference { get; set; }

    public static Application Create(IEvent<ApplicationDrafted> e)
    {
        var d = e.Data;
        var a = new Application
        {
            Id = d.ApplicationId, OrganisationId = d.OrganisationId, OrganisationName = d.OrganisationName, OrganisationType = d.OrganisationType,
            ProgrammeId = d.ProgrammeId, CallId = d.CallId, Content = d.Content, CreatedAt = d.At, FileReference = d.FileReference,
        };
        a.Enter(ApplicationState.Draft, d.At, e.Sequence);
        return a;
    }

    public void Apply(ApplicationEdited e) => Content = e.Content;

    public void Apply(IEvent<ApplicationSubmitted> e)
    {
        SubmittedAt ??= e.Data.At;
        MissingItems = [];
        CompletionDueDate = null;
        Enter(ApplicationState.Submitted, e.Data.At, e.Sequence);
    }

    public void Apply(IEvent<ApplicationReturnedForCompletion> e)
    {
        MissingItems = e.Data.MissingItems;
        CompletionDueDate = e.Data.DueDate;
        Enter(ApplicationState.ReturnedForCompletion, e.Data.At, e.Sequence);
    }

    public void Apply(IEvent<ApplicationFormallyChecked> e) => Enter(ApplicationState.FormallyChecked, e.Data.At, e.Sequence);

    public void Apply(IEvent<ApplicationAssessed> e)
    {
        Assessment = e.Data;
        Enter(ApplicationState.Assessed, e.Data.At, e.Sequence);
    }

    public void Apply(IEvent<ApplicationApproved> e)
    {
        Decision = new Decision(true, e.Data.GrantId, e.Data.GrantedAmount, null, e.Data.ApproverName, e.Data.At);
        Enter(ApplicationState.Approved, e.Data.At, e.Sequence);
    }

    public void Apply(IEvent<ApplicationRejected> e)
    {
        Decision = new Decision(false, null, null, e.Data.Reasons, e.Data.ApproverName, e.Data.At);
        RejectionNotice = e.Data.Notice;
        Enter(ApplicationState.Rejected, e.Data.At, e.Sequence);
    }

    public void Apply(ApplicationEarlyStartApproved e) => EarlyStart = e;

    public void Apply(IEvent<ApplicationWithdrawn> e) => Enter(ApplicationState.Withdrawn, e.Data.At, e.Sequence);
}
