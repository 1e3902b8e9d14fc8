using Alba;
using FundingPrograms.Infrastructure;
using FundingPrograms.Letters;
using FundingPrograms.Tests.Grants;
using FundingPrograms.Tests.Infrastructure;
using FundingPrograms.Tests.Payments;
using FundingPrograms.Tests.Proofs;
using FundingPrograms.Tests.Recovery;

namespace FundingPrograms.Tests.Letters;

/// <summary>Reads a decision's letter back: it exists, belongs to the organisation (404 for another) and says what was decided.</summary>
public static class DecisionLetterChecks
{
    /// <summary>The organisation's newest letter of a kind, checked for the frame of every letter; returns its PDF text.</summary>
    /// <param name="language">The organisation's chosen language: the letter must have its reading copy in it too.</param>
    public static async Task<string> Letter(ApiTest test, string applicantToken, string strangerToken, string kind, bool legalRemedy, bool signed = true,
        string? language = null)
    {
        await test.LettersIssued();
        var letters = (await test.GetAs(applicantToken, "/me/letters")).Json().GetProperty("items");
        var letter = letters.EnumerateArray().First(l => l.GetProperty("kind").GetString() == kind);
        var id = letter.GetProperty("id").GetGuid();
        var result = await test.GetAs(applicantToken, $"/letters/{id}/letter.pdf");
        var pdf = result.Context.Response.Body.ReadBytes();
        LetterChecks.ShouldBePdfA2b(pdf);
        // The SHA-256 recorded in its letter_issued event is the hash of the bytes served.
        letter.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("mediaType").GetString() == "application/pdf" && f.GetProperty("binding").GetBoolean())
            .GetProperty("sha256").GetString().ShouldBe(LetterChecks.Sha256(pdf));
        LetterChecks.ShouldBeAccessibleHtml((await test.GetAs(applicantToken, $"/letters/{id}/letter.html")).ReadAsText(), "de");

        var text = LetterChecks.Text(pdf);
        if (signed) LetterChecks.ShouldBeSignedImAuftragWithTheClosingKeptTogether(pdf, letter.GetProperty("issuedBy").GetString()!);
        else LetterChecks.Text(pdf).ShouldNotContain("Im Auftrag");
        text.ShouldContain("Verein Brücke e.V.");
        text.ShouldContain("Keupstraße 1");
        text.ShouldContain(letter.GetProperty("fileReference").GetString()!);
        if (legalRemedy)
        {
            text.ShouldContain("Rechtsbehelfsbelehrung");
            text.ShouldContain("innerhalb eines Monats nach Bekanntgabe Klage beim Verwaltungsgericht Köln"); // the organisation sits in Köln (§ 52 Nr. 3 Satz 2 VwGO)
        }
        else text.ShouldNotContain("Rechtsbehelfsbelehrung");

        (await test.GetAs(strangerToken, $"/letters/{id}", 404)).ShouldBeProblem(404);
        (await test.GetAs(strangerToken, $"/letters/{id}/letter.pdf", 404)).ShouldBeProblem(404);
        await ShouldBeNamedInTheAuditTrail(test, id, kind);
        await ShouldHaveAnEnglishReadingCopy(test, applicantToken, id, legalRemedy, signed);
        if (language is not null) await ReadingCopyChecks.ShouldHaveAReadingCopyIn(test, applicantToken, id, language, legalRemedy);
        return text;
    }

    /// <summary>Every letter type has an English reading copy (the programme has English texts): marked non-binding, English quotation marks.</summary>
    public static async Task ShouldHaveAnEnglishReadingCopy(ApiTest test, string applicantToken, Guid letterId, bool legalRemedy, bool signed)
    {
        var result = await test.GetAs(applicantToken, $"/letters/{letterId}/letter.pdf?lang=en");
        result.Context.Response.Headers["Content-Language"].ToString().ShouldBe("en");
        result.Context.Response.Headers["X-Letter-Binding"].ToString().ShouldBe("false");
        var pdf = result.Context.Response.Body.ReadBytes();
        LetterChecks.ShouldBePdfA2b(pdf);
        var text = LetterChecks.Text(pdf);
        text.ShouldContain("Reading copy — not legally binding");
        text.ShouldNotContain("„"); // English quotation marks
        text.ShouldContain("Dear Sir or Madam,");
        if (signed) text.ShouldContain("Yours faithfully By order (Im Auftrag)");
        if (legalRemedy) text.ShouldContain("Information on legal remedies (Rechtsbehelfsbelehrung) An action against this notice may be brought before the Verwaltungsgericht Köln");
        else text.ShouldNotContain("Information on legal remedies");
        LetterChecks.ShouldBeAccessibleHtml((await test.GetAs(applicantToken, $"/letters/{letterId}/letter.html?lang=en")).ReadAsText(), "en");
    }

    /// <summary>The audit trail of the letter names its type (not "grant, amendment or rejection notice" for every letter).</summary>
    public static async Task ShouldBeNamedInTheAuditTrail(ApiTest test, Guid letterId, string kind)
    {
        var entry = (await test.GetAs(test.AuditorToken, $"/audit/cases/{letterId}")).Json().EnumerateArray().First(e => e.GetProperty("type").GetString() == "letter_issued");
        var summary = entry.GetProperty("summary").GetString()!;
        summary.ShouldStartWith($"The {LetterKinds.Name(kind)} ");
        summary.ShouldNotContain("grant, amendment or rejection notice");
    }
}

public sealed class when_an_early_start_is_approved_or_a_drawdown_refused(AppFixture app) : PaymentTest(app)
{
    [Fact]
    public async Task the_early_start_approval_is_a_letter_with_its_decision_and_legal_remedy()
    {
        await ChooseLanguage("tr");
        var id = await Assessed("Vorzeitig");
        await Post(Officer, $"/applications/{id}/early-start", new { reason = "Kursbeginn vor Bescheid unvermeidbar", version = 4 });
        var text = await DecisionLetterChecks.Letter(this, ApplicantToken, Applicant(Guid.NewGuid(), "Someone Else"), "early_start_approval", legalRemedy: true, language: "tr");
        text.ShouldContain($"stimme ich dem vorzeitigen Maßnahmebeginn ab dem {BerlinTime.Today(App.Clock.GetUtcNow()):dd.MM.yyyy} zu.");
        text.ShouldContain("keinen Anspruch auf eine Zuwendung");
        text.ShouldContain("Kursbeginn vor Bescheid unvermeidbar");
        await IssuedWith("early_start_approval", "application_early_start_approved");
        (await Notifications(1)).EnumerateArray().Any(n => n.TryGetProperty("letterId", out var l) && l.ValueKind == System.Text.Json.JsonValueKind.String).ShouldBeTrue();
    }

    [Fact]
    public async Task the_drawdown_refusal_is_a_letter_with_its_decision_reason_and_legal_remedy()
    {
        await ChooseLanguage("ar");
        var payment = await Drawdown(7000m);
        await Post(Finance, $"/payments/{payment}/refuse", new { reason = "Zwischennachweis 2026 fehlt", version = 1 });
        var text = await DecisionLetterChecks.Letter(this, ApplicantToken, Applicant(Guid.NewGuid(), "Someone Else"), "drawdown_refusal", legalRemedy: true, language: "ar");
        text.ShouldContain("über 7.000,00 EUR");
        text.ShouldContain("lehne ich ab; der Betrag wird nicht ausgezahlt.");
        text.ShouldContain("Zwischennachweis 2026 fehlt");
        text.ShouldContain("Nr. 1.4 ANBest-P");
        await IssuedWith("drawdown_refusal", "payment_refused");
    }

    /// <summary>The letter_issued event was appended for the decision (right after its transaction, with the same correlation id).</summary>
    private async Task IssuedWith(string kind, string decision)
    {
        await LettersIssued();
        var events = await AllEvents();
        events.Single(e => e.EventTypeName == "letter_issued" && ((LetterIssued)e.Data).Kind == kind).CorrelationId
            .ShouldBe(events.Single(e => e.EventTypeName == decision).CorrelationId);
    }
}

public sealed class when_a_grant_is_heard_and_revoked(AppFixture app) : RecoveryTest(app)
{
    [Fact]
    public async Task the_hearing_is_a_letter_without_legal_remedy_and_the_revocation_a_notice_with_claim_and_legal_remedy()
    {
        SetToday(FundingYear, 1, 10); // paid in the grant's year (§ 72 LHO)
        await Booked(3000m, new(FundingYear, 1, 15), new(FundingYear, 1, 15));
        SetToday(FundingYear, 6, 1);
        await ChooseLanguage("uk");
        await Post(Officer, $"/grants/{GrantId}/revocation/facts", new
        {
            learnedOn = $"{FundingYear}-05-20", facts = "Die Honorarkraft wurde nur für vier Monate beschäftigt.", evidence = "Zwischennachweis", version = await GrantVersion(),
        });
        await Post(Officer, $"/grants/{GrantId}/revocation/hearing", new
        {
            text = "Wir beabsichtigen, den Zuwendungsbescheid teilweise zu widerrufen.", replyDueOn = $"{FundingYear}-06-20", version = await GrantVersion(),
        });
        var hearing = await DecisionLetterChecks.Letter(this, ApplicantToken, Applicant(Guid.NewGuid(), "Someone Else"), "hearing_letter", legalRemedy: false, language: "uk");
        hearing.ShouldContain("Gelegenheit, sich zu den für die Entscheidung erheblichen Tatsachen zu äußern");
        hearing.ShouldContain("Wir beabsichtigen, den Zuwendungsbescheid teilweise zu widerrufen.");
        hearing.ShouldContain($"bis zum 20.06.{FundingYear}");
        hearing.ShouldContain("Die Honorarkraft wurde nur für vier Monate beschäftigt.");

        SetToday(FundingYear, 6, 21);
        await Post(Officer, $"/grants/{GrantId}/revocation/proposal", new
        {
            scope = "partial", newAmount = 2000m, effectiveFrom = $"{FundingYear}-01-01", reasons = "Zweck nur teilweise erfüllt.",
            legalBasis = "§ 49 Abs. 3 Satz 1 Nr. 1 VwVfG NRW", paymentDueOn = $"{FundingYear}-07-31", version = await GrantVersion(),
        });
        await Post(Approver, $"/grants/{GrantId}/revocation/approve", new { version = await GrantVersion() });
        var text = await DecisionLetterChecks.Letter(this, ApplicantToken, Applicant(Guid.NewGuid(), "Someone Else"), "revocation_notice", legalRemedy: true, language: "uk");
        text.ShouldContain("Widerrufs- und Rückforderungsbescheid");
        text.ShouldContain($"widerrufe ich mit Wirkung vom 01.01.{FundingYear} teilweise");
        text.ShouldContain("von 7.000,00 EUR auf 2.000,00 EUR festgesetzt");
        text.ShouldContain("Der überzahlte Betrag von 1.000,00 EUR ist nach § 49a Abs. 1 VwVfG NRW zu erstatten");
        text.ShouldContain($"fällig am 31.07.{FundingYear}");
        text.ShouldContain("§ 49 Abs. 3 Satz 1 Nr. 1 VwVfG NRW");
        text.ShouldContain("Zweck nur teilweise erfüllt.");
        var revocation = (await Get(Finance, $"/grants/{GrantId}/revocation")).Json().GetProperty("revocations")[0];
        var claim = revocation.GetProperty("claimId").GetGuid();
        // The revocation notice's page serves the archived letter.
        var page = (await Get(ApplicantToken, $"/grants/{GrantId}/revocations/{revocation.GetProperty("proposalId").GetGuid()}/notice.html")).ReadAsText();
        page.ShouldContain("Rechtsbehelfsbelehrung");
        var letter = (await Get(ApplicantToken, "/me/letters")).Json().GetProperty("items").EnumerateArray().First(l => l.GetProperty("kind").GetString() == "revocation_notice");
        LetterChecks.Sha256(System.Text.Encoding.UTF8.GetBytes(page)).ShouldBe(letter.GetProperty("files").EnumerateArray()
            .Single(f => f.GetProperty("mediaType").GetString()!.StartsWith("text/html") && f.GetProperty("binding").GetBoolean()).GetProperty("sha256").GetString());
        text.ShouldContain(FundingPrograms.Infrastructure.References.Grouped((await Claim(claim)).GetProperty("claim").GetProperty("reference").GetString()!)); // on paper: RF49 2027 0000 42
        // The revocation establishes the grant's new notice version: its letter is that version's letter.
        var version = (await Get(ApplicantToken, $"/grants/{GrantId}/notice")).Json().GetProperty("noticeVersion").GetInt32();
        LetterChecks.Text((await Get(ApplicantToken, $"/grants/{GrantId}/notice.pdf?version={version}")).Context.Response.Body.ReadBytes())
            .ShouldContain("Widerrufs- und Rückforderungsbescheid");
        // The claim the revocation raised has its payment demand: a Zahlungsaufforderung (the notice fixed the amount), no Rechtsbehelfsbelehrung.
        var demand = await DecisionLetterChecks.Letter(this, ApplicantToken, Applicant(Guid.NewGuid(), "Someone Else"), "payment_demand", legalRemedy: false, language: "uk");
        var kassenzeichen = (await Claim(claim)).GetProperty("claim").GetProperty("reference").GetString()!;
        demand.ShouldContain($"Zahlungsaufforderung zum Zuwendungsbescheid");
        demand.ShouldContain($"Mit meinem Widerrufs- und Rückforderungsbescheid vom 21.06.{FundingYear}");
        demand.ShouldContain($"Ich fordere Sie auf, 1.000,00 EUR bis zum 31.07.{FundingYear} unter Angabe des Kassenzeichens {FundingPrograms.Infrastructure.References.Grouped(kassenzeichen)}");
        demand.ShouldContain("fünf Prozentpunkten über dem Basiszinssatz");
        demand.ShouldContain("IBAN DE50 3005 0000 0001 2345 67");
        var events = await AllEvents();
        foreach (var (kind, decision) in new[] { ("hearing_letter", "hearing_letter_sent"), ("revocation_notice", "grant_revoked"), ("payment_demand", "recovery_claim_raised") })
            events.Single(e => e.EventTypeName == "letter_issued" && ((LetterIssued)e.Data).Kind == kind).CorrelationId
                .ShouldBe(events.Single(e => e.EventTypeName == decision).CorrelationId);
    }
}

public sealed class when_the_final_notice_is_approved(AppFixture app) : ProofTest(app)
{
    [Fact]
    public async Task the_final_notice_is_a_letter_with_the_final_amount_the_overpayment_and_legal_remedy()
    {
        await ReadingCopyChecks.ChooseLanguage(this, OrgId, ApplicantToken, "fa");
        var grant = await ApprovedGrant("share", "Schluss");
        await PaidInItsYear(grant);
        App.Clock.Set(new DateTimeOffset(FundingYear + 1, 1, 20, 9, 0, 0, TimeSpan.Zero));
        var proof = await SubmittedFinalProof(grant);
        await ExamineCuttingOneReceipt(proof);
        await Post(Approver, $"/proofs/{proof}/final-notice", new { version = 7 });
        var text = await DecisionLetterChecks.Letter(this, ApplicantToken, Applicant(Guid.NewGuid(), "Someone Else"), "final_notice", legalRemedy: true, language: "fa");
        text.ShouldContain("setze ich die Zuwendung für das Vorhaben „Projekt Schluss“");
        text.ShouldContain("endgültig auf 6.860,00 EUR fest.");
        text.ShouldContain("Der überzahlte Betrag von 140,00 EUR ist nach § 49a Abs. 1 VwVfG NRW zu erstatten");
        text.ShouldContain("9.800,00 EUR");
        // The overpayment's claim has its payment demand, referring to the final notice that fixed the amount.
        var demand = await DecisionLetterChecks.Letter(this, ApplicantToken, Applicant(Guid.NewGuid(), "Someone Else"), "payment_demand", legalRemedy: false, language: "fa");
        demand.ShouldContain($"Mit meinem Schlussbescheid vom {BerlinTime.Today(App.Clock.GetUtcNow()):dd.MM.yyyy}");
        demand.ShouldContain("Ich fordere Sie auf, 140,00 EUR bis zum");
        var events = await AllEvents();
        events.Single(e => e.EventTypeName == "letter_issued" && ((LetterIssued)e.Data).Kind == "final_notice").CorrelationId
            .ShouldBe(events.Single(e => e.EventTypeName == "final_notice_issued").CorrelationId);
    }

    /// <summary>7,000 EUR (70 % of 10,000 due) drawn, certified, released and booked in January of the grant's year (§ 72 LHO, ANBest-P Nr. 1.4).</summary>
    private async Task PaidInItsYear(Guid grant)
    {
        App.Clock.Set(new DateTimeOffset(FundingYear, 1, 10, 9, 0, 0, TimeSpan.Zero));
        var payment = (await Post(ApplicantToken, $"/grants/{grant}/drawdowns",
            new { amount = 7000m, amountDue = 10000m, neededOn = $"{FundingYear}-01-15", purpose = "Projektkosten" }, 201)).Body<CaseVersion>().Id;
        await Post(Finance, $"/payments/{payment}/certify", new { version = 1 });
        await Post(Finance2, $"/payments/{payment}/release", new { version = 2 });
        var batch = (await Post(Finance, "/payment-batches", new { paymentIds = new[] { payment } }, 201)).Body<CaseVersion>().Id;
        await Post(Finance2, $"/payment-batches/{batch}/export", new { version = 1 });
        var e2e = (await Get(Finance, $"/payments/{payment}")).Json().GetProperty("endToEndId").GetString()!;
        var id = $"S-{Guid.NewGuid():N}"[..30];
        var statement = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>
            <GrpHdr><MsgId>{id}</MsgId><CreDtTm>{FundingYear}-01-15T18:00:00+01:00</CreDtTm></GrpHdr>
            <Stmt><Id>{id}</Id><CreDtTm>{FundingYear}-01-15T18:00:00+01:00</CreDtTm><Acct><Id><IBAN>DE50300500000001234567</IBAN></Id><Ccy>EUR</Ccy></Acct>
            <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">100000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{FundingYear}-01-15</Dt></Dt></Bal>
            <Ntry><Amt Ccy="EUR">7000.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
            <BookgDt><Dt>{FundingYear}-01-15</Dt></BookgDt><ValDt><Dt>{FundingYear}-01-15</Dt></ValDt><AcctSvcrRef>{id}-0</AcctSvcrRef>
            <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
            <NtryDtls><TxDtls><Refs><EndToEndId>{e2e}</EndToEndId></Refs><RltdPties><Cdtr><Pty><Nm>Verein Bruecke e.V.</Nm></Pty></Cdtr><CdtrAcct><Id><IBAN>{ApplicationSamples.ValidIban}</IBAN></Id></CdtrAcct></RltdPties>
            <RmtInf><Ustrd>Mittelabruf</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>
            """;
        (await Send(Finance, s =>
        {
            s.Post.Text(statement).ToUrl("/bank-statements");
            s.WithRequestHeader("Content-Type", "application/xml");
            s.StatusCodeShouldBe(200);
        })).Json().GetProperty("booked").GetInt32().ShouldBe(1);
    }
}

/// <summary>The notice letter carries what the notice model holds (VV Nr. 4.2 zu § 44 LHO), without a database.</summary>
public sealed class when_a_notice_is_mapped_to_its_letter
{
    internal static FundingPrograms.Grants.GrantNotice Notice(FundingPrograms.Programmes.FinancingType type, string? court) => new(1, "ZB-2027-0000AAAA", "Sprachkurs",
        Guid.NewGuid(), "Verein", Guid.NewGuid(), new() { ["de"] = "MSO-Förderung" }, 5000m, 5000m, null, type, 10000m, 50m, 5000m,
        new DateOnly(2027, 1, 1), new DateOnly(2027, 12, 31), "0710/684 10", [new FundingPrograms.Programmes.YearAmount(2027, 5000m)], "Keine.",
        "ANBest-P (Fassung 2023)", new DateOnly(2028, 6, 30), new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero), "Bernd Approver", null,
        new FundingPrograms.Grants.NoticeLegalBasis("Richtlinie MSO", new DateOnly(2024, 1, 1), FundingPrograms.Grants.NoticeContent.GrantProvisions),
        "Sprachkurse für neu zugewanderte Frauen", FundingPrograms.Grants.NoticeContent.Terms(type, 5000m, 10000m),
        [new("staff", "Kursleitung", 9000m), new("volunteerWork", "Unbare Eigenleistung (bewertete ehrenamtliche Arbeit)", 1000m)],
        new FundingPrograms.Grants.EarlyStartNote(new DateOnly(2026, 11, 20), new DateTimeOffset(2026, 11, 19, 9, 0, 0, TimeSpan.Zero), "Olaf Officer",
            FundingPrograms.Applications.ApproveEarlyStartEndpoint.NoPromise),
        FundingPrograms.Grants.NoticeContent.Remedy(court));

    private static string Html(FundingPrograms.Grants.GrantNotice notice)
    {
        var ctx = new LetterContext(new LetterheadOptions { Authority = "Ministerium", City = "Düsseldorf", Court = "Verwaltungsgericht Aachen" },
            new Addressee("Verein", ["Weg 1", "50667 Köln"]), "FP-2026-0000AAAA", new DateOnly(2026, 10, 1), null, null);
        return LetterHtml.Render(GrantNoticeLetter.Build(notice, null, [], ctx, "de")).Replace("&#xA0;", " ");
    }

    [Fact]
    public void purpose_legal_basis_terms_costs_early_start_and_the_programmes_court_are_in_the_letter()
    {
        var html = Html(Notice(FundingPrograms.Programmes.FinancingType.Share, "Verwaltungsgericht Köln"));
        html.ShouldContain("Zuwendungszweck: Sprachkurse für neu zugewanderte Frauen");
        html.ShouldContain("Rechtsgrundlage: Richtlinie MSO vom 01.01.2024; §§ 23, 44 LHO NRW, VV zu § 44 LHO NRW, §§ 35 ff. VwVfG NRW");
        html.ShouldContain("Fördersatz");
        html.ShouldContain("50 %");
        html.ShouldContain("Kursleitung");
        html.ShouldContain("Unbare Eigenleistung");
        html.ShouldContain("Vorzeitiger Maßnahmebeginn");
        html.ShouldContain("ab dem 20.11.2026");
        html.ShouldContain("keinen Anspruch auf eine Zuwendung");
        html.ShouldContain("ANBest-P (Fassung 2023)");
        // Without settings for the version: still listed as the enclosure, with the exact version and where the ANBest-P are laid down.
        html.ShouldContain("<section class=\"enclosures\"><h2>Anlage</h2><ul><li>Allgemeine Nebenbestimmungen für Zuwendungen zur Projektförderung (ANBest-P) in der Fassung „ANBest-P (Fassung 2023)“; Anlage 2 zu Nr. 5.1 VV zu § 44 LHO NRW</li></ul></section>");
        html.ShouldContain("bis zum 30.06.2028 vorzulegen");
        html.ShouldContain("Klage beim Verwaltungsgericht Köln, Appellhofplatz, 50667 Köln, erhoben werden"); // the programme's court, not the configured one
        html.ShouldNotContain("Aachen");
    }

    [Fact]
    public void a_fixed_amount_prints_the_amount_and_no_share()
    {
        var html = Html(Notice(FundingPrograms.Programmes.FinancingType.FixedAmount, null));
        html.ShouldContain("Festbetrag");
        html.ShouldContain("Festbetragsfinanzierung in Höhe von 5.000,00 EUR");
        html.ShouldNotContain("Fördersatz");
        html.ShouldNotContain("50 %");
        html.ShouldContain("Klage beim Verwaltungsgericht Düsseldorf"); // no court named: the default
    }
}
