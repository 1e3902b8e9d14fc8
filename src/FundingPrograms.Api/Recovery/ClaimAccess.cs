namespace FundingPrograms.Recovery;

public static class ClaimAccess
{
    /// <summary>The claim, or 404 (also for another organisation's claim asked by an applicant).</summary>
    public static async Task<RecoveryClaim> Load(IQuerySession session, Guid id, HttpContext http, CancellationToken ct)
    {
        var own = await Access.ApplicantOrganisation(Actor.From(http.User), session, ct);
        var claim = await session.LoadAsync<RecoveryClaim>(id, ct);
        if (claim is null || (own is not null && claim.OrganisationId != own)) throw ProblemException.NotFound("The recovery claim");
        return claim;
    }

    public static void EnsureOpen(RecoveryClaim claim)
    {
        if (claim.State != ClaimState.Open)
            throw ProblemException.InvalidState($"The claim is {claim.State.ToString().ToLowerInvariant()}.");
    }
}
