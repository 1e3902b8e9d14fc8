using System.Text;
using FundingPrograms.Applications;
using FundingPrograms.Grants;
using FundingPrograms.Infrastructure;
using FundingPrograms.Programmes;
using FundingPrograms.Proofs;

namespace FundingPrograms.Tests.Proofs;

/// <summary>The pure rules of proofs of use: recalculation per financing type, the line tolerance, findings, sample, CSV, sniffing, reminders.</summary>
public sealed class when_a_proof_is_recalculated
{
    public static readonly CostItem[] Plan =
    [
        new(CostCategory.Staff, "Projektkoordination", 8000m, 25m, 12, "Koordination"),
        new(CostCategory.Material, "Raummiete und Material", 2000m, null, null, null),
    ];

    public static GrantNotice Notice(FinancingType type, decimal amount = 7000m, decimal share = 70m) => new(1, "ZB-2026-TEST0001", "Frauencafé",
        Guid.NewGuid(), "Verein", Guid.NewGuid(), new() { ["de"] = "P" }, 7000m, amount, null, type, 10000m, share, amount,
        new DateOnly(2027, 1, 1), new DateOnly(2027, 12, 31), "0710/684 10", [new YearAmount(2027, amount)], "c", "ANBest-P", new DateOnly(2028, 6, 30),
        DateTimeOffset.UnixEpoch, "x", null);

    public static ProofContent Content(decimal staff = 8000m, decimal material = 1000m, decimal volunteer = 1000m) => new(
        new FactualReport("Treffen", "40 Frauen erreicht", [new ParticipantCount("women", 40)]),
        new NumericalProof([new CostLine(1, staff), new CostLine(2, material)], 1500m, volunteer, 500m, 7000m),
        [
            new Receipt(1, "B-1", new DateOnly(2027, 3, 1), "Honorarkraft", "Koordination Q1", 1, staff / 2),
            new Receipt(2, "B-2", new DateOnly(2027, 9, 1), "Honorarkraft", "Koordination Q3", 1, staff / 2),
            new Receipt(3, "B-3", new DateOnly(2027, 5, 1), "Vermieter", "Miete", 2, material),
        ]);

    private static readonly RulingRecord[] CutReceipt3 = [new(3, ReceiptRuling.Partly, 800m, "Nur anteilig projektbezogen", "Anna")];

    [Fact]
    public void share_financing_is_the_share_of_recognised_costs_and_the_overpayment_is_to_be_recovered()
    {
        var r = ProofRules.Recalculate(Notice(FinancingType.Share), Plan, Content(), CutReceipt3, paid: 7000m);
        r.ProvedCosts.ShouldBe(10000m);
        r.ReceiptCuts.ShouldBe(200m);
        r.RecognisedCosts.ShouldBe(9800m);
        r.FinalAmount.ShouldBe(6860m);
        r.ToRecover.ShouldBe(140m);
        r.ToPay.ShouldBe(0m);
        r.Steps.Length.ShouldBeGreaterThan(4);
        r.Steps.Last().Amount.ShouldBe(140m);
    }

    [Fact]
    public void gap_financing_is_what_remains_after_own_and_third_party_funds_capped_by_the_maximum()
    {
        ProofRules.Recalculate(Notice(FinancingType.Gap), Plan, Content(), CutReceipt3, 7000m).FinalAmount.ShouldBe(9800m - 2500m - 500m);
        var generous = Notice(FinancingType.Gap, amount: 6000m);
        var capped = ProofRules.Recalculate(generous, Plan, Content(), [], paid: 5000m); // gap 7,000, capped at 6,000; 1,000 still payable
        capped.FinalAmount.ShouldBe(6000m);
        capped.ToPay.ShouldBe(1000m);
    }

    [Fact]
    public void a_fixed_amount_stays_unless_the_recognised_costs_fall_below_it()
    {
        ProofRules.Recalculate(Notice(FinancingType.FixedAmount), Plan, Content(), CutReceipt3, 7000m).FinalAmount.ShouldBe(7000m);
        // Costs 6,000 fall below the fixed amount; with 500 third-party funds the grant may cover only 5,500 of them (no over-funding).
        var low = ProofRules.Recalculate(Notice(FinancingType.FixedAmount), Plan, Content(staff: 5000m, material: 1000m, volunteer: 0m), [], 7000m);
        low.FinalAmount.ShouldBe(5500m);
        low.ToRecover.ShouldBe(1500m);
    }

    [Fact]
    public void full_financing_is_the_recognised_costs_less_third_party_funds_and_never_pays_cash_for_volunteer_work()
    {
        // 10,000 costs of which 1,000 valued volunteer work, 500 third-party funds: 10,000 − 500 = 9,500, but only 9,000 were spent in cash,
        // so the grant covers at most 9,000 − 500 = 8,500 (grant + third-party funds never above the cash costs).
        var r = ProofRules.Recalculate(Notice(FinancingType.Full, amount: 9000m), Plan, Content(), [], 9000m);
        r.FinalAmount.ShouldBe(8500m);
        r.Steps.ShouldContain(s => s.Description.Contains("No over-funding") && s.Amount == 8500m);
        ProofRules.Recalculate(Notice(FinancingType.Full, amount: 9800m), Plan, Content(staff: 8000m, material: 1000m, volunteer: 0m), [], 0m).FinalAmount.ShouldBe(8500m);
    }

    /// <summary>The case: 5,000 EUR costs as planned, 60 % share = 3,000 EUR; the plan foresaw 1,500 own and 500 third-party funds.</summary>
    private static (GrantNotice Notice, ProofContent Content) FiveThousand(FinancingType type, decimal thirdParty, decimal ownCash = 1500m) =>
        (Notice(type, amount: 3000m, share: 60m) with { TotalEligibleCosts = 5000m },
            new ProofContent(new FactualReport("Treffen", "erreicht", [new ParticipantCount("women", 10)]),
                new NumericalProof([new CostLine(1, 4000m), new CostLine(2, 1000m)], ownCash, 0m, thirdParty, 3000m),
                [new Receipt(1, "B-1", new DateOnly(2027, 3, 1), "Honorarkraft", "Koordination", 1, 4000m), new Receipt(2, "B-2", new DateOnly(2027, 5, 1), "Vermieter", "Miete", 2, 1000m)]));

    [Fact]
    public void more_third_party_money_lowers_a_share_grant_in_proportion_and_a_gap_grant_by_the_full_amount()
    {
        // ANBest-P Nr. 2.1.1: third-party funds 1,300 instead of 500 (800 more): the share applies to 5,000 − 800 = 4,200 → 2,520.00 (not 3,000,
        // which with 1,300 + 1,500 would fund 5,800 of 5,000 costs); 480.00 paid too much.
        var (notice, content) = FiveThousand(FinancingType.Share, 1300m);
        var share = ProofRules.Recalculate(notice, Plan, content, [], paid: 3000m);
        share.RecognisedCosts.ShouldBe(5000m);
        share.FinalAmount.ShouldBe(2520m);
        share.ToRecover.ShouldBe(480m);
        share.Steps.ShouldContain(s => s.Description.Contains("ANBest-P Nr. 2.1.1") && s.Amount == -800m);
        (share.FinalAmount + share.ThirdPartyFunds).ShouldBeLessThanOrEqualTo(share.RecognisedCosts);

        // As planned: nothing changes. More own funds count like third-party funds (Deckungsmittel): 1,800 own cash → 0.6 × 4,700 = 2,820.
        ProofRules.Recalculate(FiveThousand(FinancingType.Share, 500m).Notice, Plan, FiveThousand(FinancingType.Share, 500m).Content, [], 3000m).FinalAmount.ShouldBe(3000m);
        ProofRules.Recalculate(notice, Plan, FiveThousand(FinancingType.Share, 500m, ownCash: 1800m).Content, [], 3000m).FinalAmount.ShouldBe(2820m);

        // ANBest-P Nr. 2.1.2: a gap grant falls by the full 800 → 5,000 − 1,500 − 1,300 = 2,200.00.
        var (gapNotice, gapContent) = FiveThousand(FinancingType.Gap, 1300m);
        ProofRules.Recalculate(gapNotice, Plan, gapContent, [], 3000m).FinalAmount.ShouldBe(2200m);

        // A fixed amount is not recalculated by share, but never funds more than the cash costs less third-party funds: 4,700 third-party
        // funds leave 300 of 5,000 costs.
        var (fixedNotice, fixedContent) = FiveThousand(FinancingType.FixedAmount, 4700m, ownCash: 0m);
        ProofRules.Recalculate(fixedNotice, Plan, fixedContent, [], 3000m).FinalAmount.ShouldBe(300m);
    }

    [Fact]
    public void a_line_may_exceed_its_plan_by_20_percent_only_where_savings_offset_it()
    {
        // Material planned 2,000: 2,500 proved = 25 % over. 20 % (400) may be offset; staff saves 1,000. So 100 is cut.
        var over = ProofRules.Recalculate(Notice(FinancingType.Share), Plan, Content(staff: 7000m, material: 2500m, volunteer: 0m), [], 0m);
        over.ToleranceCut.ShouldBe(100m);
        over.RecognisedCosts.ShouldBe(9400m);
        over.Steps.ShouldContain(s => s.Description.Contains("ANBest-P Nr. 1.2"));
        // Without savings nothing over the plan is recognised.
        var noSavings = ProofRules.Recalculate(Notice(FinancingType.Share), Plan, Content(staff: 8000m, material: 2300m, volunteer: 0m), [], 0m);
        noSavings.ToleranceCut.ShouldBe(300m);
        // Within 20 % and covered by savings: all recognised.
        ProofRules.Recalculate(Notice(FinancingType.Share), Plan, Content(staff: 7500m, material: 2300m, volunteer: 0m), [], 0m).ToleranceCut.ShouldBe(0m);
    }
}

public sealed class when_a_proof_is_checked_before_submission
{
    [Fact]
    public void receipts_outside_the_period_and_lines_that_do_not_add_up_are_blocking_findings_naming_them()
    {
        var content = when_a_proof_is_recalculated.Content();
        var bad = content with
        {
            Receipts = [.. content.Receipts.Take(2), content.Receipts[2] with { Date = new DateOnly(2026, 12, 31) }, content.Receipts[0] with { No = 4 }],
        };
        var findings = ProofRules.Findings(bad, when_a_proof_is_recalculated.Notice(FinancingType.Share), ProofKind.Final, null,
            when_a_proof_is_recalculated.Plan, 7000m);
        findings.ShouldContain(f => f.Code == "receipt-outside-period" && f.Blocking && f.Message.Contains("Receipt 3"));
        findings.ShouldContain(f => f.Code == "line-sum-mismatch" && f.Blocking && f.Message.Contains("Plan line 1 (Projektkoordination)"));
        findings.ShouldContain(f => f.Code == "duplicate-receipt" && !f.Blocking && f.Message.Contains("Receipt 4 repeats receipt 1"));
        ProofRules.Findings(content, when_a_proof_is_recalculated.Notice(FinancingType.Share), ProofKind.Final, null, when_a_proof_is_recalculated.Plan, 7000m)
            .ShouldBeEmpty();
    }

    [Fact]
    public void an_interim_proof_takes_receipts_of_its_budget_year_only()
    {
        var notice = when_a_proof_is_recalculated.Notice(FinancingType.Share) with { PeriodStart = new DateOnly(2026, 7, 1), PeriodEnd = new DateOnly(2027, 6, 30) };
        ProofRules.Period(notice, ProofKind.Interim, 2026).ShouldBe((new DateOnly(2026, 7, 1), new DateOnly(2026, 12, 31)));
        ProofRules.Period(notice, ProofKind.Final, null).ShouldBe((new DateOnly(2026, 7, 1), new DateOnly(2027, 6, 30)));
    }

    [Fact]
    public void the_sample_is_reproducible_from_the_proof_id()
    {
        var id = Guid.NewGuid();
        var (a, seedA) = ProofRules.Sample(id, 100, null);
        var (b, seedB) = ProofRules.Sample(id, 100, null);
        a.ShouldBe(b);
        seedA.ShouldBe(seedB);
        a.Length.ShouldBe(10);
        a.ShouldAllBe(n => n >= 1 && n <= 100);
        a.Distinct().Count().ShouldBe(10);
        ProofRules.Sample(id, 3, null).Sample.ShouldBe([1, 2, 3]);
        ProofRules.Sample(Guid.NewGuid(), 1000, 20).Sample.ShouldNotBe(ProofRules.Sample(id, 1000, 20).Sample);
    }
}

public sealed class when_a_receipt_list_is_imported
{
    [Fact]
    public void windows_1252_with_semicolons_and_german_decimals_is_read()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var csv = "Belegnummer;Datum;Zahlungsempfänger;Verwendungszweck;Position;Betrag\r\nB-1;01.03.2027;Müller GmbH;Miete März;2;1.234,56\r\nB-2;2027-03-02;\"Café; Bäckerei\";Bewirtung;2;99,5\r\n";
        var check = new Check();
        var receipts = ReceiptFiles.Parse(Encoding.GetEncoding(1252).GetBytes(csv), 2, check);
        check.HasErrors.ShouldBeFalse();
        receipts!.Length.ShouldBe(2);
        receipts[0].ShouldBe(new Receipt(1, "B-1", new DateOnly(2027, 3, 1), "Müller GmbH", "Miete März", 2, 1234.56m));
        receipts[1].Payee.ShouldBe("Café; Bäckerei");
        receipts[1].Amount.ShouldBe(99.5m);
    }

    [Fact]
    public void utf8_with_commas_and_quoted_german_decimals_is_read()
    {
        var csv = "\uFEFFnumber,date,payee,purpose,planLine,amount\nB-1,2027-03-01,Müller,Miete,1,\"1.000,00\"\nB-2,2027-03-02,Öz,Honorar,1,250.75\n";
        var check = new Check();
        var receipts = ReceiptFiles.Parse(Encoding.UTF8.GetBytes(csv), 2, check);
        check.HasErrors.ShouldBeFalse();
        receipts!.Select(r => r.Amount).ShouldBe([1000m, 250.75m]);
        receipts![1].Payee.ShouldBe("Öz");
    }

    [Fact]
    public void errors_are_reported_by_line_and_column()
    {
        var csv = "Belegnummer;Datum;Zahlungsempfänger;Verwendungszweck;Position;Betrag\nB-1;31.02.2027;X;Y;1;10,00\nB-2;01.03.2027;X;Y;7;abc\nB-3;01.03.2027;;Y;1;-5\n";
        var check = new Check();
        ReceiptFiles.Parse(Encoding.UTF8.GetBytes(csv), 2, check).ShouldBeNull();
        var errors = check.Errors;
        errors.Keys.ShouldContain("line 2, column 2 (Datum)");
        errors.Keys.ShouldContain("line 3, column 6 (Betrag)");
        errors.Keys.ShouldContain("line 4, column 3 (Zahlungsempfänger)");
        errors.Keys.ShouldContain("line 4, column 6 (Betrag)");
    }

    [Fact]
    public void a_header_without_the_needed_columns_is_refused_at_line_1()
    {
        var check = new Check();
        ReceiptFiles.Parse(Encoding.UTF8.GetBytes("a;b;c\n1;2;3\n"), 2, check).ShouldBeNull();
        check.Errors["line 1"].Length.ShouldBe(6);
    }

    [Fact]
    public void the_exported_csv_imports_again_and_the_xlsx_is_a_workbook()
    {
        var receipts = when_a_proof_is_recalculated.Content().Receipts;
        var check = new Check();
        ReceiptFiles.Parse(ReceiptFiles.Csv(receipts), 2, check).ShouldBe(receipts);
        var xlsx = ReceiptFiles.Xlsx(receipts, "Belegliste");
        AddAttachmentEndpoint.Sniff(xlsx).ShouldBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    }
}

public sealed class when_a_file_is_attached
{
    [Theory]
    [InlineData("%PDF-1.7\n...", "application/pdf")]
    [InlineData("Datum;Betrag\n01.01.2027;5,00\n", "text/csv")]
    [InlineData("MZ\u0090\u0000binary", null)]
    [InlineData("<html><script>", null)]
    public void its_type_is_taken_from_its_content(string content, string? type) =>
        AddAttachmentEndpoint.Sniff(Encoding.Latin1.GetBytes(content)).ShouldBe(type);

    [Fact]
    public void png_and_jpeg_are_recognised_by_their_signatures()
    {
        AddAttachmentEndpoint.Sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]).ShouldBe("image/png");
        AddAttachmentEndpoint.Sniff([0xFF, 0xD8, 0xFF, 0xE0, 0, 0]).ShouldBe("image/jpeg");
        AddAttachmentEndpoint.Sniff([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]).ShouldBeNull(); // a broken zip is no workbook
    }
}

public sealed class when_reminders_are_due
{
    private static readonly DateOnly Due = new(2028, 6, 30);

    [Theory]
    [InlineData("2028-06-01", null)]
    [InlineData("2028-06-02", "before-28")]
    [InlineData("2028-06-22", "before-28")]
    [InlineData("2028-06-23", "before-7")]
    [InlineData("2028-06-30", "before-7")]
    [InlineData("2028-07-01", "after-1")]
    [InlineData("2028-09-01", "after-1")]
    public void the_stage_is_the_nearest_one_reached(string today, string? stage) =>
        ProofReminders.Stage(Due, [28, 7], 1, DateOnly.Parse(today)).ShouldBe(stage);

    [Fact]
    public void the_final_proof_is_reminded_until_submitted_and_a_returned_proof_by_its_completion_date()
    {
        var notice = when_a_proof_is_recalculated.Notice(FinancingType.Share);
        var grant = new Grant { Id = Guid.NewGuid(), OrganisationId = Guid.NewGuid(), State = GrantState.Issued, Notices = [notice] };
        var returned = new Proof { Id = Guid.NewGuid(), GrantId = grant.Id, State = ProofState.ReturnedForCompletion, CompletionDueDate = new DateOnly(2028, 2, 10) };
        var settings = new ProofReminderSettings { DaysBefore = [14], DaysAfter = 3 };

        var due = ProofReminders.Due(grant, [returned], settings, new DateOnly(2028, 2, 1)).ToList();
        due.ShouldHaveSingleItem().Key.ShouldBe($"completion|{returned.Id}|2028-02-10|before-14");
        ProofReminders.Due(grant, [returned], settings, new DateOnly(2028, 6, 20)).Select(r => r.Stage).ShouldBe(["before-14", "after-3"]);
        var submitted = new Grant { Id = grant.Id, State = GrantState.FinalProofSubmitted, Notices = [notice] };
        ProofReminders.Due(submitted, [], settings, new DateOnly(2028, 7, 20)).ShouldBeEmpty();
        var closed = new Grant { Id = grant.Id, State = GrantState.Closed, Notices = [notice] };
        ProofReminders.Due(closed, [returned], settings, new DateOnly(2028, 2, 1)).ShouldBeEmpty();
    }

    [Fact]
    public void the_next_sweep_is_at_six_in_the_morning_berlin_time()
    {
        ProofReminders.NextSweep(new DateTimeOffset(2027, 1, 10, 12, 0, 0, TimeSpan.Zero)).ShouldBe(new DateTimeOffset(2027, 1, 11, 5, 0, 0, TimeSpan.Zero));
        ProofReminders.NextSweep(new DateTimeOffset(2027, 7, 10, 3, 0, 0, TimeSpan.Zero)).ShouldBe(new DateTimeOffset(2027, 7, 10, 4, 0, 0, TimeSpan.Zero));
    }
}
