using FundingPrograms.Infrastructure;
using FundingPrograms.Programmes;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;
using Wolverine.Http;

namespace FundingPrograms.Grants;

public sealed record ApproveGrantAmendment(long? Version);

/// <summary>
/// Four-eyes for raising a grant (VV Nr. 4.2 zu § 44 LHO: amendments obey the rules of the first notice): an approver who
/// neither proposed the raise nor assessed the application approves the pending proposal; the amendment notice is issued
/// then, checked again against the rules and the budget as they are now.
/// </summary>
public static class ApproveGrantAmendmentEndpoint
{
    public static Amendment Decide(Grant grant, Programme programme, Guid proposalId, Actor approver, string? assessorId, DateTimeOffset now)
    {
        var proposal = grant.PendingAmendment;
        if (proposal is null || proposal.ProposalId != proposalId)
            throw ProblemException.NotFound($"A pending amendment proposal {proposalId}");
        if (proposal.ProposedById == approver.Id)
            throw ProblemException.Forbidden("Four-eyes rule: you proposed this raise, so another approver must approve it.");
        if (approver.Id == assessorId)
            throw ProblemException.Forbidden("Four-eyes rule: you assessed this application, so another person must raise its grant.");
        return AmendGrantEndpoint.Issue(grant, programme, proposal.Terms, approver, proposal, now);
    }

    [WolverinePost("/grants/{id}/amendments/{proposalId}/approve", OperationId = "ApproveGrantAmendment"), Authorize(Roles = Roles.Approvers)]
    [Tags("Grants"), EndpointSummary("Approve a proposed raise of a grant (approver, not the proposer): issues the amendment notice")]
    public static async Task<Ok<AmendmentResult>> Post(Guid id, Guid proposalId, ApproveGrantAmendment cmd, IDocumentSession session, IMessageBus bus,
        TimeProvider clock, Letters.LetterIssuer letters, HttpContext http, CancellationToken ct)
    {
        var expected = Versioning.Expected(http, cmd.Version);
        var grantStream = await session.Events.FetchForExclusiveWriting<Grant>(id, ct);
        if (grantStream.Aggregate is null) throw ProblemException.NotFound("The grant");
        Versioning.EnsureVersion(grantStream.CurrentVersion, expected, "The grant");
        var programmeStream = await session.Events.FetchForExclusiveWriting<Programme>(grantStream.Aggregate.ProgrammeId, ct);
        var application = await session.LoadAsync<Applications.Application>(grantStream.Aggregate.ApplicationId, ct);
        var now = clock.GetUtcNow();
        var amendment = Decide(grantStream.Aggregate, programmeStream.Aggregate!, proposalId, Actor.From(http.User), application?.Assessment?.AssessorId, now);
        await AmendGrantEndpoint.Append(session, letters, grantStream, programmeStream, amendment, grantStream.Aggregate.OrganisationId, bus, now, ct);
        http.Response.Headers.ETag = Versioning.ETag(expected + 1);
        return TypedResults.Ok(new AmendmentResult(id, expected + 1, "issued", proposalId));
    }
}
