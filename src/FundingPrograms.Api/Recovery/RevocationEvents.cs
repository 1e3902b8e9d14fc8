using FundingPrograms.Grants;
using FundingPrograms.Programmes;

namespace FundingPrograms.Recovery;

public enum RevocationScope { Whole, Partial }

/// <summary>On the grant's stream: the authority learned facts that may justify revocation; the one-year period starts (§ 48 (4), § 49 (3) S. 2 VwVfG NRW).</summary>
public sealed record RevocationFactsRecorded(Guid GrantId, Guid FactsId, DateOnly LearnedOn, string Facts, string Evidence, DateOnly DeadlineOn,
    string By, string ByName, DateTimeOffset At) : IDomainEvent;

/// <summary>On the grant's stream: the hearing letter (Anhörung, § 28 (1) VwVfG NRW) went to the organisation with a reply due date.</summary>
public sealed record HearingLetterSent(Guid GrantId, Guid HearingId, string Text, DateOnly ReplyDueOn, string By, string ByName, DateTimeOffset At) : IDomainEvent;

/// <summary>On the grant's stream: the organisation's reply to the hearing was received.</summary>
public sealed record HearingReplyRecorded(Guid GrantId, Guid HearingId, DateOnly ReceivedOn, string Summary, string By, string ByName, DateTimeOffset At) : IDomainEvent;

/// <summary>On the grant's stream: no hearing is needed (§ 28 (2) VwVfG NRW), with the reason.</summary>
public sealed record HearingDispensed(Guid GrantId, string Reason, string By, string ByName, DateTimeOffset At) : IDomainEvent;

/// <summary>On the grant's stream: an officer proposed to revoke the grant in whole or part, with effect for the past from a date.</summary>
public sealed record RevocationProposed(Guid GrantId, Guid ProposalId, RevocationScope Scope, decimal NewAmount, DateOnly EffectiveFrom, string Reasons,
    string LegalBasis, Guid FactsId, DateOnly? PaymentDueOn, string By, string ByName, DateTimeOffset At) : IDomainEvent;

/// <summary>
/// On the grant's stream: a second person approved the revocation; the notice is issued (a new version of the grant notice
/// with the lowered amount), commitments of unpaid years are released and what was paid above the new amount is claimed.
/// </summary>
public sealed record GrantRevoked(Guid GrantId, Guid ProposalId, RevocationScope Scope, decimal PreviousAmount, decimal NewAmount, DateOnly EffectiveFrom,
    string Reasons, string LegalBasis, GrantNotice Notice, YearAmount[] Released, decimal Paid, decimal RecoveryAmount, Guid? ClaimId, string ProposedBy,
    string ProposedByName, string ApprovedBy, string ApprovedByName, DateTimeOffset At) : IDomainEvent;

public sealed record RevocationFacts(Guid FactsId, DateOnly LearnedOn, string Facts, string Evidence, DateOnly DeadlineOn, string RecordedByName, DateTimeOffset At);

public sealed record Hearing(Guid HearingId, string Text, DateOnly ReplyDueOn, string SentByName, DateTimeOffset At, DateOnly? ReplyReceivedOn, string? ReplySummary);

public sealed record Revocation(Guid ProposalId, RevocationScope Scope, decimal PreviousAmount, decimal NewAmount, DateOnly EffectiveFrom, string Reasons,
    string LegalBasis, int NoticeVersion, YearAmount[] Released, decimal Paid, decimal RecoveryAmount, Guid? ClaimId, string ProposedByName, string ApprovedByName,
    DateTimeOffset At);

/// <summary>The revocation file of a grant, folded on the grant (see Grant.Apply).</summary>
public sealed class RevocationFile
{
    public List<RevocationFacts> Facts { get; set; } = [];
    public List<Hearing> Hearings { get; set; } = [];
    public List<Hearing> HeardBefore { get; set; } = [];
    public string? HearingDispensedReason { get; set; }
    public RevocationProposed? OpenProposal { get; set; }
    public List<Revocation> Revocations { get; set; } = [];

    /// <summary>The revocation deadline of the latest facts (null before any facts are recorded).</summary>
    public DateOnly? Deadline => Facts.Count == 0 ? null : Facts[^1].DeadlineOn;
    public decimal Revoked => Revocations.Sum(r => r.PreviousAmount - r.NewAmount);

    public void Apply(RevocationFactsRecorded e) =>
        Facts.Add(new RevocationFacts(e.FactsId, e.LearnedOn, e.Facts, e.Evidence, e.DeadlineOn, e.ByName, e.At));

    public void Apply(HearingLetterSent e) => Hearings.Add(new Hearing(e.HearingId, e.Text, e.ReplyDueOn, e.ByName, e.At, null, null));

    public void Apply(HearingReplyRecorded e)
    {
        var i = Hearings.FindIndex(h => h.HearingId == e.HearingId);
        if (i >= 0) Hearings[i] = Hearings[i] with { ReplyReceivedOn = e.ReceivedOn, ReplySummary = e.Summary };
    }

    public void Apply(HearingDispensed e) => HearingDispensedReason = e.Reason;

    public void Apply(RevocationProposed e) => OpenProposal = e;

    public void Apply(GrantRevoked e)
    {
        OpenProposal = null;
        Revocations.Add(new Revocation(e.ProposalId, e.Scope, e.PreviousAmount, e.NewAmount, e.EffectiveFrom, e.Reasons, e.LegalBasis, e.Notice.NoticeVersion,
            e.Released, e.Paid, e.RecoveryAmount, e.ClaimId, e.ProposedByName, e.ApprovedByName, e.At));
        // A later revocation needs a hearing of its own (the earlier ones stay in the events and in HeardBefore).
        HeardBefore.AddRange(Hearings);
        HearingDispensedReason = null;
        Hearings = [];
    }
}
