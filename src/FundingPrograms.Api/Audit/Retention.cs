using FundingPrograms.Applications;
using FundingPrograms.Grants;
using FundingPrograms.Organisations;
using FundingPrograms.Payments;
using JasperFx;
using Wolverine;

namespace FundingPrograms.Audit;

public sealed record LegalHoldView(Guid HoldId, long Version, string Reason, string PlacedBy, DateTimeOffset PlacedAt);

/// <summary>An organisation whose contact persons' personal data has reached the end of its retention period.</summary>
public sealed record RetentionCase(Guid OrganisationId, string Organisation, DateOnly RetentionEnded, int ContactPersons, IReadOnlyList<LegalHoldView> LegalHolds);

public sealed record ErasureDone(Guid OrganisationId, string Organisation, int ContactPersons, string Basis, string Reason, DateTimeOffset At, string? By);

/// <summary>For the data-protection officer: what is due (and what a legal hold keeps), and every erasure done.</summary>
public sealed record RetentionReport(DateOnly Today, IReadOnlyList<RetentionCase> Due, IReadOnlyList<RetentionCase> Held, IReadOnlyList<ErasureDone> Erased);

/// <summary>
/// Retention of contact persons' personal data (DOMAIN rule 11): it ends when the organisation's last record's retention
/// has ended — grants: proof-of-use due date + 5 years; booked payments: 31 December of the booking year + 8 years;
/// rejected or withdrawn applications: 5 years after the decision. An organisation with an open application, or with no
/// closed record at all, is not due.
/// </summary>
public static class Retention
{
    public static DateOnly? EndsOn(IReadOnlyList<Application> applications, IReadOnlyList<Grant> grants, IReadOnlyList<Payment> payments)
    {
        if (applications.Any(a => a.IsOpen)) return null;
        var ends = applications.Where(a => a.State is ApplicationState.Rejected or ApplicationState.Withdrawn).Select(a => BerlinTime.Today(a.StateSince).AddYears(5))
            .Concat(grants.Select(g => GrantLedger.Retention(g.Notice)))
            .Concat(payments.Select(p => p.RetentionUntil).OfType<DateOnly>())
            .ToList();
        return ends.Count == 0 ? null : ends.Max();
    }

    public static async Task<(List<RetentionCase> Due, List<RetentionCase> Held, Dictionary<Guid, Organisation> Organisations)> Cases(IQuerySession session,
        DateOnly today, CancellationToken ct)
    {
        var organisations = (await session.Query<Organisation>().ToListAsync(ct))
            .Where(o => o.ContactPersons.Any(c => !o.ErasedSubjects.Contains(c.SubjectId))).ToDictionary(o => o.Id);
        var ids = organisations.Keys.ToArray();
        var applications = (await session.Query<Application>().Where(a => ids.Contains(a.OrganisationId)).ToListAsync(ct)).ToLookup(a => a.OrganisationId);
        var grants = (await session.Query<Grant>().Where(g => ids.Contains(g.OrganisationId)).ToListAsync(ct)).ToLookup(g => g.OrganisationId);
        var payments = (await session.Query<Payment>().Where(p => ids.Contains(p.OrganisationId)).ToListAsync(ct)).ToLookup(p => p.OrganisationId);
        var holds = (await session.Query<LegalHold>().Where(h => h.Active && ids.Contains(h.OrganisationId)).ToListAsync(ct)).ToLookup(h => h.OrganisationId);
        List<RetentionCase> due = [], held = [];
        foreach (var o in organisations.Values.OrderBy(o => o.Profile.LegalName))
        {
            if (EndsOn([.. applications[o.Id]], [.. grants[o.Id]], [.. payments[o.Id]]) is not { } end || end >= today) continue;
            var hold = holds[o.Id].Select(h => new LegalHoldView(h.Id, h.Version, h.Reason, h.PlacedBy, h.PlacedAt)).ToList();
            var c = new RetentionCase(o.Id, o.Profile.LegalName, end, o.ContactPersons.Count(p => !o.ErasedSubjects.Contains(p.SubjectId)), hold);
            (hold.Count == 0 ? due : held).Add(c);
        }
        return (due, held, organisations);
    }
}

/// <summary>
/// The daily retention run. <c>Scheduled</c> runs happen at most once per day across all nodes; <c>ScheduledFor</c> names the
/// chain's instant (none: armed at start-up, which also runs a day's run that was missed while the service was down).
/// </summary>
public sealed record RetentionSweep(bool Scheduled = true, DateTimeOffset? ScheduledFor = null, bool AtStartup = false);

/// <summary>Marks the day's scheduled run as taken (inserted once: a second node's insert fails and it stands aside).</summary>
public sealed class RetentionRun
{
    public string Id { get; set; } = "";
    public DateTimeOffset StartedAt { get; set; }
    public int Erased { get; set; }
}

public static class RetentionSweepHandler
{
    public const string UserName = "Retention job";

    /// <summary>The next 02:00 in Berlin after <paramref name="now"/>.</summary>
    public static DateTimeOffset NextRun(DateTimeOffset now) => RecurringWork.NextDaily(now, 2);

    /// <summary>Records the run (or the arming) and keeps one chain of daily runs (see <see cref="RecurringWork"/>).</summary>
    private static async Task Chain(IDocumentStore store, IMessageBus bus, TimeProvider clock, RetentionSweep sweep, bool ran, CancellationToken ct)
    {
        var next = NextRun(clock.GetUtcNow());
        await using var session = store.LightweightSession();
        await RecurringWork.Record(session, bus, clock, RecurringWork.Retention, sweep.AtStartup ? null : sweep.ScheduledFor ?? next, next,
            new RetentionSweep(ScheduledFor: next), ran, ct);
        await session.SaveChangesAsync(ct);
    }

    public static async Task Handle(RetentionSweep sweep, IDocumentStore store, TimeProvider clock, IMessageBus bus, ILogger<RetentionSweep> logger, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = BerlinTime.Today(now);
        if (sweep.AtStartup)
        {
            await using (var query = store.QuerySession())
            {
                var missed = await query.LoadAsync<SweepClock>(RecurringWork.Retention, ct) is { NextAt: { } n } && n <= now;
                if (!missed)
                {
                    await Chain(store, bus, clock, sweep, ran: false, ct);
                    return;
                }
            }
        }
        if (sweep.Scheduled)
        {
            try
            {
                await using var claim = store.LightweightSession();
                claim.Insert(new RetentionRun { Id = today.ToString("yyyy-MM-dd"), StartedAt = now });
                await claim.SaveChangesAsync(ct);
            }
            catch (DocumentAlreadyExistsException)
            {
                // another node (or an earlier start) runs today's sweep and schedules the next one; a start-up still re-arms
                if (sweep.AtStartup) await Chain(store, bus, clock, sweep, ran: false, ct);
                return;
            }
        }

        List<RetentionCase> due;
        await using (var query = store.QuerySession()) (due, _, _) = await Retention.Cases(query, today, ct);
        var erased = 0;
        foreach (var c in due)
        {
            try
            {
                await using var session = store.LightweightSession();
                await session.BeginTransactionAsync(ct);
                session.LastModifiedBy = UserName;
                session.CorrelationId = $"retention-{today:yyyy-MM-dd}";
                session.SetHeader("userId", "system:retention");
                var stream = await session.Events.FetchForWriting<Organisation>(c.OrganisationId, ct);
                // Exactly what the erasure endpoint does: the same decision, the keys destroyed.
                var e = ErasePersonalDataEndpoint.Decide(stream.Aggregate!, new ErasePersonalData(null, nameof(ErasureBasis.RetentionEnded),
                    $"Retention period ended on {c.RetentionEnded:yyyy-MM-dd} (grant records 5 years after the proof of use, accounting records 8 years); no legal hold.", null), now);
                stream.AppendOne(e);
                foreach (var subject in e.SubjectIds) session.Delete<PersonalDataKey>(subject);
                await session.SaveChangesAsync(ct);
                erased++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Retention erasure of organisation {Organisation} failed; the next run tries again", c.OrganisationId);
            }
        }
        logger.LogInformation("Retention run {Day}: {Erased} of {Due} organisations' personal data erased", today, erased, due.Count);
        if (sweep.Scheduled) await Chain(store, bus, clock, sweep, ran: true, ct);
    }
}

public static class RetentionReportEndpoint
{
    [WolverineGet("/audit/retention", OperationId = "RetentionReport"), Authorize(Roles = Roles.OfficersAndAuditors)]
    [Tags("Audit"), EndpointSummary("For the data-protection officer: personal data due for erasure, data kept by legal holds, and every erasure done")]
    public static async Task<RetentionReport> Get(IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var today = BerlinTime.Today(clock.GetUtcNow());
        var (due, held, _) = await Retention.Cases(session, today, ct);
        var events = await session.Events.QueryAllRawEvents().Where(e => e.EventTypeName == "personal_data_erased").OrderBy(e => e.Sequence).ToListAsync(ct);
        var erasures = events.Select(e => (Event: e, Data: (PersonalDataErased)e.Data)).ToList();
        var orgIds = erasures.Select(e => e.Data.OrganisationId).Distinct().ToArray();
        var names = (await session.LoadManyAsync<Organisation>(ct, orgIds)).ToDictionary(o => o.Id, o => o.Profile.LegalName);
        var erased = erasures.Select(e => new ErasureDone(e.Data.OrganisationId, names.GetValueOrDefault(e.Data.OrganisationId, ""), e.Data.SubjectIds.Length,
            e.Data.Basis == ErasureBasis.RetentionEnded ? "retentionEnded" : "request", e.Data.Reason, e.Data.At, e.Event.UserName)).ToList();
        return new RetentionReport(today, due, held, erased);
    }
}
