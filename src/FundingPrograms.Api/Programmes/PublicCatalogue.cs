using FundingPrograms.ReferenceData;

namespace FundingPrograms.Programmes;

public sealed record PublicCall(Guid Id, string Title, string Description, DateTimeOffset OpensAt, DateTimeOffset ClosesAt,
    string OpensAtLocal, string ClosesAtLocal, CallState State, string[] Districts);

public sealed record PublicFinancing(FinancingType[] AllowedTypes, decimal MaxSharePercent, decimal MinGrant, decimal MaxGrant, decimal MinOwnContributionPercent);

/// <summary>A programme as the public sees it: no budgets, reasons or user names.</summary>
public sealed record PublicProgramme(
    Guid Id,
    string Language,
    string Name,
    string Description,
    string LegalBasis,
    DateOnly LegalBasisDate,
    string[] TargetDimensions,
    string[] TargetGroups,
    string[] EligibleOrganisationTypes,
    PublicFinancing Financing,
    IReadOnlyList<PublicCall> Calls)
{
    public static PublicProgramme Of(Programme p, string lang, DateTimeOffset now, string? district)
    {
        var d = p.Definition;
        var calls = p.Calls
            .Where(c => c.StateAt(now) != CallState.Closed)
            .Where(c => district is null || c.Districts.Length == 0 || c.Districts.Contains(district))
            .OrderBy(c => c.OpensAt)
            .Select(c => new PublicCall(c.Id, c.Title.In(lang), c.Description.In(lang), c.OpensAt, c.ClosesAt,
                BerlinTime.Local(c.OpensAt), BerlinTime.Local(c.ClosesAt), c.StateAt(now), c.Districts))
            .ToList();
        return new PublicProgramme(p.Id, lang, d.Name.In(lang), d.Description.In(lang), d.LegalBasis.Guideline, d.LegalBasis.Date,
            d.TargetDimensions, d.TargetGroups, d.EligibleOrganisationTypes,
            new PublicFinancing(d.Financing.AllowedTypes, d.Financing.MaxSharePercent, d.Financing.MinGrant, d.Financing.MaxGrant,
                d.Financing.MinOwnContributionPercent),
            calls);
    }
}

public static class PublicCatalogueEndpoint
{
    /// <summary>
    /// Published programmes with their open and upcoming calls, in the language asked for (?lang= or Accept-Language;
    /// German where a translation is missing). The catalogue is small (tens of programmes), so it is filtered in memory.
    /// </summary>
    [WolverineGet("/catalogue/programmes", OperationId = "PublicCatalogue"), AllowAnonymous]
    [Tags("Public catalogue"), EndpointSummary("Published programmes and their open and upcoming calls (no sign-in)")]
    public static async Task<Page<PublicProgramme>> Get(string? targetDimension, string? targetGroup, string? organisationType, string? district,
        bool? openCallsOnly, int? page, int? pageSize, IQuerySession session, ReferenceCatalogue reference, TimeProvider clock, HttpContext http,
        CancellationToken ct)
    {
        var check = new Check().Bound(http, "openCallsOnly", openCallsOnly);
        var (number, size) = Page<PublicProgramme>.Normalize(http, page, pageSize, check);
        check
            .That(targetDimension is null || reference.IsTargetDimension(targetDimension), "targetDimension", "Unknown target dimension (I, II, III).")
            .That(targetGroup is null || reference.IsTargetGroup(targetGroup), "targetGroup", "Unknown target group (see /reference-data).")
            .That(organisationType is null || reference.IsOrganisationType(organisationType), "organisationType", "Unknown organisation type (see /reference-data).")
            .That(district is null || reference.IsDistrict(district), "district", "Unknown district (use the Kreisschlüssel, e.g. 05315).")
            .ThrowIfAny();

        var lang = Texts.Language(http);
        var now = clock.GetUtcNow();
        var published = await session.Query<Programme>().Where(p => p.Status == ProgrammeStatus.Published).ToListAsync(ct);
        var matching = published
            .Where(p => targetDimension is null || p.Definition.TargetDimensions.Contains(targetDimension))
            .Where(p => targetGroup is null || p.Definition.TargetGroups.Contains(targetGroup))
            .Where(p => organisationType is null || p.Definition.EligibleOrganisationTypes.Contains(organisationType))
            .Select(p => PublicProgramme.Of(p, lang, now, district))
            .Where(p => district is null || p.Calls.Count > 0)
            .Where(p => openCallsOnly != true || p.Calls.Any(c => c.State == CallState.Open))
            .OrderBy(p => p.Name, StringComparer.Create(System.Globalization.CultureInfo.GetCultureInfo("de-DE"), true));
        http.Response.Headers.ContentLanguage = lang;
        return Page<PublicProgramme>.Of(matching, number, size);
    }

    [WolverineGet("/catalogue/programmes/{id}", OperationId = "PublicProgramme"), AllowAnonymous]
    [Tags("Public catalogue"), EndpointSummary("One published programme with its open and upcoming calls (no sign-in)")]
    public static async Task<PublicProgramme> GetOne(Guid id, IQuerySession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var p = await session.LoadAsync<Programme>(id, ct);
        if (p is null || p.Status != ProgrammeStatus.Published) throw ProblemException.NotFound("The programme");
        var lang = Texts.Language(http);
        http.Response.Headers.ContentLanguage = lang;
        return PublicProgramme.Of(p, lang, clock.GetUtcNow(), null);
    }
}
