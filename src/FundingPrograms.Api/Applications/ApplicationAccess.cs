using FundingPrograms.Programmes;

namespace FundingPrograms.Applications;

public static class ApplicationAccess
{
    public const string What = "The application";

    /// <summary>Who may see an application: staff, and applicants of its own organisation.</summary>
    public static async Task<Func<Application, bool>> VisibleTo(Actor actor, IQuerySession session, CancellationToken ct)
    {
        var own = await Access.ApplicantOrganisation(actor, session, ct);
        return a => own is null || a.OrganisationId == own;
    }

    public static async Task<(Programme Programme, Call Call)> CallOf(IQuerySession session, Guid programmeId, Guid callId, CancellationToken ct)
    {
        var programme = await session.LoadAsync<Programme>(programmeId, ct) ?? throw ProblemException.NotFound("The programme");
        return (programme, programme.CallById(callId) ?? throw ProblemException.NotFound("The call"));
    }
}
