using FundingPrograms.Programmes;

namespace FundingPrograms.Grants;

public enum GrantState { Issued, Amended, FinalProofSubmitted, Closed, Revoked }

/// <summary>A grant and every version of its notice, folded from its stream (inline snapshot).</summary>
public sealed partial class Grant : ICase
{
    public static string What => "The grant";
    Guid? ICase.OwnerOrganisation => OrganisationId;

    public Guid Id { get; set; }
    public long Version { get; set; }
    public Guid ApplicationId { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid ProgrammeId { get; set; }
    public Guid CallId { get; set; }
    public GrantState State { get; set; }
    public List<GrantNotice> Notices { get; set; } = [];
    /// <summary>Reserved by drawdowns and instalments (never above the granted amount).</summary>
    public decimal Requested { get; set; }
    /// <summary>Booked by the bank, per budget year.</summary>
    public List<Programmes.YearAmount> PaidPerYear { get; set; } = [];
    public decimal Paid => PaidPerYear.Sum(y => y.Amount);

    public GrantNotice Notice => Notices[^1];

    public static Grant Create(GrantIssued e) => new()
    {
        Id = e.GrantId, ApplicationId = e.ApplicationId, OrganisationId = e.Notice.OrganisationId, ProgrammeId = e.Notice.ProgrammeId,
        CallId = e.CallId, State = GrantState.Issued, Notices = [e.Notice],
    };

    /// <summary>A raise proposed by an officer, waiting for an approver (four-eyes).</summary>
    public GrantAmendmentProposed? PendingAmendment { get; set; }

    public void Apply(GrantAmended e)
    {
        Notices.Add(e.Notice);
        State = GrantState.Amended;
        if (e.ProposalId is not null && PendingAmendment?.ProposalId == e.ProposalId) PendingAmendment = null;
    }

    public void Apply(GrantAmendmentProposed e) => PendingAmendment = e;

    /// <summary>Reserved per budget year: never above that year's share of the grant.</summary>
    public List<Programmes.YearAmount> RequestedPerYear { get; set; } = [];

    public void Apply(Payments.GrantPaymentReserved e)
    {
        Requested += e.Amount;
        var i = RequestedPerYear.FindIndex(y => y.Year == e.BudgetYear);
        if (i < 0) RequestedPerYear.Add(new Programmes.YearAmount(e.BudgetYear, e.Amount));
        else RequestedPerYear[i] = RequestedPerYear[i] with { Amount = RequestedPerYear[i].Amount + e.Amount };
    }

    public void Apply(Payments.GrantPaymentReservationReleased e)
    {
        Requested -= e.Amount;
        var i = RequestedPerYear.FindIndex(y => y.Year == e.BudgetYear);
        if (i >= 0) RequestedPerYear[i] = RequestedPerYear[i] with { Amount = RequestedPerYear[i].Amount - e.Amount };
    }

    public void Apply(Payments.GrantPaid e)
    {
        var existing = PaidPerYear.FindIndex(y => y.Year == e.BudgetYear);
        if (existing < 0) PaidPerYear.Add(new Programmes.YearAmount(e.BudgetYear, e.Amount));
        else PaidPerYear[existing] = PaidPerYear[existing] with { Amount = PaidPerYear[existing].Amount + e.Amount };
    }

    // Proof of use and final notice (Proofs/): the final proof is in, then the final amount is set and the grant closed.
    public Guid? FinalProofId { get; set; }
    public decimal? ProvedCosts { get; set; }
    public decimal? RecognisedCosts { get; set; }
    public decimal? FinalAmount { get; set; }
    public decimal RecoveryClaimed { get; set; }
    public DateOnly? ExaminedOn { get; set; }

    public void Apply(Proofs.FinalProofSubmitted e)
    {
        FinalProofId = e.ProofId;
        ProvedCosts = e.ProvedCosts;
        State = GrantState.FinalProofSubmitted;
    }

    public void Apply(Proofs.FinalNoticeIssued e)
    {
        ProvedCosts = e.ProvedCosts;
        RecognisedCosts = e.RecognisedCosts;
        FinalAmount = e.FinalAmount;
        ExaminedOn = e.ExaminedOn;
    }

    public void Apply(Proofs.FinalOverpaymentEstablished e) => RecoveryClaimed += e.Amount;

    public void Apply(Proofs.GrantClosed _) => State = GrantState.Closed;

    /// <summary>Revocation file (§§ 28, 48, 49 VwVfG NRW): facts, hearing, proposal, revocations (Recovery/).</summary>
    public Recovery.RevocationFile Revocation { get; set; } = new();
    public void Apply(Recovery.RevocationFactsRecorded e) => Revocation.Apply(e);
    public void Apply(Recovery.HearingLetterSent e) => Revocation.Apply(e);
    public void Apply(Recovery.HearingReplyRecorded e) => Revocation.Apply(e);
    public void Apply(Recovery.HearingDispensed e) => Revocation.Apply(e);
    public void Apply(Recovery.RevocationProposed e) => Revocation.Apply(e);
    public void Apply(Recovery.GrantRevoked e)
    {
        Notices.Add(e.Notice);
        State = GrantState.Revoked;
        Revocation.Apply(e);
    }

    /// <summary>The notice in force at an instant (null before the grant was issued).</summary>
    public GrantNotice? NoticeAsOf(DateTimeOffset instant) => Notices.LastOrDefault(n => n.IssuedAt <= instant);


    public static YearAmount[] Delta(YearAmount[] from, YearAmount[] to) =>
        from.Select(y => y.Year).Union(to.Select(y => y.Year)).OrderBy(y => y)
            .Select(year => new YearAmount(year, to.Where(y => y.Year == year).Sum(y => y.Amount) - from.Where(y => y.Year == year).Sum(y => y.Amount)))
            .Where(y => y.Amount != 0).ToArray();
}
