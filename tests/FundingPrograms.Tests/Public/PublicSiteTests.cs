using System.Text.RegularExpressions;
using Alba;
using FundingPrograms.Public;
using FundingPrograms.Tests.Infrastructure;
using FundingPrograms.Tests.Reports;
using Marten;
using Marten.Events;

namespace FundingPrograms.Tests.Public;

/// <summary>The server-rendered public pages, in-process: every page in every language, the filters, bad addresses, nothing internal.</summary>
public sealed partial class when_the_public_reads_the_web_pages(AppFixture app) : ReportTest(app)
{
    [GeneratedRegex("<html lang=\"([a-z]+)\" dir=\"(ltr|rtl)\">")]
    private static partial Regex HtmlTag();

    private async Task<string> Page(string url, int status = 200)
    {
        if ((await AllEvents()).Count > 0) await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var result = await Host.Scenario(s =>
        {
            s.Get.Url(url);
            s.StatusCodeShouldBe(status);
        });
        result.Context.Response.ContentType.ShouldNotBeNull().ShouldStartWith("text/html");
        return result.ReadAsText();
    }

    [Fact]
    public async Task every_page_answers_in_every_language_with_its_direction_and_nothing_internal()
    {
        await Portfolio();
        var programme = P1;
        foreach (var language in PublicTexts.Languages)
        {
            foreach (var path in new[] { "/", $"/programmes/{programme}", "/statistics", "/glossary" })
            {
                var html = await Page($"/{language.Code}{path}");
                var tag = HtmlTag().Match(html);
                tag.Success.ShouldBeTrue(path);
                tag.Groups[1].Value.ShouldBe(language.Code);
                tag.Groups[2].Value.ShouldBe(language.RightToLeft ? "rtl" : "ltr");
                // The language switch on every page keeps the page.
                foreach (var other in PublicTexts.Languages) html.ShouldContain($"href=\"/{other.Code}{path}\"");
                // Nothing internal: no organisation or person, no budget line, no reason, no assessment.
                foreach (var secret in new[] { "Verein Brücke", "Nachbarschaftshilfe", "Kulturverein", "Founder", "Anna Officer", "0710/684", "Zuschüsse an MSO",
                             "budgetLine", "reason", "score" })
                    html.ShouldNotContain(secret, Case.Insensitive, $"{language.Code}{path}");
            }
        }
    }

    [Fact]
    public async Task the_home_page_lists_open_calls_with_their_berlin_deadline_and_days_left_and_filters_them()
    {
        P1 = await this.PublishedProgramme(Officer);
        await Post(Officer, $"/programmes/{P1}/calls", Samples.OpenCallNow(App.Clock, 3), 201);
        P2 = await this.PublishedProgramme(Officer, Samples.Programme("Integrationsagenturen").With("targetGroups", new[] { "families_with_children" }));
        await Post(Officer, $"/programmes/{P2}/calls", Samples.OpenCallNow(App.Clock, 3, ["05315"]), 201);
        var german = await Page("/de/");
        german.ShouldContain("Einsendeschluss:");
        german.ShouldContain("(Berliner Zeit)");
        german.ShouldMatch(@"noch \d+ Tage|heute ist der letzte Tag");
        german.ShouldContain($"/de/programmes/{P1}");
        (await Page("/en/")).ShouldContain("Deadline:");
        // Programme P2 is for families with children and women; P1 is the sample programme for other groups.
        var families = await Page("/en/?targetGroup=families_with_children");
        families.ShouldContain($"/en/programmes/{P2}");
        families.ShouldNotContain($"/en/programmes/{P1}\"");
        (await Page("/en/?organisationType=anti_discrimination_service_point")).ShouldContain("At the moment no open or upcoming call matches your choice.");
        (await Page("/tr/?district=05315")).ShouldContain($"/tr/programmes/{P2}");
        (await Page("/tr/?district=05711")).ShouldNotContain($"/tr/programmes/{P2}\"");
        (await Page("/en/?district=99999", 400)).ShouldContain("lang=\"en\"");
        (await Page("/en/?targetGroup=nobody", 400)).ShouldContain("Filter the calls");
    }

    [Fact]
    public async Task a_programme_page_explains_the_rules_in_plain_words_with_the_german_term_beside_the_translation()
    {
        await Portfolio();
        var english = await Page($"/en/programmes/{P1}");
        english.ShouldContain("Who can apply");
        english.ShouldContain("grant notice (Zuwendungsbescheid)");
        english.ShouldContain("How to apply");
        english.ShouldContain("mailto:");
        english.ShouldContain(" EUR");
        var arabic = await Page($"/ar/programmes/{P1}");
        arabic.ShouldContain("dir=\"rtl\"");
        arabic.ShouldContain("(Zuwendungsbescheid)");
        (await Page($"/de/programmes/{Guid.NewGuid()}", 404)).ShouldContain("Seite nicht gefunden");
        (await Page("/de/programmes/not-a-guid", 404)).ShouldContain("lang=\"de\"");
        var draft = await this.CreateProgramme(Officer);
        await Page($"/en/programmes/{draft}", 404); // drafts are not public
    }

    [Fact]
    public async Task the_statistics_page_has_the_map_of_53_districts_each_linked_to_its_row_and_the_glossary_ten_terms()
    {
        await Portfolio();
        var html = await Page("/en/statistics");
        Regex.Matches(html, "<a href=\"#row-05\\d{3}\" aria-label=").Count.ShouldBe(53);
        Regex.Matches(html, "<tr id=\"row-05\\d{3}\"").Count.ShouldBe(53);
        html.ShouldContain("Köln: not published");
        html.ShouldContain("GeoBasis-DE / BKG");
        html.ShouldContain("data-region=\"059\"");
        var glossary = await Page("/uk/glossary");
        Regex.Matches(glossary, "<dt id=").Count.ShouldBe(10);
        glossary.ShouldContain("(<span lang=\"de\" dir=\"ltr\">Zuwendungsbescheid</span>)");
    }

    [Fact]
    public async Task the_root_leads_to_german_and_an_unknown_language_is_a_clean_404()
    {
        var root = await Host.Scenario(s =>
        {
            s.Get.Url("/");
            s.StatusCodeShouldBe(302);
        });
        root.Context.Response.Headers.Location.ToString().ShouldBe("/de/");
        foreach (var url in new[] { "/xx/", "/xx/statistics", "/de/nothing" })
            (await Host.Scenario(s =>
            {
                s.Get.Url(url);
                s.StatusCodeShouldBe(404);
            })).ShouldBeProblem(404);
        (await Page("/de")).ShouldContain("lang=\"de\"");
    }
}
