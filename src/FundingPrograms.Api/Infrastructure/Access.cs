using FundingPrograms.Organisations;

namespace FundingPrograms.Infrastructure;

/// <summary>
/// Isolation of applicant organisations: an applicant acts only for its own organisation, and anything of another
/// organisation answers 404, exactly as if it did not exist.
/// </summary>
public static class Access
{
    /// <summary>The organisation an applicant acts for: the token's org claim, else their self-registration. Null for staff.</summary>
    public static async Task<Guid?> ApplicantOrganisation(Actor actor, IQuerySession session, CancellationToken ct)
    {
        if (!actor.IsApplicant) return null;
        if (actor.OrganisationId is { } org) return org;
        var bound = await session.Query<Organisation>().Where(o => o.ApplicantUserIds.Contains(actor.Id)).Select(o => o.Id).ToListAsync(ct);
        return bound.Count > 0 ? bound[0] : Guid.Empty; // Guid.Empty: an applicant bound to nothing sees nothing
    }

    /// <summary>Throws 404 when an applicant asks for another organisation's data.</summary>
    public static async Task EnsureMayAccess(Actor actor, IQuerySession session, Guid organisationId, string what, CancellationToken ct)
    {
        var own = await ApplicantOrganisation(actor, session, ct);
        if (own is not null && own != organisationId) throw ProblemException.NotFound(what);
    }
}
