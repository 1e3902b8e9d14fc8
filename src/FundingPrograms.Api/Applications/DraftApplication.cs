using FundingPrograms.Organisations;
using FundingPrograms.Programmes;
using FundingPrograms.ReferenceData;

namespace FundingPrograms.Applications;

/// <summary>Starts an application to a call; the form may be filled in over several edits.</summary>
public sealed record DraftApplication(Guid? CallId, ApplicationInput? Content);

public static class DraftApplicationEndpoint
{
    /// <param name="fileReference">The Aktenzeichen from the per-year sequence (<see cref="References"/>): unique by construction, never from a clock or the id.</param>
    public static ApplicationDrafted Decide(Guid id, Organisation organisation, Programme programme, Call call, ApplicationContent content, DateTimeOffset now,
        string? fileReference = null)
    {
        if (programme.Status != ProgrammeStatus.Published || call.StateAt(now) != CallState.Open)
            throw ProblemException.Rule($"The call is not open for applications (it runs {BerlinTime.Local(call.OpensAt)} – {BerlinTime.Local(call.ClosesAt)}, Berlin time).");
        return new ApplicationDrafted(id, organisation.Id, organisation.Profile.LegalName, organisation.Profile.OrganisationType, programme.Id, call.Id, content, now,
            fileReference);
    }

    [WolverinePost("/applications", OperationId = "DraftApplication"), Authorize(Roles = Roles.Applicant)]
    [Tags("Applications"), EndpointSummary("Start a draft application to an open call (applicant)")]
    public static async Task<Created<CaseVersion>> Post(DraftApplication cmd, IDocumentSession session, ReferenceCatalogue reference, TimeProvider clock,
        HttpContext http, CancellationToken ct)
    {
        new Check().That(cmd.CallId is not null, "callId", "Say which call you apply to.").ThrowIfAny();
        var content = (cmd.Content ?? new ApplicationInput(null, null, null, null, null, null, null, null, null, null, null, null, null, null)).ToContent(reference);
        var orgId = await Access.ApplicantOrganisation(Actor.From(http.User), session, ct);
        var organisation = orgId is { } o ? await session.LoadAsync<Organisation>(o, ct) : null;
        if (organisation is null) throw ProblemException.Rule("Register your organisation first (POST /organisations).");
        var programme = await session.Query<Programme>().FirstOrDefaultAsync(p => p.Calls.Any(c => c.Id == cmd.CallId), ct)
            ?? throw ProblemException.NotFound("The call");
        var id = CaseIds.New(http);
        var now = clock.GetUtcNow();
        // The number is taken before deciding; a refused draft leaves a gap, never a duplicate.
        var fileReference = await References.Next(session, ReferenceKind.FileNumber, now, ct);
        session.Events.StartStream<Application>(id, Decide(id, organisation, programme, programme.CallById(cmd.CallId!.Value)!, content, now, fileReference));
        return TypedResults.Created($"/applications/{id}", new CaseVersion(id, 1).WithETag(http));
    }
}
