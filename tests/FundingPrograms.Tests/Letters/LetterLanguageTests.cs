using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using FundingPrograms.Grants;
using FundingPrograms.Letters;
using FundingPrograms.Programmes;
using FundingPrograms.Tests.Grants;
using FundingPrograms.Tests.Infrastructure;

namespace FundingPrograms.Tests.Letters;

/// <summary>A letter's reading copy in the organisation's language, read back from the API (issue 28, item 3).</summary>
public static class ReadingCopyChecks
{
    /// <summary>The organisation chooses the language of its notifications and of its letters' reading copies.</summary>
    public static async Task ChooseLanguage(ApiTest test, Guid organisationId, string applicantToken, string language)
    {
        var version = (await test.GetAs(applicantToken, $"/organisations/{organisationId}")).Json().GetProperty("version").GetInt64();
        await test.PostAs(applicantToken, $"/organisations/{organisationId}/language", new { language, version });
    }

    /// <summary>The sentence the issue prescribes, in German, at the top of every reading copy.</summary>
    public const string German = "Diese Übersetzung dient nur zur Information; rechtsverbindlich ist allein der deutsche Bescheid.";

    /// <summary>The same sentence in each language, as its resource file has it.</summary>
    public static string Sentence(string lang) => LetterTexts.All[lang]["Reading copy — not legally binding. Only the German original (Bescheid) of this letter is legally binding."];

    /// <summary>
    /// The letter has files in the language, marked non-binding; the HTML carries lang (and dir="rtl" for Arabic and Persian, with amounts
    /// and references isolated left-to-right), the notice sentence in German and in the language, and no English or German text where a
    /// translation belongs; the PDF is PDF/A-2b with the same notice; the German original is still served without a language.
    /// </summary>
    public static async Task ShouldHaveAReadingCopyIn(ApiTest test, string applicantToken, Guid letterId, string lang, bool legalRemedy)
    {
        var letter = (await test.GetAs(applicantToken, $"/letters/{letterId}")).Json();
        var files = letter.GetProperty("files").EnumerateArray().ToList();
        string File(System.Text.Json.JsonElement f) => $"{f.GetProperty("language").GetString()} {f.GetProperty("mediaType").GetString()} {f.GetProperty("binding").GetBoolean()}";
        files.Select(File).ShouldContain($"{lang} application/pdf False");
        files.Select(File).ShouldContain($"{lang} text/html; charset=utf-8 False");
        files.Select(File).ShouldContain("de application/pdf True");

        var htmlResult = await test.GetAs(applicantToken, $"/letters/{letterId}/letter.html?lang={lang}");
        htmlResult.Context.Response.Headers["Content-Language"].ToString().ShouldBe(lang);
        var html = htmlResult.ReadAsText();
        ShouldBeAReadingCopy(html, lang);
        if (legalRemedy) new HtmlParser().ParseDocument(html).Body!.TextContent.ShouldContain("(Rechtsbehelfsbelehrung)");

        var pdfResult = await test.GetAs(applicantToken, $"/letters/{letterId}/letter.pdf?lang={lang}");
        pdfResult.Context.Response.Headers["X-Letter-Binding"].ToString().ShouldBe("false");
        var pdf = pdfResult.Context.Response.Body.ReadBytes();
        LetterChecks.ShouldBePdfA2b(pdf);
        var text = LetterChecks.Text(pdf);
        text.ShouldContain(German);
        // Left-to-right scripts read back as written; Arabic and Persian are drawn shaped, in display order (checked by eye and below).
        if (!LetterText.RightToLeft(lang)) text.ShouldContain(Sentence(lang).Replace('\u00A0', ' '));

        var german = (await test.GetAs(applicantToken, $"/letters/{letterId}/letter.html")).ReadAsText();
        german.ShouldStartWith("<!DOCTYPE html><html lang=\"de\"><head>");
        german.ShouldNotContain("class=\"reading-copy\"");
        LetterTexts.Missing.ShouldBeEmpty("every text of the letter has its translation");
    }

    /// <summary>What a reader of the HTML reading copy sees and a screen reader is told.</summary>
    public static void ShouldBeAReadingCopy(string html, string lang)
    {
        var rtl = lang is "ar" or "fa";
        var document = LetterChecks.ShouldBeAccessibleHtml(html, lang);
        document.DocumentElement.GetAttribute("dir").ShouldBe(rtl ? "rtl" : null);
        var notice = document.QuerySelector(".reading-copy")!;
        notice.QuerySelector("span[lang=de]")!.TextContent.ShouldBe(German);
        notice.TextContent.ShouldContain(Sentence(lang));
        var body = document.QuerySelector("main")!.TextContent;
        body.ShouldNotContain("Dear Sir or Madam");
        body.ShouldNotContain("Sehr geehrte");
        if (rtl)
        {
            // Amounts with EUR and references are isolated left-to-right inside the right-to-left text.
            var isolated = document.QuerySelectorAll("bdi[dir=ltr]").Select(b => b.TextContent).ToList();
            isolated.ShouldContain(t => t.EndsWith("\u00A0EUR", StringComparison.Ordinal));
            isolated.ShouldContain(t => t.StartsWith("FP-", StringComparison.Ordinal) || t.StartsWith("ZB-", StringComparison.Ordinal));
        }
    }
}

/// <summary>The texts of the reading copies (Letters/Texts/{code}.json): every key in every language, the same values, no German or English left.</summary>
public sealed partial class the_letter_texts
{
    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Parenthesis();

    [GeneratedRegex(@"\b(und|oder|der|die|das|den|dem|nicht|für|werden|wird|Sie|Ihre|ist|mit|zum|zur|bis|auf|eine|einen)\b")]
    private static partial Regex GermanWord();

    [GeneratedRegex(@"\b(the|and|of|for|your|is|to|be|with|by|grant|notice|payment|amount)\b")]
    private static partial Regex EnglishWord();

    [GeneratedRegex(@"\{\w+\}")]
    private static partial Regex Placeholder();

    [Fact]
    public void exist_for_every_language_an_organisation_can_choose_besides_german_and_english()
    {
        LetterTexts.Translated.Order().ShouldBe(FundingPrograms.Public.PublicTexts.Languages.Select(l => l.Code).Except(["de", "en"]).Order());
        LetterTexts.All.Keys.Order().ShouldBe(LetterTexts.Translated.Order());
    }

    [Fact]
    public void every_language_has_every_text_with_the_same_values_and_no_german_or_english_left()
    {
        var keys = LetterTexts.All.Values.SelectMany(t => t.Keys).ToHashSet();
        keys.Count.ShouldBeGreaterThan(200);
        var problems = new List<string>();
        foreach (var (code, texts) in LetterTexts.All)
        {
            problems.AddRange(keys.Except(texts.Keys).Select(k => $"{code}: '{k}' is missing"));
            foreach (var (key, value) in texts)
            {
                if (string.IsNullOrWhiteSpace(value)) problems.Add($"{code}: '{key}' is empty");
                var want = Placeholder().Matches(key).Select(m => m.Value).Order();
                var have = Placeholder().Matches(value).Select(m => m.Value).Order();
                if (!want.SequenceEqual(have)) problems.Add($"{code}: '{key}' has the values {string.Join(",", have)}, the English text {string.Join(",", want)}");
                var outside = Parenthesis().Replace(value, "");
                // German words are allowed only as the legal term in brackets beside the translation.
                if (GermanWord().Match(outside) is { Success: true } german) problems.Add($"{code}: '{key}' contains the German word '{german.Value}': {value}");
                if (EnglishWord().Match(outside) is { Success: true } english) problems.Add($"{code}: '{key}' contains the English word '{english.Value}': {value}");
            }
        }
        problems.ShouldBeEmpty();
    }

    [Fact]
    public void the_titles_name_the_german_legal_term_beside_the_translation()
    {
        var terms = new Dictionary<string, string>
        {
            ["Grant notice {0}"] = "(Zuwendungsbescheid)", ["Amendment notice to grant notice {0} (version {1})"] = "(Änderungsbescheid)",
            ["Notice of rejection {0}"] = "(Ablehnungsbescheid)", ["Approval of an early start {0}"] = "(Zustimmung zum vorzeitigen Maßnahmebeginn)",
            ["Refusal of a drawdown request under grant notice {0}"] = "(Mittelabruf)", ["Hearing on grant notice {0}"] = "(Anhörung)",
            ["Notice of revocation and recovery"] = "(Widerrufs- und Rückforderungsbescheid)", ["Notice of revocation"] = "(Widerrufsbescheid)",
            ["Final notice on grant notice {0}"] = "(Schlussbescheid)", ["Payment demand"] = "(Zahlungsaufforderung)",
            ["Recovery notice and payment demand"] = "(Leistungsbescheid und Zahlungsaufforderung)", ["Deferral notice for payment reference {0}"] = "(Stundungsbescheid)",
            ["Instalment notice for payment reference {0}"] = "(Ratenzahlungsbescheid)", ["Remission notice for payment reference {0}"] = "(Erlassbescheid)",
            ["Notice of suspended collection for payment reference {0}"] = "(Niederschlagung)", ["Reminder {0} for payment reference {1}"] = "(Mahnung)",
            ["{0} Information on legal remedies (Rechtsbehelfsbelehrung)"] = "(Rechtsbehelfsbelehrung)", ["Payment reference (Kassenzeichen)"] = "(Kassenzeichen)",
            ["Reading copy — not legally binding. Only the German original (Bescheid) of this letter is legally binding."] = "(Bescheid)",
        };
        foreach (var (code, texts) in LetterTexts.All)
            foreach (var (key, term) in terms)
                texts[key].ShouldContain(term, customMessage: $"{code}: {key}");
    }

    [Fact]
    public void amounts_and_dates_follow_the_language_and_keep_eur()
    {
        var day = new DateOnly(2027, 3, 5);
        LetterText.Money(1234.5m, "de").ShouldBe("1.234,50\u00A0EUR");
        LetterText.Money(1234.5m, "en").ShouldBe("1,234.50\u00A0EUR");
        LetterText.Money(1234.5m, "tr").ShouldBe("1.234,50\u00A0EUR");
        LetterText.Money(1234.5m, "ru").ShouldEndWith("234,50\u00A0EUR");
        LetterText.Money(1234.5m, "fa").ShouldEndWith("\u00A0EUR");
        LetterText.Money(1234.5m, "fa").ShouldContain("۱");
        LetterText.Date(day, "de").ShouldBe("05.03.2027");
        LetterText.Date(day, "en").ShouldBe("5\u00A0March\u00A02027");
        LetterText.Date(day, "tr").ShouldBe("5\u00A0Mart\u00A02027");
        LetterText.Date(day, "uk").ShouldBe("5\u00A0березня\u00A02027");
        LetterText.Date(day, "ru").ShouldBe("5\u00A0марта\u00A02027");
        LetterText.Date(day, "ar").ShouldContain("2027");
        LetterText.Date(day, "fa").ShouldContain("۲۰۲۷");
        LetterText.Quote("X", "ar").ShouldBe("«X»");
    }

    [Fact]
    public void a_letter_is_german_english_where_the_programme_has_english_and_the_organisations_language()
    {
        LetterText.Languages(false, null).ShouldBe(["de"]);
        LetterText.Languages(false, "de").ShouldBe(["de"]);
        LetterText.Languages(true, "de").ShouldBe(["de", "en"]);
        LetterText.Languages(true, "en").ShouldBe(["de", "en"]);
        LetterText.Languages(false, "en").ShouldBe(["de", "en"]);
        LetterText.Languages(true, "ar").ShouldBe(["de", "en", "ar"]);
        LetterText.Languages(false, "fa").ShouldBe(["de", "fa"]);
        LetterText.Languages(true, "xx").ShouldBe(["de", "en"]);
    }
}

/// <summary>The mapped letters in every language (no database): the reading copies, and the binding German original unchanged.</summary>
public sealed class when_a_letter_is_read_in_the_organisations_language
{
    private static LetterContext Context(string? language = null) => new(
        new LetterheadOptions { Authority = "Ministerium für Integration NRW", Street = "Völklinger Straße 49", PostalCode = "40221", City = "Düsseldorf", Court = "Verwaltungsgericht Düsseldorf" },
        new Addressee("Verein Brücke e.V.", ["Keupstraße 1", "51063 Köln"]), "FP-2026-0000AAAA", new DateOnly(2026, 10, 1), null, null, Language: language);

    private static GrantNotice Notice() => when_a_notice_is_mapped_to_its_letter.Notice(FinancingType.Share, "Verwaltungsgericht Köln")
        with
    { ProgrammeName = new() { ["de"] = "MSO-Förderung", ["en"] = "MSO funding" } };

    private static GrantNotice Amended(GrantNotice previous) => previous with
    {
        NoticeVersion = 2,
        GrantedAmount = 6000m,
        PeriodEnd = new DateOnly(2028, 3, 31),
        Conditions = "Neue Auflage.",
        AmendmentReason = "Mehrbedarf",
        YearSplit = [new YearAmount(2027, 4000m), new YearAmount(2028, 2000m)],
    };

    public static TheoryData<string> Translated => new(LetterTexts.Translated);

    [Theory]
    [MemberData(nameof(Translated))]
    public void the_grant_notice_and_the_amendment_have_a_reading_copy_with_the_notice_sentence_in_german_and_the_language(string lang)
    {
        var notice = Notice();
        GrantNoticeLetter.Languages(notice, lang).ShouldBe(["de", "en", lang]);
        foreach (var (letter, term) in new[] { (GrantNoticeLetter.Build(notice, null, [], Context(lang), lang), "(Zuwendungsbescheid)"),
                     (GrantNoticeLetter.Build(Amended(notice), notice, ["amount"], Context(lang), lang), "(Änderungsbescheid)") })
        {
            letter.Binding.ShouldBeFalse();
            letter.ReadingCopyNotice.ShouldBe(ReadingCopyChecks.German + "\n" + ReadingCopyChecks.Sentence(lang));
            ReadingCopyChecks.ShouldBeAReadingCopy(LetterHtml.Render(letter), lang);
            var text = new HtmlParser().ParseDocument(LetterHtml.Render(letter)).Body!.TextContent;
            text.ShouldContain(LetterText.Money(10000m, lang)); // amounts in the language's format, with EUR
            text.ShouldContain(term); // the German legal term beside the translation
            text.ShouldContain("(Rechtsbehelfsbelehrung)");
            text.ShouldContain("FP-2026-0000AAAA");
            LetterChecks.ShouldPassQpdfCheck(LetterPdf.Render(letter, DateTimeOffset.UnixEpoch, Guid.Empty));
        }
        LetterTexts.Missing.Where(m => m.Key.Language == lang).ShouldBeEmpty();
    }

    [Fact]
    public void arabic_is_drawn_joined_and_right_to_left_with_amounts_and_references_left_to_right()
    {
        // "قرار المنحة": the letters in their joined forms, the words in display order (the last word leftmost).
        LetterBidi.Visual("قرار المنحة").ShouldBe("\uFE94\uFEA4\uFEE8\uFEE4\uFEDF\uFE8D \uFEAD\uFE8D\uFEAE\uFED7");
        // Amounts, references and German terms keep their own order; brackets around them are mirrored into place.
        LetterBidi.Visual("بمبلغ 1,234.50\u00A0EUR (Zuwendungsbescheid) ZB-2026-0001").ShouldBe("ZB-2026-0001 (Zuwendungsbescheid) 1,234.50\u00A0EUR \uFECE\uFEE0\uFE92\uFEE4\uFE91");
        // Persian letters and the zero-width non-joiner.
        LetterBidi.Shape("می\u200Cشود").ShouldBe("\uFEE3\uFBFD\uFEB7\uFEEE\uFEA9");
        LetterBidi.Visual("Verein Brücke e.V.").ShouldBe("Verein Brücke e.V.");
        // Letters with hamza, the lam-alef ligatures, a mark kept with its letter (drawn just before it).
        LetterBidi.Shape("أمنحكم").ShouldBe("\uFE83\uFEE3\uFEE8\uFEA4\uFEDC\uFEE2");
        LetterBidi.Visual("الألماني").ShouldBe("\uFEF2\uFEE7\uFE8E\uFEE4\uFEDF\uFEF7\uFE8D");
        LetterBidi.Visual("بناءً").ShouldBe("\u064B\uFE80\uFE8E\uFEE8\uFE91");
    }

    [Fact]
    public void the_german_original_is_byte_for_byte_what_it_was_before_reading_copies_in_other_languages()
    {
        // SHA-256 of the German PDF and HTML as the mapping rendered them before this change (commit 12c4fbf), for an organisation
        // with German and with any other language: the binding letter does not change. (The PDF hashes were taken again when its
        // streams went from zlib level 9 to level 6, CompressionLevel.Optimal: same content, other compressed bytes.)
        var notice = Notice();
        // A right-to-left copy embeds its font whole (under another name): rendered first, it changes nothing in the German one.
        LetterPdf.Render(GrantNoticeLetter.Build(notice, null, [], Context("ar"), "ar"), DateTimeOffset.UnixEpoch, Guid.Empty).Length.ShouldBeGreaterThan(500_000);
        foreach (var language in new string?[] { null, "de", "ar", "ru" })
        {
            var grant = GrantNoticeLetter.Build(notice, null, [], Context(language), "de");
            var amendment = GrantNoticeLetter.Build(Amended(notice), notice, ["amount"], Context(language), "de");
            Hashes(grant).ShouldBe(GrantNoticeHashes, language);
            Hashes(amendment).ShouldBe(AmendmentHashes, language);
        }
    }

    private static string Hashes(LetterDocument letter) =>
        LetterChecks.Sha256(LetterPdf.Render(letter, DateTimeOffset.UnixEpoch, Guid.Empty)) + " " + LetterChecks.Sha256(System.Text.Encoding.UTF8.GetBytes(LetterHtml.Render(letter)));

    private const string GrantNoticeHashes = "92ff611f8d9986fa1476cab5452a05ab91f5c917839a808b54d4e1d835e67643 a18dd1449501a6e5c43f2069af2d72d497134e9887e6ba706a691cc73e9d8609";
    private const string AmendmentHashes = "140f2c6cc8609f319edc45e1eb80e42c4db1ebaf35e77b4e96fdd003ffb06c92 55a8fb169138bb3fbda15cc97fcf5c6cf2523aadd0ac0d7d9f345923e87e30e6";
}

/// <summary>Decisions on an organisation that chose a language (issue 28): every letter type comes with a reading copy in it.</summary>
public sealed class when_an_organisation_reads_its_letters_in_its_language(AppFixture app) : GrantTest(app)
{
    private Task<Guid> Approved() => Assessed().ContinueWith(async id => (await Post(Approver, $"/applications/{id.Result}/approve", GrantSamples.Approval(6500m, reductionReason: "Sachkosten gekürzt")))
        .Json().GetProperty("grantId").GetGuid()).Unwrap();

    private async Task<Guid> Newest(string kind)
    {
        await LettersIssued(); // letters are issued right after the decision commits
        return (await Get(ApplicantToken, "/me/letters")).Json().GetProperty("items").EnumerateArray()
            .First(l => l.GetProperty("kind").GetString() == kind).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task the_grant_notice_and_its_amendment_come_with_an_arabic_reading_copy_right_to_left()
    {
        await ChooseLanguage("ar");
        var grantId = await Approved();
        await ReadingCopyChecks.ShouldHaveAReadingCopyIn(this, ApplicantToken, await Newest("grant_notice"), "ar", legalRemedy: true);
        var proposal = (await Post(Officer, $"/grants/{grantId}/amendments", new { amount = 7000m, reason = "Mehrbedarf Raummiete", version = 1 })).Json();
        await Post(Approver, $"/grants/{grantId}/amendments/{proposal.GetProperty("proposalId").GetGuid()}/approve", new { version = 2 });
        await ReadingCopyChecks.ShouldHaveAReadingCopyIn(this, ApplicantToken, await Newest("amendment_notice"), "ar", legalRemedy: true);
        // The grant's own notice download serves the reading copy too.
        var html = (await Get(ApplicantToken, $"/grants/{grantId}/notice.html?lang=ar")).ReadAsText();
        html.ShouldStartWith("<!DOCTYPE html><html lang=\"ar\" dir=\"rtl\">");
    }

    [Fact]
    public async Task the_rejection_comes_with_a_persian_reading_copy()
    {
        await ChooseLanguage("fa");
        var id = await Assessed();
        await Post(Approver, $"/applications/{id}/reject", new { reasons = "Die Zielgruppe ist nicht ausreichend beschrieben.", version = 4 });
        await ReadingCopyChecks.ShouldHaveAReadingCopyIn(this, ApplicantToken, await Newest("rejection_notice"), "fa", legalRemedy: true);
    }

    [Fact]
    public async Task a_german_organisation_gets_no_other_copy()
    {
        await Approved();
        await LettersIssued();
        var letter = (await Get(ApplicantToken, "/me/letters")).Json().GetProperty("items")[0];
        letter.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("language").GetString()).Distinct().ShouldBe(["de", "en"]);
    }
}
