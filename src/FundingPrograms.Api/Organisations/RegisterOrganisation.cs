using System.Net.Mail;
using FundingPrograms.ReferenceData;

namespace FundingPrograms.Organisations;

public sealed record AddressInput(string? Street, string? PostalCode, string? City);
public sealed record ContactPersonInput(string? Name, string? Role, string? Email, string? Phone);
public sealed record BankAccountInput(string? Iban, string? Bic, string? HolderName);

/// <summary>Registration by the organisation itself (an applicant, who is then bound to it) or by an officer.</summary>
public sealed record RegisterOrganisation(
    string? LegalName,
    string? LegalForm,
    string? RegisterCourt,
    string? RegisterNumber,
    bool? NonProfit,
    DateOnly? TaxOfficeNoticeDate,
    string? OrganisationType,
    string? District,
    AddressInput? Address,
    ContactPersonInput[]? ContactPersons,
    BankAccountInput? BankAccount);

public static class OrganisationValidation
{
    public static BankAccount BankAccount(BankAccountInput? input, Check check, string field = "bankAccount")
    {
        string F(string name) => field.Length == 0 ? name : $"{field}.{name}";
        var ibanProblem = Iban.Problem(input?.Iban);
        if (ibanProblem is not null) check.Add(F("iban"), ibanProblem);
        check.Required(input?.HolderName, F("holderName"), 70)
            .That(input?.HolderName is null || Payments.Pain001.ToSepaCharacters(input.HolderName, 70).Length > 0, F("holderName"),
                "Write the account holder's name in Latin letters, exactly as the bank has it.")
            .That(input?.Bic is null || System.Text.RegularExpressions.Regex.IsMatch(input.Bic.Trim(), "^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$"),
                F("bic"), "A BIC has 8 or 11 characters, like COBADEFFXXX.");
        return check.HasErrors ? null! : new BankAccount(Iban.Normalize(input!.Iban!), input.Bic?.Trim(), input.HolderName!.Trim());
    }

    public static ContactPerson[] ContactPersons(ContactPersonInput[]? input, Check check)
    {
        if (input is not { Length: > 0 })
        {
            check.Add("contactPersons", "Name at least one contact person.");
            return [];
        }
        for (var i = 0; i < input.Length; i++)
        {
            var c = input[i];
            if (c is null)
            {
                check.Add($"contactPersons[{i}]", "An empty entry: remove it or fill it in.");
                continue;
            }
            check.Required(c.Name, $"contactPersons[{i}].name", 200)
                .Required(c.Role, $"contactPersons[{i}].role", 100)
                .Required(c.Email, $"contactPersons[{i}].email", 254)
                .That(c.Email is null || MailAddress.TryCreate(c.Email, out _), $"contactPersons[{i}].email", "This is not an email address.")
                .That(c.Phone is null || c.Phone.Length <= 40, $"contactPersons[{i}].phone", "At most 40 characters are allowed.");
        }
        return input.Where(c => c is not null).Select(c => new ContactPerson(c.Name?.Trim() ?? "", c.Role?.Trim() ?? "", c.Email?.Trim() ?? "", c.Phone?.Trim())).ToArray();
    }
}

public static class RegisterOrganisationEndpoint
{
    public static OrganisationRegistered Decide(Guid id, Guid changeId, RegisterOrganisation cmd, Actor actor, ReferenceCatalogue reference, DateTimeOffset now,
        Func<ContactPerson, ProtectedContact> protect)
    {
        var check = new Check()
            .Required(cmd.LegalName, "legalName", 300)
            .Required(cmd.LegalForm, "legalForm", 50)
            .That(cmd.NonProfit is not null, "nonProfit", "Say whether the organisation is recognised as non-profit (gemeinnützig).")
            .That(cmd.NonProfit != true || cmd.TaxOfficeNoticeDate is not null, "taxOfficeNoticeDate", "The date of the tax office notice is required for a non-profit organisation.")
            .Date(cmd.TaxOfficeNoticeDate, "taxOfficeNoticeDate")
            .That(cmd.TaxOfficeNoticeDate is null || cmd.TaxOfficeNoticeDate <= BerlinTime.Today(now), "taxOfficeNoticeDate", "The date cannot be in the future.")
            .That(cmd.OrganisationType is not null && reference.IsOrganisationType(cmd.OrganisationType), "organisationType", "Choose an organisation type from GET /reference-data.")
            .That(cmd.District is not null && reference.IsDistrict(cmd.District), "district", "Choose the district (Kreisschlüssel) from GET /reference-data, e.g. 05315 for Köln.")
            .That(cmd.RegisterCourt is null || cmd.RegisterCourt.Length <= 100, "registerCourt", "At most 100 characters are allowed.")
            .That(cmd.RegisterNumber is null || cmd.RegisterNumber.Length <= 50, "registerNumber", "At most 50 characters are allowed.")
            .Required(cmd.Address?.Street, "address.street", 200)
            .Required(cmd.Address?.City, "address.city", 100)
            .That(cmd.Address?.PostalCode is { } pc && System.Text.RegularExpressions.Regex.IsMatch(pc.Trim(), "^[0-9]{5}$"), "address.postalCode", "A German postal code has 5 digits.");
        var contacts = OrganisationValidation.ContactPersons(cmd.ContactPersons, check);
        var account = OrganisationValidation.BankAccount(cmd.BankAccount, check);
        check.ThrowIfAny();

        var profile = new OrganisationProfile(cmd.LegalName!.Trim(), cmd.LegalForm!.Trim(), cmd.RegisterCourt?.Trim(), cmd.RegisterNumber?.Trim(),
            cmd.NonProfit!.Value, cmd.TaxOfficeNoticeDate, cmd.OrganisationType!, cmd.District!,
            new Address(cmd.Address!.Street!.Trim(), cmd.Address.PostalCode!.Trim(), cmd.Address.City!.Trim()));
        return new OrganisationRegistered(id, profile, contacts.Select(protect).ToArray(), changeId, account, actor.Id, actor.IsApplicant ? actor.Id : null, now);
    }

    /// <summary>The new organisation, its version, and the bank-account change that a second person must confirm before any payment.</summary>
    public sealed record OrganisationCreated(Guid Id, long Version, Guid PendingBankAccountChangeId);

    [WolverinePost("/organisations", OperationId = "RegisterOrganisation"), Authorize(Roles = Roles.ApplicantsAndOfficers)]
    [Tags("Organisations"), EndpointSummary("Register an organisation (self-service by an applicant, or by an officer)")]
    public static async Task<Created<OrganisationCreated>> Post(RegisterOrganisation cmd, IDocumentSession session, ReferenceCatalogue reference,
        TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var actor = Actor.From(http.User);
        var id = CaseIds.New(http);
        var now = clock.GetUtcNow();
        var registered = Decide(id, Guid.CreateVersion7(), cmd, actor, reference, now, person =>
        {
            var (contact, key) = PersonalDataVault.Protect(person, now);
            session.Store(key);
            return contact;
        });
        if (actor.IsApplicant && await Access.ApplicantOrganisation(actor, session, ct) is { } own && await session.LoadAsync<Organisation>(own, ct) is not null)
            throw ProblemException.InvalidState("You already act for a registered organisation; an applicant account registers one organisation.");
        session.Events.StartStream<Organisation>(id, registered);
        http.Response.Headers.ETag = Versioning.ETag(1);
        return TypedResults.Created($"/organisations/{id}", new OrganisationCreated(id, 1, registered.BankAccountChangeId));
    }
}
