namespace FundingPrograms.Recovery;

public enum ClaimBasis
{
    Revocation, ProofOfUse, Manual,
    /// <summary>Interest only, under § 49a (4) VwVfG NRW: money drawn but not used within the drawdown horizon (ANBest-P Nr. 1.4).</summary>
    IdleMoneyInterest,
}

public enum WaiverKind
{
    /// <summary>Niederschlagung (§ 59 (1) Nr. 2 LHO NRW): collection is suspended, the claim remains and bears interest.</summary>
    Suspension,
    /// <summary>Erlass (§ 59 (1) Nr. 3 LHO NRW): what is owed on the day of the waiver is extinguished.</summary>
    Remission,
}

public enum ClaimState { Open, Suspended, Remitted }

public sealed record Instalment(DateOnly DueOn, decimal Amount);

public sealed record RecoveryClaimRaised(Guid ClaimId, string Reference, Guid GrantId, string GrantReference, Guid OrganisationId, string OrganisationName,
    Guid ProgrammeId, ClaimBasis Basis, string Reason, decimal Principal, decimal Costs, DateOnly IneffectiveFrom, InterestTranche[] Tranches, DateOnly DueOn,
    string[] DebtorIbans, string RaisedBy, string RaisedByName, DateTimeOffset At, decimal FixedInterest = 0m) : IDomainEvent;

public sealed record RecoveryPaymentReceived(Guid ClaimId, string Key, decimal Amount, DateOnly ArrivedOn, string Source, Guid? StatementId, string? EntryKey,
    string? DebtorIban, string? RemittanceText, DateTimeOffset At) : IDomainEvent;

public sealed record RecoveryClaimDeferred(Guid ClaimId, DateOnly PreviousDueOn, DateOnly NewDueOn, string Reason, string By, string ByName, DateTimeOffset At) : IDomainEvent;

public sealed record RecoveryInstalmentsAgreed(Guid ClaimId, Instalment[] Instalments, string Reason, string By, string ByName, DateTimeOffset At) : IDomainEvent;

public sealed record RecoveryWaiverProposed(Guid ClaimId, WaiverKind Kind, string Reason, string By, string ByName, DateTimeOffset At) : IDomainEvent;

public sealed record RecoveryWaiverApproved(Guid ClaimId, WaiverKind Kind, string Reason, DateOnly EffectiveOn, string ProposedBy, string By, string ByName,
    DateTimeOffset At) : IDomainEvent;

/// <summary>A reminder (Mahnung) was sent; <c>Statement</c> is what it stated to be owed (reminders sent before letters existed have none).</summary>
public sealed record RecoveryReminderSent(Guid ClaimId, int Level, DateOnly OverdueSince, decimal AmountDue, DateTimeOffset At, DunningStatement? Statement = null) : IDomainEvent;

public sealed record ReminderRecord(int Level, DateOnly OverdueSince, decimal AmountDue, DateTimeOffset At);

/// <summary>A recovery claim (Rückforderung), folded from its stream (inline snapshot).</summary>
public sealed partial class RecoveryClaim : ICase
{
    public static string What => "The recovery claim";
    Guid? ICase.OwnerOrganisation => OrganisationId;

    public Guid Id { get; set; }
    public long Version { get; set; }
    public string Reference { get; set; } = "";
    public Guid GrantId { get; set; }
    public string GrantReference { get; set; } = "";
    public Guid OrganisationId { get; set; }
    public string OrganisationName { get; set; } = "";
    public Guid ProgrammeId { get; set; }
    public ClaimBasis Basis { get; set; }
    public string Reason { get; set; } = "";
    public decimal Principal { get; set; }
    public decimal Costs { get; set; }
    /// <summary>Interest claimed as a fixed amount (§ 49a (4) VwVfG NRW, computed from the proof of use); it does not accrue further.</summary>
    public decimal FixedInterest { get; set; }
    public DateOnly IneffectiveFrom { get; set; }
    public List<InterestTranche> Tranches { get; set; } = [];
    public DateOnly DueOn { get; set; }
    public DateOnly OriginalDueOn { get; set; }
    public string[] DebtorIbans { get; set; } = [];
    public ClaimState State { get; set; }
    public string RaisedByName { get; set; } = "";
    public DateTimeOffset RaisedAt { get; set; }
    public List<RecoveryPaymentReceived> Receipts { get; set; } = [];
    public decimal Received { get; set; }
    public List<Instalment> Instalments { get; set; } = [];
    public List<RecoveryClaimDeferred> Deferrals { get; set; } = [];
    public RecoveryWaiverProposed? ProposedWaiver { get; set; }
    public RecoveryWaiverApproved? Waiver { get; set; }
    public List<ReminderRecord> Reminders { get; set; } = [];

    public static RecoveryClaim Create(RecoveryClaimRaised e) => new()
    {
        Id = e.ClaimId, Reference = e.Reference, GrantId = e.GrantId, GrantReference = e.GrantReference, OrganisationId = e.OrganisationId,
        OrganisationName = e.OrganisationName, ProgrammeId = e.ProgrammeId, Basis = e.Basis, Reason = e.Reason, Principal = e.Principal, Costs = e.Costs,
        IneffectiveFrom = e.IneffectiveFrom, Tranches = e.Tranches.ToList(), DueOn = e.DueOn, OriginalDueOn = e.DueOn, DebtorIbans = e.DebtorIbans,
        State = ClaimState.Open, RaisedByName = e.RaisedByName, RaisedAt = e.At, FixedInterest = e.FixedInterest,
    };

    public void Apply(RecoveryPaymentReceived e)
    {
        Receipts.Add(e);
        Received += e.Amount;
    }

    public void Apply(RecoveryClaimDeferred e)
    {
        Deferrals.Add(e);
        DueOn = e.NewDueOn;
    }

    public void Apply(RecoveryInstalmentsAgreed e) => Instalments = e.Instalments.ToList();

    public void Apply(RecoveryWaiverProposed e) => ProposedWaiver = e;

    public void Apply(RecoveryWaiverApproved e)
    {
        ProposedWaiver = null;
        Waiver = e;
        State = e.Kind == WaiverKind.Remission ? ClaimState.Remitted : ClaimState.Suspended;
    }

    public void Apply(RecoveryReminderSent e) => Reminders.Add(new ReminderRecord(e.Level, e.OverdueSince, e.AmountDue, e.At));

    /// <summary>A new Kassenzeichen: an ISO 11649 creditor reference from the per-year sequence (unique by construction, never from a clock or the id).</summary>
    public static Task<string> NextReference(IQuerySession session, DateTimeOffset raised, CancellationToken ct) =>
        References.Next(session, ReferenceKind.Kassenzeichen, raised, ct);

    /// <summary>The claim's account up to a day (§ 49a (3) interest, § 367 allocation); throws MissingBaseRateException when a rate is missing.</summary>
    public InterestCalculation Account(DateOnly until, BaseRateTable rates, IEnumerable<RecoveryPaymentReceived>? more = null) =>
        InterestCalculator.Calculate(Tranches, Receipts.Concat(more ?? []).Select(r => new ClaimReceipt(r.Key, r.ArrivedOn, r.Amount)).ToList(), Costs, until, rates,
            Waiver?.Kind == WaiverKind.Remission ? Waiver.EffectiveOn : null, FixedInterest);

    /// <summary>The debt whose non-payment makes the claim overdue: principal, costs and a fixed (§ 49a (4)) interest amount, not the running § 49a (3) interest.</summary>
    public decimal Debt => Principal + Costs + FixedInterest;

    /// <summary>
    /// The day the claim is overdue from: the day after the earliest due date not covered by what was received (instalments in
    /// order, else the due date; the due date itself is still in time, § 271 BGB), or null when nothing is overdue on
    /// <paramref name="today"/>. Whether it is overdue depends on the debt (<see cref="Debt"/>), never on the running interest,
    /// so it does not change when a base rate is entered.
    /// </summary>
    public DateOnly? OverdueSince(DateOnly today)
    {
        if (State != ClaimState.Open || Received >= Debt) return null;
        if (Instalments.Count == 0) return today > DueOn ? DueOn.AddDays(1) : null;
        var cumulative = 0m;
        foreach (var i in Instalments.OrderBy(i => i.DueOn))
        {
            cumulative += i.Amount;
            if (i.DueOn >= today) return null;
            if (Received < cumulative) return i.DueOn.AddDays(1);
        }
        var last = Instalments.Max(i => i.DueOn);
        return today > last ? last.AddDays(1) : null;
    }
}
