using FundingPrograms.Applications;
using FundingPrograms.Programmes;

namespace FundingPrograms.Grants;

/// <summary>The legal basis a notice names: the programme's guideline and the provisions of budget law it rests on.</summary>
public sealed record NoticeLegalBasis(string Guideline, DateOnly GuidelineDate, string[] Provisions);

/// <summary>
/// The financing type with its exact terms (VV Nr. 4.2.3 zu § 44 LHO): share = <c>SharePercent</c> of the eligible costs, at
/// most <c>MaximumAmount</c>; gap and full = at most <c>MaximumAmount</c>; fixed amount = <c>FixedAmount</c> (no share).
/// </summary>
public sealed record FinancingTerms(FinancingType Type, decimal? SharePercent, decimal? MaximumAmount, decimal? FixedAmount);

/// <summary>One line of the eligible costs (from the financing plan); volunteer work is valued, counted as cost and as own contribution.</summary>
public sealed record EligibleCost(string Category, string Description, decimal Amount);

/// <summary>The Rechtsbehelfsbelehrung: in NRW an action before the administrative court within one month (§ 74 VwGO, § 110 JustG NRW).</summary>
public sealed record LegalRemedy(string Court, string CourtAddress, string Text);

/// <summary>The approved early start the notice mentions (VV Nr. 1.3 zu § 44 LHO).</summary>
public sealed record EarlyStartNote(DateOnly From, DateTimeOffset ApprovedAt, string ApprovedBy, string Note);

public static class NoticeContent
{
    public static readonly string[] GrantProvisions = ["§§ 23, 44 LHO NRW", "VV zu § 44 LHO NRW", "§§ 35 ff. VwVfG NRW"];

    /// <summary>The seven administrative courts of NRW and their addresses (a programme names the competent one).</summary>
    public static readonly IReadOnlyDictionary<string, string> Courts = new Dictionary<string, string>
    {
        ["Verwaltungsgericht Aachen"] = "Adalbertsteinweg 92, 52070 Aachen",
        ["Verwaltungsgericht Arnsberg"] = "Jägerstraße 1, 59821 Arnsberg",
        ["Verwaltungsgericht Düsseldorf"] = "Bastionstraße 39, 40213 Düsseldorf",
        ["Verwaltungsgericht Gelsenkirchen"] = "Bahnhofsvorplatz 3, 45879 Gelsenkirchen",
        ["Verwaltungsgericht Köln"] = "Appellhofplatz, 50667 Köln",
        ["Verwaltungsgericht Minden"] = "Königswall 8, 32423 Minden",
        ["Verwaltungsgericht Münster"] = "Piusallee 38, 48147 Münster",
    };

    /// <summary>The ministry sits in Düsseldorf: its court unless the programme names another.</summary>
    public const string DefaultCourt = "Verwaltungsgericht Düsseldorf";

    public static LegalRemedy Remedy(string? court)
    {
        var name = court is not null && Courts.ContainsKey(court) ? court : DefaultCourt;
        var address = Courts[name];
        return new LegalRemedy(name, address,
            $"Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Klage beim {name}, {address}, erhoben werden. " +
            "Die Klage ist schriftlich oder zu Protokoll der Urkundsbeamtin oder des Urkundsbeamten der Geschäftsstelle zu erheben. " +
            "Sie kann auch durch Übertragung eines elektronischen Dokuments nach Maßgabe des § 55a VwGO erhoben werden.");
    }

    public static NoticeLegalBasis LegalBasisOf(ProgrammeDefinition d) => new(d.LegalBasis.Guideline, d.LegalBasis.Date, GrantProvisions);

    /// <summary>The funding rate a notice states: only share financing has one (ANBest-P Nr. 2.1.1); fixed amount, gap and full have none.</summary>
    public static decimal? SharePercent(FinancingType type, decimal amount, decimal eligibleCosts) =>
        type == FinancingType.Share ? eligibleCosts == 0 ? 0 : decimal.Round(amount * 100m / eligibleCosts, 2) : null;

    public static FinancingTerms Terms(FinancingType type, decimal amount, decimal eligibleCosts) => type switch
    {
        FinancingType.Share => new FinancingTerms(type, eligibleCosts == 0 ? 0 : decimal.Round(amount * 100m / eligibleCosts, 2), amount, null),
        FinancingType.FixedAmount => new FinancingTerms(type, null, null, amount),
        _ => new FinancingTerms(type, null, amount, null),
    };

    public static EligibleCost[] EligibleCosts(ApplicationContent c)
    {
        var lines = c.CostItems.Select(i => new EligibleCost(i.Category.ToString().ToLowerInvariant(), i.Description, i.Amount)).ToList();
        if (c.OwnVolunteerWork > 0) lines.Add(new EligibleCost("volunteerWork", "Unbare Eigenleistung (bewertete ehrenamtliche Arbeit)", c.OwnVolunteerWork));
        return lines.ToArray();
    }

    public static EarlyStartNote? EarlyStart(Application application) => application.EarlyStart is { } e
        ? new EarlyStartNote(e.From, e.At, e.OfficerName, Applications.ApproveEarlyStartEndpoint.NoPromise)
        : null;
}
