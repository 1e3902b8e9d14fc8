using FundingPrograms.Payments;
using Microsoft.AspNetCore.Mvc;

namespace FundingPrograms.Recovery;

public enum StatusOutcome { Rejected, AlreadyRejected, NotExported, Accepted, Unknown }

public sealed record StatusReportItem(string? EndToEndId, string Status, string? ReasonCode, string? ReasonText, Guid? PaymentId, StatusOutcome Outcome);

/// <summary>A pain.002 status report was imported: each transaction's status and what it did to our payment.</summary>
public sealed record PaymentStatusReportImported(Guid ReportId, string MessageId, string OriginalMessageId, string? GroupStatus, StatusReportItem[] Items,
    string By, DateTimeOffset At) : IDomainEvent;

public sealed partial class PaymentStatusReport
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public string MessageId { get; set; } = "";
    public string OriginalMessageId { get; set; } = "";
    public string? GroupStatus { get; set; }
    public StatusReportItem[] Items { get; set; } = [];
    public DateTimeOffset ImportedAt { get; set; }

    /// <summary>Nothing in the report matched one of our payments: it is on finance's worklist (GET /reconciliation).</summary>
    public bool MatchedNothing { get; set; }

    public static PaymentStatusReport Create(PaymentStatusReportImported e) => new()
    {
        Id = e.ReportId, MessageId = e.MessageId, OriginalMessageId = e.OriginalMessageId, GroupStatus = e.GroupStatus, Items = e.Items, ImportedAt = e.At,
        MatchedNothing = e.Items.All(i => i.PaymentId is null),
    };
}

public sealed record StatusImportResult(Guid ReportId, bool AlreadyImported, int Rejected, int AlreadyRejected, int Ignored, string Message)
{
    /// <summary>False when no transaction of the report is one of our payments (the report is then on finance's worklist).</summary>
    public bool Matched { get; init; } = true;

    /// <summary>The report's original message id when it is none of our payment batches' message ids.</summary>
    public string? UnknownOriginalMessageId { get; init; }
}

public static class ImportPaymentStatusEndpoint
{
    private static readonly Lazy<System.Xml.Schema.XmlSchemaSet> Schema = BankXml.Embedded("FundingPrograms.Recovery.pain.002.001.10.xsd", Pain002.LoadSchema);

    /// <summary>
    /// What each status does: RJCT/PART for an exported (not yet booked) payment marks it rejected with the bank's reason code
    /// (state rejected, its own event: no money left the account, unlike a return; finance releases it again once the account
    /// is fixed). A payment rejected before, a booked or returned one, or an unknown end-to-end id is reported and left alone.
    /// </summary>
    public static StatusReportItem[] Decide(PaymentStatusReportFile file, IReadOnlyList<Payment> payments)
    {
        var result = new List<StatusReportItem>();
        foreach (var item in file.Items)
        {
            var targets = item.EndToEndId is { } e2e
                ? payments.Where(p => p.EndToEndId == e2e).ToList()
                : payments.Where(p => p.EndToEndId is not null).ToList(); // a group / payment-information status covers the whole batch
            if (targets.Count == 0)
            {
                result.Add(new StatusReportItem(item.EndToEndId, item.Status, item.ReasonCode, item.ReasonText, null, StatusOutcome.Unknown));
                continue;
            }
            foreach (var p in targets)
            {
                var outcome = !Pain002.Rejects(item.Status) ? StatusOutcome.Accepted
                    : p.State == PaymentState.Exported ? StatusOutcome.Rejected
                    : p.State == PaymentState.Rejected ? StatusOutcome.AlreadyRejected
                    : StatusOutcome.NotExported;
                if (result.Any(r => r.PaymentId == p.Id && r.Outcome == StatusOutcome.Rejected)) outcome = StatusOutcome.AlreadyRejected;
                result.Add(new StatusReportItem(p.EndToEndId, item.Status, item.ReasonCode, item.ReasonText, p.Id, outcome));
            }
        }
        return result.ToArray();
    }

    [WithoutIdempotencyKey]
    [WolverinePost("/payment-status-reports", OperationId = "ImportPaymentStatusReport"), Authorize(Roles = Roles.Finance)]
    [RequestSizeLimit(BankXml.MaxUploadBytes)]
    [Tags("Reconciliation"), EndpointSummary("Import a pain.002 status report: RJCT/PART marks exported payments rejected with the reason code")]
    public static async Task<StatusImportResult> Post(IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var file = await BankXml.ReadUpload(http, "status report", "pain.002.001.10", body => Pain002.Parse(body, Schema.Value), ct);
        var reportId = StatementMatching.DeterministicGuid($"pain.002|{file.MessageId}");
        if (await session.Events.FetchStreamStateAsync(reportId, ct) is not null)
            return new StatusImportResult(reportId, true, 0, 0, file.Items.Count, "This status report was imported before; nothing was changed.");

        var batch = await session.Query<PaymentBatch>().Where(b => b.MessageId == file.OriginalMessageId).FirstOrDefaultAsync(ct);
        var e2e = file.Items.Where(i => i.EndToEndId is not null).Select(i => i.EndToEndId!).ToArray();
        var inBatch = batch?.PaymentIds ?? [];
        var payments = await session.Query<Payment>().Where(p => e2e.Contains(p.EndToEndId!) || inBatch.Contains(p.Id)).ToListAsync(ct);
        // A group or payment-information status applies to the original message's payments only.
        var items = Decide(file, file.Items.Any(i => i.EndToEndId is null) ? payments.Where(p => p.BatchId == batch?.Id || e2e.Contains(p.EndToEndId!)).ToList() : payments);
        var now = clock.GetUtcNow();
        foreach (var item in items.Where(i => i.Outcome == StatusOutcome.Rejected))
        {
            var payment = payments.First(p => p.Id == item.PaymentId);
            // At the version read: a concurrent booking of the same payment makes this import fail as a whole (409).
            session.Events.Append(payment.Id, payment.Version + 1,
                new PaymentRejected(payment.Id, reportId, $"pain.002/{file.MessageId}/{item.EndToEndId}", item.Status, item.ReasonCode, item.ReasonText, now));
        }
        session.Events.StartStream<PaymentStatusReport>(reportId, new PaymentStatusReportImported(reportId, file.MessageId, file.OriginalMessageId, file.GroupStatus,
            items, Actor.From(http.User).Id, now));
        var rejected = items.Count(i => i.Outcome == StatusOutcome.Rejected);
        var again = items.Count(i => i.Outcome == StatusOutcome.AlreadyRejected);
        var unknownOriginal = batch is null ? file.OriginalMessageId : null;
        var unknownIds = items.Where(i => i.Outcome == StatusOutcome.Unknown && i.EndToEndId is not null).Select(i => i.EndToEndId!).ToList();
        var nothing = items.All(i => i.PaymentId is null);
        var message = nothing
            ? $"Nothing in this status report matched our payments: the original message id '{file.OriginalMessageId}' is "
                + (batch is null ? "none of our payment batches" : "our batch, but none of its transactions was found")
                + (unknownIds.Count > 0 ? $", and no payment has the end-to-end id(s) {string.Join(", ", unknownIds.Take(10).Select(i => $"'{i}'"))}" : "")
                + ". Nothing was changed. The report is on finance's worklist (GET /reconciliation, unmatchedStatusReports): check with the bank which batch it means."
            : $"{rejected} payment(s) marked rejected; they can be released again once the account is fixed."
                + (unknownOriginal is not null ? $" The original message id '{unknownOriginal}' is none of our payment batches." : "")
                + (unknownIds.Count > 0 ? $" Not found: end-to-end id(s) {string.Join(", ", unknownIds.Take(10).Select(i => $"'{i}'"))}." : "");
        return new StatusImportResult(reportId, false, rejected, again, items.Length - rejected - again, message)
        {
            Matched = !nothing, UnknownOriginalMessageId = unknownOriginal,
        };
    }
}

public static class GetPaymentStatusReportEndpoint
{
    [WolverineGet("/payment-status-reports/{id}", OperationId = "GetPaymentStatusReport"), Authorize(Roles = Roles.FinanceReaders)]
    [Tags("Reconciliation"), EndpointSummary("An imported pain.002 status report with each transaction's outcome")]
    public static async Task<PaymentStatusReport> Get(Guid id, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<PaymentStatusReport>(id, ct) ?? throw ProblemException.NotFound("The status report");
}
