using FundingPrograms.Grants;
using FundingPrograms.Letters;
using FundingPrograms.Programmes;
using UglyToad.PdfPig;

namespace FundingPrograms.Tests.Letters;

/// <summary>The details a recipient trips over (issue 26 item 4), read back from the rendered PDF and HTML.</summary>
public sealed class when_a_letter_is_read_line_by_line
{
    private const string Ministry = "Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen";

    /// <summary>The words of page 1 in the return-address band above the window (47 mm from the top), with their baselines.</summary>
    private static (string Text, int Baselines) ReturnLine(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        var page = document.GetPage(1);
        var top = page.Height - 47 * 72 / 25.4;
        var words = page.GetWords().Where(w => w.BoundingBox.Top <= top + 1 && w.BoundingBox.Top >= top - 12 && w.BoundingBox.Left < 330).ToList();
        return (string.Join(" ", words.Select(w => w.Text)), words.Select(w => Math.Round(w.Letters[0].StartBaseLine.Y)).Distinct().Count());
    }

    private static byte[] Render(LetterDocument letter) => LetterPdf.Render(letter, DateTimeOffset.UnixEpoch, Guid.Empty);

    [Fact]
    public void the_return_address_above_the_window_is_one_whole_line_shortened_by_rule()
    {
        var sample = when_a_letter_is_rendered.Sample();
        // Short enough: as it is.
        ReturnLine(Render(sample)).ShouldBe(("Ministerium für Integration NRW · Völklinger Straße 49 · 40221 Düsseldorf", 1));

        // The ministry's full name does not fit 85 mm: with a configured short name, that one.
        var withShortName = sample with { Letterhead = sample.Letterhead with { Authority = Ministry, ShortName = "MKJFGFI NRW" } };
        ReturnLine(Render(withShortName)).ShouldBe(("MKJFGFI NRW · Völklinger Straße 49 · 40221 Düsseldorf", 1));

        // Without one: abbreviated by rule, or cut after a whole word — never without street and city, never on two lines.
        var (line, baselines) = ReturnLine(Render(sample with { Letterhead = sample.Letterhead with { Authority = Ministry } }));
        baselines.ShouldBe(1);
        line.ShouldEndWith("· Völklinger Straße 49 · 40221 Düsseldorf");
        line.ShouldStartWith("Min. für Kinder");

        // The HTML has it whole.
        LetterHtml.Render(withShortName).ShouldContain($"{Ministry} · Völklinger Straße 49 · 40221 Düsseldorf");
    }

    [Fact]
    public void a_number_never_stands_on_another_line_than_its_unit()
    {
        var sample = when_a_letter_is_rendered.Sample();
        // The amount and the rate move along the line, one word at a time, so that each of them reaches the line's end.
        var paragraphs = Enumerable.Range(0, 30).Select(k =>
            $"{string.Join(" ", Enumerable.Repeat("Wort", k))} Die Zuwendung beträgt {LetterText.Money(6500m, "de")} und {LetterText.Percent(77.16m, "de")} der zuwendungsfähigen Ausgaben bis zum {LetterText.Date(new DateOnly(2027, 12, 31), "en")}.").ToArray();
        var pdf = Render(sample with { Sections = [new LetterSection("terms", "1. Festsetzung", paragraphs, [])] });
        using var document = PdfDocument.Open(pdf);
        var lines = document.GetPages().SelectMany(p => p.GetWords().GroupBy(w => (p.Number, Math.Round(w.Letters[0].StartBaseLine.Y))).Select(g => g.ToList())).ToList();
        lines.ShouldNotContain(l => l[0].Text == "EUR" || l[0].Text.StartsWith('%') || l[0].Text == "December" || l[0].Text.StartsWith("2027."),
            "a unit (or the rest of a date) starts a line");
        lines.Count(l => l.Any(w => w.Text.Contains("EUR"))).ShouldBe(30 + 1); // every amount printed (and the decision's), each on one line with its unit
        LetterHtml.Render(sample with { Sections = [new LetterSection("terms", "1. Festsetzung", paragraphs[..1], [])] })
            .ShouldContain("6.500,00&#xA0;EUR und 77,16&#xA0;% der zuwendungsfähigen Ausgaben bis zum 31&#xA0;December&#xA0;2027.");
    }

    [Fact]
    public void the_html_keeps_place_and_date_on_one_line()
    {
        var html = LetterHtml.Render(when_a_letter_is_rendered.Sample());
        html.ShouldContain(".window .date{white-space:nowrap}");
        html.ShouldContain("<p class=\"date\">Düsseldorf, 27.11.2026</p>");
    }

    private static LetterContext Context() => new(new LetterheadOptions { Authority = "Ministerium", City = "Düsseldorf" },
        new Addressee("Verein", ["Weg 1", "50667 Köln"]), "FP-2026-0000AAAA", new DateOnly(2026, 10, 1), null, null);

    [Fact]
    public void an_amendment_numbers_its_decision_without_gaps_in_both_languages()
    {
        var previous = when_a_notice_is_mapped_to_its_letter.Notice(FinancingType.Share, null) with { ProgrammeName = new() { ["de"] = "MSO-Förderung", ["en"] = "MSO funding" } };
        var amended = previous with
        {
            NoticeVersion = 2,
            GrantedAmount = 6000m,
            PeriodEnd = new DateOnly(2028, 3, 31),
            Conditions = "Neue Auflage.",
            YearSplit = [new YearAmount(2027, 4000m), new YearAmount(2028, 2000m)],
        };
        foreach (var lang in new[] { "de", "en" })
        {
            var letter = GrantNoticeLetter.Build(amended, previous, ["amount", "period"], Context(), lang);
            letter.Decision.Where(d => char.IsDigit(d[0])).Select(d => d[..2]).ShouldBe(["1.", "2.", "3.", "4."], lang);
        }
    }

    [Fact]
    public void the_legal_basis_reads_den_dazu_erlassenen_and_english_copies_use_english_quotation_marks()
    {
        var notice = when_a_notice_is_mapped_to_its_letter.Notice(FinancingType.Share, null) with { ProgrammeName = new() { ["de"] = "MSO-Förderung", ["en"] = "MSO funding" } };
        var german = LetterHtml.Render(GrantNoticeLetter.Build(notice, null, [], Context(), "de"));
        german.ShouldContain("den dazu erlassenen Verwaltungsvorschriften");
        german.ShouldNotContain("der dazu erlassenen");
        german.ShouldContain("„Sprachkurs“");
        var english = GrantNoticeLetter.Build(notice, null, [], Context(), "en");
        var text = string.Join(" ", new[] { english.Subject }.Concat(english.Decision).Concat(english.Sections.SelectMany(s => s.Paragraphs)));
        text.ShouldContain("“Sprachkurs”");
        text.ShouldContain("“MSO funding”");
        text.ShouldNotContain("„");
    }
}
