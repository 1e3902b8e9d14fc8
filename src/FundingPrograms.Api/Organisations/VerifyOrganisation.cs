using Wolverine;

namespace FundingPrograms.Organisations;

/// <summary>An officer's verification of eligibility, with the evidence seen (for MSOs: migration background of members or board, and non-profit status).</summary>
public sealed record VerifyOrganisation(bool? MigrationBackgroundDocumented, bool? NonProfitStatusChecked, string? Evidence, long? Version) : IVersionedCommand;

public static class VerifyOrganisationEndpoint
{
    public static IReadOnlyList<object> Decide(Organisation organisation, VerifyOrganisation cmd, DateTimeOffset now)
    {
        var check = new Check().Required(cmd.Evidence, "evidence", 4000);
        if (organisation.Profile.OrganisationType == "mso")
            check.That(cmd.MigrationBackgroundDocumented == true, "migrationBackgroundDocumented",
                    "An MSO is verified only when the migration background of its members or board is documented.")
                .That(cmd.NonProfitStatusChecked == true, "nonProfitStatusChecked", "An MSO is verified only with its non-profit status checked.");
        check.ThrowIfAny();
        if (organisation.Verified) throw ProblemException.InvalidState("The organisation is already verified.");
        return [new OrganisationVerified(organisation.Id, cmd.MigrationBackgroundDocumented == true, cmd.NonProfitStatusChecked == true, cmd.Evidence!.Trim(), now)];
    }

    [WolverinePost("/organisations/{id}/verify", OperationId = "VerifyOrganisation"), Authorize(Roles = Roles.Officers)]
    [Tags("Organisations"), EndpointSummary("Verify an organisation's eligibility (officer)")]
    public static (Ok<CaseVersion>, Events) Post(VerifyOrganisation cmd, [WriteAggregate(Required = false)] Organisation organisation, TimeProvider clock,
        HttpContext http) =>
        CaseVersion.After(organisation, Decide(organisation, cmd, clock.GetUtcNow()), http);
}
