using FundingPrograms.Infrastructure;
using FundingPrograms.Notifications;
using FundingPrograms.Programmes;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;
using Wolverine.Http;

namespace FundingPrograms.Grants;

/// <summary>
/// An amendment notice (Änderungsbescheid): any of a new amount (with its year split), a new funding period, new
/// conditions — always with a reason. Increases are budget-checked like approval; decreases release commitment.
/// </summary>
public sealed record AmendGrant(
    decimal? Amount,
    YearAmountInput[]? YearSplit,
    DateOnly? PeriodStart,
    DateOnly? PeriodEnd,
    string? Conditions,
    string? GeneralConditionsVersion,
    string? Reason,
    long? Version);

public sealed record Amendment(GrantAmended Amended, BudgetCommitted? Committed, BudgetReleased? Released);

public static class AmendGrantEndpoint
{
    public static Amendment Decide(Grant grant, Programme programme, AmendGrant cmd, Actor officer, string? assessorId, DateTimeOffset now)
    {
        var old = grant.Notice;
        var start = cmd.PeriodStart ?? old.PeriodStart;
        var end = cmd.PeriodEnd ?? old.PeriodEnd;
        var amount = cmd.Amount ?? old.GrantedAmount;
        var check = new Check()
            .Required(cmd.Reason, "reason", 2000)
            .Money(cmd.Amount, "amount", required: false, allowZero: false)
            .Date(cmd.PeriodStart, "periodStart")
            .Date(cmd.PeriodEnd, "periodEnd")
            .That(start <= end, "periodEnd", "The funding period must end after it starts.")
            .That(cmd.Conditions is null || (cmd.Conditions.Trim().Length > 0 && cmd.Conditions.Length <= 20_000), "conditions", "Conditions are 1–20,000 characters.")
            .That(cmd.GeneralConditionsVersion is null || (cmd.GeneralConditionsVersion.Trim().Length > 0 && cmd.GeneralConditionsVersion.Length <= 100),
                "generalConditionsVersion", "1–100 characters.");
        var amountChanges = cmd.Amount is not null && cmd.Amount != old.GrantedAmount;
        var periodChanges = start != old.PeriodStart || end != old.PeriodEnd;
        if (check.HasErrors) check.ThrowIfAny();
        var split = amountChanges || cmd.YearSplit is not null || periodChanges
            ? GrantRules.YearSplit(cmd.YearSplit, amount, start, end, check)
            : old.YearSplit;
        var changes = new List<string>();
        if (amountChanges) changes.Add("amount");
        if (periodChanges) changes.Add("period");
        if (!split.SequenceEqual(old.YearSplit)) changes.Add("yearSplit");
        if (cmd.Conditions is not null && cmd.Conditions.Trim() != old.Conditions) changes.Add("conditions");
        if (cmd.GeneralConditionsVersion is not null && cmd.GeneralConditionsVersion.Trim() != old.GeneralConditionsVersion) changes.Add("generalConditionsVersion");
        check.That(changes.Count > 0 || check.HasErrors, "amount", "The amendment changes nothing.");
        check.ThrowIfAny();

        var rules = new Check()
            .That(split.Sum(y => y.Amount) == amount, "yearSplit", $"The budget years add up to {split.Sum(y => y.Amount):0.00} EUR, not {amount:0.00} EUR.")
            .That(amount >= grant.Requested, "amount", $"{grant.Requested:0.00} EUR are requested or paid already; the grant cannot go below that.");
        foreach (var reserved in grant.RequestedPerYear)
            rules.That(split.Where(y => y.Year == reserved.Year).Sum(y => y.Amount) >= reserved.Amount, "yearSplit",
                $"{reserved.Amount:0.00} EUR are requested or paid for {reserved.Year}; that year cannot get less.");
        GrantRules.Caps(amount, old.TotalEligibleCosts, old.FinancingType, programme.Definition.Financing, rules);
        rules.ThrowAsRuleIfAny("The amendment breaks the programme's rules: see 'errors'.");

        if (amount > old.GrantedAmount && officer.Id == assessorId)
            throw ProblemException.Forbidden("Four-eyes rule: you assessed this application, so another person must raise its grant.");
        var delta = Grant.Delta(old.YearSplit, split);
        var increases = delta.Where(y => y.Amount > 0).ToArray();
        var decreases = delta.Where(y => y.Amount < 0).Select(y => new YearAmount(y.Year, -y.Amount)).ToArray();
        GrantRules.Budget(programme, programme.CallById(grant.CallId)!, old.BudgetLine, increases);

        var notice = old with
        {
            NoticeVersion = old.NoticeVersion + 1, GrantedAmount = amount, MaximumAmount = amount,
            SharePercent = old.TotalEligibleCosts == 0 ? 0 : decimal.Round(amount * 100m / old.TotalEligibleCosts, 2),
            PeriodStart = start, PeriodEnd = end, YearSplit = split,
            Conditions = cmd.Conditions?.Trim() ?? old.Conditions, GeneralConditionsVersion = cmd.GeneralConditionsVersion?.Trim() ?? old.GeneralConditionsVersion,
            ProofOfUseDue = end.AddMonths(programme.Definition.Financing.ProofOfUseDeadlineMonths),
            IssuedAt = now, IssuedBy = officer.Name, AmendmentReason = cmd.Reason!.Trim(),
        };
        return new Amendment(
            new GrantAmended(grant.Id, notice, changes.ToArray(), cmd.Reason!.Trim(), now),
            increases.Length > 0 ? new BudgetCommitted(programme.Id, grant.Id, grant.CallId, old.BudgetLine, increases, now) : null,
            decreases.Length > 0 ? new BudgetReleased(programme.Id, grant.Id, grant.CallId, old.BudgetLine, decreases, cmd.Reason.Trim(), now) : null);
    }

    [WolverinePost("/grants/{id}/amendments", OperationId = "AmendGrant"), Authorize(Roles = "officer,approver,admin")]
    [DeduplicatedWithResponse(DeduplicationScope.User, Required = false, ClaimInTransaction = true)]
    [Tags("Grants"), EndpointSummary("Amend a grant (amount, period, conditions) with a reason: a new version of the notice")]
    public static async Task<Ok<CaseVersion>> Post(Guid id, AmendGrant cmd, IDocumentSession session, IMessageBus bus, TimeProvider clock,
        Letters.LetterIssuer letters, HttpContext http, CancellationToken ct)
    {
        var expected = Versioning.Expected(http, cmd.Version);
        // Locks in the same order as drawdowns and bookings (grant, then programme), so they cannot deadlock.
        var grantStream = await session.Events.FetchForExclusiveWriting<Grant>(id, ct);
        if (grantStream.Aggregate is null) throw ProblemException.NotFound("The grant");
        Versioning.EnsureVersion(grantStream.CurrentVersion, expected, "The grant");
        var programmeStream = await session.Events.FetchForExclusiveWriting<Programme>(grantStream.Aggregate.ProgrammeId, ct);
        var application = await session.LoadAsync<Applications.Application>(grantStream.Aggregate.ApplicationId, ct);
        var now = clock.GetUtcNow();
        var amendment = Decide(grantStream.Aggregate, programmeStream.Aggregate!, cmd, Actor.From(http.User), application?.Assessment?.AssessorId, now);
        grantStream.AppendOne(amendment.Amended);
        if (amendment.Committed is not null) programmeStream.AppendOne(amendment.Committed);
        if (amendment.Released is not null) programmeStream.AppendOne(amendment.Released);
        var letter = await letters.Amendment(session, grantStream.Aggregate, amendment.Amended, programmeStream.Aggregate!, ct);
        var notice = amendment.Amended.Notice;
        await bus.PublishAsync(new ApplicantNotification(Guid.CreateVersion7(), grantStream.Aggregate.OrganisationId,
            $"Änderungsbescheid {notice.Reference} (Fassung {notice.NoticeVersion})",
            $"Ihr Zuwendungsbescheid „{notice.ProjectTitle}“ wurde geändert ({string.Join(", ", amendment.Amended.Changes)}). Grund: {notice.AmendmentReason}",
            $"/grants/{id}/notice.html?version={notice.NoticeVersion}", now, letter.LetterId));
        http.Response.Headers.ETag = Versioning.ETag(expected + 1);
        return TypedResults.Ok(new CaseVersion(id, expected + 1));
    }
}
