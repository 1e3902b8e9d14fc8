using System.Text.Json;
using FundingPrograms.Infrastructure;
using FundingPrograms.ReferenceData;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace FundingPrograms.Proofs;

/// <summary>Replaces the content of a draft (or returned) proof: report, numerical proof and receipts (as JSON).</summary>
public sealed record EditProof(ProofContentInput? Content, long? Version);

public static class EditProofEndpoint
{
    public static IReadOnlyList<object> Decide(Proof proof, int planLines, EditProof cmd, ReferenceCatalogue reference, DateTimeOffset now)
    {
        var check = new Check();
        var content = ProofRules.Parse(cmd.Content, planLines, reference, check);
        check.ThrowIfAny();
        return [Edited(proof, content, now)];
    }

    public static ProofEdited Edited(Proof proof, ProofContent content, DateTimeOffset now)
    {
        if (!proof.IsEditable)
            throw ProblemException.InvalidState($"The proof is {proof.State.ToString().ToLowerInvariant()}: after submission it is frozen.");
        var changed = new List<string>();
        static string J(object o) => JsonSerializer.Serialize(o);
        if (J(content.Report) != J(proof.Content.Report)) changed.Add("report");
        if (J(content.Numbers) != J(proof.Content.Numbers)) changed.Add("numbers");
        if (J(content.Receipts) != J(proof.Content.Receipts)) changed.Add("receipts");
        return new ProofEdited(proof.Id, content, changed.ToArray(), now);
    }

    [WolverinePut("/proofs/{id}", OperationId = "EditProof"), Authorize(Roles = Roles.Applicant)]
    [Tags("Proofs of use"), EndpointSummary("Edit a draft proof (or one returned for completion): report, numerical proof, receipts")]
    public static async Task<Ok<CaseVersion>> Put(Guid id, EditProof cmd, IDocumentSession session, ReferenceCatalogue reference, TimeProvider clock,
        HttpContext http, CancellationToken ct)
    {
        var visible = await ProofAccess.Visible(session, http, ct);
        var proof = await session.LoadAsync<Proof>(id, ct);
        if (proof is null || !visible(proof)) throw ProblemException.NotFound(ProofAccess.What);
        var plan = await ProofAccess.Plan(session, await ProofAccess.Grant(session, proof.GrantId, ct), ct);
        return await session.Decide<Proof>(http, id, cmd.Version, ProofAccess.What, p => Decide(p, plan.Length, cmd, reference, clock.GetUtcNow()), ct, visible);
    }
}
