namespace FundingPrograms.Programmes;

/// <summary>Scheduled when a call opens, for its deadline; a durable message, so it survives restarts.</summary>
public sealed record CloseCallAtDeadline(Guid ProgrammeId, Guid CallId, DateTimeOffset ClosesAt);

public static class CloseCallAtDeadlineHandler
{
    /// <summary>Closes the call at its deadline unless it was closed early already (then nothing happens).</summary>
    public static IReadOnlyList<object> Decide(Programme? programme, CloseCallAtDeadline message)
    {
        var call = programme?.CallById(message.CallId);
        if (call is null || call.ClosedAt is not null || call.ClosesAt != message.ClosesAt) return [];
        return [new CallClosed(message.ProgrammeId, message.CallId, null, Automatic: true, message.ClosesAt)];
    }

    public static async Task Handle(CloseCallAtDeadline message, IDocumentSession session, CancellationToken ct)
    {
        session.LastModifiedBy = Actor.System.Name;
        session.SetHeader("userId", Actor.System.Id);
        var stream = await session.Events.FetchForWriting<Programme>(message.ProgrammeId, ct);
        stream.AppendMany(Decide(stream.Aggregate, message));
    }
}
