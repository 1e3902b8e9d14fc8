using Marten.Pagination;

namespace FundingPrograms.Organisations;

public sealed record BankAccountView(Guid ChangeId, string Iban, string? Bic, string HolderName, BankAccountStatus Status, DateTimeOffset EnteredAt, DateTimeOffset? ConfirmedAt);

public sealed record ContactView(Guid SubjectId, string Name, string Role, string Email, string? Phone, bool Erased);

public sealed record OrganisationView(
    Guid Id,
    long Version,
    OrganisationProfile Profile,
    IReadOnlyList<ContactView> ContactPersons,
    bool Verified,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? VerifiedAt,
    BankAccountView? ConfirmedBankAccount,
    IReadOnlyList<BankAccountView> BankAccounts,
    string Language)
{
    private static BankAccountView View(BankAccountRecord b) =>
        new(b.ChangeId, b.Account.Iban, b.Account.Bic, b.Account.HolderName, b.Status, b.EnteredAt, b.ConfirmedAt);

    public static async Task<OrganisationView> Of(Organisation o, IQuerySession session, CancellationToken ct)
    {
        var people = await PersonalDataVault.RevealAll(session, o.ContactPersons, ct);
        var contacts = o.ContactPersons.Zip(people, (c, p) =>
            new ContactView(c.SubjectId, p.Name, p.Role, p.Email, p.Phone, ReferenceEquals(p, PersonalDataVault.Erased))).ToList();
        return new OrganisationView(o.Id, o.Version, o.Profile, contacts, o.Verified, o.RegisteredAt, o.VerifiedAt,
            o.ConfirmedAccount is { } c ? View(c) : null, o.BankAccounts.Select(View).ToList(), o.Language);
    }
}

public static class GetOrganisationEndpoint
{
    [WolverineGet("/organisations/{id}", OperationId = "GetOrganisation"), Authorize(Roles = Roles.Any)]
    [Tags("Organisations"), EndpointSummary("An organisation with its bank accounts (applicants: only their own)")]
    public static async Task<OrganisationView> Get(Guid id, long? version, DateTimeOffset? asOf, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        await Access.EnsureMayAccess(Actor.From(http.User), session, id, "The organisation", ct);
        var o = await session.LoadAsync<Organisation>(id, ct) ?? throw ProblemException.NotFound("The organisation");
        o = await TimeTravel.AsOf<Organisation>(session, http, id, version, asOf, "The organisation", ct) ?? o;
        http.Response.Headers.ETag = Versioning.ETag(o.Version);
        return await OrganisationView.Of(o, session, ct);
    }
}

public static class GetMyOrganisationEndpoint
{
    [WolverineGet("/me/organisation", OperationId = "GetMyOrganisation"), Authorize(Roles = Roles.Applicant)]
    [Tags("Organisations"), EndpointSummary("The organisation the signed-in applicant acts for")]
    public static async Task<OrganisationView> Get(IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var own = await Access.ApplicantOrganisation(Actor.From(http.User), session, ct);
        var o = own is { } id ? await session.LoadAsync<Organisation>(id, ct) : null;
        if (o is null) throw ProblemException.NotFound("Your organisation");
        http.Response.Headers.ETag = Versioning.ETag(o.Version);
        return await OrganisationView.Of(o, session, ct);
    }
}

public sealed record OrganisationListItem(Guid Id, string LegalName, string OrganisationType, string District, bool Verified, bool HasPendingBankAccount, DateTimeOffset RegisteredAt);

public static class ListOrganisationsEndpoint
{
    [WolverineGet("/organisations", OperationId = "ListOrganisations"), Authorize(Roles = Roles.Staff)]
    [Tags("Organisations"), EndpointSummary("Organisations, filterable by type, district and verification, newest first")]
    public static async Task<Page<OrganisationListItem>> Get(string? organisationType, string? district, bool? verified, int? page, int? pageSize,
        IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var check = new Check().Bound(http, "verified", verified);
        var (number, size) = Page<OrganisationListItem>.Normalize(http, page, pageSize, check);
        check.ThrowIfAny();
        var query = session.Query<Organisation>().AsQueryable();
        if (organisationType is not null) query = query.Where(o => o.Profile.OrganisationType == organisationType);
        if (district is not null) query = query.Where(o => o.Profile.District == district);
        if (verified is { } v) query = query.Where(o => o.Verified == v);
        var found = await query.OrderByDescending(o => o.RegisteredAt).ToPagedListAsync(number, size, ct);
        return new Page<OrganisationListItem>(found.Select(o => new OrganisationListItem(o.Id, o.Profile.LegalName, o.Profile.OrganisationType,
            o.Profile.District, o.Verified, o.BankAccounts.Any(b => b.Status == BankAccountStatus.Pending), o.RegisteredAt)).ToList(),
            number, size, found.TotalItemCount);
    }
}

public static class GetOrganisationHistoryEndpoint
{
    [WolverineGet("/organisations/{id}/history", OperationId = "GetOrganisationHistory"), Authorize(Roles = Roles.Any)]
    [Tags("Organisations"), EndpointSummary("Every change of an organisation: who, when, what, why")]
    public static async Task<IReadOnlyList<HistoryEntry>> Get(Guid id, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        await Access.EnsureMayAccess(Actor.From(http.User), session, id, "The organisation", ct);
        return await CaseHistory.Of(session, id, "The organisation", ct);
    }
}
