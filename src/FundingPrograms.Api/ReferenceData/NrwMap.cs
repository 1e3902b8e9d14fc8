using System.Text.Json;

namespace FundingPrograms.ReferenceData;

public sealed record MapDistrict(string Code, string Path, double Area, double LabelX, double LabelY);
public sealed record MapRegion(string Code, string Path);

/// <summary>
/// The 53 districts of NRW as SVG path data in a fixed box (width × height), generalised from the BKG's VG250 and projected
/// offline (ops/map/build); the five Regierungsbezirke (Kreisschlüssel prefixes 051, 053, 055, 057, 059) as outlines.
/// </summary>
public sealed record NrwMap(string Source, string Attribution, double Width, double Height, MapDistrict[] Districts, MapRegion[] Regions)
{
    public static NrwMap Instance { get; } = Load();

    private static NrwMap Load()
    {
        using var stream = typeof(NrwMap).Assembly.GetManifestResourceStream("FundingPrograms.ReferenceData.nrw-map.json")
            ?? throw new InvalidOperationException("nrw-map.json is not embedded.");
        return JsonSerializer.Deserialize<NrwMap>(stream, JsonSerializerOptions.Web)!;
    }

    /// <summary>The Regierungsbezirk of a Kreisschlüssel: its first three digits.</summary>
    public static string RegionPrefix(string district) => district[..3];
}
