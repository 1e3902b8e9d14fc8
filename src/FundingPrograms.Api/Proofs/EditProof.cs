using System.Text.Json;
using FundingPrograms.ReferenceData;

namespace FundingPrograms.Proofs;

/// <summary>Replaces the content of a draft (or returned) proof: report, numerical proof and receipts (as JSON).</summary>
public sealed record EditProof(ProofContentInput? Content, long? Version) : IVersionedCommand;

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
    public static async Task<(Ok<CaseVersion>, Events)> Put(EditProof cmd, [WriteAggregate(Required = false)] Proof proof, IDocumentSession session,
        ReferenceCatalogue reference, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var plan = await ProofAccess.Plan(session, await ProofAccess.Grant(session, proof.GrantId, ct), ct);
        return CaseVersion.After(proof, Decide(proof, plan.Length, cmd, reference, clock.GetUtcNow()), http);
    }
}
