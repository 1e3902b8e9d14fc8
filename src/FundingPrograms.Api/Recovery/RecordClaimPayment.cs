namespace FundingPrograms.Recovery;

/// <summary>Money that arrived other than through an imported statement (e.g. an explained statement entry), recorded by finance with a reason.</summary>
public sealed record RecordClaimPayment(decimal? Amount, DateOnly? ArrivedOn, string? Reason, long? Version) : IVersionedCommand;

public static class RecordClaimPaymentEndpoint
{
    public static IReadOnlyList<object> Decide(RecoveryClaim claim, RecordClaimPayment cmd, Guid receiptId, DateTimeOffset now)
    {
        new Check().Money(cmd.Amount, "amount", allowZero: false).Date(cmd.ArrivedOn, "arrivedOn", required: true).Required(cmd.Reason, "reason", 2000)
            .That(cmd.ArrivedOn is null || cmd.ArrivedOn <= BerlinTime.Today(now), "arrivedOn", "Money cannot arrive in the future.")
            .That(cmd.ArrivedOn is null || cmd.ArrivedOn >= BerlinTime.Today(claim.RaisedAt).AddYears(-1), "arrivedOn", "Too long before the claim was raised.")
            .ThrowIfAny();
        return [new RecoveryPaymentReceived(claim.Id, $"manual/{receiptId:N}", cmd.Amount!.Value, cmd.ArrivedOn!.Value, "manual", null, null, null, cmd.Reason!.Trim(), now)];
    }

    [WolverinePost("/recovery-claims/{id}/payments", OperationId = "RecordRecoveryPayment"), Authorize(Roles = Roles.FinanceStaff)]
    [Tags("Recovery"), EndpointSummary("Record money received on the claim by hand (finance), with the day it arrived and a reason")]
    public static (Ok<CaseVersion>, Events) Post(RecordClaimPayment cmd, [WriteAggregate(Required = false)] RecoveryClaim claim, TimeProvider clock, HttpContext http) =>
        CaseVersion.After(claim, Decide(claim, cmd, Guid.CreateVersion7(), clock.GetUtcNow()), http);
}
