using FundingPrograms.Public;
using FundingPrograms.ReferenceData;

namespace FundingPrograms.Reports;

public sealed record DistrictFigure(string Code, string Name, string Region, int? Grants, decimal? Granted, int? Organisations, bool Suppressed);

/// <summary>Granted money per district for the public map, with small-cell suppression consistent with <see cref="PublicStatistics"/>.</summary>
public sealed record PublicDistrictStatistics(IReadOnlyList<DistrictFigure> Districts, DistrictFigure Total, int MinimumOrganisations)
{
    /// <summary>
    /// One table: the districts (rows) by their Regierungsbezirk (columns, each district in exactly one), with district totals,
    /// region totals and the NRW total. The region totals and the NRW total are the same figures as the total row of the
    /// public region × target dimension table, so the cells that table suppresses are suppressed here too, and the ones it
    /// publishes are never used to protect a district: a suppressed district is protected by another hidden district of its
    /// region, so that neither table nor both together let a reader recompute it. Same facts as that table (grants in force,
    /// applications with a target dimension, money split by district shares).
    /// </summary>
    public static PublicDistrictStatistics Compute(FactSet facts, int? year, ReferenceCatalogue reference, PublicStatistics regionTable)
    {
        var districts = reference.Districts;
        var regions = reference.Regions;
        int rows = districts.Length + 1, cols = regions.Length + 1;
        var table = new MarginTable(rows, cols);
        var rowOf = districts.Select((d, i) => (d.Code, i)).ToDictionary(x => x.Code, x => x.i);
        var colOf = districts.ToDictionary(d => d.Code, d => Array.FindIndex(regions, r => r.Code == d.Region));
        var dimensions = reference.TargetDimensions.Select(d => d.Code).ToHashSet();
        foreach (var a in facts.Applications)
        {
            if (facts.GrantOf(a) is not { } grant || a.TargetDimension is null || !dimensions.Contains(a.TargetDimension)) continue;
            var amount = grant.GrantedPerYear.Where(y => year is null || y.Year == year).Sum(y => y.Amount);
            if (amount == 0) continue;
            foreach (var (district, part) in Facts.Split(amount, a.Districts, a.DistrictShares))
            {
                if (!rowOf.TryGetValue(district, out var row) || colOf[district] is var col && col < 0) continue;
                table.Add(row, col, part, grant.Id, a.OrganisationId);
            }
        }
        var raw = table.Cells();

        var forced = new bool[rows, cols];
        var avoid = new bool[rows, cols];
        for (var c = 0; c < cols; c++)
        {
            var shared = c == cols - 1 ? regionTable.Total.Total : regionTable.Total.Cells.Single(x => x.Column == regions[c].Code);
            forced[rows - 1, c] = shared.Suppressed;
            avoid[rows - 1, c] = !shared.Suppressed;
        }
        var hidden = Suppression.Decide(raw, forced, avoid);

        DistrictFigure Figure(int r, string code, string name, string region) =>
            hidden[r, cols - 1]
                ? new DistrictFigure(code, name, region, null, null, null, true)
                : new DistrictFigure(code, name, region, raw[r, cols - 1].Grants, raw[r, cols - 1].Granted, raw[r, cols - 1].Organisations, false);
        return new PublicDistrictStatistics(
            districts.Select((d, i) => Figure(i, d.Code, d.Name, d.Region)).ToList(),
            Figure(rows - 1, "total", "Nordrhein-Westfalen", ""), Suppression.MinimumOrganisations);
    }

    /// <summary>The choropleth of these figures in a language of the public pages.</summary>
    public string Svg(PublicLanguage language, string id, bool standalone, Func<string, string>? href = null)
    {
        var max = Districts.Where(d => !d.Suppressed).Select(d => d.Granted ?? 0m).DefaultIfEmpty(0m).Max();
        var areas = Districts.Select(d => new MapArea(d.Code, d.Name,
            d.Suppressed ? DistrictMap.Hatch : DistrictMap.Fill(d.Granted ?? 0m, max),
            Label(language, d), href?.Invoke(d.Code))).ToList();
        return DistrictMap.Svg(areas, new DistrictMap.Options(id, language.T("stats.mapTitle"),
            $"{language.T("stats.mapHelp")} {language.T("stats.regionsOutline")}", language.Code, standalone ? Legend(language) : null, standalone,
            language.T("stats.legend")));
    }

    public static string Label(PublicLanguage language, DistrictFigure d) =>
        d.Suppressed ? language.T("stats.mapLabelHidden", ("name", d.Name))
        : d.Grants is null or 0 ? language.T("stats.mapLabelNone", ("name", d.Name))
        : language.T("stats.mapLabel", ("name", d.Name), ("grants", language.Number(d.Grants.Value)), ("amount", language.Money(d.Granted ?? 0m)));

    public IReadOnlyList<MapLegendEntry> Legend(PublicLanguage language)
    {
        var max = Districts.Where(d => !d.Suppressed).Select(d => d.Granted ?? 0m).DefaultIfEmpty(0m).Max();
        var legend = new List<MapLegendEntry> { new(DistrictMap.NoneFill, language.T("stats.noGrants")) };
        if (max > 0)
            legend.AddRange(DistrictMap.Classes(max).Select(c => new MapLegendEntry(c.Fill,
                language.T("stats.class", ("from", language.Money(decimal.Round(c.From, 0))), ("to", language.Money(decimal.Round(c.To, 0)))))));
        legend.Add(new MapLegendEntry(DistrictMap.Hatch, language.T("stats.suppressed")));
        return legend;
    }
}
