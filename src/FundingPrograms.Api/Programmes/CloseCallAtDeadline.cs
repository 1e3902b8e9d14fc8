using Wolverine;

namespace FundingPrograms.Programmes;

/// <summary>Scheduled when a call opens, for its deadline; a durable message, so it survives restarts.</summary>
public sealed record CloseCallAtDeadline(Guid ProgrammeId, Guid CallId, DateTimeOffset ClosesAt);

/// <summary>
/// Daily (00:30 Berlin) and at every start: records the automatic close of every call whose deadline has passed and that is not
/// closed yet (a deadline that passed while the service was down, or while its scheduled message waited for a wrong clock).
/// A call is closed for applicants from its deadline on in any case; the event records it.
/// </summary>
public sealed record SweepCallDeadlines(DateTimeOffset? ScheduledFor);

public static class CloseCallAtDeadlineHandler
{
    /// <summary>Closes the call at its deadline unless it was closed early already (then nothing happens), or the deadline is still ahead.</summary>
    public static IReadOnlyList<object> Decide(Programme? programme, CloseCallAtDeadline message, DateTimeOffset now)
    {
        var call = programme?.CallById(message.CallId);
        if (call is null || call.ClosedAt is not null || call.ClosesAt != message.ClosesAt || now < message.ClosesAt) return [];
        return [new CallClosed(message.ProgrammeId, message.CallId, null, Automatic: true, message.ClosesAt)];
    }

    public static async Task Handle(CloseCallAtDeadline message, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken ct)
    {
        session.LastModifiedBy = Actor.System.Name;
        session.SetHeader("userId", Actor.System.Id);
        var now = clock.GetUtcNow();
        if (now < message.ClosesAt)
        {
            await bus.ScheduleAt(message, message.ClosesAt, clock); // early: the clock was set back after the call opened
            return;
        }
        var stream = await session.Events.FetchForWriting<Programme>(message.ProgrammeId, ct);
        stream.AppendMany(Decide(stream.Aggregate, message, now));
    }
}

public static class SweepCallDeadlinesHandler
{
    public static async Task Handle(SweepCallDeadlines message, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var programmes = await session.Query<Programme>().ToListAsync(ct);
        foreach (var p in programmes)
            foreach (var call in p.Calls.Where(c => c.ClosedAt is null && c.ClosesAt <= now))
                await bus.PublishAsync(new CloseCallAtDeadline(p.Id, call.Id, call.ClosesAt));
        var next = RecurringWork.NextDaily(now, 0).AddMinutes(30);
        await RecurringWork.Record(session, bus, clock, RecurringWork.CallDeadlines, message.ScheduledFor, next, new SweepCallDeadlines(next), ran: true, ct);
    }
}
