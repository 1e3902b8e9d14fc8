using FundingPrograms.Applications;
using FundingPrograms.Grants;
using FundingPrograms.Infrastructure;
using FundingPrograms.Payments;
using FundingPrograms.ReferenceData;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace FundingPrograms.Reports;

public static class FundingReportExportEndpoint
{
    [WolverineGet("/reports/funding/export", OperationId = "ExportFundingReport"), Authorize(Roles = Roles.Staff)]
    [Tags("Reports"), EndpointSummary("The funding report as CSV or XLSX (?format=csv|xlsx, ?separator=semicolon; same parameters as the report)")]
    public static async Task<IResult> Get(string? format, string? separator, int? year, string? groupBy, string? measure, DateTimeOffset? asOf, Guid? edition,
        IQuerySession session, ReferenceCatalogue reference, HttpContext http, CancellationToken ct)
    {
        var check = new Check();
        Export.Validate(format, separator, check);
        var (dims, measures) = Funding.Parse(groupBy, measure, year, http, check);
        var (facts, basis) = await ReportScope.Load(asOf, edition, session, http, check, ct);
        var report = Funding.Compute(facts, year, dims, measures, await ReportLabels.Load(session, reference, "de", ct), basis);
        return Export.File(ReportTables.Funding(report), format!, separator);
    }
}

public static class ProcessingTimesExportEndpoint
{
    [WolverineGet("/reports/processing-times/export", OperationId = "ExportProcessingTimes"), Authorize(Roles = Roles.Staff)]
    [Tags("Reports"), EndpointSummary("Processing times as CSV or XLSX")]
    public static async Task<IResult> Get(string? format, string? separator, int? year, DateTimeOffset? asOf, Guid? edition, IQuerySession session,
        ReferenceCatalogue reference, HttpContext http, CancellationToken ct)
    {
        var check = new Check();
        Export.Validate(format, separator, check);
        check.Bound(http, "year", year).That(year is null or (>= 2000 and <= 2100), "year", "A year between 2000 and 2100.");
        var (facts, basis) = await ReportScope.Load(asOf, edition, session, http, check, ct);
        var report = ProcessingTimes.Compute(facts, year, await ReportLabels.Load(session, reference, "de", ct), basis);
        return Export.File(ReportTables.ProcessingTimes(report), format!, separator);
    }
}

public static class CoverageExportEndpoint
{
    [WolverineGet("/reports/coverage/export", OperationId = "ExportCoverage"), Authorize(Roles = Roles.Staff)]
    [Tags("Reports"), EndpointSummary("The coverage matrix as CSV or XLSX (one line per district and column)")]
    public static async Task<IResult> Get(string? format, string? separator, int? year, string? dimension, DateTimeOffset? asOf, Guid? edition,
        IQuerySession session, ReferenceCatalogue reference, IConfiguration config, HttpContext http, CancellationToken ct)
    {
        var check = new Check();
        Export.Validate(format, separator, check);
        if (check.HasErrors) check.ThrowIfAny();
        var report = await CoverageQuery.Build(year, dimension, asOf, edition, session, reference, config, http, ct);
        return Export.File(ReportTables.Coverage(report), format!, separator);
    }
}

/// <summary>The officers' inbox as a file: every submitted and later application (no paging), filtered like the inbox.</summary>
public static class InboxExportEndpoint
{
    [WolverineGet("/reports/lists/inbox/export", OperationId = "ExportInbox"), Authorize(Roles = Roles.Staff)]
    [Tags("Reports"), EndpointSummary("The inbox (submitted and later applications) as CSV or XLSX")]
    public static async Task<IResult> Get(string? format, string? separator, Guid? programmeId, Guid? callId, ApplicationState? state, IQuerySession session,
        TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var check = new Check().Bound(http, "programmeId", programmeId).Bound(http, "callId", callId).Bound(http, "state", state)
            .That(state != ApplicationState.Draft, "state", "Drafts are private to the applicant until submitted.");
        Export.Validate(format, separator, check);
        check.ThrowIfAny();
        var query = session.Query<Application>().Where(a => a.State != ApplicationState.Draft);
        if (programmeId is { } p) query = query.Where(a => a.ProgrammeId == p);
        if (callId is { } c) query = query.Where(a => a.CallId == c);
        if (state is { } s) query = query.Where(a => a.State == s);
        var found = await query.OrderBy(a => a.StateSequence).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var table = new Table("inbox",
            [
                new("id", ColumnType.Text), new("title", ColumnType.Text), new("organisationName", ColumnType.Text), new("organisationType", ColumnType.Text),
                new("programmeId", ColumnType.Text), new("callId", ColumnType.Text), new("state", ColumnType.Text), new("stateSince", ColumnType.Instant),
                new("daysInState", ColumnType.Integer), new("submittedAt", ColumnType.Instant), new("districts", ColumnType.Text),
                new("requestedAmount", ColumnType.Money), new("completionDueDate", ColumnType.Date),
            ],
            found.Select(a => new object?[]
            {
                a.Id.ToString(), a.Content.Title, a.OrganisationName, a.OrganisationType, a.ProgrammeId.ToString(), a.CallId.ToString(),
                System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(a.State.ToString()), a.StateSince, (int)(now - a.StateSince).TotalDays, a.SubmittedAt,
                string.Join(' ', a.Content.Districts), a.Content.RequestedAmount, a.CompletionDueDate,
            }).ToList());
        return Export.File(table, format!, separator);
    }
}

public static class GrantsExportEndpoint
{
    [WolverineGet("/reports/lists/grants/export", OperationId = "ExportGrants"), Authorize(Roles = Roles.Staff)]
    [Tags("Reports"), EndpointSummary("Grants (the notice in force, paid and outstanding) as CSV or XLSX")]
    public static async Task<IResult> Get(string? format, string? separator, Guid? programmeId, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var check = new Check().Bound(http, "programmeId", programmeId);
        Export.Validate(format, separator, check);
        check.ThrowIfAny();
        var query = session.Query<Grant>().AsQueryable();
        if (programmeId is { } p) query = query.Where(g => g.ProgrammeId == p);
        var grants = (await query.ToListAsync(ct)).OrderBy(g => g.Notice.Reference, StringComparer.Ordinal).ToList();
        var table = new Table("grants",
            [
                new("id", ColumnType.Text), new("reference", ColumnType.Text), new("projectTitle", ColumnType.Text), new("organisationName", ColumnType.Text),
                new("programme", ColumnType.Text), new("noticeVersion", ColumnType.Integer), new("granted", ColumnType.Money), new("requested", ColumnType.Money),
                new("paid", ColumnType.Money), new("outstanding", ColumnType.Money), new("periodStart", ColumnType.Date), new("periodEnd", ColumnType.Date),
                new("budgetLine", ColumnType.Text), new("proofOfUseDue", ColumnType.Date), new("issuedAt", ColumnType.Instant),
            ],
            grants.Select(g => new object?[]
            {
                g.Id.ToString(), g.Notice.Reference, g.Notice.ProjectTitle, g.Notice.OrganisationName, g.Notice.ProgrammeName.In("de"), g.Notice.NoticeVersion,
                g.Notice.GrantedAmount, g.Requested, g.Paid, g.Notice.GrantedAmount - g.Paid, g.Notice.PeriodStart, g.Notice.PeriodEnd, g.Notice.BudgetLine,
                g.Notice.ProofOfUseDue, g.Notices[0].IssuedAt,
            }).ToList());
        return Export.File(table, format!, separator);
    }
}

public static class PaymentsExportEndpoint
{
    [WolverineGet("/reports/lists/payments/export", OperationId = "ExportPayments"), Authorize(Roles = Roles.FinanceReaders)]
    [Tags("Reports"), EndpointSummary("Payments as CSV or XLSX")]
    public static async Task<IResult> Get(string? format, string? separator, PaymentState? state, Guid? programmeId, IQuerySession session, HttpContext http,
        CancellationToken ct)
    {
        var check = new Check().Bound(http, "state", state).Bound(http, "programmeId", programmeId);
        Export.Validate(format, separator, check);
        check.ThrowIfAny();
        var query = session.Query<Payment>().AsQueryable();
        if (state is { } s) query = query.Where(x => x.State == s);
        if (programmeId is { } p) query = query.Where(x => x.ProgrammeId == p);
        var payments = await query.OrderBy(x => x.RequestedAt).ToListAsync(ct);
        var table = new Table("payments",
            [
                new("id", ColumnType.Text), new("grantReference", ColumnType.Text), new("kind", ColumnType.Text), new("amount", ColumnType.Money),
                new("budgetYear", ColumnType.Integer), new("neededOn", ColumnType.Date), new("state", ColumnType.Text), new("requestedAt", ColumnType.Instant),
                new("payeeName", ColumnType.Text), new("endToEndId", ColumnType.Text), new("exportedAt", ColumnType.Instant), new("bookingDate", ColumnType.Date),
                new("returnReasonCode", ColumnType.Text),
            ],
            payments.Select(x => new object?[]
            {
                x.Id.ToString(), x.GrantReference, x.Kind.ToString().ToLowerInvariant(), x.Amount, x.BudgetYear, x.NeededOn, x.State.ToString().ToLowerInvariant(),
                x.RequestedAt, x.Payee?.HolderName, x.EndToEndId, x.ExportedAt, x.BookingDate, x.ReturnReasonCode,
            }).ToList());
        return Export.File(table, format!, separator);
    }
}

/// <summary>What reconciliation leaves open, as one table: unmatched statement entries and payments exported but not booked.</summary>
public static class ReconciliationExportEndpoint
{
    [WolverineGet("/reports/lists/reconciliation/export", OperationId = "ExportReconciliation"), Authorize(Roles = Roles.FinanceReaders)]
    [Tags("Reports"), EndpointSummary("Reconciliation (unmatched entries and unbooked payments) as CSV or XLSX")]
    public static async Task<IResult> Get(string? format, string? separator, int? unbookedAfterDays, IQuerySession session, IConfiguration config,
        TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var check = new Check();
        Export.Validate(format, separator, check);
        check.ThrowIfAny();
        var view = await ReconciliationEndpoint.Get(unbookedAfterDays, session, config, clock, http, ct);
        var rows = view.UnmatchedEntries.Select(e => new object?[]
            {
                "unmatchedEntry", e.BankStatementId, e.EntryKey, e.Amount, e.IsDebit ? "debit" : "credit", e.BookingDate, null, e.EndToEndId, e.CounterpartyName,
                e.RemittanceText, null,
            })
            .Concat(view.UnbookedPayments.Select(p => new object?[]
            {
                "unbookedPayment", p.BatchId?.ToString(), p.PaymentId.ToString(), p.Amount, "debit", null, p.ExportedAt, p.EndToEndId, p.PayeeName, p.GrantReference,
                p.DaysSinceExport,
            })).ToList();
        var table = new Table("reconciliation",
            [
                new("kind", ColumnType.Text), new("statementOrBatch", ColumnType.Text), new("entryOrPayment", ColumnType.Text), new("amount", ColumnType.Money),
                new("direction", ColumnType.Text), new("bookingDate", ColumnType.Date), new("exportedAt", ColumnType.Instant), new("endToEndId", ColumnType.Text),
                new("counterparty", ColumnType.Text), new("remittanceOrReference", ColumnType.Text), new("daysSinceExport", ColumnType.Integer),
            ], rows);
        return Export.File(table, format!, separator);
    }
}
