using System.Text.RegularExpressions;
using FundingPrograms.Organisations;
using FundingPrograms.Payments;

namespace FundingPrograms.Recovery;

/// <param name="OverpaymentNotChecked">Claims whose overpayment could not be checked, each with the reason (a base rate not yet entered).</param>
/// <param name="OverpaidCredits">The credits of this import that paid more than their claim owed (refund due), by entry.</param>
public sealed record CreditMatchResult(ImportedEntry[] Entries, int Matched, int Overpaid, IReadOnlyList<string> OverpaymentNotChecked,
    IReadOnlyList<OverpaidCredit>? OverpaidCredits = null)
{
    /// <summary>The import answer's sentence about credits to recovery claims ("" when there were none).</summary>
    public string Describe() =>
        (Matched == 0 && OverpaymentNotChecked.Count == 0 ? "" : $" {Matched} credit(s) to recovery claims") +
        ((OverpaidCredits ?? []).Count > 0
            ? $"; overpaid, refund due: {string.Join("; ", OverpaidCredits!.Select(o => $"entry {o.EntryKey} ({o.Amount:0.00} EUR) on {o.ClaimReference}: {o.Overpaid:0.00} EUR too much"))}"
            : "") +
        (OverpaymentNotChecked.Count > 0 ? $"; not checked for overpayment: {string.Join("; ", OverpaymentNotChecked)}" : "") +
        (Matched == 0 && OverpaymentNotChecked.Count == 0 ? "" : ".");
}

/// <summary>A credit that paid more than its claim owed on the day it arrived: flagged for refund (§ 812 BGB), by statement entry.</summary>
public sealed record OverpaidCredit(string EntryKey, Guid ClaimId, string ClaimReference, decimal Amount, decimal Overpaid, DateOnly ArrivedOn);

/// <summary>
/// Incoming credits (camt.053 statements, camt.054 notifications) to recovery claims: by the claim reference (RF-…) in the
/// remittance text, else by the debtor's IBAN (an account the organisation was paid to or has confirmed) together with an
/// amount that fits exactly one open claim (its open principal and costs, or its next instalment). Matched credits become
/// receipts on the claim in the same transaction as the import; the rest stay unmatched in reconciliation.
/// </summary>
public static partial class CreditMatching
{
    [GeneratedRegex(@"RF-\d{4}-[0-9A-F]{8}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClaimReference();

    public static IReadOnlyList<string> References(string? text) =>
        text is null ? [] : ClaimReference().Matches(text).Select(m => m.Value.ToUpperInvariant()).Distinct().ToList();

    /// <summary>The pure part: which claim (if any) each unmatched credit belongs to.</summary>
    public static Dictionary<string, Guid> Match(IReadOnlyList<ImportedEntry> entries, IReadOnlyList<RecoveryClaim> claims)
    {
        var result = new Dictionary<string, Guid>();
        foreach (var e in entries.Where(e => e.Status == EntryStatus.Unmatched && !e.IsDebit && !e.IsReturn && e.Currency == "EUR" && e.Amount > 0))
        {
            var byReference = References(e.RemittanceText).Select(r => claims.FirstOrDefault(c => c.Reference == r)).Where(c => c is not null).ToList();
            if (byReference.Count == 1)
            {
                result[e.Key] = byReference[0]!.Id;
                continue;
            }
            if (byReference.Count > 1 || e.CounterpartyIban is null) continue;
            var iban = Iban.Normalize(e.CounterpartyIban);
            var fits = claims.Where(c => c.State == ClaimState.Open && c.DebtorIbans.Contains(iban, StringComparer.OrdinalIgnoreCase) && Fits(c, e.Amount)).ToList();
            if (fits.Count == 1) result[e.Key] = fits[0].Id;
        }
        return result;
    }

    private static bool Fits(RecoveryClaim claim, decimal amount)
    {
        if (amount == claim.Principal + claim.Costs + claim.FixedInterest - claim.Received) return true;
        var paid = claim.Received;
        foreach (var i in claim.Instalments.OrderBy(i => i.DueOn))
        {
            if (paid >= i.Amount) { paid -= i.Amount; continue; }
            return amount == i.Amount - paid;
        }
        return false;
    }

    /// <summary>
    /// The hook for statement and notification imports: records matched credits as receipts on their claims (claims locked in
    /// id order) and returns the entries with those credits marked matched. Idempotent per entry: an entry recorded on a
    /// claim before is not recorded again.
    /// </summary>
    public static async Task<CreditMatchResult> Apply(ImportedEntry[] entries, Guid statementId, string source, IDocumentSession session, DateTimeOffset now,
        CancellationToken ct)
    {
        if (!entries.Any(e => e.Status == EntryStatus.Unmatched && !e.IsDebit && !e.IsReturn)) return new CreditMatchResult(entries, 0, 0, []);
        var references = entries.SelectMany(e => References(e.RemittanceText)).Distinct().ToArray();
        var claims = await session.Query<RecoveryClaim>().Where(c => c.State == ClaimState.Open || references.Contains(c.Reference)).ToListAsync(ct);
        var matches = Match(entries, claims);
        if (matches.Count == 0) return new CreditMatchResult(entries, 0, 0, []);
        var rates = await BaseRateTable.Load(session, ct);
        var result = entries.ToArray();
        int matched = 0, overpaid = 0;
        var notChecked = new List<string>();
        var overpaidCredits = new List<OverpaidCredit>();
        foreach (var claimId in matches.Values.Distinct().Order())
        {
            var stream = await session.Events.FetchForExclusiveWriting<RecoveryClaim>(claimId, ct);
            var claim = stream.Aggregate!;
            var receipts = new List<RecoveryPaymentReceived>();
            foreach (var (key, _) in matches.Where(m => m.Value == claimId))
            {
                var i = Array.FindIndex(result, e => e.Key == key);
                var entry = result[i];
                if (claim.Receipts.Any(r => r.StatementId == statementId && r.EntryKey == key)) continue;
                receipts.Add(new RecoveryPaymentReceived(claimId, $"{source}/{key}", entry.Amount, entry.BookingDate, source, statementId, key,
                    entry.CounterpartyIban is null ? null : Iban.Normalize(entry.CounterpartyIban), entry.RemittanceText, now));
                result[i] = entry with { Status = EntryStatus.Matched };
                matched++;
            }
            if (receipts.Count == 0) continue;
            stream.AppendMany(receipts);
            // Overpaid? Only decidable where every base rate is known; otherwise the import says which claim is unchecked and why.
            try
            {
                var account = claim.Account(receipts.Max(r => r.ArrivedOn), rates, receipts);
                if (account.Overpaid > 0) overpaid++;
                foreach (var r in receipts)
                {
                    var allocation = account.Receipts.FirstOrDefault(a => a.Key == r.Key);
                    if (allocation is { Overpaid: > 0 })
                        overpaidCredits.Add(new OverpaidCredit(r.EntryKey!, claimId, claim.Reference, r.Amount, allocation.Overpaid, r.ArrivedOn));
                }
            }
            catch (MissingBaseRateException e)
            {
                notChecked.Add($"{claim.Reference}: {e.Message}");
            }
        }
        return new CreditMatchResult(result, matched, overpaid, notChecked, overpaidCredits);
    }
}
