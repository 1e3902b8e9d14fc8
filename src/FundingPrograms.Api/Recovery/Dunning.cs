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
    /// Whether reminder <c>level</c> is due on <paramref name="today"/>: the claim is open, something is overdue, this level
    /// was not sent for that due date yet, and <see cref="DaysBetweenReminders"/> × level days have passed since it fell due.
    /// Returns the reminder to send, or the day to look again (or neither: nothing to do any more).
    /// </summary>
    public static (RecoveryReminderSent? Send, DateOnly? LookAgainOn) Decide(RecoveryClaim? claim, ClaimReminderDue message, decimal owed, DateOnly today,
        DateTimeOffset now)
    {
        if (claim is null || claim.State != ClaimState.Open || message.Level > MaxLevel) return (null, null);
        var since = claim.OverdueSince(today, owed);
        if (since is null)
            return (null, claim.Received >= owed ? null : Next(claim, today));
        if (claim.Reminders.Any(r => r.Level >= message.Level && r.OverdueSince == since)) return (null, null);
        var dueDay = since.Value.AddDays(DaysBetweenReminders * message.Level);
        if (today < dueDay) return (null, dueDay);
        return (new RecoveryReminderSent(claim.Id, message.Level, since.Value, owed - claim.Received, now), null);
    }

    private static DateOnly Next(RecoveryClaim claim, DateOnly today)
    {
        var next = claim.Instalments.Select(i => i.DueOn).Where(d => d >= today).DefaultIfEmpty(claim.DueOn).Min();
        return (next < today ? today : next).AddDays(DaysBetweenReminders);
    }

    /// <summary>What is owed in all on a day: with interest where every base rate is known, else principal and costs.</summary>
    public static decimal Owed(RecoveryClaim claim, DateOnly today, BaseRateTable rates)
    {
        try
        {
            var account = claim.Account(today, rates);
            return account.Principal + account.Costs + account.InterestAccrued;
        }
        catch (MissingBaseRateException)
        {
            return claim.Principal + claim.Costs + claim.FixedInterest;
        }
    }
}

public static class ClaimReminderDueHandler
{
    public static async Task Handle(ClaimReminderDue message, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken ct)
    {
        session.LastModifiedBy = Actor.System.Name;
        session.SetHeader("userId", Actor.System.Id);
        var stream = await session.Events.FetchForWriting<RecoveryClaim>(message.ClaimId, ct);
        var now = clock.GetUtcNow();
        var today = BerlinTime.Today(now);
        var rates = await BaseRateTable.Load(session, ct);
        var claim = stream.Aggregate;
        var owed = claim is null ? 0m : Dunning.Owed(claim, today, rates);
        var (send, lookAgain) = Dunning.Decide(claim, message, owed, today, now);
        if (send is not null)
        {
            stream.AppendOne(send);
            await bus.PublishAsync(new ApplicantNotification(Guid.CreateVersion7(), claim!.OrganisationId, $"{send.Level}. Mahnung: Rückforderung {claim.Reference}",
                $"Die Rückforderung {claim.Reference} ist seit dem {send.OverdueSince:dd.MM.yyyy} fällig. Offen sind {send.AmountDue:#,##0.00} EUR (Zinsen nach § 49a Abs. 3 VwVfG NRW laufen weiter). Bitte zahlen Sie unter Angabe von {claim.Reference}.",
                $"/recovery-claims/{claim.Id}", now));
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
