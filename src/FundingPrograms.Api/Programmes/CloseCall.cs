namespace FundingPrograms.Programmes;

public sealed record CloseCall(string? Reason, long? Version) : IVersionedCommand;

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
    public static (Ok<CaseVersion>, Events) Post(Guid callId, CloseCall cmd, [WriteAggregate("id", Required = false)] Programme programme, TimeProvider clock,
        HttpContext http) =>
        CaseVersion.After(programme, Decide(programme, callId, cmd, clock.GetUtcNow()), http);
}
