using FundingPrograms.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace FundingPrograms.Programmes;

public sealed record CloseCall(string? Reason, long? Version);

public static class CloseCallEndpoint
{
    public static IReadOnlyList<object> Decide(Programme programme, Guid callId, CloseCall cmd, DateTimeOffset now)
    {
        new Check().Required(cmd.Reason, "reason", 2000).ThrowIfAny();
        var call = programme.CallById(callId) ?? throw ProblemException.NotFound("The call");
        if (call.StateAt(now) == CallState.Closed)
            throw ProblemException.InvalidState("The call is already closed.");
        return [new CallClosed(programme.Id, callId, cmd.Reason!.Trim(), Automatic: false, now)];
    }

    [WolverinePost("/programmes/{id}/calls/{callId}/close", OperationId = "CloseCallEarly"), Authorize(Roles = Roles.Officers)]
    [Tags("Calls"), EndpointSummary("Close a call before its deadline (with a reason)")]
    public static Task<Ok<CaseVersion>> Post(Guid id, Guid callId, CloseCall cmd, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        session.Decide<Programme>(http, id, cmd.Version, "The programme", p => Decide(p, callId, cmd, clock.GetUtcNow()), ct);
}

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
