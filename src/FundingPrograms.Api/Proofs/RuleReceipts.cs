namespace FundingPrograms.Proofs;

public sealed record RulingInput(int? Receipt, string? Ruling, decimal? RecognisedAmount, string? Reason);

/// <summary>Rulings on receipts (by position): recognised, partly (with the recognised amount) or not recognised — with a reason unless recognised.</summary>
public sealed record RuleReceipts(RulingInput[]? Rulings, long? Version) : IVersionedCommand;

public static class RuleReceiptsEndpoint
{
    public static IReadOnlyList<object> Decide(Proof proof, RuleReceipts cmd, Actor officer, DateTimeOffset now)
    {
        var rulings = (cmd.Rulings ?? []).Select(r => r ?? new RulingInput(null, null, null, null)).ToArray();
        var check = new Check().That(rulings.Length is > 0 and <= ProofRules.MaxReceipts, "rulings", "Rule on at least one receipt.");
        var records = new List<RulingRecord>();
        for (var i = 0; i < rulings.Length; i++)
        {
            var r = rulings[i];
            var receipt = proof.Content.Receipts.FirstOrDefault(x => x.No == r.Receipt);
            check.That(receipt is not null, $"rulings[{i}].receipt", $"A receipt of this proof by its position (1–{proof.Content.Receipts.Length}).");
            if (!Enums.TryParseName<ReceiptRuling>(r.Ruling, out var ruling))
            {
                check.Add($"rulings[{i}].ruling", "Use 'recognised', 'partly' or 'notRecognised'.");
                continue;
            }
            check.That(ruling == ReceiptRuling.Recognised || !string.IsNullOrWhiteSpace(r.Reason), $"rulings[{i}].reason", "Give the reason for the cut.")
                .That(r.Reason is null || r.Reason.Length <= 2000, $"rulings[{i}].reason", "At most 2000 characters are allowed.");
            if (ruling == ReceiptRuling.Partly)
                check.Money(r.RecognisedAmount, $"rulings[{i}].recognisedAmount")
                    .That(receipt is null || r.RecognisedAmount is null || r.RecognisedAmount < receipt.Amount, $"rulings[{i}].recognisedAmount",
                        $"Partly recognised means less than the receipt's {receipt?.Amount:0.00} EUR.");
            else check.That(r.RecognisedAmount is null, $"rulings[{i}].recognisedAmount", "Only a partly recognised receipt has a recognised amount.");
            if (receipt is null || check.HasErrors) continue;
            var amount = ruling switch { ReceiptRuling.Recognised => receipt.Amount, ReceiptRuling.Partly => r.RecognisedAmount!.Value, _ => 0m };
            records.Add(new RulingRecord(receipt.No, ruling, amount, r.Reason?.Trim(), officer.Name));
        }
        check.That(rulings.Select(r => r.Receipt).Distinct().Count() == rulings.Length, "rulings", "Each receipt once.");
        check.ThrowIfAny();
        if (proof.State != ProofState.InExamination)
            throw ProblemException.InvalidState($"Receipts are ruled on during the examination; the proof is {proof.State.ToString().ToLowerInvariant()}.");
        return [new ProofReceiptsRuled(proof.Id, records.ToArray(), now)];
    }

    [WolverinePost("/proofs/{id}/rulings", OperationId = "RuleProofReceipts"), Authorize(Roles = Roles.Officers)]
    [Tags("Proofs of use"), EndpointSummary("Rule on receipts: recognised, partly or not recognised, with reasons (officer)")]
    public static (Ok<CaseVersion>, Events) Post(RuleReceipts cmd, [WriteAggregate(Required = false)] Proof proof, TimeProvider clock, HttpContext http) =>
        CaseVersion.After(proof, Decide(proof, cmd, Actor.From(http.User), clock.GetUtcNow()), http);
}
