using Microsoft.AspNetCore.Mvc;

namespace FundingPrograms.Proofs;

/// <summary>Replaces the receipts of a draft proof with a CSV list (body: text/csv; version as If-Match or ?version=).</summary>
public static class ImportReceiptsEndpoint
{
    public const long MaxBytes = 4 * 1024 * 1024;

    public static IReadOnlyList<object> Decide(Proof proof, int planLines, byte[] csv, DateTimeOffset now)
    {
        if (!proof.IsEditable)
            throw ProblemException.InvalidState($"The proof is {proof.State.ToString().ToLowerInvariant()}: after submission it is frozen.");
        var check = new Check();
        var receipts = ReceiptFiles.Parse(csv, planLines, check);
        if (receipts is null)
            throw ProblemException.Of(400, ProblemTypes.Validation, "The receipt list was not imported; see 'errors' (by line and column).",
                "The CSV file has errors.").WithErrors(check.Errors);
        return [EditProofEndpoint.Edited(proof, proof.Content with { Receipts = receipts }, now)];
    }

    [WithoutIdempotencyKey]
    [WolverinePost("/proofs/{id}/receipts", OperationId = "ImportReceipts"), Authorize(Roles = Roles.Applicant)]
    [RequestSizeLimit(MaxBytes)]
    [Tags("Proofs of use"), EndpointSummary("Import the list of receipts as CSV (UTF-8 or Windows-1252, ';' or ','), replacing the current list")]
    public static async Task<(Ok<CaseVersion>, Events)> Post(long? version, [WriteAggregate(Required = false)] Proof proof, IDocumentSession session,
        TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var type = http.Request.ContentType ?? "";
        if (!type.Contains("csv", StringComparison.OrdinalIgnoreCase) && !type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
            throw ProblemException.Of(415, ProblemTypes.UnsupportedMediaType, "Send the receipt list as text/csv.");
        var plan = await ProofAccess.Plan(session, await ProofAccess.Grant(session, proof.GrantId, ct), ct);
        var csv = await ProofAccess.ReadBody(http, MaxBytes, ct);
        return CaseVersion.After(proof, Decide(proof, plan.Length, csv, clock.GetUtcNow()), http);
    }
}

public static class ProblemExtensions
{
    public static ProblemException WithErrors(this ProblemException problem, IDictionary<string, string[]> errors)
    {
        problem.Problem.Extensions["errors"] = errors;
        return problem;
    }
}
