using FundingPrograms.Applications;
using FundingPrograms.Grants;

namespace FundingPrograms.Proofs;

/// <summary>Completes the examination with the examination note (Prüfvermerk); records the recalculation, which for a final proof proposes the final amount.</summary>
public sealed record ExamineProof(string? Note, long? Version) : IVersionedCommand;

public static class ExamineProofEndpoint
{
    public static IReadOnlyList<object> Decide(Proof proof, Grant grant, CostItem[] plan, ExamineProof cmd, Actor officer, DateTimeOffset now)
    {
        new Check().Required(cmd.Note, "note", 20_000).ThrowIfAny();
        if (proof.State != ProofState.InExamination)
            throw ProblemException.InvalidState($"Start the examination first; the proof is {proof.State.ToString().ToLowerInvariant()}.");
        var unruled = proof.Sample.Where(no => proof.Rulings.All(r => r.Receipt != no)).ToArray();
        if (unruled.Length > 0)
            throw ProblemException.Rule($"The in-depth check needs a ruling on every sampled receipt; missing: {string.Join(", ", unruled)} (VV Nr. 11.2 zu § 44 LHO).",
                new Dictionary<string, string[]> { ["rulings"] = unruled.Select(n => $"Receipt {n} is in the sample and not ruled on.").ToArray() });
        var recalculation = ProofRules.Recalculate(grant.Notice, plan, proof.Content, proof.Rulings, grant.Paid);
        return [new ProofExamined(proof.Id, grant.Id, proof.Depth!.Value, cmd.Note!.Trim(), recalculation, officer.Id, officer.Name, now)];
    }

    [WolverinePost("/proofs/{id}/examine", OperationId = "ExamineProof"), Authorize(Roles = Roles.Officers)]
    [Tags("Proofs of use"), EndpointSummary("Complete the examination with a note; the recalculation proposes the final amount (officer)")]
    public static async Task<(Ok<CaseVersion>, Events)> Post(ExamineProof cmd, [WriteAggregate(Required = false)] Proof proof, IDocumentSession session,
        TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var grant = await ProofAccess.Grant(session, proof.GrantId, ct);
        var plan = await ProofAccess.Plan(session, grant, ct);
        return CaseVersion.After(proof, Decide(proof, grant, plan, cmd, Actor.From(http.User), clock.GetUtcNow()), http);
    }
}
