using FundingPrograms.Applications;
using FundingPrograms.Notifications;
using FundingPrograms.Programmes;
using Wolverine;

namespace FundingPrograms.Grants;

/// <summary>
/// An amendment notice (Änderungsbescheid): any of a new amount (with its year split), a new funding period, new
/// conditions — always with a reason. Amendments obey the rules of the first notice (VV Nr. 4.2 zu § 44 LHO): period at
/// most 36 months, not before the call opened, not moved before the amendment's date without an approved early start;
/// amount within the programme's caps. A decrease or a change of period or conditions is issued by one officer; a raise
/// is only proposed, and issued when an approver who did not propose it approves it (four-eyes).
/// </summary>
public sealed record AmendGrant(
    decimal? Amount,
    YearAmountInput[]? YearSplit,
    DateOnly? PeriodStart,
    DateOnly? PeriodEnd,
    string? Conditions,
    string? GeneralConditionsVersion,
    string? Reason,
    long? Version) : IVersionedCommand;

public sealed record Amendment(GrantAmended Amended, BudgetCommitted? Committed, BudgetReleased? Released);

/// <summary>Either an issued amendment, or (for a raise) a proposal awaiting an approver.</summary>
public sealed record AmendmentDecision(Amendment? Issued, GrantAmendmentProposed? Proposed);

public sealed record AmendmentResult(Guid Id, long Version, string Status, Guid? ProposalId);

public static class AmendGrantEndpoint
{
    /// <summary>The shape of the request (400): returns the terms asked for.</summary>
    public static AmendmentTerms Requested(Grant grant, AmendGrant cmd)
    {
        if (grant.State is GrantState.FinalProofSubmitted or GrantState.Closed)
            throw ProblemException.InvalidState($"The grant cannot be amended: {(grant.State == GrantState.Closed ? "it is closed by its final notice" : "its final proof is in examination")}.");
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
        if (check.HasErrors) check.ThrowIfAny();
        var amountChanges = cmd.Amount is not null && cmd.Amount != old.GrantedAmount;
        var periodChanges = start != old.PeriodStart || end != old.PeriodEnd;
        YearAmount[]? split = amountChanges || cmd.YearSplit is not null || periodChanges
            ? GrantRules.YearSplit(cmd.YearSplit, amount, start, end, check)
            : null;
        check.ThrowIfAny();
        return new AmendmentTerms(cmd.Amount, split, cmd.PeriodStart, cmd.PeriodEnd, cmd.Conditions?.Trim(), cmd.GeneralConditionsVersion?.Trim(), cmd.Reason!.Trim());
    }

    /// <summary>
    /// The new notice for the terms, checked against every rule of a first notice and the budget. <paramref name="issuer"/>
    /// issues it; <paramref name="proposal"/> is the approved proposal of a raise (null for a direct amendment).
    /// </summary>
    public static Amendment Issue(Grant grant, Programme programme, AmendmentTerms terms, Actor issuer, GrantAmendmentProposed? proposal, DateTimeOffset now)
    {
        var old = grant.Notice;
        var start = terms.PeriodStart ?? old.PeriodStart;
        var end = terms.PeriodEnd ?? old.PeriodEnd;
        var amount = terms.Amount ?? old.GrantedAmount;
        var split = terms.YearSplit ?? old.YearSplit;
        var changes = new List<string>();
        if (amount != old.GrantedAmount) changes.Add("amount");
        if (start != old.PeriodStart || end != old.PeriodEnd) changes.Add("period");
        if (!split.SequenceEqual(old.YearSplit)) changes.Add("yearSplit");
        if (terms.Conditions is not null && terms.Conditions != old.Conditions) changes.Add("conditions");
        if (terms.GeneralConditionsVersion is not null && terms.GeneralConditionsVersion != old.GeneralConditionsVersion) changes.Add("generalConditionsVersion");
        if (changes.Count == 0)
            throw ProblemException.Validation(new Dictionary<string, string[]> { ["amount"] = ["The amendment changes nothing."] });

        var call = programme.CallById(grant.CallId)!;
        var rules = new Check()
            .That(split.Sum(y => y.Amount) == amount, "yearSplit", $"The budget years add up to {split.Sum(y => y.Amount):0.00} EUR, not {amount:0.00} EUR.")
            .That(amount >= grant.Requested, "amount", $"{grant.Requested:0.00} EUR are requested or paid already; the grant cannot go below that.");
        foreach (var reserved in grant.RequestedPerYear)
            rules.That(split.Where(y => y.Year == reserved.Year).Sum(y => y.Amount) >= reserved.Amount, "yearSplit",
                $"{reserved.Amount:0.00} EUR are requested or paid for {reserved.Year}; that year cannot get less.");
        GrantRules.Caps(amount, old.TotalEligibleCosts, old.FinancingType, programme.Definition.Financing, rules);
        ApplicationRules.Period(start, end, call, rules);
        if (start < old.PeriodStart) GrantRules.NotStartedBefore(start, BerlinTime.Today(now), old.EarlyStart?.From, rules);
        rules.ThrowAsRuleIfAny("The amendment breaks the rules of a notice (VV Nr. 4.2 zu § 44 LHO, the programme's caps): see 'errors'.");

        var delta = Grant.Delta(old.YearSplit, split);
        var increases = delta.Where(y => y.Amount > 0).ToArray();
        var decreases = delta.Where(y => y.Amount < 0).Select(y => new YearAmount(y.Year, -y.Amount)).ToArray();
        GrantRules.Budget(programme, call, old.BudgetLine, increases);

        var notice = old with
        {
            NoticeVersion = old.NoticeVersion + 1,
            GrantedAmount = amount,
            MaximumAmount = amount,
            SharePercent = NoticeContent.SharePercent(old.FinancingType, amount, old.TotalEligibleCosts),
            PeriodStart = start,
            PeriodEnd = end,
            YearSplit = split,
            Conditions = terms.Conditions ?? old.Conditions,
            GeneralConditionsVersion = terms.GeneralConditionsVersion ?? old.GeneralConditionsVersion,
            ProofOfUseDue = ProofOfUse.DueDate(end, programme.Definition.Financing.ProofOfUseDeadlineMonths),
            IssuedAt = now,
            IssuedBy = issuer.Name,
            AmendmentReason = terms.Reason,
            LegalBasis = old.LegalBasis ?? NoticeContent.LegalBasisOf(programme.Definition),
            Terms = NoticeContent.Terms(old.FinancingType, amount, old.TotalEligibleCosts),
            // Same addressee, same authority: the court of the notice it amends (chosen by the organisation's seat, § 52 Nr. 3 Satz 2 VwGO).
            LegalRemedy = old.LegalRemedy ?? NoticeContent.Remedy(programme.Definition, null),
        };
        return new Amendment(
            new GrantAmended(grant.Id, notice, changes.ToArray(), terms.Reason, now, proposal?.ProposalId, proposal?.ProposedByName),
            increases.Length > 0 ? new BudgetCommitted(programme.Id, grant.Id, grant.CallId, old.BudgetLine, increases, now) : null,
            decreases.Length > 0 ? new BudgetReleased(programme.Id, grant.Id, grant.CallId, old.BudgetLine, decreases, terms.Reason, now) : null);
    }

    /// <summary>
    /// A decrease or a change of period or conditions is issued at once; a raise of the amount is checked the same way and
    /// recorded as a proposal that another person (an approver) must approve.
    /// </summary>
    public static AmendmentDecision Decide(Grant grant, Programme programme, AmendGrant cmd, Actor officer, Guid proposalId, DateTimeOffset now)
    {
        var terms = Requested(grant, cmd);
        var issued = Issue(grant, programme, terms, officer, null, now);
        if (issued.Amended.Notice.GrantedAmount <= grant.Notice.GrantedAmount) return new AmendmentDecision(issued, null);
        return new AmendmentDecision(null, new GrantAmendmentProposed(grant.Id, proposalId, terms, officer.Id, officer.Name, now));
    }

    [WolverinePost("/grants/{id}/amendments", OperationId = "AmendGrant"), Authorize(Roles = Roles.OfficersAndApprovers)]
    [Tags("Grants"), EndpointSummary("Amend a grant (amount, period, conditions) with a reason: a new version of the notice; a raise is a proposal for an approver")]
    public static async Task<Ok<AmendmentResult>> Post(AmendGrant cmd,
        [WriteAggregate(Required = false, LoadStyle = ConcurrencyStyle.Exclusive)] JasperFx.Events.IEventStream<Grant> grantStream, IDocumentSession session,
        IMessageBus bus, TimeProvider clock, Letters.LetterIssuer letters, HttpContext http, CancellationToken ct)
    {
        // Locks in the same order as drawdowns and bookings (grant, then programme), so they cannot deadlock.
        var grant = grantStream.Aggregate!;
        var version = grantStream.CurrentVersion!.Value + 1;
        var programmeStream = await session.Events.FetchForExclusiveWriting<Programme>(grant.ProgrammeId, ct);
        var now = clock.GetUtcNow();
        var decision = Decide(grant, programmeStream.Aggregate!, cmd, Actor.From(http.User), Guid.CreateVersion7(), now);
        http.Response.Headers.ETag = Versioning.ETag(version);
        if (decision.Proposed is { } proposed)
        {
            grantStream.AppendOne(proposed);
            return TypedResults.Ok(new AmendmentResult(grant.Id, version, "proposed", proposed.ProposalId));
        }
        await Append(session, letters, grantStream, programmeStream, decision.Issued!, grant.OrganisationId, bus, now, ct);
        return TypedResults.Ok(new AmendmentResult(grant.Id, version, "issued", null));
    }

    public static async Task Append(IDocumentSession session, Letters.LetterIssuer letters, JasperFx.Events.IEventStream<Grant> grantStream, JasperFx.Events.IEventStream<Programme> programmeStream, Amendment amendment,
        Guid organisationId, IMessageBus bus, DateTimeOffset now, CancellationToken ct)
    {
        grantStream.AppendOne(amendment.Amended);
        if (amendment.Committed is not null) programmeStream.AppendOne(amendment.Committed);
        if (amendment.Released is not null) programmeStream.AppendOne(amendment.Released);
        var letter = await letters.Amendment(session, grantStream.Aggregate!, amendment.Amended, programmeStream.Aggregate!, ct);
        var notice = amendment.Amended.Notice;
        var lang = await NotificationTexts.LanguageOf(session, organisationId, ct);
        await letter.Notify(new ApplicantNotification(Guid.CreateVersion7(), organisationId,
            lang.N("amended.subject", ("reference", notice.Reference), ("version", lang.Num(notice.NoticeVersion))),
            lang.N("amended.body", ("title", notice.ProjectTitle), ("changes", lang.Terms(amendment.Amended.Changes)), ("reason", notice.AmendmentReason ?? "")),
            $"/grants/{amendment.Amended.GrantId}/notice.html?version={notice.NoticeVersion}", now, letter.LetterId));
    }
}
