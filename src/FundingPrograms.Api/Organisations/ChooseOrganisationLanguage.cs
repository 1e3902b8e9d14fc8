namespace FundingPrograms.Organisations;

/// <summary>The language the organisation's applicants read notifications and reminders in: de, en, tr, ar, uk, ru or fa.</summary>
public sealed record ChooseOrganisationLanguage(string? Language, long? Version) : IVersionedCommand;

public static class ChooseOrganisationLanguageEndpoint
{
    public static IReadOnlyList<object> Decide(Organisation organisation, ChooseOrganisationLanguage cmd, string chosenBy, DateTimeOffset now)
    {
        new Check()
            .That(Public.PublicTexts.Find(cmd.Language) is not null, "language",
                $"One of: {string.Join(", ", Public.PublicTexts.Languages.Select(l => l.Code))}.")
            .ThrowIfAny();
        return organisation.Language == cmd.Language ? [] : [new OrganisationLanguageChosen(organisation.Id, cmd.Language!, chosenBy, now)];
    }

    [WolverinePost("/organisations/{id}/language", OperationId = "ChooseOrganisationLanguage"), Authorize(Roles = Roles.ApplicantsAndOfficers)]
    [Tags("Organisations"), EndpointSummary("Choose the language of the organisation's notifications and reminders (its applicants or an officer)")]
    public static (Ok<CaseVersion>, Events) Post(ChooseOrganisationLanguage cmd, [WriteAggregate(Required = false)] Organisation organisation, TimeProvider clock,
        HttpContext http) =>
        CaseVersion.After(organisation, Decide(organisation, cmd, Actor.From(http.User).Id, clock.GetUtcNow()), http);
}
