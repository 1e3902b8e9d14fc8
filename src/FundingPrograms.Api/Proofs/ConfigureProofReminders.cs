using FundingPrograms.Programmes;

namespace FundingPrograms.Proofs;

/// <summary>The programme's reminder timing for proof deadlines: days before the due date, and days after a missed one.</summary>
public sealed record ConfigureProofReminders(int[]? DaysBefore, int? DaysAfter, long? Version);

public static class ConfigureProofRemindersEndpoint
{
    public static ProofRemindersConfigured Decide(Guid programmeId, ConfigureProofReminders cmd, Actor officer, DateTimeOffset now)
    {
        new Check()
            .That(cmd.DaysBefore is { Length: <= 5 } && cmd.DaysBefore.All(d => d is >= 1 and <= 180), "daysBefore", "Up to 5 reminders, each 1–180 days before.")
            .That(cmd.DaysBefore is null || cmd.DaysBefore.Distinct().Count() == cmd.DaysBefore.Length, "daysBefore", "Each day once.")
            .That(cmd.DaysAfter is >= 1 and <= 60, "daysAfter", "1–60 days after the missed date.")
            .ThrowIfAny();
        return new ProofRemindersConfigured(programmeId, cmd.DaysBefore!.OrderDescending().ToArray(), cmd.DaysAfter!.Value, officer.Name, now);
    }

    [WithoutIdempotencyKey]
    [WolverinePut("/programmes/{id}/proof-reminders", OperationId = "ConfigureProofReminders"), Authorize(Roles = Roles.Officers)]
    [Tags("Proofs of use"), EndpointSummary("Set when applicants are reminded of proof deadlines (default: 28 and 7 days before, 1 day after)")]
    public static async Task<Ok<CaseVersion>> Put(Guid id, ConfigureProofReminders cmd, IDocumentSession session, TimeProvider clock, HttpContext http,
        CancellationToken ct)
    {
        var expected = Versioning.Expected(http, cmd.Version);
        if (await session.LoadAsync<Programme>(id, ct) is null) throw ProblemException.NotFound("The programme");
        var configured = Decide(id, cmd, Actor.From(http.User), clock.GetUtcNow());
        var streamId = ProofReminderSettings.StreamFor(id);
        var stream = await session.Events.FetchForWriting<ProofReminderSettings>(streamId, ct);
        Versioning.EnsureVersion(stream.CurrentVersion ?? 0, expected, "The reminder settings");
        stream.AppendOne(configured);
        return TypedResults.Ok(new CaseVersion(streamId, expected + 1).WithETag(http));
    }
}

public static class GetProofRemindersEndpoint
{
    [WolverineGet("/programmes/{id}/proof-reminders", OperationId = "GetProofReminders"), Authorize(Roles = Roles.Staff)]
    [Tags("Proofs of use"), EndpointSummary("The programme's reminder timing for proof deadlines")]
    public static async Task<ProofReminderSettings> Get(Guid id, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<ProofReminderSettings>(ProofReminderSettings.StreamFor(id), ct) ?? new ProofReminderSettings { Id = ProofReminderSettings.StreamFor(id), ProgrammeId = id };
}
