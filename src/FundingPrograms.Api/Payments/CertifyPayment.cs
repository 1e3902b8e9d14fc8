namespace FundingPrograms.Payments;

/// <summary>A step of a payment without a body of its own (certify, release): the version the caller last read.</summary>
public sealed record PaymentStep(long? Version) : IVersionedCommand;

public static class CertifyPaymentEndpoint
{
    public static IReadOnlyList<object> Decide(Payment payment, Actor finance, DateTimeOffset now) => payment.State == PaymentState.Requested
        ? [new PaymentCertified(payment.Id, finance.Id, finance.Name, now)]
        : throw ProblemException.InvalidState($"Only a requested payment can be certified; this one is {payment.State.ToString().ToLowerInvariant()}.");

    [WolverinePost("/payments/{id}/certify", OperationId = "CertifyPayment"), Authorize(Roles = Roles.Finance)]
    [Tags("Payments"), EndpointSummary("Certify a payment as factually and arithmetically correct (finance)")]
    public static (Ok<CaseVersion>, Events) Post(PaymentStep cmd, [WriteAggregate(Required = false)] Payment payment, TimeProvider clock, HttpContext http) =>
        CaseVersion.After(payment, Decide(payment, Actor.From(http.User), clock.GetUtcNow()), http);
}
