using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Alba;
using FundingPrograms.Infrastructure;
using FundingPrograms.Programmes;
using FundingPrograms.Tests.Infrastructure;

namespace FundingPrograms.Tests.Proofs;

/// <summary>
/// A programme allowing share, gap and fixed-amount financing, budget for next year, an open call and a verified MSO;
/// helpers to get approved grants, pay them out through a booked bank statement, and write proofs.
/// </summary>
public abstract class ProofTest(AppFixture app) : ApiTest(app)
{
    protected Guid ProgrammeId;
    protected Guid CallId;
    protected Guid OrgId;
    protected string ApplicantToken = "";
    protected string Finance2 => App.Token(Roles.Finance, "Felix Finance");

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var programme = Samples.Programme().With("financing", Samples.Financing().With("allowedTypes", new[] { "share", "gap", "fixedAmount" }));
        ProgrammeId = await this.PublishedProgramme(Officer, programme);
        CallId = (await Post(Officer, $"/programmes/{ProgrammeId}/calls", Samples.OpenCallNow(App.Clock, 3), 201)).Body<CallCreated>().CallId;
        await Post(Officer, $"/programmes/{ProgrammeId}/budget/allocate", new { budgetLine = "0710/684 10", year = FundingYear, amount = 100000m, version = 4 });
        OrgId = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Founder", sub: "founder"), Officer);
        ApplicantToken = Applicant(OrgId);
    }

    /// <summary>An approved grant of 7,000 EUR for next year on the sample plan (10,000 EUR: staff 8,000, material 2,000).</summary>
    protected async Task<Guid> ApprovedGrant(string financingType, string purpose)
    {
        var content = GrantSamples.NextYearContent(App.Clock, purpose).With("financingType", financingType).With("title", $"Projekt {purpose}");
        var application = await this.AssessedApplication(ApplicantToken, CallId, content, Officer2);
        return (await Post(Approver, $"/applications/{application}/approve", GrantSamples.Approval())).Json().GetProperty("grantId").GetGuid();
    }

    /// <summary>
    /// Moves the clock to December (January money may be drawn), draws 7,000 EUR per grant (a share grant: its share of
    /// 10,000 EUR due) and certifies them; on 2 January of the funding year (cash principle, § 72 LHO: paid and counted in
    /// that year) releases and exports them; books them on 16 January. The clock stays in January of the funding year.
    /// </summary>
    protected Task PayOut(params Guid[] grants) => PayOut(7000m, grants);

    /// <summary>As <see cref="PayOut(Guid[])"/>, drawing <paramref name="amount"/> per grant (non-share grants; a share grant's 70 % of 10,000 is 7,000).</summary>
    protected async Task PayOut(decimal amount, params Guid[] grants)
    {
        var december = new DateTimeOffset(FundingYear - 1, 12, 1, 9, 0, 0, TimeSpan.Zero);
        if (App.Clock.GetUtcNow() < december) App.Clock.Set(december);
        var payments = new List<Guid>();
        foreach (var grant in grants)
        {
            var payment = (await Post(ApplicantToken, $"/grants/{grant}/drawdowns",
                new { amount, amountDue = 10000m, neededOn = $"{FundingYear}-01-15", purpose = "Projektkosten" }, 201)).Body<CaseVersion>().Id;
            (await Get(Finance, $"/payments/{payment}")).Json().GetProperty("amount").GetDecimal().ShouldBe(amount);
            await Post(Finance, $"/payments/{payment}/certify", new { version = 1 });
            payments.Add(payment);
        }
        App.Clock.Set(new DateTimeOffset(FundingYear, 1, 2, 9, 0, 0, TimeSpan.Zero));
        foreach (var payment in payments) await Post(Finance2, $"/payments/{payment}/release", new { version = 2 });
        var batch = (await Post(Finance, "/payment-batches", new { paymentIds = payments }, 201)).Body<CaseVersion>().Id;
        await Post(Finance2, $"/payment-batches/{batch}/export", new { version = 1 });
        var entries = new List<(string, decimal, string)>();
        foreach (var p in payments)
        {
            var view = (await Get(Finance, $"/payments/{p}")).Json();
            entries.Add((view.GetProperty("endToEndId").GetString()!, view.GetProperty("amount").GetDecimal(), view.GetProperty("grantReference").GetString()!));
        }
        App.Clock.Set(new DateTimeOffset(FundingYear, 1, 17, 9, 0, 0, TimeSpan.Zero));
        var imported = (await Send(Finance, s =>
        {
            s.Post.Text(Statement($"STMT-{Guid.NewGuid():N}"[..30], entries)).ToUrl("/bank-statements");
            s.WithRequestHeader("Content-Type", "application/xml");
            s.StatusCodeShouldBe(200);
        })).Json();
        imported.GetProperty("booked").GetInt32().ShouldBe(payments.Count);
    }

    private string Statement(string id, IEnumerable<(string E2E, decimal Amount, string Reference)> entries)
    {
        var xml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payments", "Samples", "booked-and-unrelated.xml"));
        var head = xml[..xml.IndexOf("<Ntry>", StringComparison.Ordinal)].Replace("STMT-2026-03-16-0001", id).Replace("MSG-2026-03-16-0001", "M" + id);
        var tail = xml[(xml.LastIndexOf("</Ntry>", StringComparison.Ordinal) + "</Ntry>".Length)..];
        var body = new StringBuilder();
        var i = 0;
        foreach (var (e2e, amount, reference) in entries)
            body.Append($"""
                <Ntry><NtryRef>N{++i}</NtryRef><Amt Ccy="EUR">{amount:0.00}</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
                <BookgDt><Dt>{FundingYear}-01-16</Dt></BookgDt><ValDt><Dt>{FundingYear}-01-16</Dt></ValDt>
                <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
                <NtryDtls><TxDtls><Refs><EndToEndId>{e2e}</EndToEndId></Refs>
                <RltdPties><Cdtr><Pty><Nm>Verein Bruecke e.V.</Nm></Pty></Cdtr><CdtrAcct><Id><IBAN>{ApplicationSamples.ValidIban}</IBAN></Id></CdtrAcct></RltdPties>
                <RmtInf><Ustrd>{reference}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
                """);
        return head + body + tail;
    }

    protected object Report(int women = 42) => new
    {
        activities = "Wöchentliches Frauencafé mit Beratung und Sprachpraxis.",
        results = "Die Teilnehmerinnen nutzen die Beratungsangebote im Stadtteil.",
        participants = new[] { new { targetGroup = "women", count = women } },
    };

    protected static object Numbers(decimal staff = 8000m, decimal material = 1000m) => new
    {
        lines = new[] { new { line = 1, actual = staff }, new { line = 2, actual = material } },
        ownCash = 1500m, volunteerWork = 1000m, thirdPartyFunds = 500m, grantReceived = 7000m,
    };

    /// <summary>Six receipts (staff 4 × 2,000, material 2 × 500), Windows-1252 with ';' and German decimals, as a spreadsheet exports them.</summary>
    protected byte[] ReceiptsCsv(int? year = null)
    {
        var y = year ?? FundingYear;
        var csv = $"""
            Belegnummer;Datum;Zahlungsempfänger;Verwendungszweck;Position;Betrag
            H-1;31.03.{y};Honorarkraft Öztürk;Koordination 1. Quartal;1;2.000,00
            H-2;30.06.{y};Honorarkraft Öztürk;Koordination 2. Quartal;1;2.000,00
            H-3;30.09.{y};Honorarkraft Öztürk;Koordination 3. Quartal;1;2.000,00
            H-4;31.12.{y};Honorarkraft Öztürk;Koordination 4. Quartal;1;2.000,00
            M-1;15.02.{y};Raumvermietung Müller;Miete Gemeindesaal;2;500,00
            M-2;15.08.{y};Bürobedarf Schäfer;Material und Getränke;2;500,00

            """.Replace("\n", "\r\n");
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252).GetBytes(csv);
    }

    protected static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    protected Task<IScenarioResult> Upload(string token, string url, byte[] body, string contentType, int status, long? version = null) => Send(token, s =>
    {
        var parts = url.Split('?', 2);
        var send = s.Post.ByteArray(body).ToUrl(parts[0]); // Alba escapes a '?' in the url: the query goes separately
        if (parts.Length > 1)
            foreach (var pair in parts[1].Split('&').Select(p => p.Split('=', 2))) send.QueryString(pair[0], Uri.UnescapeDataString(pair[1]));
        s.WithRequestHeader("Content-Type", contentType);
        if (version is not null) s.WithRequestHeader("If-Match", $"\"{version}\"");
        s.StatusCodeShouldBe(status);
    });

    protected static byte[] Bytes(IScenarioResult result)
    {
        var body = result.Context.Response.Body;
        if (body.CanSeek) body.Position = 0;
        using var copy = new MemoryStream();
        body.CopyTo(copy);
        return copy.ToArray();
    }

    protected async Task<JsonElement> Proof(Guid id, string? token = null) => (await Get(token ?? Officer, $"/proofs/{id}")).Json();

    protected async Task<long> ProofVersion(Guid id) => (await Proof(id)).GetProperty("proof").GetProperty("version").GetInt64();

    /// <summary>A final proof drafted with report and numbers, receipts imported from CSV, a PDF attached, and submitted. Returns its id.</summary>
    protected async Task<Guid> SubmittedFinalProof(Guid grant)
    {
        var id = (await Post(ApplicantToken, $"/grants/{grant}/proofs", new { kind = "final", content = new { report = Report(), numbers = Numbers() } }, 201))
            .Body<CaseVersion>().Id;
        await Upload(ApplicantToken, $"/proofs/{id}/receipts", ReceiptsCsv(), "text/csv", 200, version: 1);
        await Upload(ApplicantToken, $"/proofs/{id}/attachments?fileName=Sachbericht.pdf", Pdf, "application/pdf", 201, version: 2);
        (await Proof(id, ApplicantToken)).GetProperty("findings").GetArrayLength().ShouldBe(0);
        await Post(ApplicantToken, $"/proofs/{id}/submit", new { version = 3 });
        return id;
    }

    /// <summary>A final proof with the given numbers and receipts, submitted and examined simply ("Ordnungsgemäß."): ready for the final notice (version 4).</summary>
    protected async Task<Guid> ExaminedFinalProof(Guid grant, object numbers, object[] receipts)
    {
        var proof = (await Post(ApplicantToken, $"/grants/{grant}/proofs", new { kind = "final", content = new { report = Report(), numbers, receipts } }, 201))
            .Body<CaseVersion>().Id;
        await Post(ApplicantToken, $"/proofs/{proof}/submit", new { version = 1 });
        await Post(Officer, $"/proofs/{proof}/examination", new { depth = "simple", version = 2 });
        await Post(Officer, $"/proofs/{proof}/examine", new { note = "Ordnungsgemäß.", version = 3 });
        return proof;
    }

    /// <summary>In-depth check of every receipt; receipt 5 (Miete, 500) recognised at 300 only; examined with a note.</summary>
    protected async Task ExamineCuttingOneReceipt(Guid proof)
    {
        await Post(Officer, $"/proofs/{proof}/examination", new { depth = "inDepth", sampleSize = 6, version = 4 });
        (await Proof(proof)).GetProperty("proof").GetProperty("sample").EnumerateArray().Select(n => n.GetInt32()).ShouldBe([1, 2, 3, 4, 5, 6]);
        await Post(Officer, $"/proofs/{proof}/rulings", new
        {
            rulings = new object[]
            {
                new { receipt = 1, ruling = "recognised" }, new { receipt = 2, ruling = "recognised" }, new { receipt = 3, ruling = "recognised" },
                new { receipt = 4, ruling = "recognised" }, new { receipt = 6, ruling = "recognised" },
                new { receipt = 5, ruling = "partly", recognisedAmount = 300m, reason = "Saalmiete nur für 3 von 5 Terminen projektbezogen." },
            },
            version = 5,
        });
        await Post(Officer, $"/proofs/{proof}/examine", new { note = "Vertiefte Prüfung aller Belege: Saalmiete anteilig gekürzt, im Übrigen ordnungsgemäß.", version = 6 });
    }
}

public sealed class when_three_grants_go_from_approval_to_closed(AppFixture app) : ProofTest(app)
{
    [Fact]
    public async Task share_gap_and_fixed_amount_are_recalculated_noticed_and_closed_with_the_overpayment_as_recovery_claim()
    {
        var share = await ApprovedGrant("share", "Koordination");
        var gap = await ApprovedGrant("gap", "Sprachcafe");
        var fixedAmount = await ApprovedGrant("fixedAmount", "Elternarbeit");
        await PayOut(share, gap, fixedAmount);

        var dashboard = (await Get(ApplicantToken, "/dashboard/grants")).Json();
        dashboard.GetProperty("next").GetProperty("nextStep").GetString()!.ShouldContain("final proof");
        dashboard.GetProperty("next").GetProperty("nextDeadline").GetString()
            .ShouldBe((await Get(Officer, $"/grants/{share}")).Json().GetProperty("proofOfUseDue").GetString());

        // Interim proof for the budget year, simply checked.
        var interim = (await Post(ApplicantToken, $"/grants/{share}/proofs", new
        {
            kind = "interim", budgetYear = FundingYear,
            content = new
            {
                report = Report(20), numbers = new { lines = new[] { new { line = 1, actual = 2000m } }, ownCash = 0m, volunteerWork = 0m, thirdPartyFunds = 0m, grantReceived = 7000m },
                receipts = new[] { new { number = "H-1", date = $"{FundingYear}-03-31", payee = "Honorarkraft Öztürk", purpose = "Koordination", planLine = 1, amount = 2000m } },
            },
        }, 201)).Body<CaseVersion>().Id;
        await Post(ApplicantToken, $"/proofs/{interim}/submit", new { version = 1 });
        await Post(Officer, $"/proofs/{interim}/examination", new { depth = "simple", version = 2 });
        await Post(Officer, $"/proofs/{interim}/examine", new { note = "Zwischennachweis plausibel.", version = 3 });
        (await Proof(interim)).GetProperty("proof").GetProperty("state").GetString().ShouldBe("examined");

        // After the funding period: the final proofs, with CSV receipts and an attachment.
        App.Clock.Set(new DateTimeOffset(FundingYear + 1, 1, 20, 9, 0, 0, TimeSpan.Zero));
        var proofs = new Dictionary<Guid, Guid>();
        foreach (var grant in new[] { share, gap, fixedAmount }) proofs[grant] = await SubmittedFinalProof(grant);

        var worklist = (await Get(Officer, $"/proof-worklist?programmeId={ProgrammeId}&status=submitted")).Json();
        worklist.GetArrayLength().ShouldBe(3);
        // The final proof is in: no more drawdowns (the final notice settles what is owed), and nothing is appended.
        var eventsBefore = (await AllEvents()).Count;
        (await Post(ApplicantToken, $"/grants/{gap}/drawdowns", new { amount = 100m, neededOn = $"{FundingYear}-12-15", purpose = "Nachzügler" }, 409))
            .ShouldBeProblem(409).GetProperty("detail").GetString()!.ShouldContain("final proof of use is submitted");
        (await AllEvents()).Count.ShouldBe(eventsBefore);
        (await Post(Officer, $"/grants/{share}/amendments", new { conditions = "Neue Auflage", reason = "Test", version = 4 }, 409)).ShouldBeProblem(409)
            .GetProperty("detail").GetString()!.ShouldContain("final proof is in examination");

        var attachment = (await Proof(proofs[share])).GetProperty("proof").GetProperty("attachments")[0];
        attachment.GetProperty("contentType").GetString().ShouldBe("application/pdf");
        attachment.GetProperty("sha256").GetString().ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Pdf)));
        var download = $"/proofs/{proofs[share]}/attachments/{attachment.GetProperty("id").GetGuid()}";
        Bytes(await Get(ApplicantToken, download)).ShouldBe(Pdf);
        Bytes(await Get(Officer, download)).ShouldBe(Pdf);

        // The exported list imports again, and the workbook is one.
        var csv = Bytes(await Get(ApplicantToken, $"/proofs/{proofs[share]}/receipts.csv"));
        Encoding.UTF8.GetString(csv).ShouldContain("Raumvermietung Müller;Miete Gemeindesaal;2;500,00");
        Bytes(await Get(Officer, $"/proofs/{proofs[share]}/receipts.xlsx"))[..2].ShouldBe("PK"u8.ToArray());

        foreach (var proof in proofs.Values) await ExamineCuttingOneReceipt(proof);
        var recalculation = (await Get(Officer, $"/proofs/{proofs[share]}/recalculation")).Json();
        recalculation.GetProperty("recognisedCosts").GetDecimal().ShouldBe(9800m);
        recalculation.GetProperty("finalAmount").GetDecimal().ShouldBe(6860m);
        recalculation.GetProperty("steps").GetArrayLength().ShouldBeGreaterThan(4);

        // Four-eyes: the examining officer cannot approve, even with the approver role.
        var examinerAsApprover = DevTokens.Create(App.Auth, "anna-officer", "Anna Officer", [Roles.Approver, Roles.Officer]);
        (await Post(examinerAsApprover, $"/proofs/{proofs[share]}/final-notice", new { version = 7 }, 403)).ShouldBeProblem(403);
        foreach (var proof in proofs.Values) await Post(Approver, $"/proofs/{proof}/final-notice", new { version = 7 });

        async Task Ledger(Guid grant, decimal final, decimal toRecover)
        {
            var ledger = (await Get(ApplicantToken, $"/grants/{grant}")).Json();
            ledger.GetProperty("state").GetString().ShouldBe("closed");
            ledger.GetProperty("granted").GetDecimal().ShouldBe(7000m);
            ledger.GetProperty("paid").GetDecimal().ShouldBe(7000m);
            ledger.GetProperty("proved").GetDecimal().ShouldBe(10000m);
            ledger.GetProperty("recognised").GetDecimal().ShouldBe(9800m);
            ledger.GetProperty("finalAmount").GetDecimal().ShouldBe(final);
            ledger.GetProperty("toRecover").GetDecimal().ShouldBe(toRecover);
            ledger.GetProperty("recoverable").GetDecimal().ShouldBe(toRecover);
            ledger.GetProperty("toPay").GetDecimal().ShouldBe(0m);
            (final + toRecover - ledger.GetProperty("toPay").GetDecimal()).ShouldBe(ledger.GetProperty("paid").GetDecimal());
            ledger.GetProperty("examinedOn").GetString().ShouldBe($"{FundingYear + 1}-01-20");
            ledger.GetProperty("retentionUntil").GetString().ShouldBe($"{FundingYear + 6}-01-20");
            var types = (await StreamEvents(grant)).Select(e => e.EventTypeName).ToList();
            types.TakeLast(toRecover > 0 ? 3 : 2).ShouldBe(toRecover > 0
                ? ["final_notice_issued", "grant_overpayment_established", "grant_closed"] : ["final_notice_issued", "grant_closed"]);
            // The overpayment is a real recovery claim: in the claims list, on the final notice's day, collectable.
            var claims = (await Get(Finance, $"/recovery-claims?grantId={grant}")).Json().GetProperty("items");
            claims.GetArrayLength().ShouldBe(toRecover > 0 ? 1 : 0);
            if (toRecover == 0) return;
            var item = claims[0];
            item.GetProperty("principal").GetDecimal().ShouldBe(toRecover);
            item.GetProperty("basis").GetString().ShouldBe("proofOfUse");
            item.GetProperty("status").GetString().ShouldBe("open");
            var claim = (await Get(Finance, $"/recovery-claims/{item.GetProperty("id").GetGuid()}")).Json();
            claim.GetProperty("claim").GetProperty("ineffectiveFrom").GetString().ShouldBe($"{FundingYear + 1}-01-20");
        }
        await Ledger(share, 6860m, 140m);       // 70 % of 9,800
        await Ledger(gap, 6800m, 200m);         // 9,800 − 2,500 own − 500 third-party
        await Ledger(fixedAmount, 7000m, 0m);   // costs stay above the fixed amount

        (await Post(ApplicantToken, $"/grants/{fixedAmount}/drawdowns", new { amount = 100m, neededOn = $"{FundingYear}-12-15", purpose = "Nachzügler" }, 409))
            .ShouldBeProblem(409).GetProperty("detail").GetString()!.ShouldContain("closed by its final notice");
        (await Proof(proofs[gap], ApplicantToken)).GetProperty("proof").GetProperty("state").GetString().ShouldBe("settled");
        (await Get(Officer, "/proof-worklist")).Json().GetArrayLength().ShouldBe(0);
        (await Get(ApplicantToken, "/dashboard/grants")).Json().GetProperty("grants").EnumerateArray().ShouldAllBe(g => g.GetProperty("state").GetString() == "closed");

        // The auditor's dossier carries the proof streams and the attachment.
        await LettersIssued(); // the letter follows the decision's commit
        var zip = new ZipArchive(new MemoryStream(Bytes(await Get(Auditor, $"/audit/grants/{share}/dossier"))));
        zip.Entries.ShouldContain(e => e.FullName == $"proofs/{proofs[share]}.json");
        zip.Entries.ShouldContain(e => e.FullName.StartsWith($"attachments/{proofs[share]}/", StringComparison.Ordinal) && e.FullName.EndsWith("Sachbericht.pdf"));
    }
}

public sealed class when_a_proof_is_bad(AppFixture app) : ProofTest(app)
{
    private Guid _grant;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _grant = await ApprovedGrant("share", "Koordination");
    }

    private async Task<Guid> Draft(object? receipts = null) =>
        (await Post(ApplicantToken, $"/grants/{_grant}/proofs", new { kind = "final", content = new { report = Report(), numbers = Numbers(), receipts } }, 201))
            .Body<CaseVersion>().Id;

    [Fact]
    public async Task another_organisations_grant_and_proof_are_404()
    {
        var proof = await Draft();
        var otherOrg = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Other", sub: "other-founder"), Officer,
            ApplicationSamples.Organisation("Anderer Verein e.V."));
        var other = Applicant(otherOrg, "Olga Other");
        (await Post(other, $"/grants/{_grant}/proofs", new { kind = "final" }, 404)).ShouldBeProblem(404);
        (await Get(other, $"/proofs/{proof}", 404)).ShouldBeProblem(404);
        (await Get(other, $"/proofs/{proof}/receipts.csv", 404)).ShouldBeProblem(404);
        (await Put(other, $"/proofs/{proof}", new { content = new { }, version = 1 }, 404)).ShouldBeProblem(404);
        (await Upload(other, $"/proofs/{proof}/attachments?fileName=a.pdf", Pdf, "application/pdf", 404, version: 1)).ShouldBeProblem(404);
        (await Get(other, $"/grants/{_grant}/proofs", 404)).ShouldBeProblem(404);
    }

    [Fact]
    public async Task receipts_outside_the_period_or_not_adding_up_are_findings_and_refused_at_submission_naming_them()
    {
        var receipts = new[]
        {
            new { number = "H-1", date = $"{FundingYear - 1}-12-30", payee = "Honorarkraft", purpose = "Vorbereitung", planLine = 1, amount = 8000m },
            new { number = "M-1", date = $"{FundingYear}-05-01", payee = "Vermieter", purpose = "Miete", planLine = 2, amount = 900m },
            new { number = "M-1", date = $"{FundingYear}-05-01", payee = "Vermieter", purpose = "Miete", planLine = 2, amount = 900m },
        };
        var proof = await Draft(receipts);
        var findings = (await Proof(proof, ApplicantToken)).GetProperty("findings").EnumerateArray().ToList();
        findings.ShouldContain(f => f.GetProperty("code").GetString() == "receipt-outside-period" && f.GetProperty("message").GetString()!.Contains("Receipt 1"));
        findings.ShouldContain(f => f.GetProperty("code").GetString() == "line-sum-mismatch" && f.GetProperty("message").GetString()!.Contains("Plan line 2"));
        findings.ShouldContain(f => f.GetProperty("code").GetString() == "duplicate-receipt" && !f.GetProperty("blocking").GetBoolean());

        var before = (await AllEvents()).Count;
        var problem = (await Post(ApplicantToken, $"/proofs/{proof}/submit", new { version = 1 }, 422)).ShouldBeProblem(422, ProblemTypes.BusinessRule);
        problem.GetProperty("detail").GetString()!.ShouldContain("ANBest-P");
        problem.FieldErrors("receipts[0].date")[0].ShouldContain("outside the period");
        problem.FieldErrors("numbers.lines.2")[0].ShouldContain("1800.00 EUR");
        (await AllEvents()).Count.ShouldBe(before);
    }

    [Fact]
    public async Task a_submitted_proof_is_frozen_and_a_second_final_proof_is_409()
    {
        var proof = await Draft(new[] { new { number = "H-1", date = $"{FundingYear}-02-01", payee = "Honorarkraft", purpose = "Koordination", planLine = 1, amount = 8000m },
            new { number = "M-1", date = $"{FundingYear}-05-01", payee = "Vermieter", purpose = "Miete", planLine = 2, amount = 1000m } });
        await Post(ApplicantToken, $"/proofs/{proof}/submit", new { version = 1 });
        (await Put(ApplicantToken, $"/proofs/{proof}", new { content = new { report = Report() }, version = 2 }, 409)).ShouldBeProblem(409)
            .GetProperty("detail").GetString()!.ShouldContain("frozen");
        (await Upload(ApplicantToken, $"/proofs/{proof}/receipts", ReceiptsCsv(), "text/csv", 409, version: 2)).ShouldBeProblem(409);
        (await Upload(ApplicantToken, $"/proofs/{proof}/attachments?fileName=a.pdf", Pdf, "application/pdf", 409, version: 2)).ShouldBeProblem(409);
        (await Post(ApplicantToken, $"/grants/{_grant}/proofs", new { kind = "final" }, 409)).ShouldBeProblem(409);

        // Returned for completion, it can be edited and submitted again.
        await Post(Officer, $"/proofs/{proof}/return", new { missingItems = new[] { "Teilnehmerlisten" }, dueDate = $"{BerlinTime.Today(App.Clock.GetUtcNow()).AddDays(14):yyyy-MM-dd}", version = 2 });
        await Upload(ApplicantToken, $"/proofs/{proof}/attachments?fileName=Teilnehmerliste.csv", Encoding.UTF8.GetBytes("Name;Datum\nA;01.02.2027\n"), "text/csv", 201, version: 3);
        await Post(ApplicantToken, $"/proofs/{proof}/submit", new { version = 4 });
        (await Proof(proof)).GetProperty("proof").GetProperty("attachments")[0].GetProperty("contentType").GetString().ShouldBe("text/csv");
    }

    [Fact]
    public async Task a_bad_csv_is_400_by_line_and_column_and_a_bad_file_415_or_413_with_nothing_appended()
    {
        var proof = await Draft();
        var before = (await AllEvents()).Count;
        var csv = Encoding.UTF8.GetBytes("Belegnummer;Datum;Zahlungsempfänger;Verwendungszweck;Position;Betrag\nH-1;32.01.2027;X;Y;1;10,00\nH-2;01.02.2027;X;Y;9;10,00\n");
        var problem = (await Upload(ApplicantToken, $"/proofs/{proof}/receipts", csv, "text/csv", 400, version: 1)).ShouldBeProblem(400);
        problem.FieldErrors("line 2, column 2 (Datum)").ShouldNotBeEmpty();
        problem.FieldErrors("line 3, column 5 (Position)").ShouldNotBeEmpty();
        (await Upload(ApplicantToken, $"/proofs/{proof}/receipts", csv, "application/pdf", 415, version: 1)).ShouldBeProblem(415);

        (await Upload(ApplicantToken, $"/proofs/{proof}/attachments?fileName=tool.exe", [0x4D, 0x5A, 0x90, 0x00, 0x03], "application/pdf", 415, version: 1))
            .ShouldBeProblem(415);
        var tooLarge = new byte[20 * 1024 * 1024 + 1];
        "%PDF-"u8.CopyTo(tooLarge);
        (await Upload(ApplicantToken, $"/proofs/{proof}/attachments?fileName=big.pdf", tooLarge, "application/pdf", 413, version: 1)).ShouldBeProblem(413);
        (await Upload(ApplicantToken, $"/proofs/{proof}/attachments?fileName=a.pdf", Pdf, "application/pdf", 428)).ShouldBeProblem(428);
        (await Upload(ApplicantToken, $"/proofs/{proof}/attachments?fileName=../a.pdf", Pdf, "application/pdf", 400, version: 1)).ShouldBeProblem(400);
        (await AllEvents()).Count.ShouldBe(before);
    }

    [Fact]
    public async Task an_in_depth_examination_needs_a_ruling_on_every_sampled_receipt()
    {
        App.Clock.Set(new DateTimeOffset(FundingYear + 1, 1, 20, 9, 0, 0, TimeSpan.Zero));
        var proof = (await Post(ApplicantToken, $"/grants/{_grant}/proofs", new { kind = "final", content = new { report = Report(), numbers = Numbers() } }, 201))
            .Body<CaseVersion>().Id;
        await Upload(ApplicantToken, $"/proofs/{proof}/receipts", ReceiptsCsv(), "text/csv", 200, version: 1);
        await Post(ApplicantToken, $"/proofs/{proof}/submit", new { version = 2 });
        await Post(Officer, $"/proofs/{proof}/examination", new { depth = "inDepth", version = 3 });
        var sample = (await Proof(proof)).GetProperty("proof").GetProperty("sample").EnumerateArray().Select(n => n.GetInt32()).ToArray();
        sample.Length.ShouldBe(5); // at least 5 (10 % of 6 is less)
        var problem = (await Post(Officer, $"/proofs/{proof}/examine", new { note = "geprüft", version = 4 }, 422)).ShouldBeProblem(422);
        problem.FieldErrors("rulings").Length.ShouldBe(5);
        (await Post(Officer, $"/proofs/{proof}/rulings", new { rulings = new[] { new { receipt = 9, ruling = "recognised" } }, version = 4 }, 400)).ShouldBeProblem(400);
        (await Post(Officer, $"/proofs/{proof}/rulings", new { rulings = new[] { new { receipt = 1, ruling = "notRecognised" } }, version = 4 }, 400))
            .ShouldBeProblem(400).FieldErrors("rulings[0].reason").ShouldNotBeEmpty();
        (await Post(Officer, $"/proofs/{proof}/final-notice", new { version = 4 }, 403)).ShouldBeProblem(403); // officers do not approve
        (await Post(Approver, $"/proofs/{proof}/final-notice", new { version = 4 }, 409)).ShouldBeProblem(409);
    }

    [Fact]
    public async Task reminder_timing_is_a_programme_setting_with_defaults()
    {
        var defaults = (await Get(Officer, $"/programmes/{ProgrammeId}/proof-reminders")).Json();
        defaults.GetProperty("daysBefore").EnumerateArray().Select(d => d.GetInt32()).ShouldBe([28, 7]);
        defaults.GetProperty("daysAfter").GetInt32().ShouldBe(1);
        (await Put(Officer, $"/programmes/{ProgrammeId}/proof-reminders", new { daysBefore = new[] { 0 }, daysAfter = 1, version = 0 }, 400)).ShouldBeProblem(400);
        (await Put(ApplicantToken, $"/programmes/{ProgrammeId}/proof-reminders", new { daysBefore = new[] { 14 }, daysAfter = 2, version = 0 }, 403)).ShouldBeProblem(403);
        await Put(Officer, $"/programmes/{ProgrammeId}/proof-reminders", new { daysBefore = new[] { 7, 42 }, daysAfter = 2, version = 0 });
        (await Put(Officer, $"/programmes/{ProgrammeId}/proof-reminders", new { daysBefore = new[] { 14 }, daysAfter = 2, version = 0 }, 409)).ShouldBeProblem(409);
        var set = (await Get(Officer, $"/programmes/{ProgrammeId}/proof-reminders")).Json();
        set.GetProperty("daysBefore").EnumerateArray().Select(d => d.GetInt32()).ShouldBe([42, 7]);
        set.GetProperty("daysAfter").GetInt32().ShouldBe(2);
        (await Put(Officer, $"/programmes/{Guid.NewGuid()}/proof-reminders", new { daysBefore = new[] { 14 }, daysAfter = 2, version = 0 }, 404)).ShouldBeProblem(404);
    }
}
