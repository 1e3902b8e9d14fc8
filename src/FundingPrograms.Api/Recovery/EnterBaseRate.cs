namespace FundingPrograms.Recovery;

/// <summary>A new base rate, valid from 1 January or 1 July, with its publication.</summary>
public sealed record EnterBaseRate(DateOnly? ValidFrom, decimal? Percent, string? Publication, long? Version);

public static class EnterBaseRateEndpoint
{
    public static IReadOnlyList<object> Decide(BaseRateTable table, EnterBaseRate cmd, Actor finance, DateTimeOffset now)
    {
        var check = new Check()
            .Date(cmd.ValidFrom, "validFrom", required: true)
            .That(cmd.Percent is not null, "percent", "This field is required.")
            .Required(cmd.Publication, "publication", 500);
        if (cmd.ValidFrom is { } from)
            check.That(from.Day == 1 && from.Month is 1 or 7, "validFrom", "The base rate changes on 1 January and 1 July (§ 247 (1) BGB).");
        if (cmd.Percent is { } p)
            check.That(p is >= -10m and <= 20m && decimal.Round(p, 2) == p, "percent", "A rate between −10 and 20 percent with at most 2 decimals.");
        check.ThrowIfAny();
        var existing = table.Rates.FirstOrDefault(r => r.ValidFrom == cmd.ValidFrom);
        if (existing is not null)
            throw ProblemException.InvalidState($"A base rate of {existing.Percent:0.00} % from {existing.ValidFrom:yyyy-MM-dd} is entered already; published rates do not change.");
        var latest = table.Rates[^1].ValidFrom;
        if (cmd.ValidFrom!.Value != BaseRateTable.NextHalfYear(latest))
            throw ProblemException.Rule($"Enter the base rates in order: the next one is from {BaseRateTable.NextHalfYear(latest):yyyy-MM-dd}.");
        return [new BaseRateEntered(BaseRateTable.StreamId, cmd.ValidFrom.Value, cmd.Percent!.Value, cmd.Publication!.Trim(), finance.Id, finance.Name, now)];
    }

    [WolverinePost("/base-rates", OperationId = "EnterBaseRate"), Authorize(Roles = Roles.FinanceStaff)]
    [Tags("Recovery"), EndpointSummary("Enter the next base rate (§ 247 BGB) with its publication (finance); version of GET /base-rates")]
    public static async Task<Ok<CaseVersion>> Post(EnterBaseRate cmd, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var expected = Versioning.Expected(http, cmd.Version);
        var stream = await session.Events.FetchForExclusiveWriting<BaseRateTable>(BaseRateTable.StreamId, ct);
        Versioning.EnsureVersion(stream.CurrentVersion ?? 0, expected, "The base-rate table");
        var events = Decide(stream.Aggregate ?? BaseRateTable.Seeded(), cmd, Actor.From(http.User), clock.GetUtcNow());
        stream.AppendMany(events);
        return TypedResults.Ok(new CaseVersion(BaseRateTable.StreamId, expected + events.Count).WithETag(http));
    }
}
