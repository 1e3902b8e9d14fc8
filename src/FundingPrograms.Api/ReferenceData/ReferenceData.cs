using System.Text.Json;

namespace FundingPrograms.ReferenceData;

public sealed record Region(string Code, string Name);
public sealed record District(string Code, string Name, string Kind, string Region, string Settlement);
public sealed record Classification(string Code, Dictionary<string, string> Name);

/// <summary>An administrative court of NRW with the districts (Kreisschlüssel) it serves (§ 17 JustG NRW).</summary>
public sealed record AdministrativeCourt(string Name, string Address, string[] Districts);

/// <summary>NRW's districts and regions and the strategy's classifications, from reference-data.json (embedded).</summary>
public sealed record ReferenceCatalogue(
    string Source,
    Region[] Regions,
    District[] Districts,
    Classification[] OrganisationTypes,
    Classification[] TargetDimensions,
    Classification[] TargetGroups,
    Classification[] FinancingTypes,
    AdministrativeCourt[] AdministrativeCourts,
    string AdministrativeCourtsSource)
{
    /// <summary>Loaded once; the data ships with the code.</summary>
    public static ReferenceCatalogue Instance { get; } = Load();

    private static ReferenceCatalogue Load()
    {
        using var stream = typeof(ReferenceCatalogue).Assembly.GetManifestResourceStream("FundingPrograms.ReferenceData.reference-data.json")
            ?? throw new InvalidOperationException("reference-data.json is not embedded.");
        var options = new JsonSerializerOptions();
        Web.ConfigureJson(options);
        return JsonSerializer.Deserialize<ReferenceCatalogue>(stream, options)!;
    }

    public bool IsDistrict(string code) => Districts.Any(d => d.Code == code);
    public bool IsOrganisationType(string code) => OrganisationTypes.Any(d => d.Code == code);
    public bool IsTargetDimension(string code) => TargetDimensions.Any(d => d.Code == code);
    public bool IsTargetGroup(string code) => TargetGroups.Any(d => d.Code == code);

    /// <summary>The administrative court whose district holds the given Kreisschlüssel (§ 17 JustG NRW), or null outside NRW.</summary>
    public AdministrativeCourt? CourtFor(string? district) =>
        district is null ? null : AdministrativeCourts.FirstOrDefault(c => c.Districts.Contains(district, StringComparer.Ordinal));
}

public static class GetReferenceDataEndpoint
{
    [WolverineGet("/reference-data", OperationId = "GetReferenceData"), AllowAnonymous]
    [Tags("Reference data"), EndpointSummary("Districts, regions, organisation types, target dimensions and groups, financing types, administrative courts and their districts")]
    public static ReferenceCatalogue Get() => ReferenceCatalogue.Instance;
}
