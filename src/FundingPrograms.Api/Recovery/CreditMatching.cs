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

/// <summary>What the remittance text of a credit says about claim references: the references read, and why it cannot be credited by them.</summary>
/// <param name="References">Kassenzeichen read: ISO 11649 ones with valid check digits (electronic form), and pre-2027 ones (<c>RF-YYYY-XXXXXXXX</c>) as written.</param>
/// <param name="Invalid">RF references whose check digits fail (mistyped): the credit is never booked to a claim by reference or by account.</param>
public sealed record ReferenceReading(IReadOnlyList<string> References, IReadOnlyList<string> Invalid)
{
    /// <summary>The sentence reconciliation shows for an unmatched credit, or null when the text gives no reason.</summary>
    public string? Refusal => Invalid.Count > 0
        ? $"Kassenzeichen {string.Join(", ", Invalid)} fails its ISO 11649 check digits (mistyped?): not credited to any claim; clarify with the payer."
        : References.Count > 1
            ? $"Several Kassenzeichen ({string.Join(", ", References)}): ambiguous, not credited; split or assign it by hand."
            : null;
}

/// <summary>
/// Incoming credits (camt.053 statements, camt.054 notifications) to recovery claims: by the claim's Kassenzeichen in the remittance
/// text — an ISO 11649 creditor reference (<c>RF</c> + 2 check digits + body, spaces allowed as on paper) whose check digits are
/// verified — else by the debtor's IBAN (an account the organisation was paid to or has confirmed) together with an amount that fits
/// exactly one open claim (its open principal and costs, or its next instalment). A credit whose reference fails its check digits,
/// names several claims, or names a reference several claims share is never credited (not even by account): it stays unmatched and
/// reconciliation says why. Matched credits become receipts on the claim in the same transaction as the import.
/// </summary>
public static partial class CreditMatching
{
    /// <summary>"RF" + 2 check digits + digits, spaces between the groups allowed (the paper form); our bodies are digits (year + number).</summary>
    [GeneratedRegex(@"(?<![0-9A-Z])RF\s?\d{2}(?:\s?\d){1,21}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CreditorReference();

    /// <summary>Kassenzeichen of claims raised before they were creditor references (no check digits; matched only when exactly one claim has it).</summary>
    [GeneratedRegex(@"RF-\d{4}-[0-9A-F]{8}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LegacyReference();

    /// <summary>Reads the references of a remittance text. A token that runs on into other digits ("RF49 2027 0000 42 1000") is read as its longest valid prefix.</summary>
    public static ReferenceReading Read(string? text)
    {
        if (string.IsNullOrEmpty(text)) return new ReferenceReading([], []);
        var valid = new List<string>();
        var invalid = new List<string>();
        foreach (Match m in CreditorReference().Matches(text))
        {
            var token = Infrastructure.References.Normalize(m.Value);
            var found = Enumerable.Range(5, token.Length - 4).Reverse().Select(n => token[..n]).FirstOrDefault(Infrastructure.References.IsValidCreditorReference);
            if (found is null) invalid.Add(Infrastructure.References.Grouped(token));
            else if (!valid.Contains(found)) valid.Add(found);
        }
        valid.AddRange(LegacyReference().Matches(text).Select(m => m.Value.ToUpperInvariant()).Distinct());
        return new ReferenceReading(valid, invalid);
    }

    public static IReadOnlyList<string> References(string? text) => Read(text).References;

    /// <summary>The pure part: which claim (if any) each unmatched credit belongs to.</summary>
    public static Dictionary<string, Guid> Match(IReadOnlyList<ImportedEntry> entries, IReadOnlyList<RecoveryClaim> claims)
    {
        var result = new Dictionary<string, Guid>();
        foreach (var e in entries.Where(e => e.Status == EntryStatus.Unmatched && !e.IsDebit && !e.IsReturn && e.Currency == "EUR" && e.Amount > 0))
        {
            var reading = Read(e.RemittanceText);
            if (reading.Invalid.Count > 0) continue; // mistyped: never credited, not even by account
            var byReference = reading.References.Select(r => claims.Where(c => c.Reference == r).ToList()).Where(l => l.Count > 0).ToList();
            if (reading.References.Count == 1 && byReference.Count == 1 && byReference[0].Count == 1)
            {
                result[e.Key] = byReference[0][0].Id;
                continue;
            }
            if (reading.References.Count > 1 || byReference.Count > 0 || e.CounterpartyIban is null) continue; // ambiguous: several references, or one several claims share
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
