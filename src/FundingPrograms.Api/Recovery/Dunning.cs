using FundingPrograms.Notifications;
using Wolverine;

namespace FundingPrograms.Recovery;

/// <summary>A durable scheduled message: look at the claim and send the next reminder if it is overdue.</summary>
public sealed record ClaimReminderDue(Guid ClaimId, int Level);

public static class Dunning
{
    /// <summary>Days after the (first unpaid) due date for the first reminder, and between reminders.</summary>
    public const int DaysBetweenReminders = 14;
    public const int MaxLevel = 3;

    public static DateTimeOffset WhenDue(DateOnly overdueSince, int level) =>
        new DateTimeOffset(overdueSince.AddDays(DaysBetweenReminders * level).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddHours(6);

    public static async Task ScheduleFirst(IMessageBus bus, Guid claimId, DateOnly dueOn, DateTimeOffset now)
    {
        var at = WhenDue(dueOn, 1);
        await bus.ScheduleAt(new ClaimReminderDue(claimId, 1), at > now ? at : now.AddMinutes(1), now);
    }

    /// <summary>
    /// Whether reminder <c>level</c> is due on <paramref name="today"/>: the claim is open, its debt is overdue (principal, costs,
    /// fixed interest — never the running interest, <see cref="RecoveryClaim.OverdueSince"/>), this level was not sent for that due
    /// date yet, and <see cref="DaysBetweenReminders"/> × level days have passed since the due date. Returns the reminder to send
    /// (with the statement of what is owed), or the day to look again (or neither: nothing to do any more).
    /// </summary>
    public static (RecoveryReminderSent? Send, DateOnly? LookAgainOn) Decide(RecoveryClaim? claim, ClaimReminderDue message, DunningStatement statement, DateOnly today,
        DateTimeOffset now)
    {
        if (claim is null || claim.State != ClaimState.Open || message.Level > MaxLevel) return (null, null);
        var since = claim.OverdueSince(today);
        if (since is null)
            return (null, claim.Received >= claim.Debt ? null : Next(claim, today));
        if (claim.Reminders.Any(r => r.Level >= message.Level && r.OverdueSince == since)) return (null, null);
        // Reminders count from the due date (overdue since the day after it): the first 14 days after the due date.
        var dueDay = since.Value.AddDays(-1).AddDays(DaysBetweenReminders * message.Level);
        if (today < dueDay) return (null, dueDay);
        return (new RecoveryReminderSent(claim.Id, message.Level, since.Value, statement.Total, now, statement), null);
    }

    private static DateOnly Next(RecoveryClaim claim, DateOnly today)
    {
        var next = claim.Instalments.Select(i => i.DueOn).Where(d => d >= today).DefaultIfEmpty(claim.DueOn).Min();
        return (next < today ? today : next).AddDays(DaysBetweenReminders);
    }

    /// <summary>Interest not yet computable runs from the computed day, or from the claim's own interest start if that is later.</summary>
    public static DateOnly PendingFrom(RecoveryClaim claim, DateOnly until) =>
        claim.Tranches.Count == 0 ? until : new[] { until, claim.Tranches.Min(t => t.InterestFrom) }.Max();

    /// <summary>Whether a reminder states an interest amount: some was computable (or a fixed § 49a (4) amount is owed).</summary>
    public static bool InterestComputed(RecoveryClaim claim, DateOnly until) =>
        until > (claim.Tranches.Count == 0 ? until : claim.Tranches.Min(t => t.InterestFrom)) || claim.FixedInterest > 0;

    private static readonly System.Globalization.CultureInfo German = System.Globalization.CultureInfo.GetCultureInfo("de-DE");

    /// <summary>An amount as a German letter writes it: 1.028,08 EUR.</summary>
    public static string Euro(decimal amount) => amount.ToString("#,##0.00", German) + " EUR";

    /// <summary>
    /// What a reminder states (it never states less than is owed): the open principal, costs and the § 49a (3) interest computed up
    /// to today or, while a half-year's base rate is not entered, up to the last day with a known rate; the total of these; and always
    /// "zuzüglich weiterer Zinsen nach § 49a Abs. 3 VwVfG NRW" (interest runs on until the money arrives), naming the day from which
    /// interest is not yet computable. Receipts after that day are applied to costs, the computed interest, then principal (§ 367 BGB).
    /// </summary>
    public static DunningStatement Statement(RecoveryClaim claim, DateOnly today, BaseRateTable rates)
    {
        var knownUntil = rates.KnownUntil();
        var until = today <= knownUntil ? today : knownUntil;
        var account = claim.Account(until, rates);
        decimal principal = account.PrincipalOutstanding, costs = account.CostsOutstanding, interest = account.InterestOutstanding;
        // Money that arrived after the computed day (only while a rate is missing): § 367 BGB order on what is computed.
        var late = claim.Receipts.Where(r => r.ArrivedOn > until && r.ArrivedOn <= today).Sum(r => r.Amount);
        var part = Math.Min(late, costs);
        costs -= part;
        late -= part;
        part = Math.Min(late, interest);
        interest -= part;
        late -= part;
        principal -= Math.Min(late, principal);
        var complete = until == today;
        var total = principal + costs + interest;
        var pendingFrom = PendingFrom(claim, until);
        var computedInterest = InterestComputed(claim, until);
        var text = $"Offen sind: Hauptforderung {Euro(principal)}" + (costs > 0 ? $", Kosten {Euro(costs)}" : "") +
            (computedInterest ? $", Zinsen nach § 49a Abs. 3 VwVfG NRW bis einschließlich {until.AddDays(-1):dd.MM.yyyy} {Euro(interest)}" : "") +
            $", zusammen {Euro(total)}, zuzüglich weiterer Zinsen nach § 49a Abs. 3 VwVfG NRW" +
            (complete ? " bis zum Tag des Zahlungseingangs."
                : $" ab dem {pendingFrom:dd.MM.yyyy} bis zum Tag des Zahlungseingangs (der Basiszinssatz nach § 247 BGB ab dem {until:dd.MM.yyyy} ist noch nicht bekannt gegeben, diese Zinsen werden nachberechnet).");
        return new DunningStatement(principal, costs, interest, until, complete, total, text);
    }
}

/// <summary>What a reminder states: open principal, costs, interest computed up to (excluding) <c>InterestUntil</c>, their total, and the sentence.</summary>
public sealed record DunningStatement(decimal Principal, decimal Costs, decimal Interest, DateOnly InterestUntil, bool InterestComplete, decimal Total, string Text);

public static class ClaimReminderDueHandler
{
    public static async Task Handle(ClaimReminderDue message, IDocumentSession session, IMessageBus bus, TimeProvider clock, Letters.LetterIssuer letters,
        CancellationToken ct)
    {
        session.LastModifiedBy = Actor.System.Name;
        session.SetHeader("userId", Actor.System.Id);
        var stream = await session.Events.FetchForWriting<RecoveryClaim>(message.ClaimId, ct);
        var now = clock.GetUtcNow();
        var today = BerlinTime.Today(now);
        var rates = await BaseRateTable.Load(session, ct);
        var claim = stream.Aggregate;
        var statement = claim is null ? null : Dunning.Statement(claim, today, rates);
        var (send, lookAgain) = claim is null ? (null, null) : Dunning.Decide(claim, message, statement!, today, now);
        if (send is not null)
        {
            stream.AppendOne(send);
            // The reminder is a letter (issue 26): ordered in this transaction, rendered once, archived and hashed into its letter_issued event
            // right after it; the notification follows the letter.
            var letter = await letters.ClaimLetter(session, claim!, send, ct, statement);
            var lang = await NotificationTexts.LanguageOf(session, claim!.OrganisationId, ct);
            // German states the reminder's full statement (as the letter does); the other languages its sums in short.
            var stated = lang.Code == "de" ? statement!.Text
                : lang.N("dunning.statement", ("total", lang.Eur(statement!.Total)), ("principal", lang.Eur(statement.Principal + statement.Costs)),
                    ("interest", lang.Eur(statement.Interest)));
            await letter.Notify(new ApplicantNotification(Guid.CreateVersion7(), claim.OrganisationId,
                lang.N("dunning.subject", ("level", lang.Num(send.Level)), ("reference", claim.Reference)),
                lang.N("dunning.body", ("reference", claim.Reference), ("due", lang.Day(send.OverdueSince.AddDays(-1))), ("since", lang.Day(send.OverdueSince)),
                    ("statement", stated)),
                $"/recovery-claims/{claim.Id}", now, letter.LetterId));
            if (send.Level < Dunning.MaxLevel)
                await bus.ScheduleAt(message with { Level = send.Level + 1 }, now.AddDays(Dunning.DaysBetweenReminders), now);
        }
        else if (lookAgain is { } day)
        {
            var at = Dunning.WhenDue(day, 0);
            await bus.ScheduleAt(message, at > now ? at : now.AddDays(1), now);
        }
    }
}
