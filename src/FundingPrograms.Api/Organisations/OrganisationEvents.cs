namespace FundingPrograms.Organisations;

public sealed record Address(string Street, string PostalCode, string City);

/// <summary>Personal data: kept in this one shape so that it can be erased on request (see the audit issue).</summary>
public sealed record ContactPerson(string Name, string Role, string Email, string? Phone);

public sealed record BankAccount(string Iban, string? Bic, string HolderName);

public sealed record OrganisationProfile(
    string LegalName,
    string LegalForm,
    string? RegisterCourt,
    string? RegisterNumber,
    bool NonProfit,
    DateOnly? TaxOfficeNoticeDate,
    string OrganisationType,
    string District,
    Address Address);

public sealed record OrganisationRegistered(
    Guid OrganisationId,
    OrganisationProfile Profile,
    ProtectedContact[] ContactPersons,
    Guid BankAccountChangeId,
    BankAccount BankAccount,
    string EnteredBy,
    string? ApplicantUserId,
    DateTimeOffset RegisteredAt) : IDomainEvent;

public sealed record OrganisationVerified(
    Guid OrganisationId,
    bool MigrationBackgroundDocumented,
    bool NonProfitStatusChecked,
    string Evidence,
    DateTimeOffset VerifiedAt) : IDomainEvent;

public sealed record BankAccountChangeRequested(Guid OrganisationId, Guid ChangeId, BankAccount BankAccount, string EnteredBy, string? Reason, DateTimeOffset At) : IDomainEvent;

public sealed record BankAccountChangeConfirmed(Guid OrganisationId, Guid ChangeId, string ConfirmedBy, DateTimeOffset At) : IDomainEvent;

/// <summary>The language the organisation reads its notifications and reminders in (one of the public pages' languages; German by default).</summary>
public sealed record OrganisationLanguageChosen(Guid OrganisationId, string Language, string ChosenBy, DateTimeOffset At) : IDomainEvent;
