using FundingPrograms.Grants;

namespace FundingPrograms.Proofs;

public sealed record PlanLine(int Line, string Description, decimal Planned);

public static class GetProofEndpoint
{
    public static async Task<(Proof Proof, Grant Grant, Applications.CostItem[] Plan)> Context(IQuerySession session, Guid id, HttpContext http, CancellationToken ct)
    {
        var proof = await ProofAccess.Load(session, id, http, ct);
        var grant = await ProofAccess.Grant(session, proof.GrantId, ct);
        return (proof, grant, await ProofAccess.Plan(session, grant, ct));
    }

    [WolverineGet("/proofs/{id}", OperationId = "GetProof"), Authorize(Roles = Roles.Any)]
    [Tags("Proofs of use"), EndpointSummary("A proof of use with its findings (receipts outside the period, sums that differ, duplicates)")]
    public static async Task<ProofDetail> Get(Guid id, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var (proof, grant, plan) = await Context(session, id, http, ct);
        http.Response.Headers.ETag = Versioning.ETag(proof.Version);
        var (from, to) = ProofRules.Period(grant.Notice, proof.Kind, proof.BudgetYear);
        return new ProofDetail(proof, plan.Select((c, i) => new PlanLine(i + 1, c.Description, c.Amount)).ToList(),
            ProofRules.Findings(proof.Content, grant.Notice, proof.Kind, proof.BudgetYear, plan, grant.Paid), from, to);
    }
}

/// <summary>A proof as its reader sees it: the proof, the plan lines it refers to, the period receipts must fall in, and the findings as of now.</summary>
public sealed record ProofDetail(Proof Proof, IReadOnlyList<PlanLine> Plan, IReadOnlyList<Finding> Findings, DateOnly ReceiptsFrom, DateOnly ReceiptsTo);

public static class GrantProofsEndpoint
{
    [WolverineGet("/grants/{id}/proofs", OperationId = "GrantProofs"), Authorize(Roles = Roles.Any)]
    [Tags("Proofs of use"), EndpointSummary("The proofs of use of a grant (applicants: only their own)")]
    public static async Task<IReadOnlyList<Proof>> Get(Guid id, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var grant = await GrantAccess.Load(session, id, http, ct);
        return await session.Query<Proof>().Where(p => p.GrantId == grant.Id).OrderBy(p => p.CreatedAt).ToListAsync(ct);
    }
}

public static class ProofRecalculationEndpoint
{
    [WolverineGet("/proofs/{id}/recalculation", OperationId = "ProofRecalculation"), Authorize(Roles = Roles.Any)]
    [Tags("Proofs of use"), EndpointSummary("The recalculation step by step: as recorded by the examination, or a preview from the rulings so far")]
    public static async Task<Recalculation> Get(Guid id, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var (proof, grant, plan) = await GetProofEndpoint.Context(session, id, http, ct);
        if (proof.Recalculation is not null) return proof.Recalculation;
        return ProofRules.Recalculate(grant.Notice, plan, proof.Content, proof.Rulings, grant.Paid);
    }
}

public static class ProofReceiptsCsvEndpoint
{
    [WolverineGet("/proofs/{id}/receipts.csv", OperationId = "ExportProofReceiptsCsv"), Authorize(Roles = Roles.Any)]
    [Tags("Proofs of use"), EndpointSummary("The list of receipts as CSV (UTF-8, ';', German decimals; imports again)")]
    public static async Task<IResult> Get(Guid id, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var proof = await ProofAccess.Load(session, id, http, ct);
        return Results.File(ReceiptFiles.Csv(proof.Content.Receipts), "text/csv; charset=utf-8", $"belegliste-{proof.GrantReference}.csv");
    }
}

public static class ProofReceiptsXlsxEndpoint
{
    [WolverineGet("/proofs/{id}/receipts.xlsx", OperationId = "ExportProofReceiptsXlsx"), Authorize(Roles = Roles.Any)]
    [Tags("Proofs of use"), EndpointSummary("The list of receipts as an Excel workbook")]
    public static async Task<IResult> Get(Guid id, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var proof = await ProofAccess.Load(session, id, http, ct);
        return Results.File(ReceiptFiles.Xlsx(proof.Content.Receipts, "Belegliste"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            $"belegliste-{proof.GrantReference}.xlsx");
    }
}

public static class ProofAttachmentEndpoint
{
    [WolverineGet("/proofs/{id}/attachments/{attachmentId}", OperationId = "GetProofAttachment"), Authorize(Roles = Roles.Any)]
    [Tags("Proofs of use"), EndpointSummary("Download an attachment (staff and the own organisation)")]
    public static async Task<IResult> Get(Guid id, Guid attachmentId, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var proof = await ProofAccess.Load(session, id, http, ct);
        var file = await session.LoadAsync<ProofAttachmentFile>(attachmentId, ct);
        if (file is null || file.ProofId != proof.Id) throw ProblemException.NotFound("The attachment");
        return Results.File(file.Content, file.ContentType, file.FileName);
    }
}

/// <summary>One line of the officers' worklist: a grant's final proof (due, overdue, or where it stands) or an interim proof.</summary>
public sealed record WorklistItem(Guid GrantId, string Reference, string ProjectTitle, string OrganisationName, Guid ProgrammeId, Guid? ProofId, ProofKind Kind,
    int? BudgetYear, string Status, DateOnly? DueDate, bool Overdue, DateTimeOffset? SubmittedAt);

public static class ProofWorklist
{
    public static IEnumerable<WorklistItem> Items(Grant g, IReadOnlyCollection<Proof> proofs, DateOnly today)
    {
        if (g.State == GrantState.Closed) yield break;
        var n = g.Notice;
        WorklistItem Item(Proof? p, ProofKind kind, string status, DateOnly? due) =>
            new(g.Id, n.Reference, n.ProjectTitle, n.OrganisationName, g.ProgrammeId, p?.Id, kind, p?.BudgetYear, status, due,
                status == "overdue" || (status == "returned" && due < today), p?.SubmittedAt);
        var final = proofs.FirstOrDefault(p => p.Kind == ProofKind.Final);
        if (final is null || final.State == ProofState.Draft)
            yield return Item(final, ProofKind.Final, n.ProofOfUseDue < today ? "overdue" : "due", n.ProofOfUseDue);
        // Interim proofs owed (ANBest-P Nr. 6.1 Satz 2): due by 30 April after each budget year the grant received money in and ran on past.
        foreach (var owed in InterimProofs.Owed(g, proofs))
            yield return new WorklistItem(g.Id, n.Reference, n.ProjectTitle, n.OrganisationName, g.ProgrammeId, owed.ProofId, ProofKind.Interim, owed.BudgetYear,
                owed.DueDate < today ? "overdue" : "due", owed.DueDate, owed.DueDate < today, null);
        foreach (var p in proofs.Where(p => p.State != ProofState.Draft && !(p.Kind == ProofKind.Interim && p.State == ProofState.Examined)))
            yield return Item(p, p.Kind, Status(p.State), p.State == ProofState.ReturnedForCompletion ? p.CompletionDueDate : null);
    }

    private static string Status(ProofState s) => s switch
    {
        ProofState.Submitted => "submitted",
        ProofState.ReturnedForCompletion => "returned",
        ProofState.InExamination => "inExamination",
        ProofState.Examined => "examined",
        ProofState.Settled => "settled",
        _ => "draft",
    };

    public static async Task<List<WorklistItem>> Query(IQuerySession session, Guid? programmeId, DateOnly today, CancellationToken ct)
    {
        var query = session.Query<Grant>().Where(g => g.State != GrantState.Closed);
        if (programmeId is { } pid) query = query.Where(g => g.ProgrammeId == pid);
        var grants = await query.Take(5000).ToListAsync(ct);
        var ids = grants.Select(g => g.Id).ToArray();
        var proofs = (await session.Query<Proof>().Where(p => ids.Contains(p.GrantId)).ToListAsync(ct)).ToLookup(p => p.GrantId);
        return grants.SelectMany(g => Items(g, proofs[g.Id].ToList(), today))
            .OrderByDescending(i => i.Overdue).ThenBy(i => i.DueDate ?? DateOnly.MaxValue).ThenBy(i => i.SubmittedAt).ToList();
    }
}

public static class ProofWorklistEndpoint
{
    [WolverineGet("/proof-worklist", OperationId = "ProofWorklist"), Authorize(Roles = Roles.Staff)]
    [Tags("Proofs of use"), EndpointSummary("Officer worklist: proofs due, overdue, submitted, returned, in examination, examined (filter by programme, status)")]
    public static async Task<IReadOnlyList<WorklistItem>> Get(Guid? programmeId, string? status, IQuerySession session, TimeProvider clock, HttpContext http,
        CancellationToken ct)
    {
        new Check().Bound(http, "programmeId", programmeId)
            .That(status is null or "due" or "overdue" or "submitted" or "returned" or "inExamination" or "examined", "status",
                "Use one of: due, overdue, submitted, returned, inExamination, examined.")
            .ThrowIfAny();
        var items = await ProofWorklist.Query(session, programmeId, BerlinTime.Today(clock.GetUtcNow()), ct);
        return status is null ? items : items.Where(i => i.Status == status).ToList();
    }
}

public static class OverdueProofsEndpoint
{
    [WolverineGet("/proof-worklist/overdue", OperationId = "OverdueProofs"), Authorize(Roles = Roles.Staff)]
    [Tags("Proofs of use"), EndpointSummary("Overdue proofs: final proofs past their due date and completions past theirs (a reason to consider revocation)")]
    public static async Task<IReadOnlyList<WorklistItem>> Get(Guid? programmeId, IQuerySession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        new Check().Bound(http, "programmeId", programmeId).ThrowIfAny();
        return (await ProofWorklist.Query(session, programmeId, BerlinTime.Today(clock.GetUtcNow()), ct)).Where(i => i.Overdue).ToList();
    }
}

public sealed record GrantDeadline(Guid GrantId, string Reference, string ProjectTitle, GrantState State, string? NextStep, DateOnly? NextDeadline, bool Overdue,
    Guid? FinalProofId, decimal Granted, decimal Paid, decimal? FinalAmount, decimal ToRecover, decimal ToPay);

public sealed record ProofDashboard(Guid OrganisationId, GrantDeadline? Next, IReadOnlyList<GrantDeadline> Grants);

public static class ProofDashboardEndpoint
{
    [WolverineGet("/dashboard/grants", OperationId = "ApplicantGrantDashboard"), Authorize(Roles = Roles.Applicant)]
    [Tags("Proofs of use"), EndpointSummary("The applicant's grants: what is due next (proofs of use, completions) and by when")]
    public static async Task<ProofDashboard> Get(IQuerySession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var own = await Access.ApplicantOrganisation(Actor.From(http.User), session, ct) ?? Guid.Empty;
        var today = BerlinTime.Today(clock.GetUtcNow());
        var grants = await session.Query<Grant>().Where(g => g.OrganisationId == own).ToListAsync(ct);
        var ids = grants.Select(g => g.Id).ToArray();
        var proofs = (await session.Query<Proof>().Where(p => ids.Contains(p.GrantId)).ToListAsync(ct)).ToLookup(p => p.GrantId);
        var items = grants.Select(g =>
        {
            var ledger = GrantLedger.Of(g);
            var returned = proofs[g.Id].Where(p => p.State == ProofState.ReturnedForCompletion).OrderBy(p => p.CompletionDueDate).FirstOrDefault();
            var final = proofs[g.Id].FirstOrDefault(p => p.Kind == ProofKind.Final);
            var interim = InterimProofs.Owed(g, proofs[g.Id]).FirstOrDefault();
            var (step, due) = g.State switch
            {
                GrantState.Closed => ("Closed: see the final notice.", (DateOnly?)null),
                _ when returned is not null => ($"Complete the returned proof: {string.Join("; ", returned.MissingItems)}", returned.CompletionDueDate),
                _ when interim is not null && interim.DueDate <= g.Notice.ProofOfUseDue =>
                    ($"Submit the interim proof (Zwischennachweis) of {interim.BudgetYear}: {interim.Received:0.00} EUR received that year (ANBest-P Nr. 6.1).", interim.DueDate),
                GrantState.FinalProofSubmitted => ("Nothing to do: the final proof is being examined.", null),
                _ => ("Submit the final proof of use (Verwendungsnachweis).", g.Notice.ProofOfUseDue),
            };
            return new GrantDeadline(g.Id, g.Notice.Reference, g.Notice.ProjectTitle, g.State, step, due, due is { } d && d < today, final?.Id,
                g.Notice.GrantedAmount, g.Paid, ledger.FinalAmount, ledger.ToRecover, ledger.ToPay);
        }).OrderBy(i => i.NextDeadline ?? DateOnly.MaxValue).ToList();
        return new ProofDashboard(own, items.FirstOrDefault(i => i.NextDeadline is not null), items);
    }
}
