using FundingPrograms.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace FundingPrograms.Programmes;

public static class GetProgrammeEndpoint
{
    [WolverineGet("/programmes/{id}", OperationId = "GetProgramme"), Authorize(Roles = Roles.Any)]
    [Tags("Programmes")]
    public static async Task<Programme> Get(Guid id, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var programme = await session.Events.AggregateStreamAsync<Programme>(id, token: ct) ?? throw ProblemException.NotFound("The programme");
        http.Response.Headers.ETag = Versioning.ETag(programme.Version);
        return programme;
    }
}
