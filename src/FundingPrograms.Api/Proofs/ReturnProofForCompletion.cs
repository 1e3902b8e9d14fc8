using FundingPrograms.Notifications;
using Wolverine;

namespace FundingPrograms.Proofs;

public sealed record ReturnProofForCompletion(string[]? MissingItems, DateOnly? DueDate, string? Note, long? Version) : IVersionedCommand;

public static class ReturnProofForCompletionEndpoint
{
    public static IReadOnlyList<object> Decide(Proof proof, ReturnProofForCompletion cmd, Actor officer, DateTimeOffset now)
    {
        var today = BerlinTime.Today(now);
        new Check()
            .That(cmd.MissingItems is { Length: > 0 and <= 100 } && cmd.MissingItems.All(m => !string.IsNullOrWhiteSpace(m) && m.Length <= 500), "missingItems",
                "List what is missing (each item up to 500 characters).")
            .That(cmd.DueDate is not null && cmd.DueDate > today, "dueDate", "The due date must be after today.")
            .Date(cmd.DueDate, "dueDate")
            .That(cmd.Note is null || cmd.Note.Length <= 4000, "note", "At most 4000 characters are allowed.")
            .ThrowIfAny();
        if (proof.State is not (ProofState.Submitted or ProofState.InExamination))
            throw ProblemException.InvalidState($"Only a submitted proof or one in examination can be returned; this one is {proof.State.ToString().ToLowerInvariant()}.");
        return [new ProofReturnedForCompletion(proof.Id, cmd.MissingItems!.Select(m => m.Trim()).ToArray(), cmd.DueDate!.Value, cmd.Note?.Trim(), officer.Name, now)];
    }

    [WolverinePost("/proofs/{id}/return", OperationId = "ReturnProofForCompletion"), Authorize(Roles = Roles.Officers)]
    [Tags("Proofs of use"), EndpointSummary("Return a proof for completion with what is missing and a due date (officer); reminders follow")]
    public static async Task<(Ok<CaseVersion>, Events)> Post(ReturnProofForCompletion cmd, [WriteAggregate(Required = false)] Proof proof, IMessageBus bus,
        TimeProvider clock, IDocumentSession session, HttpContext http, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var answer = CaseVersion.After(proof, Decide(proof, cmd, Actor.From(http.User), now), http);
        var lang = await NotificationTexts.LanguageOf(session, proof.OrganisationId, ct);
        await bus.PublishAsync(new ApplicantNotification(Guid.CreateVersion7(), proof.OrganisationId, lang.N("proofReturned.subject", ("reference", proof.GrantReference)),
            lang.N("proofReturned.body", ("date", lang.Day(cmd.DueDate!.Value)), ("items", string.Join("; ", cmd.MissingItems!))), $"/proofs/{proof.Id}", now));
        return answer;
    }
}
