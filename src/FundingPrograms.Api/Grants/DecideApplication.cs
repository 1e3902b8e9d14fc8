using FundingPrograms.Applications;
using FundingPrograms.Infrastructure;
using FundingPrograms.Notifications;
using FundingPrograms.Programmes;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;
using Wolverine.Http;

namespace FundingPrograms.Grants;

public sealed record YearAmountInput(int? Year, decimal? Amount);

public sealed record AcknowledgementInput(string? FindingId, string? Reason);

/// <summary>
/// Approval by a second officer (never the assessor): the grant notice's terms, and a reason for each double-funding
/// finding. Commits the yearly amounts against the programme's budget in the same transaction as the grant.
/// </summary>
public sealed record ApproveApplication(
    decimal? Amount,
    string? ReductionReason,
    string? BudgetLine,
    YearAmountInput[]? YearSplit,
    string? Conditions,
    string? GeneralConditionsVersion,
    AcknowledgementInput[]? Acknowledgements,
    long? Version);

public sealed record DecisionResult(Guid Id, long Version, Guid? GrantId);

public sealed record Approval(ApplicationApproved Approved, GrantIssued Issued, BudgetCommitted Committed);

public static class GrantRules
{
    /// <summary>Shape of a year split; defaults to the whole amount in the period's only year.</summary>
    public static YearAmount[] YearSplit(YearAmountInput[]? input, decimal amount, DateOnly start, DateOnly end, Check check)
    {
        if (input is not { Length: > 0 })
        {
            if (start.Year == end.Year) return [new YearAmount(start.Year, amount)];
            check.Add("yearSplit", $"The funding period spans {start.Year}–{end.Year}: split the amount across these budget years.");
            return [];
        }
        if (input.Any(y => y is null))
        {
            check.Add("yearSplit", "An empty entry: remove it or fill it in.");
            return [];
        }
        for (var i = 0; i < input.Length; i++)
            check.That(input[i].Year is { } y && y >= start.Year && y <= end.Year, $"yearSplit[{i}].year", $"A budget year of the funding period ({start.Year}–{end.Year}).")
                .Money(input[i].Amount, $"yearSplit[{i}].amount", allowZero: false);
        check.That(input.Select(y => y.Year).Distinct().Count() == input.Length, "yearSplit", "Each budget year once.");
        return check.HasErrors ? [] : input.Select(y => new YearAmount(y.Year!.Value, y.Amount!.Value)).OrderBy(y => y.Year).ToArray();
    }

    /// <summary>The amount against the programme's caps: maximum grant and, unless fully financed, the maximum share.</summary>
    public static void Caps(decimal amount, decimal totalCosts, FinancingType type, FinancingRules rules, Check check)
    {
        check.That(amount <= rules.MaxGrant, "amount", $"The programme grants at most {rules.MaxGrant:0.00} EUR.")
            .That(amount >= rules.MinGrant, "amount", $"The programme grants at least {rules.MinGrant:0.00} EUR.");
        if (type != FinancingType.Full && totalCosts > 0)
            check.That(amount * 100m <= rules.MaxSharePercent * totalCosts, "amount",
                $"The programme funds at most {rules.MaxSharePercent} % of the eligible costs ({decimal.Round(totalCosts * rules.MaxSharePercent / 100m, 2):0.00} EUR).");
    }

    /// <summary>
    /// No project that has already begun (VV Nr. 1.3 zu § 44 LHO): the funding period starts on the notice's date or later,
    /// unless an early start was approved beforehand, from its date on.
    /// </summary>
    public static Check NotStartedBefore(DateOnly start, DateOnly noticeDate, DateOnly? earlyStartFrom, Check check, string field = "periodStart")
    {
        if (start >= noticeDate) return check;
        if (earlyStartFrom is { } from)
            return check.That(start >= from, field,
                $"VV Nr. 1.3 zu § 44 LHO: the early start was approved from {from:yyyy-MM-dd}; the funding period cannot start before that ({start:yyyy-MM-dd}).");
        return check.Add(field,
            $"VV Nr. 1.3 zu § 44 LHO: no funding for a project already begun — the funding period starts {start:yyyy-MM-dd}, before the notice ({noticeDate:yyyy-MM-dd}), and no early start was approved.");
    }

    /// <summary>Budget for each year on the line, and the call's cap: 422 naming what is missing or how much is free.</summary>
    public static void Budget(Programme programme, Call call, string line, YearAmount[] increases)
    {
        var check = new Check();
        foreach (var y in increases.Where(y => y.Amount > 0))
        {
            var budget = programme.BudgetFor(line, y.Year);
            if (budget is null) check.Add($"yearSplit.{y.Year}", $"Budget line {line} has no budget for {y.Year}.");
            else check.That(budget.Free >= y.Amount, $"yearSplit.{y.Year}",
                $"Budget line {line} has {budget.Free:0.00} EUR free in {y.Year}; {y.Amount:0.00} EUR do not fit.");
        }
        var total = increases.Sum(y => y.Amount);
        if (call.BudgetCap is { } cap && total > 0)
            check.That(call.Committed + total <= cap, "amount", $"The call's budget cap of {cap:0.00} EUR has {cap - call.Committed:0.00} EUR left.");
        check.ThrowAsRuleIfAny("The budget does not allow this: see 'errors'.");
    }
}

public static class ApproveApplicationEndpoint
{
    public static Approval Decide(Application application, Programme programme, Guid grantId, ApproveApplication cmd,
        IReadOnlyList<DoubleFundingFinding> findings, Actor approver, DateTimeOffset now)
    {
        var content = application.Content;
        var requested = content.RequestedAmount ?? 0;
        var check = new Check()
            .Money(cmd.Amount, "amount", allowZero: false)
            .Required(cmd.BudgetLine, "budgetLine", 40)
            .Required(cmd.Conditions, "conditions", 20_000)
            .Required(cmd.GeneralConditionsVersion, "generalConditionsVersion", 100)
            .That(cmd.Amount is null || cmd.Amount >= requested || !string.IsNullOrWhiteSpace(cmd.ReductionReason), "reductionReason",
                "Granting less than requested needs a reason.");
        var acknowledgements = (cmd.Acknowledgements ?? []).Select(a => a ?? new AcknowledgementInput(null, null)).ToArray();
        for (var i = 0; i < acknowledgements.Length; i++)
            check.Required(acknowledgements[i].FindingId, $"acknowledgements[{i}].findingId", 300)
                .Required(acknowledgements[i].Reason, $"acknowledgements[{i}].reason", 2000);
        var split = application.State == ApplicationState.Assessed && cmd.Amount is { } a
            ? GrantRules.YearSplit(cmd.YearSplit, a, content.PeriodStart!.Value, content.PeriodEnd!.Value, check) : [];
        check.ThrowIfAny();

        if (application.State != ApplicationState.Assessed)
            throw ProblemException.InvalidState($"Only an assessed application can be decided; this one is {application.State.ToString().ToLowerInvariant()}.");
        if (application.Assessment!.AssessorId == approver.Id)
            throw ProblemException.Forbidden("Four-eyes rule: you assessed this application, so another approver must decide it.");

        var amount = cmd.Amount!.Value;
        var figures = PlanFigures.Of(content, programme.Definition.Financing);
        var total = figures.TotalCosts;
        var rules = new Check()
            .That(amount <= requested, "amount", $"The grant cannot exceed the requested {requested:0.00} EUR.")
            .That(split.Sum(y => y.Amount) == amount, "yearSplit", $"The budget years add up to {split.Sum(y => y.Amount):0.00} EUR, not {amount:0.00} EUR.");
        GrantRules.Caps(amount, total, content.FinancingType!.Value, programme.Definition.Financing, rules);
        ApplicationRules.CashCovered(figures, rules);
        GrantRules.NotStartedBefore(content.PeriodStart!.Value, BerlinTime.Today(now), application.EarlyStart?.From, rules);
        rules.ThrowAsRuleIfAny("The grant's terms break the programme's rules: see 'errors'.");

        var call = programme.CallById(application.CallId)!;
        var line = cmd.BudgetLine!.Trim();
        GrantRules.Budget(programme, call, line, split);

        var unacknowledged = findings.Where(f => !acknowledgements.Any(x => x.FindingId == f.Id)).ToArray();
        if (unacknowledged.Length > 0)
        {
            var problem = ProblemException.Rule(
                $"{unacknowledged.Length} possible double funding(s) must be acknowledged with a reason before approval (see 'findings' and GET /applications/{application.Id}/double-funding).");
            problem.Problem.Extensions["findings"] = unacknowledged;
            throw problem;
        }

        var acknowledged = findings.Select(f => new AcknowledgedFinding(f.Id, f.Description, acknowledgements.First(x => x.FindingId == f.Id).Reason!.Trim())).ToArray();
        var notice = new GrantNotice(1, Grant.ReferenceFor(grantId, now), content.Title!, application.OrganisationId, application.OrganisationName,
            programme.Id, programme.Definition.Name, requested, amount, amount < requested ? cmd.ReductionReason!.Trim() : null,
            content.FinancingType.Value, total, total == 0 ? 0 : decimal.Round(amount * 100m / total, 2), amount,
            content.PeriodStart!.Value, content.PeriodEnd!.Value, line, split, cmd.Conditions!.Trim(), cmd.GeneralConditionsVersion!.Trim(),
            ProofOfUse.DueDate(content.PeriodEnd.Value, programme.Definition.Financing.ProofOfUseDeadlineMonths), now, approver.Name, null,
            NoticeContent.LegalBasisOf(programme.Definition), content.Summary ?? content.Title, NoticeContent.Terms(content.FinancingType.Value, amount, total),
            NoticeContent.EligibleCosts(content), NoticeContent.EarlyStart(application), NoticeContent.Remedy(programme.Definition.AdministrativeCourt));
        return new Approval(
            new ApplicationApproved(application.Id, grantId, amount, acknowledged, approver.Id, approver.Name, now),
            new GrantIssued(grantId, application.Id, application.CallId, notice, acknowledged, now),
            new BudgetCommitted(programme.Id, grantId, application.CallId, line, split, now));
    }

    [WolverinePost("/applications/{id}/approve", OperationId = "ApproveApplication"), Authorize(Roles = Roles.Approvers)]
    [Tags("Decisions"), EndpointSummary("Approve an assessed application: issue the grant notice and commit the budget (approver, not the assessor)")]
    public static async Task<Ok<DecisionResult>> Post(Guid id, ApproveApplication cmd, IDocumentSession session, IMessageBus bus, TimeProvider clock,
        Letters.LetterIssuer letters, HttpContext http, CancellationToken ct)
    {
        var expected = Versioning.Expected(http, cmd.Version);
        var applicationStream = await session.FetchForCommand<Application>(id, expected, ApplicationAccess.What, ct);
        var application = applicationStream.Aggregate!;
        // The programme's stream is locked for the rest of the transaction: approvals against one budget queue up,
        // so exactly as many succeed as the budget holds.
        var programmeStream = await session.Events.FetchForExclusiveWriting<Programme>(application.ProgrammeId, ct);
        var findings = await DoubleFunding.Find(session, application, ct);
        var grantId = CaseIds.New(http);
        var now = clock.GetUtcNow();
        var approval = Decide(application, programmeStream.Aggregate!, grantId, cmd, findings, Actor.From(http.User), now);

        applicationStream.AppendOne(approval.Approved);
        programmeStream.AppendOne(approval.Committed);
        session.Events.StartStream<Grant>(grantId, approval.Issued);
        var letter = await letters.GrantNotice(session, approval.Issued, application, programmeStream.Aggregate!, ct);
        var notice = approval.Issued.Notice;
        await bus.PublishAsync(new ApplicantNotification(Guid.CreateVersion7(), application.OrganisationId,
            $"Zuwendungsbescheid {notice.Reference}: {notice.ProjectTitle}",
            $"Ihr Antrag „{notice.ProjectTitle}“ wurde bewilligt: {notice.GrantedAmount:0.00} EUR für {notice.PeriodStart:dd.MM.yyyy}–{notice.PeriodEnd:dd.MM.yyyy}.",
            $"/grants/{grantId}/notice.html", now, letter.LetterId));
        http.Response.Headers.ETag = Versioning.ETag(expected + 1);
        return TypedResults.Ok(new DecisionResult(id, expected + 1, grantId));
    }
}

public sealed record RejectApplication(string? Reasons, long? Version);

public static class RejectApplicationEndpoint
{
    public static IReadOnlyList<object> Decide(Application application, Programme programme, RejectApplication cmd, Actor approver, DateTimeOffset now)
    {
        new Check().Required(cmd.Reasons, "reasons", 4000).ThrowIfAny();
        if (application.State != ApplicationState.Assessed)
            throw ProblemException.InvalidState($"Only an assessed application can be decided; this one is {application.State.ToString().ToLowerInvariant()}.");
        if (application.Assessment!.AssessorId == approver.Id)
            throw ProblemException.Forbidden("Four-eyes rule: you assessed this application, so another approver must decide it.");
        var reasons = cmd.Reasons!.Trim();
        var c = application.Content;
        var notice = new RejectionNotice(RejectionNotice.ReferenceFor(application.Id, now), c.Title ?? "", application.Id, application.OrganisationId,
            application.OrganisationName, programme.Id, programme.Definition.Name, NoticeContent.LegalBasisOf(programme.Definition), c.RequestedAmount ?? 0,
            c.PeriodStart, c.PeriodEnd, reasons, NoticeContent.Remedy(programme.Definition.AdministrativeCourt), now, approver.Name);
        return [new ApplicationRejected(application.Id, reasons, approver.Id, approver.Name, now, notice)];
    }

    [WolverinePost("/applications/{id}/reject", OperationId = "RejectApplication"), Authorize(Roles = Roles.Approvers)]
    [Tags("Decisions"), EndpointSummary("Reject an assessed application with reasons: a rejection notice (approver, not the assessor)")]
    public static async Task<Ok<CaseVersion>> Post(Guid id, RejectApplication cmd, IDocumentSession session, IMessageBus bus, TimeProvider clock,
        Letters.LetterIssuer letters, HttpContext http, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var current = await session.LoadAsync<Application>(id, ct) ?? throw ProblemException.NotFound(ApplicationAccess.What);
        var programme = await session.LoadAsync<Programme>(current.ProgrammeId, ct) ?? throw ProblemException.NotFound("The programme");
        Application? application = null;
        IReadOnlyList<object> events = [];
        var result = await session.Decide<Application>(http, id, cmd.Version, ApplicationAccess.What,
            a => events = Decide(application = a, programme, cmd, Actor.From(http.User), now), ct);
        var letter = await letters.Rejection(session, application!, events.OfType<ApplicationRejected>().Single(), ct);
        await bus.PublishAsync(new ApplicantNotification(Guid.CreateVersion7(), application!.OrganisationId,
            $"Ablehnungsbescheid zu Ihrem Antrag „{application.Content.Title}“",
            $"Ihr Antrag wurde abgelehnt. Gründe: {cmd.Reasons!.Trim()}", $"/applications/{id}/rejection-notice.html", now, letter.LetterId));
        return result;
    }
}
