using FundingPrograms.Grants;
using FundingPrograms.Notifications;
using Wolverine;

namespace FundingPrograms.Payments;

/// <summary>Refuse a drawdown (or instalment) before it is released, with a reason (ANBest-P Nr. 1.4; e.g. a missing interim proof, doubts about the need).</summary>
public sealed record RefuseDrawdown(string? Reason, long? Version) : IVersionedCommand;

public static class RefuseDrawdownEndpoint
{
    public static (PaymentRefused Refused, GrantPaymentReservationReleased Released) Decide(Payment payment, RefuseDrawdown cmd, Actor actor, DateTimeOffset now)
    {
        new Check().Required(cmd.Reason, "reason", 2000).ThrowIfAny();
        if (payment.State is not (PaymentState.Requested or PaymentState.Certified))
            throw ProblemException.InvalidState($"Only a requested or certified payment can be refused; this one is {payment.State.ToString().ToLowerInvariant()}.");
        return (new PaymentRefused(payment.Id, payment.GrantId, cmd.Reason!.Trim(), actor.Id, actor.Name, now),
            new GrantPaymentReservationReleased(payment.GrantId, payment.Id, payment.Amount, payment.BudgetYear, now));
    }

    [WolverinePost("/payments/{id}/refuse", OperationId = "RefuseDrawdown"), Authorize(Roles = Roles.OfficersAndFinance)]
    [Tags("Payments"), EndpointSummary("Refuse a requested or certified drawdown with a reason (finance or officer); the applicant is notified")]
    public static async Task<(Ok<CaseVersion>, Events)> Post(RefuseDrawdown cmd, [WriteAggregate(Required = false)] Payment payment, IDocumentSession session,
        IMessageBus bus, TimeProvider clock, Letters.LetterIssuer letters, HttpContext http, CancellationToken ct)
    {
        // The grant is locked as by drawdowns (the payment's own stream is only read here and checked by version at commit), so they cannot deadlock.
        var grantStream = await session.Events.FetchForExclusiveWriting<Grant>(payment.GrantId, ct);
        var now = clock.GetUtcNow();
        var (refused, released) = Decide(payment, cmd, Actor.From(http.User), now);
        grantStream.AppendOne(released);
        var letter = await letters.DrawdownRefusal(session, payment, grantStream.Aggregate!, refused, ct);
        var lang = await NotificationTexts.LanguageOf(session, payment.OrganisationId, ct);
        await letter.Notify(new ApplicantNotification(Guid.CreateVersion7(), payment.OrganisationId,
            lang.N("drawdownRefused.subject", ("amount", lang.Eur(payment.Amount)), ("reference", payment.GrantReference)),
            lang.N("drawdownRefused.body", ("purpose", payment.Purpose), ("reason", refused.Reason)), $"/payments/{payment.Id}", now, letter.LetterId));
        return CaseVersion.After(payment, [refused], http);
    }
}
