using FundingPrograms.Applications;
using FundingPrograms.Grants;
using FundingPrograms.ReferenceData;

namespace FundingPrograms.Proofs;

/// <summary>Starts a proof of use for the organisation's own grant: the final proof, or an interim proof for a budget year.</summary>
public sealed record DraftProof(string? Kind, int? BudgetYear, ProofContentInput? Content);

public static class DraftProofEndpoint
{
    public static ProofDrafted Decide(Grant grant, CostItem[] plan, Guid proofId, DraftProof cmd, ReferenceCatalogue reference, DateTimeOffset now)
    {
        var check = new Check();
        if (!Enums.TryParseName<ProofKind>(cmd.Kind, out var kind)) check.Add("kind", "Use 'interim' or 'final'.");
        check.That(kind != ProofKind.Interim || cmd.BudgetYear is not null, "budgetYear", "An interim proof is for a budget year of the grant.")
            .That(cmd.BudgetYear is null || grant.Notice.YearSplit.Any(y => y.Year == cmd.BudgetYear), "budgetYear",
                $"The grant has the budget years {string.Join(", ", grant.Notice.YearSplit.Select(y => y.Year))}.")
            .That(kind != ProofKind.Final || cmd.BudgetYear is null, "budgetYear", "The final proof covers the whole funding period; leave out the budget year.");
        var content = ProofRules.Parse(cmd.Content, plan.Length, reference, check);
        check.ThrowIfAny();
        if (grant.State == GrantState.Closed) throw ProblemException.InvalidState("The grant is closed.");
        return new ProofDrafted(proofId, grant.Id, grant.OrganisationId, grant.ProgrammeId, grant.Notice.Reference, kind, cmd.BudgetYear, content, now);
    }

    /// <summary>One final proof per grant and one interim proof per budget year: the stream id says which, so a second one collides.</summary>
    public static Guid IdFor(Guid grantId, ProofKind kind, int? year) =>
        Payments.StatementMatching.DeterministicGuid(kind == ProofKind.Final ? $"final-proof|{grantId}" : $"interim-proof|{grantId}|{year}");

    [WithoutIdempotencyKey]
    [WolverinePost("/grants/{id}/proofs", OperationId = "DraftProof"), Authorize(Roles = Roles.Applicant)]
    [Tags("Proofs of use"), EndpointSummary("Start a proof of use (interim for a budget year, or final) for the own organisation's grant, as a draft")]
    public static async Task<Created<CaseVersion>> Post(Guid id, DraftProof cmd, IDocumentSession session, ReferenceCatalogue reference, TimeProvider clock,
        HttpContext http, CancellationToken ct)
    {
        var grant = await GrantAccess.Load(session, id, http, ct);
        var plan = await ProofAccess.Plan(session, grant, ct);
        var kind = Enums.TryParseName<ProofKind>(cmd.Kind, out var k) ? k : ProofKind.Final;
        var proofId = IdFor(grant.Id, kind, cmd.BudgetYear);
        var drafted = Decide(grant, plan, proofId, cmd, reference, clock.GetUtcNow());
        if (await session.Events.FetchStreamStateAsync(proofId, ct) is not null)
            throw ProblemException.InvalidState(kind == ProofKind.Final
                ? $"The grant already has its final proof: /proofs/{proofId}."
                : $"The grant already has an interim proof for {cmd.BudgetYear}: /proofs/{proofId}.");
        session.Events.StartStream<Proof>(proofId, drafted);
        return TypedResults.Created($"/proofs/{proofId}", new CaseVersion(proofId, 1).WithETag(http));
    }
}
