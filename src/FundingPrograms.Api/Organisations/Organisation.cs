namespace FundingPrograms.Organisations;

public enum BankAccountStatus { Pending, Confirmed, Superseded }

public sealed class BankAccountRecord
{
    public Guid ChangeId { get; set; }
    public BankAccount Account { get; set; } = null!;
    public BankAccountStatus Status { get; set; }
    public string EnteredBy { get; set; } = "";
    public DateTimeOffset EnteredAt { get; set; }
    public string? ConfirmedBy { get; set; }
    public DateTimeOffset? ConfirmedAt { get; set; }
}

/// <summary>An applicant organisation, folded from its stream (inline snapshot).</summary>
public sealed partial class Organisation : ICase
{
    public static string What => "The organisation";
    Guid? ICase.OwnerOrganisation => Id;

    public Guid Id { get; set; }
    public long Version { get; set; }
    public OrganisationProfile Profile { get; set; } = null!;
    /// <summary>Encrypted, one key per person (see PersonalDataVault).</summary>
    public ProtectedContact[] ContactPersons { get; set; } = [];
    public List<Guid> ErasedSubjects { get; set; } = [];
    public bool Verified { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
    public DateTimeOffset? VerifiedAt { get; set; }
    /// <summary>Users bound to this organisation by self-registration (the token's org claim binds others).</summary>
    public List<string> ApplicantUserIds { get; set; } = [];
    /// <summary>Every account ever entered, newest last.</summary>
    public List<BankAccountRecord> BankAccounts { get; set; } = [];

    /// <summary>The account payments go to: the newest confirmed one.</summary>
    public BankAccountRecord? ConfirmedAccount => BankAccounts.LastOrDefault(b => b.Status == BankAccountStatus.Confirmed);

    public static Organisation Create(OrganisationRegistered e)
    {
        var o = new Organisation
        {
            Id = e.OrganisationId, Profile = e.Profile, ContactPersons = e.ContactPersons, RegisteredAt = e.RegisteredAt,
        };
        if (e.ApplicantUserId is not null) o.ApplicantUserIds.Add(e.ApplicantUserId);
        o.BankAccounts.Add(new BankAccountRecord
        {
            ChangeId = e.BankAccountChangeId, Account = e.BankAccount, Status = BankAccountStatus.Pending, EnteredBy = e.EnteredBy, EnteredAt = e.RegisteredAt,
        });
        return o;
    }

    /// <summary>The language of its notifications and reminders (see OrganisationLanguageChosen).</summary>
    public string Language { get; set; } = "de";

    public void Apply(OrganisationLanguageChosen e) => Language = e.Language;

    public void Apply(PersonalDataErased e) => ErasedSubjects.AddRange(e.SubjectIds.Except(ErasedSubjects));

    public void Apply(OrganisationVerified e)
    {
        Verified = true;
        VerifiedAt = e.VerifiedAt;
    }

    public void Apply(BankAccountChangeRequested e) => BankAccounts.Add(new BankAccountRecord
    {
        ChangeId = e.ChangeId, Account = e.BankAccount, Status = BankAccountStatus.Pending, EnteredBy = e.EnteredBy, EnteredAt = e.At,
    });

    public void Apply(BankAccountChangeConfirmed e)
    {
        foreach (var b in BankAccounts.Where(b => b.Status == BankAccountStatus.Confirmed)) b.Status = BankAccountStatus.Superseded;
        var record = BankAccounts.First(b => b.ChangeId == e.ChangeId);
        record.Status = BankAccountStatus.Confirmed;
        record.ConfirmedBy = e.ConfirmedBy;
        record.ConfirmedAt = e.At;
    }
}
