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

    /// <summary>The seven administrative courts of NRW and their addresses (reference data, § 17 JustG NRW).</summary>
    public static readonly IReadOnlyDictionary<string, string> Courts =
        ReferenceData.ReferenceCatalogue.Instance.AdministrativeCourts.ToDictionary(c => c.Name, c => c.Address);

    /// <summary>The ministry sits in Düsseldorf: the court where the addressee has no seat in NRW (§ 52 Nr. 3 Satz 3 with Nr. 5 VwGO).</summary>
    public const string DefaultCourt = "Verwaltungsgericht Düsseldorf";

    /// <summary>
    /// The court of the Rechtsbehelfsbelehrung. A Land-wide authority's decision is challenged where the addressee has its seat
    /// (§ 52 Nr. 3 Satz 2 VwGO): the court whose district (§ 17 JustG NRW) holds the organisation's Kreisschlüssel. Only a programme
    /// run by an authority whose competence is local (<see cref="ProgrammeDefinition.LocalAuthority"/>) names its own court (§ 52 Nr. 3
    /// Satz 1 VwGO). An addressee without a seat in NRW: the authority's court (Satz 3 with Nr. 5). A wrong court would make the
    /// appeal period one year (§ 58 (2) VwGO).
    /// </summary>
    public static LegalRemedy Remedy(ProgrammeDefinition? programme, string? seatDistrict)
    {
        if (programme is { LocalAuthority: true, AdministrativeCourt: { } own } && Courts.ContainsKey(own)) return Remedy(own);
        return Remedy(ReferenceData.ReferenceCatalogue.Instance.CourtFor(seatDistrict)?.Name);
    }

    /// <summary>The remedy naming a court (unknown or none: <see cref="DefaultCourt"/>).</summary>
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
