using System.IO.Compression;
using System.Text;
using System.Text.Json;
using FundingPrograms.Grants;
using FundingPrograms.Organisations;
using FundingPrograms.Payments;
using JasperFx.Events;

namespace FundingPrograms.Audit;

public sealed record DossierEvent(long Sequence, Guid StreamId, long Version, string Type, DateTimeOffset Timestamp, string? UserName, string? UserId,
    string? CorrelationId, object Data);

public sealed record ProofLine(long Sequence, Guid StreamId, long Version, string Type, string? LinkHash, long? SealId, string? SealHash);

/// <summary>
/// The auditor's dossier of one grant, as a ZIP: the application, decisions, notices and amendments, payments, the
/// statement entries that booked them, the organisation (personal data only if not erased), every event's chain link
/// and covering seal, the result of verifying the whole store, and a human-readable summary.
/// </summary>
public static class GrantDossierEndpoint
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [WolverineGet("/audit/grants/{id}/dossier", OperationId = "GrantDossier"), Authorize(Roles = Roles.Auditors)]
    [Tags("Audit"), EndpointSummary("Download the complete, chain-proven history of one grant (ZIP of JSON files and a summary)")]
    public static async Task<IResult> Get(Guid id, IQuerySession session, ChainVerifier verifier, SealSigner signer, CancellationToken ct)
    {
        var grant = await session.LoadAsync<Grant>(id, ct) ?? throw ProblemException.NotFound("The grant");
        var payments = await session.Query<Payment>().Where(p => p.GrantId == id).OrderBy(p => p.RequestedAt).ToListAsync(ct);
        var paymentIds = payments.Select(p => p.Id).ToHashSet();
        var statements = (await session.Query<StatementRecord>().ToListAsync(ct))
            .Select(s => new { s.Id, s.BankStatementId, s.AccountIban, Entries = s.Entries.Where(e => e.PaymentId is { } p && paymentIds.Contains(p)).ToList(), s.Reasons })
            .Where(s => s.Entries.Count > 0).ToList();
        var organisation = await session.LoadAsync<Organisation>(grant.OrganisationId, ct);

        async Task<List<IEvent>> Stream(Guid streamId) => (await session.Events.FetchStreamAsync(streamId, token: ct)).ToList();
        var streams = new Dictionary<string, List<IEvent>>
        {
            ["application.json"] = await Stream(grant.ApplicationId),
            ["grant.json"] = await Stream(id),
            ["organisation.json"] = await Stream(grant.OrganisationId),
            ["programme-budget.json"] = (await Stream(grant.ProgrammeId)).Where(e => e.Data switch
            {
                Programmes.BudgetCommitted c => c.GrantId == id,
                Programmes.BudgetReleased r => r.GrantId == id,
                BudgetPaid p => p.GrantId == id,
                _ => false,
            }).ToList(),
        };
        var letters = await session.Query<Letters.Letter>().Where(l => l.GrantId == id).OrderBy(l => l.IssuedAt).ToListAsync(ct);
        foreach (var l in letters) streams[$"letters/{l.Id}.json"] = await Stream(l.Id);
        foreach (var p in payments) streams[$"payments/{p.Id}.json"] = await Stream(p.Id);
        foreach (var batchId in payments.Where(p => p.BatchId is not null).Select(p => p.BatchId!.Value).Distinct())
            streams[$"batches/{batchId}.json"] = await Stream(batchId);
        var proofs = await session.Query<Proofs.Proof>().Where(p => p.GrantId == id).ToListAsync(ct);
        foreach (var p in proofs) streams[$"proofs/{p.Id}.json"] = await Stream(p.Id);

        var report = await verifier.Verify(ct);
        var sequences = streams.Values.SelectMany(s => s).Select(e => e.Sequence).ToList();
        var links = (await session.Query<ChainLink>().Where(l => sequences.Contains(l.Id)).ToListAsync(ct)).ToDictionary(l => l.Id);
        var seals = await session.Query<Seal>().OrderBy(s => s.Id).ToListAsync(ct);
        var proof = streams.Values.SelectMany(s => s).OrderBy(e => e.Sequence).Select(e =>
        {
            var seal = seals.FirstOrDefault(s => e.Sequence > s.FromSequence && e.Sequence <= s.ToSequence);
            return new ProofLine(e.Sequence, e.StreamId, e.Version, e.EventTypeName, links.GetValueOrDefault(e.Sequence)?.Hash, seal?.Id, seal?.Hash);
        }).ToList();

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, string content)
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                using var writer = new StreamWriter(entry.Open(), new UTF8Encoding(false));
                writer.Write(content);
            }
            // The letters as sent: the archived bytes of every file (PDF/A and HTML), whose SHA-256 the letter_issued events hold.
            foreach (var l in letters)
                foreach (var f in l.Files)
                    if (await Letters.LetterArchive.Read(session, l.Id, f.Name, ct) is { } archived)
                    {
                        await using var entry = zip.CreateEntry(l.NoticeVersion is null ? $"letters/{l.Kind}-{l.Id:N}-{f.Name}" : $"letters/{l.Kind}-v{l.NoticeVersion}-{f.Name}", CompressionLevel.Optimal).Open();
                        await entry.WriteAsync(archived, ct);
                    }
            foreach (var (name, events) in streams)
                Add(name, JsonSerializer.Serialize(events.Select(e => new DossierEvent(e.Sequence, e.StreamId, e.Version, e.EventTypeName, e.Timestamp, e.UserName,
                    e.Headers?.GetValueOrDefault("userId")?.ToString(), e.CorrelationId, e.Data)), Json));
            Add("ledger.json", JsonSerializer.Serialize(GrantLedger.Of(grant), Json));
            Add("notices.json", JsonSerializer.Serialize(grant.Notices, Json));
            Add("statements.json", JsonSerializer.Serialize(statements, Json));
            if (organisation is not null) Add("organisation-now.json", JsonSerializer.Serialize(await OrganisationView.Of(organisation, session, ct), Json));
            Add("chain-proof.json", JsonSerializer.Serialize(new
            {
                verification = report, events = proof, seals = seals.Where(s => proof.Any(p => p.SealId == s.Id)),
                sealKey = new { keyId = signer.KeyId, publicKeyPem = signer.PublicKeyPem, signedStatement = "fundingprograms-seal-v1|{id}|{fromSequence}|{toSequence}|{count}|{digest}|{previousHash}|{hash}" },
            }, Json));
            // Attachments of the proofs of use, as uploaded (their SHA-256 is in the proof_attachment_added events above).
            foreach (var file in await session.Query<Proofs.ProofAttachmentFile>().Where(f => f.GrantId == id).ToListAsync(ct))
            {
                await using var target = zip.CreateEntry($"attachments/{file.ProofId}/{file.Id}-{file.FileName}", CompressionLevel.Optimal).Open();
                await target.WriteAsync(file.Content, ct);
            }
            Add("summary.md", Summary(grant, payments, statements.Sum(s => s.Entries.Count), report, proof));
        }
        return Results.File(buffer.ToArray(), "application/zip", $"dossier-{grant.Notice.Reference}.zip");
    }

    private static string Summary(Grant grant, IReadOnlyList<Payment> payments, int statementEntries, VerificationReport report, IReadOnlyList<ProofLine> proof)
    {
        var n = grant.Notice;
        var s = new StringBuilder();
        s.AppendLine($"# Dossier {n.Reference}: {n.ProjectTitle}");
        s.AppendLine();
        s.AppendLine($"- Recipient: {n.OrganisationName} ({grant.OrganisationId})");
        s.AppendLine($"- Programme: {n.ProgrammeName.In("de")} ({grant.ProgrammeId}), application {grant.ApplicationId}");
        s.AppendLine($"- Granted: {n.GrantedAmount:0.00} EUR of {n.RequestedAmount:0.00} EUR requested, {n.FinancingType}{(n.SharePercent is { } rate ? $", {rate} %" : "")} of {n.TotalEligibleCosts:0.00} EUR");
        s.AppendLine($"- Funding period {n.PeriodStart:yyyy-MM-dd} – {n.PeriodEnd:yyyy-MM-dd}, budget line {n.BudgetLine}: {string.Join(", ", n.YearSplit.Select(y => $"{y.Year} {y.Amount:0.00}"))}");
        s.AppendLine($"- Proof of use due {n.ProofOfUseDue:yyyy-MM-dd}; records kept until {GrantLedger.Retention(n):yyyy-MM-dd}");
        s.AppendLine();
        s.AppendLine("## Notices");
        foreach (var v in grant.Notices)
            s.AppendLine($"- Version {v.NoticeVersion}, {v.IssuedAt:yyyy-MM-dd HH:mm} UTC by {v.IssuedBy}: {v.GrantedAmount:0.00} EUR" + (v.AmendmentReason is null ? "" : $" — {v.AmendmentReason}"));
        s.AppendLine();
        s.AppendLine("## Payments");
        foreach (var p in payments)
            s.AppendLine($"- {p.Amount:0.00} EUR {p.Kind} needed {p.NeededOn:yyyy-MM-dd}: {p.State}" + (p.BookingDate is { } d ? $" on {d:yyyy-MM-dd}" : "")
                + (p.ReturnReasonCode is null ? "" : $" (returned {p.ReturnReasonCode})") + $", certified by {p.CertifiedByName}, released by {p.ReleasedByName}");
        s.AppendLine($"- Granted {n.GrantedAmount:0.00}, requested {grant.Requested:0.00}, paid {grant.Paid:0.00}, outstanding {n.GrantedAmount - grant.Paid:0.00} EUR; {statementEntries} statement entr(y/ies) booked them.");
        s.AppendLine();
        s.AppendLine("## Proof");
        s.AppendLine($"- {proof.Count} events in this dossier; {proof.Count(p => p.LinkHash is not null)} chained, {proof.Count(p => p.SealId is not null)} sealed.");
        s.AppendLine($"- Whole store verified {report.CheckedAt:yyyy-MM-dd HH:mm:ss} UTC: {(report.Intact ? "intact" : "BROKEN — " + report.FirstBroken!.Problem)}; {report.EventsChecked} events, sealed up to sequence {report.SealedUpTo}, latest seal {report.LatestSealHash}.");
        s.AppendLine("- Every seal is signed (ECDSA P-256, SHA-256); chain-proof.json holds the public key (also at GET /audit/public-key), so the seals can be checked without the chain's secret. Seal hashes are also recorded outside the database (the outside anchor) and verification compares them.");
        return s.ToString();
    }
}
