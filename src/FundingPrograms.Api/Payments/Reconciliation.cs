namespace FundingPrograms.Payments;

/// <param name="Reason">Why a credit was not booked to a recovery claim when its text says so: a Kassenzeichen failing its ISO 11649 check digits, or several of them.</param>
public sealed record UnmatchedEntry(Guid StatementId, string BankStatementId, string EntryKey, decimal Amount, bool IsDebit, bool IsReturn, DateOnly BookingDate,
    string? EndToEndId, string? CounterpartyName, string? CounterpartyIban, string? RemittanceText, string? Reason = null);

public sealed record UnbookedPayment(Guid PaymentId, Guid? BatchId, string? EndToEndId, decimal Amount, string GrantReference, string? PayeeName, DateTimeOffset? ExportedAt, int DaysSinceExport);

public sealed record BatchTotals(Guid BatchId, BatchState State, DateOnly ExecutionDate, int Payments, decimal Total, decimal Booked, decimal Returned, decimal Open)
{
    /// <summary>Rejected by the bank before booking (pain.002), not counted as open.</summary>
    public decimal Rejected { get; init; }
}

public sealed record StatementTotals(Guid StatementId, string BankStatementId, DateTimeOffset ImportedAt, int Entries, decimal Debits, decimal Credits,
    decimal Matched, decimal Returned, decimal Unmatched, decimal Explained, decimal Duplicates);

public sealed record ReconciliationView(
    IReadOnlyList<UnmatchedEntry> UnmatchedEntries,
    IReadOnlyList<UnbookedPayment> UnbookedPayments,
    IReadOnlyList<BatchTotals> Batches,
    IReadOnlyList<StatementTotals> Statements)
{
    /// <summary>Imported pain.002 status reports that matched none of our payments (e.g. a mistyped original message id).</summary>
    public IReadOnlyList<UnmatchedStatusReport> UnmatchedStatusReports { get; init; } = [];
}

public sealed record UnmatchedStatusReport(Guid ReportId, string MessageId, string OriginalMessageId, string? GroupStatus, int Transactions, DateTimeOffset ImportedAt);

public static class ReconciliationEndpoint
{
    /// <summary>What is left on either side: statement entries nobody matched, and payments exported but not booked after N days.</summary>
    [WolverineGet("/reconciliation", OperationId = "Reconciliation"), Authorize(Roles = Roles.FinanceReaders)]
    [Tags("Reconciliation"), EndpointSummary("Unmatched statement entries, unbooked payments, totals per batch and statement")]
    public static async Task<ReconciliationView> Get(int? unbookedAfterDays, IQuerySession session, IConfiguration config, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var days = unbookedAfterDays ?? config.GetValue("Payments:UnbookedAfterDays", 3);
        new Check().Bound(http, "unbookedAfterDays", unbookedAfterDays).That(days is >= 0 and <= 3650, "unbookedAfterDays", "Between 0 and 3650 days.").ThrowIfAny();
        var now = clock.GetUtcNow();
        var statements = await session.Query<StatementRecord>().OrderByDescending(s => s.ImportedAt).Take(500).ToListAsync(ct);
        var cutoff = now.AddDays(-days);
        var unbooked = await session.Query<Payment>().Where(p => p.State == PaymentState.Exported && p.ExportedAt <= cutoff).OrderBy(p => p.ExportedAt).Take(1000).ToListAsync(ct);
        var batches = await session.Query<PaymentBatch>().OrderByDescending(b => b.CreatedAt).Take(200).ToListAsync(ct);
        var inBatches = batches.SelectMany(b => b.PaymentIds).Distinct().ToArray();
        var payments = (await session.LoadManyAsync<Payment>(ct, inBatches)).ToDictionary(p => p.Id);

        var unmatchedReports = await session.Query<Recovery.PaymentStatusReport>().Where(r => r.MatchedNothing).OrderByDescending(r => r.ImportedAt).Take(200).ToListAsync(ct);
        decimal Sum(StatementRecord s, EntryStatus status) => s.Entries.Where(e => e.Status == status).Sum(e => e.Amount);
        return new ReconciliationView(
            statements.SelectMany(s => s.Entries.Where(e => e.Status == EntryStatus.Unmatched).Select(e => new UnmatchedEntry(s.Id, s.BankStatementId, e.Key,
                e.Amount, e.IsDebit, e.IsReturn, e.BookingDate, e.EndToEndId, e.CounterpartyName, e.CounterpartyIban, e.RemittanceText,
                e.IsDebit ? null : Recovery.CreditMatching.Read(e.RemittanceText).Refusal))).ToList(),
            unbooked.Select(p => new UnbookedPayment(p.Id, p.BatchId, p.EndToEndId, p.Amount, p.GrantReference, p.Payee?.HolderName, p.ExportedAt,
                (int)(now - p.ExportedAt!.Value).TotalDays)).ToList(),
            batches.Select(b =>
            {
                var ps = b.PaymentIds.Where(payments.ContainsKey).Select(id => payments[id]).ToList();
                var total = ps.Sum(p => p.Amount);
                var booked = ps.Where(p => p.State == PaymentState.Booked).Sum(p => p.Amount);
                var returned = ps.Where(p => p.State == PaymentState.Returned).Sum(p => p.Amount);
                var rejected = ps.Where(p => p.State == PaymentState.Rejected).Sum(p => p.Amount);
                return new BatchTotals(b.Id, b.State, b.ExecutionDate, ps.Count, total, booked, returned, total - booked - returned - rejected) { Rejected = rejected };
            }).ToList(),
            statements.Select(s => new StatementTotals(s.Id, s.BankStatementId, s.ImportedAt, s.Entries.Count,
                s.Entries.Where(e => e.IsDebit).Sum(e => e.Amount), s.Entries.Where(e => !e.IsDebit).Sum(e => e.Amount),
                Sum(s, EntryStatus.Matched), Sum(s, EntryStatus.Returned), Sum(s, EntryStatus.Unmatched), Sum(s, EntryStatus.Explained),
                Sum(s, EntryStatus.Duplicate))).ToList())
        {
            UnmatchedStatusReports = unmatchedReports.Select(r => new UnmatchedStatusReport(r.Id, r.MessageId, r.OriginalMessageId, r.GroupStatus, r.Items.Length, r.ImportedAt)).ToList(),
        };
    }
}

public static class GetBankStatementEndpoint
{
    [WolverineGet("/bank-statements/{id}", OperationId = "GetBankStatement"), Authorize(Roles = Roles.FinanceReaders)]
    [Tags("Reconciliation"), EndpointSummary("An imported statement with every entry and how it was reconciled")]
    public static async Task<StatementRecord> Get(Guid id, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var statement = await session.LoadAsync<StatementRecord>(id, ct) ?? throw ProblemException.NotFound("The bank statement");
        http.Response.Headers.ETag = Versioning.ETag(statement.Version);
        return statement;
    }
}

public sealed record StateFigures(PaymentState State, int Count, decimal Amount);

public sealed record RejectedPayment(Guid PaymentId, Guid? BatchId, string? EndToEndId, decimal Amount, string GrantReference, string? Status, string? ReasonCode,
    string? ReasonText);

public sealed record FinanceDashboard(IReadOnlyList<StateFigures> Payments, IReadOnlyList<BatchTotals> Batches, IReadOnlyList<UnbookedPayment> Returns)
{
    /// <summary>Open and overdue recovery claims, interest accrued to date, overpayments (Recovery/).</summary>
    public FundingPrograms.Recovery.RecoveryDashboard? Recovery { get; init; }

    /// <summary>Transfers the bank rejected before booking (pain.002), with the reason code: to release again once the account is fixed.</summary>
    public IReadOnlyList<RejectedPayment> Rejections { get; init; } = [];
}

public static class FinanceDashboardEndpoint
{
    [WolverineGet("/finance/dashboard", OperationId = "FinanceDashboard"), Authorize(Roles = Roles.FinanceReaders)]
    [Tags("Reconciliation"), EndpointSummary("Payments by state (open amounts), recent batches, returned transfers")]
    public static async Task<FinanceDashboard> Get(IQuerySession session, IConfiguration config, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var open = await session.Query<Payment>().Where(p => p.State != PaymentState.Booked).ToListAsync(ct);
        var booked = await session.Query<Payment>().Where(p => p.State == PaymentState.Booked).ToListAsync(ct);
        var figures = Enum.GetValues<PaymentState>().Select(s =>
        {
            var list = s == PaymentState.Booked ? booked : open.Where(p => p.State == s).ToList();
            return new StateFigures(s, list.Count, list.Sum(p => p.Amount));
        }).ToList();
        var reconciliation = await ReconciliationEndpoint.Get(null, session, config, clock, http, ct);
        var now = clock.GetUtcNow();
        var returns = open.Where(p => p.State == PaymentState.Returned).Select(p => new UnbookedPayment(p.Id, p.BatchId, p.EndToEndId, p.Amount, p.GrantReference,
            p.Payee?.HolderName, p.ExportedAt, p.ExportedAt is { } e ? (int)(now - e).TotalDays : 0)).ToList();
        var rejections = open.Where(p => p.State == PaymentState.Rejected)
            .Select(p => new RejectedPayment(p.Id, p.BatchId, p.EndToEndId, p.Amount, p.GrantReference, p.RejectionStatus, p.RejectionReasonCode, p.RejectionReasonText)).ToList();
        return new FinanceDashboard(figures, reconciliation.Batches, returns)
        {
            Recovery = await Recovery.ClaimViews.Dashboard(session, clock, ct), Rejections = rejections,
        };
    }
}

public static class GetPaymentEndpoint
{
    [WolverineGet("/payments/{id}", OperationId = "GetPayment"), Authorize(Roles = Roles.Any)]
    [Tags("Payments"), EndpointSummary("A payment with its state, payee and bank references (applicants: only their own)")]
    public static async Task<Payment> Get(Guid id, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var own = await Access.ApplicantOrganisation(Actor.From(http.User), session, ct);
        var payment = await session.LoadAsync<Payment>(id, ct);
        if (payment is null || (own is not null && payment.OrganisationId != own)) throw ProblemException.NotFound("The payment");
        http.Response.Headers.ETag = Versioning.ETag(payment.Version);
        return payment;
    }
}

public static class GrantPaymentsEndpoint
{
    [WolverineGet("/grants/{id}/payments", OperationId = "GrantPayments"), Authorize(Roles = Roles.Any)]
    [Tags("Payments"), EndpointSummary("The payments of a grant (applicants: only their own)")]
    public static async Task<IReadOnlyList<Payment>> Get(Guid id, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var grant = await Grants.GrantAccess.Load(session, id, http, ct);
        return await session.Query<Payment>().Where(p => p.GrantId == grant.Id).OrderBy(p => p.RequestedAt).ToListAsync(ct);
    }
}
