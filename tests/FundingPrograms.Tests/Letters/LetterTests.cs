using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Alba;
using AngleSharp.Html.Parser;
using FundingPrograms.Audit;
using FundingPrograms.Infrastructure;
using FundingPrograms.Letters;
using FundingPrograms.Tests.Grants;
using FundingPrograms.Tests.Infrastructure;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using UglyToad.PdfPig;

namespace FundingPrograms.Tests.Letters;

/// <summary>Reading letters back: PDF text (PdfPig), PDF/A markers in the raw file, HTML structure (AngleSharp).</summary>
public static class LetterChecks
{
    public static string Text(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        // Words joined by single spaces: line breaks of the layout do not split what a test looks for.
        // No-break spaces (between a number and its unit) read as spaces.
        return string.Join(" ", document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text)).Replace('\u00A0', ' ');
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>PDF/A-2b as declared: XMP identification, output intent with an ICC profile, every font embedded, no encryption.</summary>
    public static void ShouldBePdfA2b(byte[] pdf)
    {
        Encoding.ASCII.GetString(pdf, 0, 8).ShouldBe("%PDF-1.7");
        using var document = PdfDocument.Open(pdf);
        document.TryGetXmpMetadata(out var xmp).ShouldBeTrue();
        var xml = xmp.GetXDocument().ToString();
        xml.ShouldContain("<pdfaid:part>2</pdfaid:part>");
        xml.ShouldContain("<pdfaid:conformance>B</pdfaid:conformance>");
        document.IsEncrypted.ShouldBeFalse();
        var raw = Encoding.Latin1.GetString(pdf);
        raw.ShouldContain("/OutputIntents[<</Type/OutputIntent/S/GTS_PDFA1");
        raw.ShouldContain("/DestOutputProfile");
        var descriptors = CountOf(raw, "/Type/FontDescriptor");
        descriptors.ShouldBeGreaterThan(0);
        CountOf(raw, "/FontFile2 ").ShouldBe(descriptors, "every font is embedded");
        foreach (var page in document.GetPages())
            foreach (var letter in page.Letters.Take(50))
                (letter.FontName ?? "").ShouldContain("DejaVu");
        ShouldPassQpdfCheck(pdf);
    }

    /// <summary>
    /// Well-formed: <c>qpdf --check</c> (Debian's qpdf; ops/test installs it) decodes every stream and finds nothing to warn
    /// about — no stream that ends without its end (zlib's final block and Adler-32), no broken cross-reference.
    /// </summary>
    public static void ShouldPassQpdfCheck(byte[] pdf)
    {
        var file = Path.Combine(Path.GetTempPath(), $"letter-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, pdf);
        try
        {
            var info = new System.Diagnostics.ProcessStartInfo("qpdf", ["--check", file]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var qpdf = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException("qpdf did not start (Debian package qpdf).");
            var stderr = qpdf.StandardError.ReadToEndAsync();
            var output = qpdf.StandardOutput.ReadToEnd() + stderr.Result;
            qpdf.WaitForExit();
            qpdf.ExitCode.ShouldBe(0, $"qpdf --check: {output}");
            output.ShouldContain("No syntax or stream encoding errors found");
            output.ShouldNotContain("WARNING");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Signed by an officer for the authority ("Im Auftrag" right before the name), and the closing block (greeting, "Im Auftrag",
    /// name, role) stands on one page together with text of the letter body — never alone on an otherwise empty page.
    /// </summary>
    public static void ShouldBeSignedImAuftragWithTheClosingKeptTogether(byte[] pdf, string signer, string onBehalf = "Im Auftrag", string closing = "Mit freundlichen Grüßen")
    {
        Text(pdf).ShouldContain($"{closing} {onBehalf} {signer}");
        using var document = PdfDocument.Open(pdf);
        var page = document.GetPages().Single(pg => string.Join(" ", pg.GetWords().Select(w => w.Text)).Contains($"{onBehalf} {signer}"));
        var body = string.Join(" ", page.GetWords().Where(w => w.BoundingBox.Bottom > 60).Select(w => w.Text)); // without the page footer
        var before = body[..body.IndexOf(closing, StringComparison.Ordinal)].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        before.Length.ShouldBeGreaterThanOrEqualTo(5, $"the closing block stands alone on page {page.Number}");
    }

    public static byte[] ReadBytes(this Stream stream)
    {
        if (stream.CanSeek) stream.Position = 0;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static int CountOf(string s, string what)
    {
        int count = 0, i = 0;
        while ((i = s.IndexOf(what, i, StringComparison.Ordinal)) >= 0) { count++; i += what.Length; }
        return count;
    }

    /// <summary>Accessible HTML: a language, one h1, section headings, tables with caption and scoped header cells.</summary>
    public static AngleSharp.Html.Dom.IHtmlDocument ShouldBeAccessibleHtml(string html, string lang)
    {
        var document = new HtmlParser().ParseDocument(html);
        document.DocumentElement.GetAttribute("lang").ShouldBe(lang);
        document.Title.ShouldNotBeNullOrWhiteSpace();
        document.QuerySelectorAll("h1").Length.ShouldBe(1);
        document.QuerySelectorAll("h2").Length.ShouldBeGreaterThanOrEqualTo(2);
        document.QuerySelectorAll("main").Length.ShouldBe(1);
        var tables = document.QuerySelectorAll("table");
        foreach (var table in tables)
        {
            table.QuerySelector("caption").ShouldNotBeNull();
            var columnHeaders = table.QuerySelectorAll("thead th");
            columnHeaders.Length.ShouldBeGreaterThan(0);
            columnHeaders.ShouldAllBe(th => th.GetAttribute("scope") == "col");
            table.QuerySelectorAll("tbody th").ShouldAllBe(th => th.GetAttribute("scope") == "row");
        }
        return document;
    }
}

/// <summary>The renderers without a database: determinism, PDF/A markers, escaping.</summary>
public sealed class when_a_letter_is_rendered
{
    internal static LetterDocument Sample(string conditions = "Zweckbindung bis 31.12.") => new("grant_notice", "de", true,
        new Letterhead("Ministerium für Integration NRW", "Referat 521", ["Völklinger Straße 49", "40221 Düsseldorf"], ["Telefon 0211 837-02"]),
        new Addressee("Verein Brücke e.V.", ["Keupstraße 1", "51063 Köln"]), "Düsseldorf, 27.11.2026",
        [new("Aktenzeichen", "FP-2026-0A1B2C3D"), new("Bewilligungsnummer", "ZB-2026-12345678")],
        "Zuwendungsbescheid ZB-2026-12345678", "Sehr geehrte Damen und Herren,",
        ["Auf Ihren Antrag vom 01.10.2026 bewillige ich Ihnen eine Zuwendung in Höhe von bis zu 6.500,00 EUR."],
        [
            new("terms", "1. Finanzierung", ["Bewilligungszeitraum 01.01.2027 bis 31.12.2027."],
                [new("Finanzierung", ["Angabe", "Betrag"], Enumerable.Range(1, 60).Select(i => new[] { $"Posten {i}", $"{i},00 EUR" }).ToArray(), true, [1])]),
            LetterSection.Text("conditions", "2. Nebenbestimmungen", conditions),
            LetterSection.Text("legalRemedy", "3. Rechtsbehelfsbelehrung", "Klage beim Verwaltungsgericht Düsseldorf innerhalb eines Monats."),
        ],
        "Mit freundlichen Grüßen", "Bernd Approver", "Bewilligungsstelle", null, "Zuwendungsbescheid · Seite", "Zuwendungsbescheid ZB-2026-12345678");

    [Fact]
    public void the_same_letter_gives_the_same_bytes_and_declares_pdf_a_2b()
    {
        var at = new DateTimeOffset(2026, 11, 27, 9, 30, 0, TimeSpan.Zero);
        var id = Guid.Parse("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
        var first = LetterPdf.Render(Sample(), at, id);
        var second = LetterPdf.Render(Sample(), at, id);
        second.ShouldBe(first);
        LetterChecks.ShouldBePdfA2b(first);
        LetterPdf.Render(Sample(), at, Guid.NewGuid()).ShouldNotBe(first); // the document id is part of the file

        using var pdf = PdfDocument.Open(first);
        pdf.NumberOfPages.ShouldBeGreaterThan(1); // the 60-row table breaks across pages
        var text = LetterChecks.Text(first);
        text.ShouldContain("bewillige ich Ihnen eine Zuwendung in Höhe von bis zu 6.500,00 EUR");
        text.ShouldContain("Posten 60");
        text.ShouldContain("Rechtsbehelfsbelehrung");
        text.ShouldContain("Verein Brücke e.V.");
        foreach (var page in pdf.GetPages())
        {
            // Laid out, not piled up: no two words overlap, every word lies within the page's margins.
            var words = page.GetWords().Select(w => w.BoundingBox).ToList();
            for (var i = 0; i < words.Count; i++)
            {
                words[i].Left.ShouldBeGreaterThanOrEqualTo(70);
                words[i].Right.ShouldBeLessThanOrEqualTo(page.Width - 56);
                words[i].Bottom.ShouldBeGreaterThanOrEqualTo(30);
                for (var j = i + 1; j < words.Count; j++)
                    (words[i].Left < words[j].Right - 0.5 && words[j].Left < words[i].Right - 0.5
                        && words[i].Bottom < words[j].Top - 0.5 && words[j].Bottom < words[i].Top - 0.5).ShouldBeFalse($"words overlap on page {page.Number}");
            }
        }
        pdf.Information.Title.ShouldBe("Zuwendungsbescheid ZB-2026-12345678");
        pdf.Information.CreationDate.ShouldStartWith("D:20261127093000");
    }

    [Fact]
    public void the_closing_block_is_signed_im_auftrag_and_never_stands_alone_on_a_page()
    {
        // The last section ends at every height of the first page and beyond: the closing block always stays with its text.
        for (var paragraphs = 1; paragraphs <= 40; paragraphs++)
        {
            var letter = Sample() with
            {
                Sections =
                [
                    new LetterSection("terms", "1. Festsetzung", Enumerable.Range(1, paragraphs).Select(i => $"Absatz {i} der Festsetzung.").ToArray(), []),
                    LetterSection.Text("legalRemedy", "2. Rechtsbehelfsbelehrung", "Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Klage erhoben werden."),
                ],
                OnBehalf = "Im Auftrag",
            };
            var pdf = LetterPdf.Render(letter, DateTimeOffset.UnixEpoch, Guid.Empty);
            LetterChecks.ShouldBeSignedImAuftragWithTheClosingKeptTogether(pdf, "Bernd Approver");
            using var document = PdfDocument.Open(pdf);
            var last = document.GetPages().Last();
            string.Join(" ", last.GetWords().Select(w => w.Text)).ShouldContain("Klage erhoben werden.", customMessage: $"{paragraphs} paragraphs");
        }
        var html = LetterHtml.Render(Sample() with { OnBehalf = "Im Auftrag" });
        LetterChecks.ShouldBeAccessibleHtml(html, "de").QuerySelector(".closing .signature")!.TextContent.ShouldStartWith("Im AuftragBernd Approver");
    }

    [Fact]
    public void markup_in_texts_is_escaped_in_html_and_harmless_in_pdf_metadata()
    {
        var letter = Sample("<script>alert(1)</script> & mehr");
        var html = LetterHtml.Render(letter);
        html.ShouldNotContain("<script>");
        var document = LetterChecks.ShouldBeAccessibleHtml(html, "de");
        document.QuerySelector("section.conditions p")!.TextContent.ShouldBe("<script>alert(1)</script> & mehr");
        var pdf = LetterPdf.Render(letter with { Title = "A & <B>" }, DateTimeOffset.UnixEpoch, Guid.NewGuid());
        LetterChecks.ShouldBePdfA2b(pdf);
    }
}

public sealed class when_a_programme_has_its_own_letterhead
{
    [Fact]
    public void only_the_settings_it_gives_replace_the_default_ones()
    {
        var programme = Guid.NewGuid();
        var options = new LettersOptions
        {
            Letterhead = new LetterheadOptions
            {
                Authority = "Ministerium", Street = "Völklinger Straße 49", PostalCode = "40221", City = "Düsseldorf", Phone = "0211 1",
                Court = "Verwaltungsgericht Düsseldorf", CourtAddress = "Bastionstraße 39, 40213 Düsseldorf",
            },
            Programmes = { [programme.ToString()] = new LetterheadOptions { Authority = "Bezirksregierung Arnsberg", Street = "Seibertzstraße 1", PostalCode = "59821", City = "Arnsberg", Court = "Verwaltungsgericht Arnsberg" } },
        };
        var own = options.For(programme);
        own.Authority.ShouldBe("Bezirksregierung Arnsberg");
        own.Court.ShouldBe("Verwaltungsgericht Arnsberg");
        own.Phone.ShouldBe("0211 1"); // not given: the default
        own.ToLetterhead().AddressLines.ShouldBe(["Seibertzstraße 1", "59821 Arnsberg"]);
        LetterText.PlaceAndDate(own, new DateTimeOffset(2026, 11, 27, 23, 30, 0, TimeSpan.Zero), "de").ShouldBe("Arnsberg, 28.11.2026"); // Berlin date
        options.For(Guid.NewGuid()).Authority.ShouldBe("Ministerium");
        var remedy = LetterText.LegalRemedy(own, "de", "6.").Paragraphs[0];
        remedy.ShouldContain("Klage beim Verwaltungsgericht Arnsberg erhoben werden"); // a court is taken whole: no Düsseldorf address
        remedy.ShouldNotContain("Bastionstraße");
        LetterText.LegalRemedy(options.Letterhead, "de", "6.").Paragraphs[0]
            .ShouldContain("Klage beim Verwaltungsgericht Düsseldorf, Bastionstraße 39, 40213 Düsseldorf, erhoben werden");
    }
}

public sealed class when_a_decision_is_made_its_letter_is_issued(AppFixture app) : GrantTest(app)
{
    private async Task<byte[]> Bytes(string token, string url, int status = 200)
    {
        await LettersIssued();
        var result = await Get(token, url, status);
        return result.Context.Response.Body.ReadBytes();
    }

    /// <summary>What every letter has: addressee, place and date of the decision, the file reference, the legal remedy.</summary>
    private void ShouldHaveTheLetterFrame(string text, string fileReference)
    {
        text.ShouldContain("Verein Brücke e.V.");
        text.ShouldContain("Keupstraße 1");
        text.ShouldContain("51063 Köln");
        text.ShouldContain($"Düsseldorf, {BerlinTime.Today(App.Clock.GetUtcNow()):dd.MM.yyyy}");
        text.ShouldContain(fileReference);
        text.ShouldContain("Rechtsbehelfsbelehrung");
        // The addressee sits in Köln (05315): the court of its seat, § 52 Nr. 3 Satz 2 VwGO.
        text.ShouldContain("innerhalb eines Monats nach Bekanntgabe Klage beim Verwaltungsgericht Köln");
    }

    private async Task<(Guid Grant, Guid Application)> Approved(decimal amount = 6500m)
    {
        var id = await Assessed();
        var grantId = (await Post(Approver, $"/applications/{id}/approve", GrantSamples.Approval(amount, reductionReason: "Sachkosten gekürzt")))
            .Json().GetProperty("grantId").GetGuid();
        await LettersIssued();
        return (grantId, id);
    }

    [Fact]
    public async Task the_grant_notice_is_a_pdf_a_letter_with_decision_amounts_reference_addressee_and_legal_remedy()
    {
        var (grantId, _) = await Approved();
        var pdf = await Bytes(ApplicantToken, $"/grants/{grantId}/notice.pdf");
        LetterChecks.ShouldBePdfA2b(pdf);
        LetterChecks.ShouldBeSignedImAuftragWithTheClosingKeptTogether(pdf, "Bernd Approver");
        var text = LetterChecks.Text(pdf);
        var year = FundingYear;
        text.ShouldContain("bewillige ich Ihnen für das Vorhaben „Frauencafé Mülheim“");
        text.ShouldContain("eine Zuwendung in Höhe von bis zu 6.500,00 EUR");
        text.ShouldContain($"vom 01.01.{year} bis 31.12.{year}");
        text.ShouldContain("Im Übrigen (beantragt waren 7.000,00 EUR) lehne ich Ihren Antrag ab.");
        text.ShouldContain("Sachkosten gekürzt");
        text.ShouldContain("Anteilfinanzierung");
        text.ShouldContain("65 %");
        text.ShouldContain("ANBest-P (Fassung 2023)");
        // The ANBest-P are part of the notice: listed under it as its enclosure, with their exact version and where to read them.
        text.ShouldContain("Anlage Allgemeine Nebenbestimmungen für Zuwendungen zur Projektförderung (ANBest-P) in der Fassung „ANBest-P (Fassung 2023)“; "
            + "Anlage 2 zu Nr. 5.1 VV zu § 44 LHO NRW; abrufbar unter https://recht.nrw.de");
        text.ShouldContain($"bis zum 30.06.{year + 1} vorzulegen");
        text.ShouldContain("Zuwendungszweck: Wöchentlicher Treffpunkt für neu zugewanderte Frauen.");
        text.ShouldContain("Rechtsgrundlage: Richtlinie über die Förderung von Migrantenselbstorganisationen");
        text.ShouldContain("Höchstbetrag der Zuwendung");
        text.ShouldContain("Rechtsbehelfsbelehrung");
        text.ShouldContain("Verwaltungsgericht Köln");
        text.ShouldContain("Verein Brücke e.V.");
        text.ShouldContain("Keupstraße 1");
        text.ShouldContain("51063 Köln");
        text.ShouldContain("Aktenzeichen");
        text.ShouldContain("Bernd Approver");
        var letter = (await Get(ApplicantToken, "/me/letters")).Json().GetProperty("items")[0];
        ShouldHaveTheLetterFrame(text, letter.GetProperty("fileReference").GetString()!);
        var reference = (await Get(ApplicantToken, $"/grants/{grantId}")).Json().GetProperty("reference").GetString()!;
        text.ShouldContain(reference);

        // The SHA-256 in the letter_issued event, appended right after the decision's transaction, is the hash of the bytes served.
        var events = await AllEvents();
        var issued = events.Single(e => e.EventTypeName == "letter_issued");
        issued.CorrelationId.ShouldBe(events.Single(e => e.EventTypeName == "grant_issued").CorrelationId);
        var data = (LetterIssued)issued.Data;
        data.Kind.ShouldBe("grant_notice");
        await DecisionLetterChecks.ShouldBeNamedInTheAuditTrail(this, data.LetterId, "grant_notice");
        data.GrantId.ShouldBe(grantId);
        data.Files.Single(f => f.Name == "de.pdf").Sha256.ShouldBe(LetterChecks.Sha256(pdf));
        data.Files.Single(f => f.Name == "de.pdf").Binding.ShouldBeTrue();

        var html = (await Get(ApplicantToken, $"/grants/{grantId}/notice.html")).ReadAsText();
        var document = LetterChecks.ShouldBeAccessibleHtml(html, "de");
        document.QuerySelector("h1")!.TextContent.ShouldStartWith("Zuwendungsbescheid");
        html.ShouldContain("6.500,00&#xA0;EUR");
        LetterChecks.Sha256(Encoding.UTF8.GetBytes(html)).ShouldBe(data.Files.Single(f => f.Name == "de.html").Sha256);
    }

    [Fact]
    public async Task the_english_reading_copy_is_marked_non_binding()
    {
        var (grantId, _) = await Approved();
        var result = await Get(ApplicantToken, $"/grants/{grantId}/notice.pdf?lang=en");
        result.Context.Response.Headers["Content-Language"].ToString().ShouldBe("en");
        result.Context.Response.Headers["X-Letter-Binding"].ToString().ShouldBe("false");
        var english = result.Context.Response.Body.ReadBytes();
        LetterChecks.ShouldBePdfA2b(english);
        LetterChecks.ShouldBeSignedImAuftragWithTheClosingKeptTogether(english, "Bernd Approver", "By order (Im Auftrag)", "Yours faithfully");
        var text = LetterChecks.Text(english);
        text.ShouldContain("Reading copy — not legally binding");
        text.ShouldContain("a grant of up to 6,500.00 EUR");
        var html = (await Get(ApplicantToken, $"/grants/{grantId}/notice.html?lang=en")).ReadAsText();
        LetterChecks.ShouldBeAccessibleHtml(html, "en").QuerySelector(".reading-copy")!.TextContent.ShouldContain("not legally binding");
        (await Get(ApplicantToken, $"/grants/{grantId}/notice.pdf")).Context.Response.Headers["X-Letter-Binding"].ToString().ShouldBe("true");
    }

    [Fact]
    public async Task every_download_returns_the_archived_bytes_also_after_a_read_model_rebuild()
    {
        var (grantId, _) = await Approved();
        var first = await Bytes(Officer, $"/grants/{grantId}/notice.pdf");
        var again = await Bytes(ApplicantToken, $"/grants/{grantId}/notice.pdf");
        again.ShouldBe(first);
        var letterId = ((LetterIssued)(await AllEvents()).Single(e => e.EventTypeName == "letter_issued").Data).LetterId;
        (await Bytes(Auditor, $"/letters/{letterId}/letter.pdf")).ShouldBe(first);

        var before = (await Get(Officer, $"/letters/{letterId}")).ReadAsText();
        await Host.Services.GetRequiredService<ReadModelRebuilder>().RebuildAll(TestContext.Current.CancellationToken);
        (await Get(Officer, $"/letters/{letterId}")).ReadAsText().ShouldBe(before);
        var rebuilt = await Bytes(ApplicantToken, $"/grants/{grantId}/notice.pdf");
        LetterChecks.Sha256(rebuilt).ShouldBe(LetterChecks.Sha256(first));
        var listed = (await Get(ApplicantToken, "/me/letters")).Json().GetProperty("items")[0];
        listed.GetProperty("read").GetBoolean().ShouldBeTrue(); // the receipt survives the rebuild: it is an event
    }

    [Fact]
    public async Task each_amendment_issues_its_own_letter_and_version_returns_that_versions_letter()
    {
        var (grantId, _) = await Approved(6000m);
        var v1 = await Bytes(ApplicantToken, $"/grants/{grantId}/notice.pdf");
        App.Clock.Advance(TimeSpan.FromDays(10));
        // A raise is a proposal (four-eyes, issue 12 item 2): its letter is issued when an approver approves it.
        var proposal = (await Post(Officer, $"/grants/{grantId}/amendments", new { amount = 7000m, reason = "Mehrbedarf Raummiete", version = 1 })).Json();
        proposal.GetProperty("status").GetString().ShouldBe("proposed");
        (await Get(ApplicantToken, $"/grants/{grantId}/notice.pdf?version=2", 404)).ShouldBeProblem(404);
        (await Get(ApplicantToken, "/me/letters")).Json().GetProperty("total").GetInt64().ShouldBe(1); // no letter for a proposal
        await Post(Approver, $"/grants/{grantId}/amendments/{proposal.GetProperty("proposalId").GetGuid()}/approve", new { version = 2 });

        var v2 = await Bytes(ApplicantToken, $"/grants/{grantId}/notice.pdf");
        LetterChecks.ShouldBePdfA2b(v2);
        LetterChecks.ShouldBeSignedImAuftragWithTheClosingKeptTogether(v2, "Bernd Approver");
        (await Bytes(ApplicantToken, $"/grants/{grantId}/notice.pdf?version=1")).ShouldBe(v1);
        (await Bytes(ApplicantToken, $"/grants/{grantId}/notice.pdf?version=2")).ShouldBe(v2);
        var text = LetterChecks.Text(v2);
        text.ShouldContain("Änderungsbescheid");
        text.ShouldContain("Die Zuwendung beträgt bis zu 7.000,00 EUR (bisher 6.000,00 EUR).");
        text.ShouldContain("Mehrbedarf Raummiete");
        ShouldHaveTheLetterFrame(text, (await Get(ApplicantToken, "/me/letters")).Json().GetProperty("items")[0].GetProperty("fileReference").GetString()!);
        (await Get(ApplicantToken, $"/grants/{grantId}/notice.html?version=1")).ReadAsText().ShouldContain("6.000,00&#xA0;EUR");
        (await Get(ApplicantToken, $"/grants/{grantId}/notice.pdf?version=3", 404)).ShouldBeProblem(404);

        var letters = (await Get(ApplicantToken, "/me/letters")).Json().GetProperty("items");
        letters.EnumerateArray().Select(l => l.GetProperty("kind").GetString()).ShouldBe(["amendment_notice", "grant_notice"]); // newest first
        await DecisionLetterChecks.ShouldBeNamedInTheAuditTrail(this, letters[0].GetProperty("id").GetGuid(), "amendment_notice");
        var notification = (await Notifications(2))[0];
        notification.GetProperty("letterId").GetGuid().ShouldBe(letters[0].GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task a_rejection_is_a_letter_with_its_reasons_and_legal_remedy()
    {
        var id = await Assessed();
        var named = (await Post(Approver, $"/applications/{id}/reject", new { reasons = "Die Zielgruppe ist nicht ausreichend beschrieben.", version = 4 }))
            .Json().GetProperty("letterId").GetGuid();
        await LettersIssued();
        var letter = (await Get(ApplicantToken, "/me/letters")).Json().GetProperty("items")[0];
        letter.GetProperty("id").GetGuid().ShouldBe(named);
        letter.GetProperty("kind").GetString().ShouldBe("rejection_notice");
        await DecisionLetterChecks.ShouldBeNamedInTheAuditTrail(this, letter.GetProperty("id").GetGuid(), "rejection_notice");
        letter.GetProperty("applicationId").GetGuid().ShouldBe(id);
        letter.GetProperty("read").GetBoolean().ShouldBeFalse();
        var letterId = letter.GetProperty("id").GetGuid();
        var pdf = await Bytes(ApplicantToken, $"/letters/{letterId}/letter.pdf");
        LetterChecks.ShouldBePdfA2b(pdf);
        LetterChecks.ShouldBeSignedImAuftragWithTheClosingKeptTogether(pdf, "Bernd Approver");
        var text = LetterChecks.Text(pdf);
        text.ShouldContain("auf Gewährung einer Zuwendung über 7.000,00 EUR für das Vorhaben „Frauencafé Mülheim“");
        text.ShouldContain("lehne ich ab");
        text.ShouldContain("Die Zielgruppe ist nicht ausreichend beschrieben.");
        ShouldHaveTheLetterFrame(text, letter.GetProperty("fileReference").GetString()!);
        LetterChecks.ShouldBeAccessibleHtml((await Get(ApplicantToken, $"/letters/{letterId}/letter.html")).ReadAsText(), "de");

        // The notification names the letter and links to the rejection notice's page, which serves the archived letter.
        var notification = (await Notifications(1))[0];
        notification.GetProperty("letterId").GetGuid().ShouldBe(letterId);
        notification.GetProperty("link").GetString().ShouldBe($"/applications/{id}/rejection-notice.html");
        var page = (await Get(ApplicantToken, notification.GetProperty("link").GetString()!)).ReadAsText();
        LetterChecks.Sha256(Encoding.UTF8.GetBytes(page)).ShouldBe((await Get(ApplicantToken, $"/letters/{letterId}")).Json().GetProperty("files")
            .EnumerateArray().Single(f => f.GetProperty("mediaType").GetString()!.StartsWith("text/html") && f.GetProperty("binding").GetBoolean()).GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task reading_a_letter_is_recorded_once_per_user_and_another_organisation_sees_nothing()
    {
        var (grantId, _) = await Approved();
        var letterId = (await Get(ApplicantToken, "/me/letters")).Json().GetProperty("items")[0].GetProperty("id").GetGuid();
        await Bytes(Officer, $"/letters/{letterId}/letter.pdf"); // staff reading is no receipt
        (await AllEvents()).Count(e => e.EventTypeName == "letter_read").ShouldBe(0);
        await Bytes(ApplicantToken, $"/letters/{letterId}/letter.pdf");
        await Bytes(ApplicantToken, $"/letters/{letterId}/letter.html");
        var reads = (await AllEvents()).Where(e => e.EventTypeName == "letter_read").ToList();
        reads.Count.ShouldBe(1);
        reads[0].UserName.ShouldBe("Ayse Applicant");
        var listed = (await Get(ApplicantToken, $"/letters/{letterId}")).Json();
        listed.GetProperty("read").GetBoolean().ShouldBeTrue();

        var stranger = Applicant(Guid.NewGuid(), "Someone Else");
        (await Get(stranger, $"/letters/{letterId}", 404)).ShouldBeProblem(404);
        (await Get(stranger, $"/letters/{letterId}/letter.pdf", 404)).ShouldBeProblem(404);
        (await Get(stranger, $"/letters/{letterId}/letter.html", 404)).ShouldBeProblem(404);
        (await Get(stranger, $"/grants/{grantId}/notice.pdf", 404)).ShouldBeProblem(404);
        (await Get(stranger, $"/organisations/{OrgId}/letters", 404)).ShouldBeProblem(404);
        (await Get(stranger, "/me/letters")).Json().GetProperty("total").GetInt64().ShouldBe(0);
        (await Get(Officer, $"/organisations/{OrgId}/letters")).Json().GetProperty("total").GetInt64().ShouldBe(1);
        (await Get(ApplicantToken, $"/letters/{Guid.NewGuid()}/letter.pdf", 404)).ShouldBeProblem(404);
    }

    [Fact]
    public async Task the_dossier_holds_the_pdfs_and_a_changed_byte_in_the_archive_is_reported_by_verification()
    {
        var (grantId, _) = await Approved();
        var pdf = await Bytes(Officer, $"/grants/{grantId}/notice.pdf");
        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var dossier = await Bytes(Auditor, $"/audit/grants/{grantId}/dossier");
        using (var zip = new ZipArchive(new MemoryStream(dossier)))
        {
            var entry = zip.Entries.Single(e => e.FullName == "letters/grant_notice-v1-de.pdf");
            using var content = new MemoryStream();
            await entry.Open().CopyToAsync(content, TestContext.Current.CancellationToken);
            content.ToArray().ShouldBe(pdf);
            zip.Entries.Select(e => e.FullName).ShouldContain(n => n.StartsWith("letters/") && n.EndsWith(".json"));
        }
        (await Get(Auditor, "/audit/verify")).Json().GetProperty("intact").GetBoolean().ShouldBeTrue();

        // One byte of the archived PDF changed directly in PostgreSQL.
        await using (var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("ConnectionStrings__Marten")))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = new NpgsqlCommand(
                "update funding.letter_files set content = set_byte(content, 200, (get_byte(content, 200) + 1) % 256) where name = 'de.pdf'",
                connection);
            (await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken)).ShouldBe(1);
        }
        var report = (await Get(Auditor, "/audit/verify")).Json();
        report.GetProperty("intact").GetBoolean().ShouldBeFalse();
        report.GetProperty("firstBroken").GetProperty("problem").GetString()!.ShouldContain("does not match the SHA-256 recorded in its letter_issued event");
    }
}

/// <summary>The archived bytes are served after the service restarted (a second host on the same database schema).</summary>
public sealed class when_the_service_restarts
{
    [Fact]
    public async Task a_letter_is_served_with_the_same_bytes()
    {
        var schema = "letters_" + Guid.NewGuid().ToString("N")[..8];
        var clock = new TestClock(TestClock.SuiteStart);
        var admin = DevTokens.Create(new AuthOptions { SigningKey = AppFixture.SigningKey }, "adam", "Adam Admin", [Roles.Admin]);
        async Task<byte[]> Download(IAlbaHost host, string url) => (await host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {admin}");
            s.Get.Url(url);
            s.StatusCodeShouldBe(200);
        })).Context.Response.Body.ReadBytes();

        LetterOrder issued;
        byte[] before;
        await using (var first = await AppFixture.StartHost(clock, schema))
        {
            await using (var session = first.Services.GetRequiredService<IDocumentStore>().LightweightSession())
            {
                var document = new LetterDocument("grant_notice", "de", true, new Letterhead("Ministerium", null, ["Straße 1", "40221 Düsseldorf"], []),
                    new Addressee("Verein", ["Weg 2", "50667 Köln"]), "Düsseldorf, 27.11.2026", [new("Aktenzeichen", "FP-1")], "Zuwendungsbescheid",
                    "Sehr geehrte Damen und Herren,", ["Ich bewillige."], [LetterSection.Text("legalRemedy", "Rechtsbehelfsbelehrung", "Klage.")],
                    "Mit freundlichen Grüßen", "A", "B", null, "Seite", "Zuwendungsbescheid");
                issued = LetterIssuer.Issue(session, "grant_notice", Guid.NewGuid(), 1, Guid.NewGuid(), null, null, null, null, "FP-1", [document], "A", clock.GetUtcNow());
                await session.SaveChangesAsync(TestContext.Current.CancellationToken);
            }
            await first.LettersIssued();
            before = await Download(first, $"/letters/{issued.LetterId}/letter.pdf");
        }

        await using var second = await AppFixture.StartHost(clock, schema);
        var after = await Download(second, $"/letters/{issued.LetterId}/letter.pdf");
        LetterChecks.Sha256(after).ShouldBe(LetterChecks.Sha256(before));
        await using var query = second.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var recorded = (LetterIssued)(await query.Events.FetchStreamAsync(issued.LetterId, token: TestContext.Current.CancellationToken)).Single().Data;
        LetterChecks.Sha256(after).ShouldBe(recorded.Files.Single(f => f.Name == "de.pdf").Sha256);
    }
}
