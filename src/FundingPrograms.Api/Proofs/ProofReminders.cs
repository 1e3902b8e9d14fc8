using FundingPrograms.Grants;
using FundingPrograms.Notifications;
using FundingPrograms.Public;
using JasperFx;
using Wolverine;
using Wolverine.Attributes;

namespace FundingPrograms.Proofs;

/// <summary>A reminder whose moment has come: what is due (the final proof, or a completion), which stage, for whom.</summary>
public sealed record ReminderDue(string Key, Guid GrantId, Guid? ProofId, Guid OrganisationId, string What, string Stage, DateOnly DueDate, string Reference);

/// <summary>Durable, self-rescheduling sweep (daily at 06:00 Berlin, and once at every start): finds reminders that are due and sends each once.</summary>
public sealed record SweepProofReminders(DateTimeOffset? ScheduledFor);

public sealed record SendProofReminder(ReminderDue Reminder);

public static class ProofReminders
{
    /// <summary>
    /// The stage due today: the nearest "days before" already reached (older ones missed while the service was down are not
    /// sent late), or "after" once the date is missed by that many days; null when nothing is due.
    /// </summary>
    public static string? Stage(DateOnly due, int[] daysBefore, int daysAfter, DateOnly today)
    {
        if (today > due) return today >= due.AddDays(daysAfter) ? $"after-{daysAfter}" : null;
        var reached = daysBefore.Where(d => today >= due.AddDays(-d)).ToArray();
        return reached.Length == 0 ? null : $"before-{reached.Min()}";
    }

    public static IEnumerable<ReminderDue> Due(Grant grant, IEnumerable<Proof> proofs, ProofReminderSettings settings, DateOnly today)
    {
        if (grant.State is GrantState.Closed) yield break;
        if (grant.State is not GrantState.FinalProofSubmitted)
        {
            var due = grant.Notice.ProofOfUseDue;
            if (Stage(due, settings.DaysBefore, settings.DaysAfter, today) is { } stage)
                yield return new ReminderDue($"final|{grant.Id}|{due:yyyy-MM-dd}|{stage}", grant.Id, null, grant.OrganisationId, "final-proof", stage, due,
                    grant.Notice.Reference);
        }
        foreach (var owed in InterimProofs.Owed(grant, proofs))
            if (Stage(owed.DueDate, settings.DaysBefore, settings.DaysAfter, today) is { } stage)
                yield return new ReminderDue($"interim|{grant.Id}|{owed.BudgetYear}|{owed.DueDate:yyyy-MM-dd}|{stage}", grant.Id, owed.ProofId, grant.OrganisationId,
                    $"interim-proof-{owed.BudgetYear}", stage, owed.DueDate, grant.Notice.Reference);
        foreach (var p in proofs.Where(p => p.State == ProofState.ReturnedForCompletion && p.CompletionDueDate is not null))
        {
            var due = p.CompletionDueDate!.Value;
            if (Stage(due, settings.DaysBefore, settings.DaysAfter, today) is { } stage)
                yield return new ReminderDue($"completion|{p.Id}|{due:yyyy-MM-dd}|{stage}", grant.Id, p.Id, grant.OrganisationId, "completion", stage, due,
                    grant.Notice.Reference);
        }
    }

    /// <summary>The next sweep: 06:00 Berlin time after <paramref name="now"/>.</summary>
    public static DateTimeOffset NextSweep(DateTimeOffset now) => RecurringWork.NextDaily(now, 6);

    /// <summary>The reminder in the organisation's language (German, the default, as it always read; the others from Public/Texts).</summary>
    public static (string Subject, string Body) Text(ReminderDue r, string language)
    {
        var lang = Public.PublicTexts.Find(language);
        if (lang is null || lang.Code == "de") return Text(r);
        var interim = r.What.StartsWith("interim-proof-", StringComparison.Ordinal);
        var what = r.What == "final-proof" ? lang.T("reminder.what.final")
            : interim ? lang.T("reminder.what.interim", ("year", lang.Digits(r.What["interim-proof-".Length..])))
            : lang.T("reminder.what.completion");
        var date = lang.Date(r.DueDate);
        return r.Stage.StartsWith("after", StringComparison.Ordinal)
            ? (lang.T("reminder.overdue.subject", ("reference", r.Reference)), lang.T("reminder.overdue.body", ("date", date), ("what", what)))
            : (lang.T("reminder.subject", ("reference", r.Reference), ("date", date)), lang.T("reminder.body", ("date", date), ("what", what)));
    }

    public static (string Subject, string Body) Text(ReminderDue r)
    {
        var what = r.What == "final-proof" ? "der Verwendungsnachweis"
            : r.What.StartsWith("interim-proof-", StringComparison.Ordinal) ? $"der Zwischennachweis über die im Haushaltsjahr {r.What["interim-proof-".Length..]} erhaltenen Beträge"
            : "die angeforderte Ergänzung Ihres Nachweises";
        return r.Stage.StartsWith("after", StringComparison.Ordinal)
            ? ($"Frist versäumt: {r.Reference}", $"Zum {r.DueDate:dd.MM.yyyy} war {what} fällig und ist nicht eingegangen. Bitte reichen Sie ihn umgehend ein; " +
                "ein versäumter Verwendungsnachweis kann zum Widerruf führen (VV Nr. 11 zu § 44 LHO, § 49 (3) VwVfG NRW).")
            : ($"Erinnerung: {(r.What.StartsWith("interim-proof-", StringComparison.Ordinal) ? "Zwischennachweis " : "")}{r.Reference} fällig am {r.DueDate:dd.MM.yyyy}",
                $"Bis zum {r.DueDate:dd.MM.yyyy} ist {what} einzureichen (ANBest-P Nr. 6.1).");
    }
}

public static class SweepProofRemindersHandler
{
    public static async Task Handle(SweepProofReminders message, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = BerlinTime.Today(now);
        var grants = await session.Query<Grant>().Where(g => g.State != GrantState.Closed).ToListAsync(ct);
        var grantIds = grants.Select(g => g.Id).ToArray();
        var proofs = (await session.Query<Proof>().Where(p => grantIds.Contains(p.GrantId)).ToListAsync(ct)).ToLookup(p => p.GrantId);
        var settings = (await session.Query<ProofReminderSettings>().ToListAsync(ct)).ToDictionary(s => s.ProgrammeId);
        var due = grants.SelectMany(g => ProofReminders.Due(g, proofs[g.Id], settings.GetValueOrDefault(g.ProgrammeId) ?? new ProofReminderSettings(), today)).ToList();
        var sent = due.Count == 0 ? [] : (await session.LoadManyAsync<SentProofReminder>(ct, due.Select(d => d.Key).ToArray())).Select(s => s.Id).ToHashSet();
        foreach (var reminder in due.Where(d => !sent.Contains(d.Key)))
            await bus.PublishAsync(new SendProofReminder(reminder));

        var next = ProofReminders.NextSweep(now);
        await RecurringWork.Record(session, bus, clock, RecurringWork.ProofReminders, message.ScheduledFor, next, new SweepProofReminders(next), ran: true, ct);
    }
}

public static class SendProofReminderHandler
{
    /// <summary>Exactly once: the reminder's key is a document id; a concurrent second delivery fails on it, retries, and finds it sent.</summary>
    [RetryNow(typeof(DocumentAlreadyExistsException), 50, 200, 500)]
    public static async Task Handle(SendProofReminder message, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken ct)
    {
        var r = message.Reminder;
        if (await session.LoadAsync<SentProofReminder>(r.Key, ct) is not null) return;
        var now = clock.GetUtcNow();
        session.Insert(new SentProofReminder
        {
            Id = r.Key, GrantId = r.GrantId, ProofId = r.ProofId, OrganisationId = r.OrganisationId, Stage = r.Stage, DueDate = r.DueDate, SentAt = now,
        });
        var organisation = await session.LoadAsync<Organisations.Organisation>(r.OrganisationId, ct);
        var (subject, body) = ProofReminders.Text(r, organisation?.Language ?? "de");
        await bus.PublishAsync(new ApplicantNotification(Payments.StatementMatching.DeterministicGuid("reminder|" + r.Key), r.OrganisationId, subject, body,
            r.ProofId is { } p ? $"/proofs/{p}" : $"/grants/{r.GrantId}", now));
    }
}
