using FundingPrograms.ReferenceData;

namespace FundingPrograms.Programmes;

/// <summary>Replaces the programme's definition. After publication a reason is required and shows in the history.</summary>
public sealed record ReviseProgramme(ProgrammeInput? Definition, string? Reason, long? Version) : IVersionedCommand;

public static class ReviseProgrammeEndpoint
{
    public static IReadOnlyList<object> Decide(Programme programme, ReviseProgramme cmd, ReferenceCatalogue reference, DateTimeOffset now)
    {
        if (programme.Status == ProgrammeStatus.Archived)
            throw ProblemException.InvalidState("An archived programme cannot be changed.");
        new Check()
            .That(cmd.Definition is not null, "definition", "The programme definition is required.")
            .That(programme.Status == ProgrammeStatus.Draft || !string.IsNullOrWhiteSpace(cmd.Reason), "reason",
                "A programme that has been published is changed only with a reason.")
            .That(cmd.Reason is null || cmd.Reason.Length <= 2000, "reason", "At most 2000 characters are allowed.")
            .ThrowIfAny();
        return [new ProgrammeRevised(programme.Id, cmd.Definition!.Validate(reference), cmd.Reason?.Trim(), now)];
    }

    [WolverinePut("/programmes/{id}", OperationId = "ReviseProgramme"), Authorize(Roles = Roles.Officers)]
    [Tags("Programmes"), EndpointSummary("Revise a programme's definition (with a reason once published)")]
    public static (Ok<CaseVersion>, Events) Put(ReviseProgramme cmd, [WriteAggregate(Required = false)] Programme programme, ReferenceCatalogue reference,
        TimeProvider clock, HttpContext http) =>
        CaseVersion.After(programme, Decide(programme, cmd, reference, clock.GetUtcNow()), http);
}
