namespace FundingPrograms.Proofs;

/// <summary>Starts the examination: simple (Kurzprüfung) or in-depth (vertiefte Prüfung, with a sample of receipts; default 10 %, at least 5).</summary>
public sealed record StartExamination(string? Depth, int? SampleSize, long? Version) : IVersionedCommand;

public static class StartExaminationEndpoint
{
    public static IReadOnlyList<object> Decide(Proof proof, StartExamination cmd, Actor officer, DateTimeOffset now)
    {
        var check = new Check();
        if (!Enums.TryParseName<ExaminationDepth>(cmd.Depth, out var depth)) check.Add("depth", "Use 'simple' or 'inDepth'.");
        check.That(cmd.SampleSize is null or >= 1 and <= ProofRules.MaxReceipts, "sampleSize", "Between 1 and the number of receipts.")
            .That(cmd.SampleSize is null || depth == ExaminationDepth.InDepth, "sampleSize", "Only an in-depth check draws a sample.")
            .ThrowIfAny();
        if (proof.State != ProofState.Submitted)
            throw ProblemException.InvalidState($"Only a submitted proof can be examined; this one is {proof.State.ToString().ToLowerInvariant()}.");
        var (sample, seed) = depth == ExaminationDepth.InDepth ? ProofRules.Sample(proof.Id, proof.Content.Receipts.Length, cmd.SampleSize) : ([], 0);
        return [new ProofExaminationStarted(proof.Id, depth, sample, seed, officer.Id, officer.Name, now)];
    }

    [WolverinePost("/proofs/{id}/examination", OperationId = "StartProofExamination"), Authorize(Roles = Roles.Officers)]
    [Tags("Proofs of use"), EndpointSummary("Start examining a submitted proof: simple, or in-depth with a reproducible sample of receipts (officer)")]
    public static (Ok<CaseVersion>, Events) Post(StartExamination cmd, [WriteAggregate(Required = false)] Proof proof, TimeProvider clock, HttpContext http) =>
        CaseVersion.After(proof, Decide(proof, cmd, Actor.From(http.User), clock.GetUtcNow()), http);
}
