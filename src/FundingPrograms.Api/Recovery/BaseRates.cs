namespace FundingPrograms.Recovery;

/// <summary>One base rate (Basiszinssatz, § 247 BGB), valid from 1 January or 1 July until the next one.</summary>
public sealed record BaseRate(DateOnly ValidFrom, decimal Percent, string Publication, string EnteredBy);

/// <summary>Finance entered a new base rate, with where it was published (e.g. "Deutsche Bundesbank, Pressenotiz vom 30.12.2025").</summary>
public sealed record BaseRateEntered(Guid TableId, DateOnly ValidFrom, decimal Percent, string Publication, string EnteredBy, string EnteredByName, DateTimeOffset At) : IDomainEvent;

/// <summary>A needed base rate has not been entered: the calculation is refused, never guessed.</summary>
public sealed class MissingBaseRateException(DateOnly halfYear) : Exception(Describe(halfYear))
{
    public DateOnly HalfYear { get; } = halfYear;

    public static string HalfName(DateOnly halfYear) => halfYear.Month == 1 ? $"the first half of {halfYear.Year}" : $"the second half of {halfYear.Year}";

    public static string Describe(DateOnly halfYear) =>
        $"The base rate (§ 247 BGB) for {HalfName(halfYear)} (from {halfYear:yyyy-MM-dd}) has not been entered; finance enters it under POST /base-rates. Interest is never guessed.";

    public ProblemException ToProblem()
    {
        var problem = ProblemException.Rule(Message);
        problem.Problem.Extensions["missingBaseRateFrom"] = HalfYear.ToString("yyyy-MM-dd");
        return problem;
    }
}

/// <summary>
/// The base rates, a single stream of reference data. The published values up to 1 July 2025 are built in (seed); every
/// rate finance enters later is an event on the stream.
/// </summary>
public sealed partial class BaseRateTable
{
    public static readonly Guid StreamId = new("0b5e4a7e-0000-4000-8000-000000000247");

    /// <summary>Published by the Deutsche Bundesbank (§ 247 (2) BGB); the rate stayed at −0.88 % from 1 July 2016 until 31 December 2022.</summary>
    public static readonly BaseRate[] Seed =
    [
        new(new DateOnly(2016, 7, 1), -0.88m, "Deutsche Bundesbank (seed)", "seed"),
        new(new DateOnly(2023, 1, 1), 1.62m, "Deutsche Bundesbank (seed)", "seed"),
        new(new DateOnly(2023, 7, 1), 3.12m, "Deutsche Bundesbank (seed)", "seed"),
        new(new DateOnly(2024, 1, 1), 3.62m, "Deutsche Bundesbank (seed)", "seed"),
        new(new DateOnly(2024, 7, 1), 3.37m, "Deutsche Bundesbank (seed)", "seed"),
        new(new DateOnly(2025, 1, 1), 2.27m, "Deutsche Bundesbank (seed)", "seed"),
        new(new DateOnly(2025, 7, 1), 1.27m, "Deutsche Bundesbank (seed)", "seed"),
    ];

    public Guid Id { get; set; }
    public long Version { get; set; }
    public List<BaseRate> Rates { get; set; } = [.. Seed];

    public static BaseRateTable Seeded() => new() { Id = StreamId };

    public static BaseRateTable Create(BaseRateEntered e)
    {
        var table = Seeded();
        table.Apply(e);
        return table;
    }

    public void Apply(BaseRateEntered e)
    {
        Rates.RemoveAll(r => r.ValidFrom == e.ValidFrom);
        Rates.Add(new BaseRate(e.ValidFrom, e.Percent, e.Publication, e.EnteredByName));
        Rates.Sort((a, b) => a.ValidFrom.CompareTo(b.ValidFrom));
    }

    public static DateOnly HalfYearOf(DateOnly day) => new(day.Year, day.Month <= 6 ? 1 : 7, 1);

    public static DateOnly NextHalfYear(DateOnly halfYear) => halfYear.Month == 1 ? new DateOnly(halfYear.Year, 7, 1) : new DateOnly(halfYear.Year + 1, 1, 1);

    /// <summary>
    /// The base rate for a day: the latest rate valid from on or before it. A rate is known only up to the end of the
    /// half-year of the newest entry; any day after that (or before the first entry) throws <see cref="MissingBaseRateException"/>.
    /// </summary>
    public decimal RateOn(DateOnly day)
    {
        var half = HalfYearOf(day);
        if (Rates.Count == 0 || half > Rates[^1].ValidFrom) throw new MissingBaseRateException(half);
        var rate = Rates.LastOrDefault(r => r.ValidFrom <= day) ?? throw new MissingBaseRateException(half);
        return rate.Percent;
    }

    /// <summary>The first day without a known rate: the start of the half-year after the newest entry (interest is computable for the days before it).</summary>
    public DateOnly KnownUntil() => Rates.Count == 0 ? DateOnly.MinValue : NextHalfYear(HalfYearOf(Rates[^1].ValidFrom));

    public static async Task<BaseRateTable> Load(IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<BaseRateTable>(StreamId, ct) ?? Seeded();
}

public static class GetBaseRatesEndpoint
{
    [WolverineGet("/base-rates", OperationId = "GetBaseRates"), Authorize(Roles = Roles.Any)]
    [Tags("Recovery"), EndpointSummary("The base rates (§ 247 BGB) the interest calculation uses, with their publication")]
    public static async Task<BaseRateTable> Get(IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var table = await BaseRateTable.Load(session, ct);
        http.Response.Headers.ETag = Versioning.ETag(table.Version);
        return table;
    }
}
