using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FundingPrograms.Letters;

/// <summary>
/// Letters decided but still not issued after <see cref="MaxPending"/> (normally milliseconds): their order failed for good
/// (Wolverine's dead-letter storage holds it with the error) or no node handles the inbox. Degraded with their count and the oldest
/// decision's time (readiness is anonymous: no ids), so an operator sees what an applicant would only see as a letter that stays "pending".
/// </summary>
public sealed class PendingLettersHealthCheck(IDocumentStore store, TimeProvider clock) : IHealthCheck
{
    public static readonly TimeSpan MaxPending = TimeSpan.FromMinutes(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        await using var session = store.QuerySession();
        var cutoff = clock.GetUtcNow() - MaxPending;
        var stuck = await session.Query<PendingLetter>().Where(p => p.DecidedAt < cutoff).CountAsync(ct);
        if (stuck == 0) return HealthCheckResult.Healthy("Every decided letter was issued within minutes.");
        var oldest = await session.Query<PendingLetter>().Where(p => p.DecidedAt < cutoff).MinAsync(p => p.DecidedAt, ct);
        // /health/ready is anonymous: a count and a time, never a letter's id, kind or file reference.
        return HealthCheckResult.Degraded($"{stuck} decided letter(s) not issued more than {MaxPending.TotalMinutes:0} minutes after the decision, the oldest "
            + $"decided {Infrastructure.BerlinTime.Local(oldest)} (Berlin time); see mt_doc_pendingletter and the dead letters of IssueLetter.");
    }
}
