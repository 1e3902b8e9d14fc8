using Wolverine;

namespace FundingPrograms.Recovery;

public sealed record InstalmentInput(DateOnly? DueOn, decimal? Amount);

/// <summary>Instalments (Ratenzahlung, a form of Stundung): due dates and amounts; interest continues and is settled by the last payment.</summary>
public sealed record AgreeInstalments(InstalmentInput[]? Instalments, string? Reason, long? Version) : IVersionedCommand;

public static class AgreeInstalmentsEndpoint
{
    public static IReadOnlyList<object> Decide(RecoveryClaim claim, AgreeInstalments cmd, Actor finance, DateTimeOffset now)
    {
        var check = new Check().Required(cmd.Reason, "reason", 2000)
            .That(cmd.Instalments is { Length: >= 2 and <= 120 }, "instalments", "Between 2 and 120 instalments.");
        var list = cmd.Instalments ?? [];
        for (var i = 0; i < list.Length; i++)
            check.That(list[i] is not null, $"instalments[{i}]", "An empty entry.")
                .Date(list[i]?.DueOn, $"instalments[{i}].dueOn", required: true).Money(list[i]?.Amount, $"instalments[{i}].amount", allowZero: false);
        check.ThrowIfAny();
        ClaimAccess.EnsureOpen(claim);
        var today = BerlinTime.Today(now);
        var instalments = list.Select(i => new Instalment(i.DueOn!.Value, i.Amount!.Value)).OrderBy(i => i.DueOn).ToArray();
        var open = claim.Principal + claim.Costs - claim.Received;
        new Check()
            .That(instalments.Select(i => i.DueOn).Distinct().Count() == instalments.Length, "instalments", "Each due date once.")
            .That(instalments[0].DueOn >= today, "instalments", "The first instalment cannot be due in the past.")
            .That(instalments.Sum(i => i.Amount) >= open, "instalments",
                $"The instalments add up to {instalments.Sum(i => i.Amount):0.00} EUR; at least the open principal and costs of {open:0.00} EUR must be covered.")
            .ThrowAsRuleIfAny("The instalments cannot be agreed: see 'errors'.");
        return [new RecoveryInstalmentsAgreed(claim.Id, instalments, cmd.Reason!.Trim(), finance.Id, finance.Name, now)];
    }

    [WolverinePost("/recovery-claims/{id}/instalments", OperationId = "AgreeRecoveryInstalments"), Authorize(Roles = Roles.FinanceStaff)]
    [Tags("Recovery"), EndpointSummary("Agree instalments for the claim (due dates, amounts, reason); replaces an earlier plan")]
    public static async Task<(Ok<CaseVersion>, Events)> Post(AgreeInstalments cmd, [WriteAggregate(Required = false)] RecoveryClaim claim, IMessageBus bus,
        TimeProvider clock, IDocumentSession session, Letters.LetterIssuer letters, HttpContext http, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var events = Decide(claim, cmd, Actor.From(http.User), now);
        var answer = CaseVersion.After(claim, events, http);
        await letters.ClaimLetter(session, claim, events[0], ct); // the Ratenzahlungsbescheid, in this transaction
        await Dunning.ScheduleFirst(bus, claim.Id, cmd.Instalments!.Min(i => i.DueOn!.Value), now);
        return answer;
    }
}
