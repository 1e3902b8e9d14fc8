using FundingPrograms.ReferenceData;

namespace FundingPrograms.Programmes;

public enum FinancingType { Share, Gap, FixedAmount, Full }

public sealed record LegalBasis(string Guideline, DateOnly Date);

public sealed record FinancingRules(
    FinancingType[] AllowedTypes,
    decimal MaxSharePercent,
    decimal MinGrant,
    decimal MaxGrant,
    decimal MinOwnContributionPercent,
    decimal MaxVolunteerSharePercent,
    int DrawdownHorizonMonths,
    int ProofOfUseDeadlineMonths);

public sealed record AssessmentCriterion(string Key, string Name, decimal Weight);

/// <summary>What a programme is: its texts, legal basis, classification, financing rules and assessment criteria.</summary>
public sealed record ProgrammeDefinition(
    Dictionary<string, string> Name,
    Dictionary<string, string> Description,
    LegalBasis LegalBasis,
    string[] TargetDimensions,
    string[] TargetGroups,
    string[] EligibleOrganisationTypes,
    FinancingRules Financing,
    AssessmentCriterion[] AssessmentCriteria,
    string? AdministrativeCourt = null,
    bool LocalAuthority = false);

public sealed record LegalBasisInput(string? Guideline, DateOnly? Date);

public sealed record FinancingRulesInput(
    string[]? AllowedTypes,
    decimal? MaxSharePercent,
    decimal? MinGrant,
    decimal? MaxGrant,
    decimal? MinOwnContributionPercent,
    decimal? MaxVolunteerSharePercent,
    int? DrawdownHorizonMonths,
    int? ProofOfUseDeadlineMonths);

public sealed record AssessmentCriterionInput(string? Key, string? Name, decimal? Weight);

/// <summary>A programme definition as sent by an officer (create and revise); every field is validated with a field path.</summary>
public sealed record ProgrammeInput(
    Dictionary<string, string>? Name,
    Dictionary<string, string>? Description,
    LegalBasisInput? LegalBasis,
    string[]? TargetDimensions,
    string[]? TargetGroups,
    string[]? EligibleOrganisationTypes,
    FinancingRulesInput? Financing,
    AssessmentCriterionInput[]? AssessmentCriteria,
    string? AdministrativeCourt = null,
    bool? LocalAuthority = null)
{
    public ProgrammeDefinition Validate(ReferenceCatalogue reference)
    {
        var check = new Check()
            .LocalizedRequired(Name, "name", 300)
            .LocalizedRequired(Description, "description", 20_000);

        check.Required(LegalBasis?.Guideline, "legalBasis.guideline", 500)
            .Date(LegalBasis?.Date, "legalBasis.date", required: true);

        Codes(check, TargetDimensions, "targetDimensions", reference.IsTargetDimension, "target dimension (I, II or III)");
        Codes(check, TargetGroups, "targetGroups", reference.IsTargetGroup, "target group");
        Codes(check, EligibleOrganisationTypes, "eligibleOrganisationTypes", reference.IsOrganisationType, "organisation type");

        var f = Financing;
        var types = new List<FinancingType>();
        if (f is null) check.Add("financing", "The financing rules are required.");
        else
        {
            if (f.AllowedTypes is not { Length: > 0 }) check.Add("financing.allowedTypes", "Name at least one financing type (share, gap, fixedAmount, full).");
            else
                for (var i = 0; i < f.AllowedTypes.Length; i++)
                {
                    if (Enums.TryParseName<FinancingType>(f.AllowedTypes[i], out var t)) types.Add(t);
                    else check.Add($"financing.allowedTypes[{i}]", $"'{f.AllowedTypes[i]}' is not a financing type (share, gap, fixedAmount, full).");
                }
            check.Percent(f.MaxSharePercent, "financing.maxSharePercent")
                .Money(f.MinGrant, "financing.minGrant")
                .Money(f.MaxGrant, "financing.maxGrant", allowZero: false)
                .Percent(f.MinOwnContributionPercent, "financing.minOwnContributionPercent")
                .Percent(f.MaxVolunteerSharePercent, "financing.maxVolunteerSharePercent")
                .That(f.MinGrant is null || f.MaxGrant is null || f.MinGrant <= f.MaxGrant, "financing.minGrant", "The minimum grant must not be above the maximum.")
                .That(f.DrawdownHorizonMonths is null or (>= 1 and <= 24), "financing.drawdownHorizonMonths", "Between 1 and 24 months (default 2).")
                .That(f.ProofOfUseDeadlineMonths is null or (>= 1 and <= 36), "financing.proofOfUseDeadlineMonths", "Between 1 and 36 months (default 6).");
        }

        var criteria = (AssessmentCriteria ?? []).Select(c => c ?? new AssessmentCriterionInput(null, null, null)).ToArray();
        for (var i = 0; i < criteria.Length; i++)
        {
            check.Required(criteria[i].Key, $"assessmentCriteria[{i}].key", 50)
                .Required(criteria[i].Name, $"assessmentCriteria[{i}].name", 300)
                .That(criteria[i].Weight is > 0 and <= 100, $"assessmentCriteria[{i}].weight", "A weight is between 0 (exclusive) and 100.");
        }
        check.That(criteria.Select(c => c.Key).Distinct().Count() == criteria.Length, "assessmentCriteria", "Criterion keys must be unique.");
        check.That(AdministrativeCourt is null || Grants.NoticeContent.Courts.ContainsKey(AdministrativeCourt.Trim()), "administrativeCourt",
            $"The administrative court named in the notices' Rechtsbehelfsbelehrung: one of {string.Join(", ", Grants.NoticeContent.Courts.Keys)} (default {Grants.NoticeContent.DefaultCourt}).")
            .That(LocalAuthority != true || AdministrativeCourt is not null, "administrativeCourt",
                "An authority whose competence is local names its court (§ 52 Nr. 3 Satz 1 VwGO).");
        check.ThrowIfAny();

        return new ProgrammeDefinition(
            Texts.Clean(Name!), Texts.Clean(Description!),
            new LegalBasis(LegalBasis!.Guideline!.Trim(), LegalBasis.Date!.Value),
            TargetDimensions!.Distinct().ToArray(), TargetGroups!.Distinct().ToArray(), EligibleOrganisationTypes!.Distinct().ToArray(),
            new FinancingRules(types.Distinct().ToArray(), f!.MaxSharePercent!.Value, f.MinGrant!.Value, f.MaxGrant!.Value,
                f.MinOwnContributionPercent!.Value, f.MaxVolunteerSharePercent!.Value, f.DrawdownHorizonMonths ?? 2, f.ProofOfUseDeadlineMonths ?? 6),
            criteria.Select(c => new AssessmentCriterion(c.Key!.Trim(), c.Name!.Trim(), c.Weight!.Value)).ToArray(),
            AdministrativeCourt?.Trim() ?? Grants.NoticeContent.DefaultCourt, LocalAuthority ?? false);
    }

    private static void Codes(Check check, string[]? codes, string field, Func<string, bool> known, string what)
    {
        if (codes is not { Length: > 0 })
        {
            check.Add(field, $"Name at least one {what}.");
            return;
        }
        for (var i = 0; i < codes.Length; i++)
            check.That(codes[i] is not null && known(codes[i]), $"{field}[{i}]", $"'{codes[i]}' is not a known {what} (see GET /reference-data).");
    }
}
