using FundingPrograms.Grants;

namespace FundingPrograms.Recovery;

/// <summary>
/// A proposal to revoke the grant: in whole, or in part down to a new amount; with effect for the past from a day (the
/// day the grant became ineffective, from which interest runs), the reasons and the legal basis (e.g. "§ 49 Abs. 3 Satz 1
/// Nr. 1 VwVfG NRW"). Optional: when the recovered money is due (default 30 days after the revocation).
/// </summary>
public sealed record ProposeRevocation(string? Scope, decimal? NewAmount, DateOnly? EffectiveFrom, string? Reasons, string? LegalBasis, Guid? FactsId,
    DateOnly? PaymentDueOn, long? Version) : IVersionedCommand;

public static class RevocationRules
{
    /// <summary>The facts the revocation rests on, and the one-year period they started (§ 48 (4) with § 49 (3) S. 2 VwVfG NRW).</summary>
    public static RevocationFacts Timely(Grant grant, Guid? factsId, DateOnly today)
    {
        var facts = factsId is { } id
            ? grant.Revocation.Facts.FirstOrDefault(f => f.FactsId == id) ?? throw ProblemException.NotFound("The recorded facts")
            : grant.Revocation.Facts.LastOrDefault()
              ?? throw ProblemException.Rule("Record the facts and the day the authority learned them first (§ 48 (4) VwVfG NRW).");
        if (today > facts.DeadlineOn)
        {
            var problem = ProblemException.Rule($"The one-year period of § 48 (4) with § 49 (3) S. 2 VwVfG NRW ended on {facts.DeadlineOn:yyyy-MM-dd} " +
                $"(the authority learned the facts on {facts.LearnedOn:yyyy-MM-dd}): the grant can no longer be revoked on these facts.");
            problem.Problem.Extensions["deadline"] = facts.DeadlineOn.ToString("yyyy-MM-dd");
            throw problem;
        }
        return facts;
    }

    /// <summary>The organisation was heard (§ 28 (1) VwVfG NRW): its reply is recorded, or the reply period is over, or no hearing is needed (§ 28 (2)).</summary>
    public static void Heard(Grant grant, DateOnly today)
    {
        if (grant.Revocation.HearingDispensedReason is not null) return;
        var hearing = grant.Revocation.Hearings.LastOrDefault()
            ?? throw ProblemException.Rule("§ 28 (1) VwVfG NRW: the organisation must be heard before the grant is revoked. Send the hearing letter, or record why no hearing is needed (§ 28 (2)).");
        if (hearing.ReplyReceivedOn is not null) return;
        if (today <= hearing.ReplyDueOn)
        {
            var problem = ProblemException.Rule($"§ 28 (1) VwVfG NRW: the organisation may reply to the hearing until {hearing.ReplyDueOn:yyyy-MM-dd}; " +
                $"the revocation can be issued from {hearing.ReplyDueOn.AddDays(1):yyyy-MM-dd}, or once its reply is recorded.");
            problem.Problem.Extensions["replyDueOn"] = hearing.ReplyDueOn.ToString("yyyy-MM-dd");
            throw problem;
        }
    }
}

public static class ProposeRevocationEndpoint
{
    public static IReadOnlyList<object> Decide(Grant grant, ProposeRevocation cmd, Guid proposalId, Actor officer, DateTimeOffset now)
    {
        var today = BerlinTime.Today(now);
        var check = new Check()
            .That(Enums.TryParseName<RevocationScope>(cmd.Scope, out var scope), "scope", "Use whole or partial.")
            .Date(cmd.EffectiveFrom, "effectiveFrom", required: true)
            .Required(cmd.Reasons, "reasons", 20_000)
            .Required(cmd.LegalBasis, "legalBasis", 500)
            .Date(cmd.PaymentDueOn, "paymentDueOn");
        if (scope == RevocationScope.Partial) check.Money(cmd.NewAmount, "newAmount", allowZero: false);
        else check.That(cmd.NewAmount is null or 0m, "newAmount", "A whole revocation sets the grant to 0; leave newAmount out.");
        check.ThrowIfAny();
        var granted = grant.Notice.GrantedAmount;
        var newAmount = scope == RevocationScope.Whole ? 0m : cmd.NewAmount!.Value;
        var issued = BerlinTime.Today(grant.Notices[0].IssuedAt);
        new Check()
            .That(newAmount < granted, "newAmount", $"The grant is {granted:0.00} EUR: a revocation must lower it.")
            .That(cmd.EffectiveFrom >= issued, "effectiveFrom", $"The grant was issued on {issued:yyyy-MM-dd}; it cannot become ineffective before that.")
            .That(cmd.EffectiveFrom <= today, "effectiveFrom", "A revocation with effect for the past: the day cannot be in the future.")
            .That(cmd.PaymentDueOn is null || cmd.PaymentDueOn > today, "paymentDueOn", "The payment due date must be in the future.")
            .ThrowAsRuleIfAny("The revocation cannot be proposed: see 'errors'.");
        var facts = RevocationRules.Timely(grant, cmd.FactsId, today);
        RevocationRules.Heard(grant, today);
        return [new RevocationProposed(grant.Id, proposalId, scope, newAmount, cmd.EffectiveFrom!.Value, cmd.Reasons!.Trim(), cmd.LegalBasis!.Trim(), facts.FactsId,
            cmd.PaymentDueOn, officer.Id, officer.Name, now)];
    }

    [WolverinePost("/grants/{id}/revocation/proposal", OperationId = "ProposeRevocation"), Authorize(Roles = Roles.Officers)]
    [Tags("Revocation"), EndpointSummary("Propose to revoke the grant in whole or part (officer); a second person approves")]
    public static (Ok<CaseVersion>, Events) Post(ProposeRevocation cmd, [WriteAggregate(Required = false)] Grant grant, TimeProvider clock, HttpContext http) =>
        CaseVersion.After(grant, Decide(grant, cmd, Guid.CreateVersion7(), Actor.From(http.User), clock.GetUtcNow()), http);
}
