using FundingPrograms.Applications;
using FundingPrograms.Grants;

namespace FundingPrograms.Proofs;

/// <summary>An applicant sees only its own organisation's proofs (another organisation's is 404, as if it did not exist).</summary>
public static class ProofAccess
{
    public const string What = "The proof";

    public static async Task<Proof> Load(IQuerySession session, Guid id, HttpContext http, CancellationToken ct)
    {
        var proof = await session.LoadAsync<Proof>(id, ct) ?? throw ProblemException.NotFound(What);
        await Access.EnsureMayAccess(Actor.From(http.User), session, proof.OrganisationId, What, ct);
        return proof;
    }

    /// <summary>The financing plan the grant was approved on: its cost items are the plan lines 1..n.</summary>
    public static async Task<CostItem[]> Plan(IQuerySession session, Grant grant, CancellationToken ct) =>
        (await session.LoadAsync<Application>(grant.ApplicationId, ct))?.Content.CostItems ?? [];

    public static async Task<Grant> Grant(IQuerySession session, Guid grantId, CancellationToken ct) =>
        await session.LoadAsync<Grant>(grantId, ct) ?? throw ProblemException.NotFound("The grant");

    /// <summary>Reads the request body asynchronously (Kestrel forbids synchronous reads), refusing more than <paramref name="limit"/> bytes with 413.</summary>
    public static async Task<byte[]> ReadBody(HttpContext http, long limit, CancellationToken ct)
    {
        await using var buffer = await Uploads.Read(http, limit, ct);
        if (buffer.Length == 0) throw ProblemException.Validation(new Dictionary<string, string[]> { ["body"] = ["The body is empty: send the file."] });
        return buffer.ToArray();
    }
}
