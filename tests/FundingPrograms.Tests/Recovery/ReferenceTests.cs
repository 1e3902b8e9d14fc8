using System.Collections.Concurrent;
using System.Diagnostics;
using FundingPrograms.Infrastructure;
using FundingPrograms.Payments;
using FundingPrograms.Recovery;
using FundingPrograms.Tests.Infrastructure;

namespace FundingPrograms.Tests.Recovery;

/// <summary>Kassenzeichen as ISO 11649 creditor references and the matcher that checks them (pure, no database).</summary>
public sealed class when_a_kassenzeichen_is_read_from_a_bank_file
{
    private static RecoveryClaim Claim(string reference, decimal principal = 600m) => RecoveryClaim.Create(new RecoveryClaimRaised(Guid.NewGuid(), reference,
        Guid.NewGuid(), "ZB", Guid.NewGuid(), "Org", Guid.NewGuid(), ClaimBasis.Manual, "r", principal, 0m, new DateOnly(2027, 1, 1),
        [new InterestTranche("A", null, new DateOnly(2027, 1, 1), new DateOnly(2027, 1, 1), principal)], new DateOnly(2027, 3, 1), ["DE02120300000000202051"],
        "f", "F", DateTimeOffset.UnixEpoch));

    private static ImportedEntry Credit(string text, decimal amount = 600m) => new($"E-{Guid.NewGuid():N}", amount, "EUR", false, false, new DateOnly(2027, 3, 1),
        null, "DE02120300000000202051", "Verein", text, null, null, EntryStatus.Unmatched, null);

    [Fact]
    public void the_check_digits_follow_iso_11649_and_catch_a_mistyped_digit_or_a_swap()
    {
        References.IsValidCreditorReference("RF18539007547034").ShouldBeTrue(); // the standard's own example
        References.IsValidCreditorReference("RF18 5390 0754 7034").ShouldBeTrue();
        References.Format(ReferenceKind.Kassenzeichen, 2027, 42).ShouldBe("RF492027000042");
        References.Format(ReferenceKind.GrantNotice, 2027, 42).ShouldBe("ZB-2027-000042");
        References.Format(ReferenceKind.Rejection, 2027, 7).ShouldBe("AB-2027-000007");
        References.IsValidCreditorReference("RF492027000043").ShouldBeFalse(); // one digit wrong
        References.IsValidCreditorReference("RF492027000024").ShouldBeFalse(); // two digits swapped
        References.IsValidCreditorReference("RF942027000042").ShouldBeFalse(); // check digits swapped
        References.Grouped("RF492027000042").ShouldBe("RF49 2027 0000 42");
    }

    [Fact]
    public void a_valid_reference_is_credited_a_mistyped_or_ambiguous_one_never_not_even_by_account_and_amount()
    {
        var a = Claim("RF492027000042");
        var b = Claim(References.Format(ReferenceKind.Kassenzeichen, 2027, 43), 2000m);
        var claims = new[] { a, b };

        var ok = Credit("Rueckzahlung RF49 2027 0000 42 Verein Bruecke");
        CreditMatching.Match([ok], claims)[ok.Key].ShouldBe(a.Id);

        // One digit mistyped: the check digits fail. The account and the amount (600.00) would fit claim a, but it is not credited.
        var typo = Credit("Rueckzahlung RF49 2027 0000 43");
        CreditMatching.Match([typo], claims).ShouldBeEmpty();
        CreditMatching.Read(typo.RemittanceText).Refusal!.ShouldContain("RF49 2027 0000 43 fails its ISO 11649 check digits");

        // Two claims named: ambiguous.
        var both = Credit($"RF492027000042 und {b.Reference}");
        CreditMatching.Match([both], claims).ShouldBeEmpty();
        CreditMatching.Read(both.RemittanceText).Refusal!.ShouldContain("ambiguous");

        // A reference two claims share (as the old clock-derived ones could): ambiguous, not the first one found.
        var twins = new[] { Claim("RF-2027-01A39A9D", 2000m), Claim("RF-2027-01A39A9D", 600m) };
        CreditMatching.Match([Credit("RF-2027-01A39A9D")], twins).ShouldBeEmpty();

        // No reference at all: account and an amount that fits exactly one open claim, as before.
        var plain = Credit("Rueckzahlung");
        CreditMatching.Match([plain], claims)[plain.Key].ShouldBe(a.Id);
    }
}

/// <summary>References from PostgreSQL sequences over HTTP and against the real database.</summary>
public sealed class when_many_references_are_taken_at_once(AppFixture app) : RecoveryTest(app)
{
    [Fact]
    public async Task a_thousand_numbers_taken_in_parallel_within_a_second_are_a_thousand_different_ones()
    {
        // A year no other test uses: the sequence is created by the first of the parallel callers (a race on creation too).
        var year = Year + 50;
        var watch = Stopwatch.StartNew();
        var numbers = await Task.WhenAll(Enumerable.Range(0, 1000).Select(async _ =>
        {
            await using var session = App.Store.QuerySession();
            return await References.NextNumber(session, ReferenceKind.Kassenzeichen, year, CancellationToken.None);
        }));
        watch.Stop();
        numbers.Distinct().Count().ShouldBe(1000);
        (numbers.Max() - numbers.Min()).ShouldBe(999);
        numbers.Select(n => References.Format(ReferenceKind.Kassenzeichen, year, n)).ShouldAllBe(r => References.IsValidCreditorReference(r));
        TestContext.Current.TestOutputHelper?.WriteLine($"1,000 references in {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task a_thousand_claims_raised_in_parallel_get_a_thousand_different_valid_kassenzeichen()
    {
        await Booked(3000m, new(FundingYear, 1, 15), new(FundingYear, 1, 15));
        SetToday(FundingYear, 2, 1);
        var watch = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(40); // 40 requests at a time: the grant's stream lock queues them; the pool is not exhausted
        var ids = new ConcurrentBag<Guid>();
        await Task.WhenAll(Enumerable.Range(0, 1000).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                ids.Add((await Post(Finance, $"/grants/{GrantId}/recovery-claims",
                    new { principal = 1m, ineffectiveFrom = $"{FundingYear}-01-20", reason = $"Teilbetrag {i}" }, 201)).Body<CaseVersion>().Id);
            }
            finally { gate.Release(); }
        }));
        watch.Stop();
        TestContext.Current.TestOutputHelper?.WriteLine($"1,000 claims over HTTP in {watch.ElapsedMilliseconds} ms");

        await using var session = App.Store.QuerySession();
        var references = (await Marten.QueryableExtensions.ToListAsync(session.Query<RecoveryClaim>().Where(c => c.GrantId == GrantId))).Select(c => c.Reference).ToList();
        references.Count.ShouldBe(1000);
        references.Distinct().Count().ShouldBe(1000);
        references.ShouldAllBe(r => References.IsValidCreditorReference(r) && r.StartsWith($"RF", StringComparison.Ordinal) && r.Substring(4, 4) == FundingYear.ToString());
    }

    [Fact]
    public async Task applications_drafted_in_parallel_get_different_file_numbers_and_the_letters_carry_them()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => this.Draft(ApplicantToken, CallId, GrantSamples.NextYearContent(App.Clock, $"Parallel {i}"))));
        await using var session = App.Store.QuerySession();
        var numbers = (await Marten.QueryableExtensions.ToListAsync(session.Query<FundingPrograms.Applications.Application>().Where(a => ids.Contains(a.Id))))
            .Select(a => a.FileReference).ToList();
        numbers.Count.ShouldBe(50);
        numbers.Distinct().Count().ShouldBe(50);
        numbers.ShouldAllBe(n => n != null && System.Text.RegularExpressions.Regex.IsMatch(n, @"^FP-\d{4}-\d{6}$"));
        // The grant notice letter of the set-up grant names its application's number as Aktenzeichen, and the notice a sequence number.
        var letter = (await Get(ApplicantToken, "/me/letters")).Json().GetProperty("items")[0];
        letter.GetProperty("fileReference").GetString()!.ShouldMatch(@"^FP-\d{4}-\d{6}$");
        (await Get(ApplicantToken, $"/grants/{GrantId}/notice")).Json().GetProperty("reference").GetString()!.ShouldMatch(@"^ZB-\d{4}-\d{6}$");
    }

    [Fact]
    public async Task a_mistyped_kassenzeichen_in_a_statement_is_not_credited_and_reconciliation_says_why()
    {
        await Booked(3000m, new(FundingYear, 1, 15), new(FundingYear, 1, 15));
        SetToday(FundingYear, 2, 1);
        var claimId = (await Post(Finance, $"/grants/{GrantId}/recovery-claims", new { principal = 600m, ineffectiveFrom = $"{FundingYear}-01-20", reason = "Überzahlung" }, 201))
            .Body<CaseVersion>().Id;
        var reference = (await Claim(claimId)).GetProperty("claim").GetProperty("reference").GetString()!;
        References.IsValidCreditorReference(reference).ShouldBeTrue();
        // The last digit changed: the same account and the exact amount, but the check digits fail.
        var mistyped = reference[..^1] + (reference[^1] == '9' ? '0' : (char)(reference[^1] + 1));
        await Import(Camt053(new Entry(600m, false, new(FundingYear, 2, 1), null, OrgIban, "Verein Bruecke e.V.",
            $"Rueckzahlung {References.Grouped(mistyped)}")));
        (await Claim(claimId)).GetProperty("claim").GetProperty("received").GetDecimal().ShouldBe(0m);
        var unmatched = (await Get(Finance, "/reconciliation")).Json().GetProperty("unmatchedEntries").EnumerateArray()
            .Single(e => !e.GetProperty("isDebit").GetBoolean());
        unmatched.GetProperty("reason").GetString()!.ShouldContain("fails its ISO 11649 check digits");

        // Typed right, it is credited.
        await Import(Camt053(new Entry(600m, false, new(FundingYear, 2, 2), null, OrgIban, "Verein Bruecke e.V.", $"Rueckzahlung {References.Grouped(reference)}")));
        (await Claim(claimId)).GetProperty("claim").GetProperty("received").GetDecimal().ShouldBe(600m);
    }
}
