using FundingPrograms.Organisations;
using FundingPrograms.Programmes;

namespace FundingPrograms.Applications;

public sealed record ScoreInput(string? Criterion, decimal? Score);

/// <summary>A score (0–100) for each of the programme's criteria, and a recommendation: approve with an amount, or reject with reasons.</summary>
public sealed record AssessApplication(ScoreInput[]? Scores, string? Recommendation, decimal? RecommendedAmount, string? Reasons, long? Version) : IVersionedCommand;

public static class AssessApplicationEndpoint
{
    public static IReadOnlyList<object> Decide(Application application, Programme programme, Organisation organisation, AssessApplication cmd, Actor assessor, DateTimeOffset now)
    {
        var criteria = programme.Definition.AssessmentCriteria;
        var scores = (cmd.Scores ?? []).Select(s => s ?? new ScoreInput(null, null)).ToArray();
        var check = new Check();
        foreach (var criterion in criteria)
            check.That(scores.Count(s => s.Criterion == criterion.Key) == 1, $"scores.{criterion.Key}", $"Score '{criterion.Name}' once.");
        for (var i = 0; i < scores.Length; i++)
        {
            check.That(criteria.Any(c => c.Key == scores[i].Criterion), $"scores[{i}].criterion", $"'{scores[i].Criterion}' is not a criterion of this programme.")
                .That(scores[i].Score is >= 0 and <= 100, $"scores[{i}].score", "A score is between 0 and 100.");
        }
        Recommendation? recommendation = cmd.Recommendation?.ToLowerInvariant() switch
        {
            "approve" => Applications.Recommendation.Approve,
            "reject" => Applications.Recommendation.Reject,
            _ => null,
        };
        check.That(recommendation is not null, "recommendation", "Recommend 'approve' or 'reject'.")
            .That(cmd.Reasons is null || cmd.Reasons.Length <= 4000, "reasons", "At most 4000 characters are allowed.");
        if (recommendation == Applications.Recommendation.Approve)
            check.Money(cmd.RecommendedAmount, "recommendedAmount", allowZero: false)
                .That(cmd.RecommendedAmount is null || cmd.RecommendedAmount <= application.Content.RequestedAmount, "recommendedAmount",
                    "The recommended amount cannot exceed the requested amount.");
        if (recommendation == Applications.Recommendation.Reject) check.Required(cmd.Reasons, "reasons", 4000);
        check.ThrowIfAny();

        if (application.State != ApplicationState.FormallyChecked)
            throw ProblemException.InvalidState("Only a formally checked application can be assessed.");
        if (!organisation.Verified)
            throw ProblemException.Rule("The applicant organisation is not verified yet; verify it before assessing its applications.");

        var weighted = criteria.Sum(c => c.Weight);
        var total = weighted == 0 ? 0 : decimal.Round(criteria.Sum(c => scores.First(s => s.Criterion == c.Key).Score!.Value * c.Weight) / weighted, 2);
        return [new ApplicationAssessed(application.Id,
            criteria.Select(c => new CriterionScore(c.Key, scores.First(s => s.Criterion == c.Key).Score!.Value, c.Weight)).ToArray(),
            total, recommendation!.Value, recommendation == Applications.Recommendation.Approve ? cmd.RecommendedAmount : null, cmd.Reasons?.Trim(),
            assessor.Id, assessor.Name, now)];
    }

    [WolverinePost("/applications/{id}/assess", OperationId = "AssessApplication"), Authorize(Roles = Roles.Officers)]
    [Tags("Assessment"), EndpointSummary("Assess a formally checked application: scores per criterion and a recommendation (officer)")]
    public static async Task<(Ok<CaseVersion>, Events)> Post(AssessApplication cmd, [WriteAggregate(Required = false)] Application application,
        IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var programme = await session.LoadAsync<Programme>(application.ProgrammeId, ct) ?? throw ProblemException.NotFound("The programme");
        var organisation = await session.LoadAsync<Organisation>(application.OrganisationId, ct) ?? throw ProblemException.NotFound("The organisation");
        return CaseVersion.After(application, Decide(application, programme, organisation, cmd, Actor.From(http.User), clock.GetUtcNow()), http);
    }
}
