using FundingPrograms.Programmes;
using Wolverine;

namespace FundingPrograms.Grants;

public sealed record ApproveGrantAmendment(long? Version) : IVersionedCommand;

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
    public static async Task<Ok<AmendmentResult>> Post(Guid proposalId, ApproveGrantAmendment cmd,
        [WriteAggregate(Required = false, LoadStyle = ConcurrencyStyle.Exclusive)] JasperFx.Events.IEventStream<Grant> grantStream, IDocumentSession session,
        IMessageBus bus, TimeProvider clock, Letters.LetterIssuer letters, HttpContext http, CancellationToken ct)
    {
        var grant = grantStream.Aggregate!;
        var version = grantStream.CurrentVersion!.Value + 1;
        var programmeStream = await session.Events.FetchForExclusiveWriting<Programme>(grant.ProgrammeId, ct);
        var application = await session.LoadAsync<Applications.Application>(grant.ApplicationId, ct);
        var now = clock.GetUtcNow();
        var amendment = Decide(grant, programmeStream.Aggregate!, proposalId, Actor.From(http.User), application?.Assessment?.AssessorId, now);
        await AmendGrantEndpoint.Append(session, letters, grantStream, programmeStream, amendment, grant.OrganisationId, bus, now, ct);
        http.Response.Headers.ETag = Versioning.ETag(version);
        return TypedResults.Ok(new AmendmentResult(grant.Id, version, "issued", proposalId));
    }
}
