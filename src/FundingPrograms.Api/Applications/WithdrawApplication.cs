using FundingPrograms.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace FundingPrograms.Applications;

public sealed record WithdrawApplication(string? Reason, long? Version);

public static class WithdrawApplicationEndpoint
{
    public static IReadOnlyList<object> Decide(Application application, WithdrawApplication cmd, DateTimeOffset now)
    {
        new Check().That(cmd.Reason is null || cmd.Reason.Length <= 2000, "reason", "At most 2000 characters are allowed.").ThrowIfAny();
        if (!application.IsOpen) throw ProblemException.InvalidState($"The application is already {application.State.ToString().ToLowerInvariant()}.");
        return [new ApplicationWithdrawn(application.Id, cmd.Reason?.Trim(), now)];
    }

    [WolverinePost("/applications/{id}/withdraw", OperationId = "WithdrawApplication"), Authorize(Roles = Roles.Applicant)]
    [Tags("Applications"), EndpointSummary("Withdraw an application from any open state (applicant)")]
    public static async Task<Ok<CaseVersion>> Post(Guid id, WithdrawApplication cmd, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var visible = await ApplicationAccess.VisibleTo(Actor.From(http.User), session, ct);
        return await session.Decide<Application>(http, id, cmd.Version, ApplicationAccess.What, a => Decide(a, cmd, clock.GetUtcNow()), ct, visible);
    }
}
