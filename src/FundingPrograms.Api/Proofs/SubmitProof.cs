using FundingPrograms.Applications;
using FundingPrograms.Grants;
using FundingPrograms.Notifications;
using Wolverine;

namespace FundingPrograms.Proofs;

public sealed record SubmitProof(long? Version) : IVersionedCommand;

public static class SubmitProofEndpoint
{
    /// <summary>
    /// Submission freezes the proof. Refused (422, naming the receipts and lines) while it is incomplete, a receipt lies
    /// outside the period, or a line's receipts do not add up to the numerical proof (ANBest-P Nr. 6); duplicates are only flagged.
    /// </summary>
    public static IReadOnlyList<object> Decide(Proof proof, Grant grant, CostItem[] plan, DateTimeOffset now)
    {
        if (!proof.IsEditable)
            throw ProblemException.InvalidState($"The proof is {proof.State.ToString().ToLowerInvariant()}; only a draft or a returned proof can be submitted.");
        if (grant.State == GrantState.Closed) throw ProblemException.InvalidState("The grant is closed.");
        var check = ProofRules.Completeness(proof.Content, proof.Kind);
        var findings = ProofRules.Findings(proof.Content, grant.Notice, proof.Kind, proof.BudgetYear, plan, grant.Paid);
        foreach (var f in findings.Where(f => f.Blocking)) check.Add(f.Field, f.Message);
        check.ThrowAsRuleIfAny("The proof cannot be submitted yet (ANBest-P Nr. 6): see 'errors'.");
        var resubmission = proof.SubmittedAt is not null;
        var events = new List<object>
        {
            new ProofSubmitted(proof.Id, grant.Id, proof.Kind, proof.Content.Numbers.TotalCosts, proof.Content.Receipts.Length,
                findings.Select(f => f.Message).ToArray(), resubmission, now),
        };
        return events;
    }

    [WolverinePost("/proofs/{id}/submit", OperationId = "SubmitProof"), Authorize(Roles = Roles.Applicant)]
    [Tags("Proofs of use"), EndpointSummary("Submit a proof of use; it is frozen from then on")]
    public static async Task<(Ok<CaseVersion>, Events)> Post(SubmitProof cmd, [WriteAggregate(Required = false)] Proof proof, IDocumentSession session,
        IMessageBus bus, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var grantStream = await session.Events.FetchForExclusiveWriting<Grant>(proof.GrantId, ct);
        var grant = grantStream.Aggregate ?? throw ProblemException.NotFound("The grant");
        var plan = await ProofAccess.Plan(session, grant, ct);
        var now = clock.GetUtcNow();
        var events = Decide(proof, grant, plan, now);
        if (proof.Kind == ProofKind.Final)
            grantStream.AppendOne(new FinalProofSubmitted(grant.Id, proof.Id, proof.Content.Numbers.TotalCosts, now));
        var lang = await NotificationTexts.LanguageOf(session, proof.OrganisationId, ct);
        await bus.PublishAsync(new ApplicantNotification(Guid.CreateVersion7(), proof.OrganisationId,
            lang.N("proofReceived.subject", ("kind", lang.N(proof.Kind == ProofKind.Final ? "proofKind.final" : "proofKind.interim")), ("reference", grant.Notice.Reference)),
            lang.N("proofReceived.body"), $"/proofs/{proof.Id}", now));
        return CaseVersion.After(proof, events, http);
    }
}
