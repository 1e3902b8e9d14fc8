using FundingPrograms.ReferenceData;
using Wolverine;

namespace FundingPrograms.Programmes;

/// <summary>
/// Opens a call (Förderaufruf) of a published programme. Window in Europe/Berlin local time
/// ("2026-05-31T23:59"); optional districts (Kreisschlüssel) and budget cap.
/// </summary>
public sealed record OpenCall(
    Dictionary<string, string>? Title,
    Dictionary<string, string>? Description,
    string? OpensAt,
    string? ClosesAt,
    string[]? Districts,
    decimal? BudgetCap,
    long? Version) : IVersionedCommand;

public static class OpenCallEndpoint
{
    public static CallOpened Decide(Programme programme, Guid callId, OpenCall cmd, ReferenceCatalogue reference, DateTimeOffset now)
    {
        var check = new Check()
            .LocalizedRequired(cmd.Title, "title", 300)
            .LocalizedRequired(cmd.Description, "description", 20_000)
            .Money(cmd.BudgetCap, "budgetCap", required: false, allowZero: false);
        var opens = BerlinTime.Parse(cmd.OpensAt, "opensAt", check);
        var closes = BerlinTime.Parse(cmd.ClosesAt, "closesAt", check);
        check.That(opens is null || closes is null || opens < closes, "closesAt", "The call must close after it opens.")
            .That(closes is null || closes > now, "closesAt", "The deadline is already past.");
        var districts = (cmd.Districts ?? []).Distinct().ToArray();
        for (var i = 0; i < districts.Length; i++)
            check.That(districts[i] is not null && reference.IsDistrict(districts[i]), $"districts[{i}]",
                $"'{districts[i]}' is not a district of NRW (use the Kreisschlüssel from GET /reference-data, e.g. 05315 for Köln).");
        check.ThrowIfAny();

        if (programme.Status != ProgrammeStatus.Published)
            throw ProblemException.InvalidState($"Calls are opened only for a published programme; this one is {programme.Status.ToString().ToLowerInvariant()}.");
        var clash = programme.Calls.FirstOrDefault(c => c.Overlaps(opens!.Value, closes!.Value, districts));
        if (clash is not null)
            throw ProblemException.Rule(
                $"The window overlaps the call '{clash.Title.In("de")}' ({BerlinTime.Local(clash.OpensAt)} – {BerlinTime.Local(clash.EffectiveEnd)}) " +
                "for the same districts. Calls of one programme may overlap only for disjoint districts.",
                new Dictionary<string, string[]> { ["opensAt"] = ["Overlaps another call of this programme."] });

        return new CallOpened(programme.Id, callId, Texts.Clean(cmd.Title!), Texts.Clean(cmd.Description!), opens!.Value, closes!.Value,
            districts, cmd.BudgetCap, now);
    }

    [WolverinePost("/programmes/{id}/calls", OperationId = "OpenCall"), Authorize(Roles = Roles.Officers)]
    [Tags("Calls"), EndpointSummary("Open a call of a published programme; it closes itself at the deadline")]
    public static async Task<(Created<CallCreated>, Events)> Post(OpenCall cmd, [WriteAggregate(Required = false)] Programme programme, IMessageBus bus,
        ReferenceCatalogue reference, TimeProvider clock, HttpContext http)
    {
        var opened = Decide(programme, CaseIds.New(http), cmd, reference, clock.GetUtcNow());
        // Durable: stored with the event in the same transaction, delivered at the deadline even across restarts.
        await bus.ScheduleAt(new CloseCallAtDeadline(programme.Id, opened.CallId, opened.ClosesAt), opened.ClosesAt, clock);
        var version = programme.Version + 1;
        http.Response.Headers.ETag = Versioning.ETag(version);
        return (TypedResults.Created($"/calls/{opened.CallId}", new CallCreated(opened.CallId, programme.Id, version)), new Events([opened]));
    }
}

/// <summary>The answer to opening a call: the call's id, and the programme's new version.</summary>
public sealed record CallCreated(Guid CallId, Guid ProgrammeId, long Version);
