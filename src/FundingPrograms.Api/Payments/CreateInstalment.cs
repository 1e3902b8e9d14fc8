namespace FundingPrograms.Payments;

/// <summary>An instalment an officer or finance sets up directly on a grant (same rules and grant lock as a drawdown, see <see cref="RequestPaymentEndpoint"/>).</summary>
public static class CreateInstalmentEndpoint
{
    [WolverinePost("/grants/{id}/instalments", OperationId = "CreateInstalment"), Authorize(Roles = Roles.OfficersAndFinance)]
    [Tags("Payments"), EndpointSummary("Create a payment directly, e.g. a scheduled instalment (officer or finance)")]
    public static Task<Created<CaseVersion>> Post(Guid id, RequestPayment cmd, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        RequestPaymentEndpoint.Request(id, cmd, PaymentKind.Instalment, session, clock, http, ct);
}
