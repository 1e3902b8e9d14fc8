using FundingPrograms.Applications;
using FundingPrograms.Grants;
using FundingPrograms.Payments;
using FundingPrograms.ReferenceData;

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

/// <summary>Recovery claims as a file: the list of /recovery-claims (every claim, no paging) with interest and balance to a day.</summary>
public static class ClaimsExportEndpoint
{
    [WolverineGet("/reports/lists/claims/export", OperationId = "ExportClaims"), Authorize(Roles = Roles.Staff)]
    [Tags("Reports"), EndpointSummary("Recovery claims (status, principal, received, interest and balance to ?until=, default today) as CSV or XLSX")]
    public static async Task<IResult> Get(string? format, string? separator, Recovery.ClaimStatus? status, Guid? grantId, Guid? organisationId, DateOnly? until,
        IQuerySession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var check = new Check().Bound(http, "status", status).Bound(http, "grantId", grantId).Bound(http, "organisationId", organisationId)
            .Bound(http, "until", until).Date(until, "until");
        Export.Validate(format, separator, check);
        check.ThrowIfAny();
        var query = session.Query<Recovery.RecoveryClaim>().AsQueryable();
        if (grantId is { } g) query = query.Where(c => c.GrantId == g);
        if (organisationId is { } o) query = query.Where(c => c.OrganisationId == o);
        var claims = await query.OrderBy(c => c.RaisedAt).ToListAsync(ct);
        var rates = await Recovery.BaseRateTable.Load(session, ct);
        var asOf = until ?? BerlinTime.Today(clock.GetUtcNow());
        var items = claims.Select(c => Recovery.ClaimViews.Of(c, asOf, rates)).Where(v => status is null || v.Status == status).ToList();
        string Code<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
        var table = new Table("claims",
            [
                new("id", ColumnType.Text), new("reference", ColumnType.Text), new("grantReference", ColumnType.Text), new("organisationName", ColumnType.Text),
                new("basis", ColumnType.Text), new("status", ColumnType.Text), new("principal", ColumnType.Money), new("costs", ColumnType.Money),
                new("received", ColumnType.Money), new("interestToDate", ColumnType.Money), new("balance", ColumnType.Money), new("dueOn", ColumnType.Date),
                new("overdueSince", ColumnType.Date), new("reminders", ColumnType.Integer), new("asOf", ColumnType.Date), new("missingBaseRate", ColumnType.Text),
            ],
            items.Select(v => new object?[]
            {
                v.Claim.Id.ToString(), v.Claim.Reference, v.Claim.GrantReference, v.Claim.OrganisationName, Code(v.Claim.Basis), Code(v.Status), v.Claim.Principal,
                v.Claim.Costs, v.Claim.Received, v.InterestToDate, v.Balance, v.Claim.DueOn, v.OverdueSince, v.Claim.Reminders.Count, v.AsOf, v.MissingBaseRate,
            }).ToList());
        return Export.File(table, format!, separator);
    }
}
