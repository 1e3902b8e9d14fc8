using FundingPrograms.Applications;
using FundingPrograms.Notifications;
using FundingPrograms.Programmes;
using Wolverine;

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
    long? Version) : IVersionedCommand;

/// <summary>
/// The answer to a decision: the application's new version, the grant it created, and the letter it ordered (issued right after the
/// decision commits: <c>GET /letters/{letterId}</c> answers 202 with <c>status: pending</c> until it exists, normally milliseconds).
/// </summary>
public sealed record DecisionResult(Guid Id, long Version, Guid? GrantId, Guid? LetterId = null);

public sealed record Approval(ApplicationApproved Approved, GrantIssued Issued, BudgetCommitted Committed);

public static class ApproveApplicationEndpoint
{
    /// <param name="reference">The Bewilligungsnummer, from the per-year sequence (<see cref="References"/>): unique by construction, never from a clock.</param>
    /// <param name="seatDistrict">The Kreisschlüssel of the organisation's seat: the court of the Rechtsbehelfsbelehrung (§ 52 Nr. 3 Satz 2 VwGO).</param>
    public static Approval Decide(Application application, Programme programme, Guid grantId, string reference, ApproveApplication cmd,
        IReadOnlyList<DoubleFundingFinding> findings, Actor approver, DateTimeOffset now, string? seatDistrict = null)
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
        var notice = new GrantNotice(1, reference, content.Title!, application.OrganisationId, application.OrganisationName,
            programme.Id, programme.Definition.Name, requested, amount, amount < requested ? cmd.ReductionReason!.Trim() : null,
            content.FinancingType.Value, total, NoticeContent.SharePercent(content.FinancingType.Value, amount, total), amount,
            content.PeriodStart!.Value, content.PeriodEnd!.Value, line, split, cmd.Conditions!.Trim(), cmd.GeneralConditionsVersion!.Trim(),
            ProofOfUse.DueDate(content.PeriodEnd.Value, programme.Definition.Financing.ProofOfUseDeadlineMonths), now, approver.Name, null,
            NoticeContent.LegalBasisOf(programme.Definition), content.Summary ?? content.Title, NoticeContent.Terms(content.FinancingType.Value, amount, total),
            NoticeContent.EligibleCosts(content), NoticeContent.EarlyStart(application), NoticeContent.Remedy(programme.Definition, seatDistrict));
        return new Approval(
            new ApplicationApproved(application.Id, grantId, amount, acknowledged, approver.Id, approver.Name, now),
            new GrantIssued(grantId, application.Id, application.CallId, notice, acknowledged, now),
            new BudgetCommitted(programme.Id, grantId, application.CallId, line, split, now));
    }

    [WolverinePost("/applications/{id}/approve", OperationId = "ApproveApplication"), Authorize(Roles = Roles.Approvers)]
    [Tags("Decisions"), EndpointSummary("Approve an assessed application: issue the grant notice and commit the budget (approver, not the assessor)")]
    public static async Task<(Ok<DecisionResult>, Events)> Post(ApproveApplication cmd, [WriteAggregate(Required = false)] Application application,
        IDocumentSession session, IMessageBus bus, TimeProvider clock, Letters.LetterIssuer letters, HttpContext http, CancellationToken ct)
    {
        var findings = await DoubleFunding.Find(session, application, ct);
        var grantId = CaseIds.New(http);
        var now = clock.GetUtcNow();
        var approver = Actor.From(http.User);
        // Decide and map the notice's letter before taking the budget's lock (the letter itself is rendered after the commit), ...
        var programme = await session.LoadAsync<Programme>(application.ProgrammeId, ct) ?? throw ProblemException.NotFound("The programme");
        // The number is taken before deciding (the letter mapped outside the lock names it); a refused approval leaves a gap, never a duplicate.
        var reference = await References.Next(session, ReferenceKind.GrantNotice, now, ct);
        var seat = (await session.LoadAsync<Organisations.Organisation>(application.OrganisationId, ct))?.Profile.District;
        var proposed = Decide(application, programme, grantId, reference, cmd, findings, approver, now, seat);
        var letter = await letters.GrantNotice(session, proposed.Issued, application, programme, ct);
        // ... then lock the programme's stream for the rest of the transaction and decide again on the locked budget: approvals
        // against one budget queue up only for the check and the append, so exactly as many succeed as the budget holds.
        var programmeStream = await session.Events.FetchForExclusiveWriting<Programme>(application.ProgrammeId, ct);
        var approval = Decide(application, programmeStream.Aggregate!, grantId, reference, cmd, findings, approver, now, seat);

        programmeStream.AppendOne(approval.Committed);
        session.Events.StartStream<Grant>(grantId, approval.Issued);
        var notice = approval.Issued.Notice;
        var lang = await NotificationTexts.LanguageOf(session, application.OrganisationId, ct);
        await letter.Notify(new ApplicantNotification(Guid.CreateVersion7(), application.OrganisationId,
            lang.N("approved.subject", ("reference", notice.Reference), ("title", notice.ProjectTitle)),
            lang.N("approved.body", ("title", notice.ProjectTitle), ("amount", lang.Eur(notice.GrantedAmount)), ("from", lang.Day(notice.PeriodStart)),
                ("to", lang.Day(notice.PeriodEnd))),
            $"/grants/{grantId}/notice.html", now, letter.LetterId));
        var version = application.Version + 1;
        http.Response.Headers.ETag = Versioning.ETag(version);
        return (TypedResults.Ok(new DecisionResult(application.Id, version, grantId, letter.LetterId)), new Events([approval.Approved]));
    }
}
