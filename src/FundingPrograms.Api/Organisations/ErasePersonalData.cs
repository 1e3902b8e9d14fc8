namespace FundingPrograms.Organisations;

/// <summary>Erases the contact persons' personal data on a justified request or when the retention period ended.</summary>
public sealed record ErasePersonalData(Guid[]? SubjectIds, string? Basis, string? Reason, long? Version) : IVersionedCommand;

public static class ErasePersonalDataEndpoint
{
    public static PersonalDataErased Decide(Organisation organisation, ErasePersonalData cmd, DateTimeOffset now)
    {
        var basis = Enums.TryParseName<ErasureBasis>(cmd.Basis, out var b) ? b : (ErasureBasis?)null;
        var subjects = cmd.SubjectIds is { Length: > 0 } ? cmd.SubjectIds.Distinct().ToArray()
            : organisation.ContactPersons.Select(c => c.SubjectId).Except(organisation.ErasedSubjects).ToArray();
        new Check()
            .Required(cmd.Reason, "reason", 2000)
            .That(basis is not null, "basis", "Say why: 'request' (a justified request of the person) or 'retentionEnded'.")
            .That(subjects.All(s => organisation.ContactPersons.Any(c => c.SubjectId == s)), "subjectIds", "Name contact persons of this organisation.")
            .ThrowIfAny();
        if (subjects.Length == 0 || subjects.All(organisation.ErasedSubjects.Contains))
            throw ProblemException.InvalidState("These personal data are erased already.");
        return new PersonalDataErased(organisation.Id, subjects, basis!.Value, cmd.Reason!.Trim(), now);
    }

    [WolverinePost("/organisations/{id}/personal-data/erase", OperationId = "ErasePersonalData"), Authorize(Roles = Roles.Officers)]
    [Tags("Organisations"), EndpointSummary("Erase contact persons' personal data (their keys are destroyed; the audit chain stays intact)")]
    public static (Ok<CaseVersion>, Events) Post(ErasePersonalData cmd, [WriteAggregate(Required = false)] Organisation organisation,
        IDocumentSession session, TimeProvider clock, HttpContext http)
    {
        var erased = Decide(organisation, cmd, clock.GetUtcNow());
        foreach (var subject in erased.SubjectIds) session.Delete<PersonalDataKey>(subject);
        return CaseVersion.After(organisation, [erased], http);
    }
}
