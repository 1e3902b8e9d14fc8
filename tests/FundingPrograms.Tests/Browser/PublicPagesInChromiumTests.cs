using System.Text.Json;
using Deque.AxeCore.Playwright;
using FundingPrograms.Public;
using Microsoft.Playwright;

namespace FundingPrograms.Tests.Browser;

/// <summary>
/// Every public page in every language in a real browser: axe-core finds no violation (WCAG 2.1 A/AA and axe's best
/// practices), nothing overflows a 320 px wide screen, every district of the map is reachable by Tab, and the maps' view
/// boxes hold every element with no label on another.
/// </summary>
public sealed class the_public_pages_in_chromium(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private IEnumerable<string> Pages() => ["/", $"/programmes/{fixture.Programme}", "/statistics", "/glossary"];

    private string Url(string path) => new Uri(fixture.Service.BaseAddress, path).ToString();

    [Fact]
    public async Task every_page_in_every_language_has_no_axe_violation_and_shows_nothing_internal()
    {
        await fixture.WaitForFacts();
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        foreach (var language in PublicTexts.Languages)
            foreach (var path in Pages().Append("/programmes/00000000-0000-0000-0000-000000000001"))
            {
                var url = $"/{language.Code}{path}";
                var response = await page.GotoAsync(Url(url));
                response.ShouldNotBeNull();
                (await page.GetAttributeAsync("html", "dir")).ShouldBe(language.RightToLeft ? "rtl" : "ltr", url);
                var result = await page.RunAxe();
                result.Passes.Length.ShouldBeGreaterThan(20, $"{url}: axe-core did not run its rules"); // a scan that checks nothing proves nothing
                foreach (var violation in result.Violations)
                    problems.Add($"{url}: {violation.Id} ({violation.Impact}) {violation.Help}: {string.Join(" | ", violation.Nodes.Take(3).Select(n => n.Html))}");
                var text = await page.ContentAsync();
                problems.AddRange(BrowserFixture.Internal.Where(secret => text.Contains(secret, StringComparison.OrdinalIgnoreCase)).Select(s => $"{url} shows '{s}'"));
            }
        problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task every_page_reflows_on_a_320_px_screen_without_horizontal_scrolling()
    {
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 320, Height = 640 } });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        foreach (var language in PublicTexts.Languages)
            foreach (var path in Pages())
            {
                await page.GotoAsync(Url($"/{language.Code}{path}"));
                var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
                if (widths[0] > widths[1]) problems.Add($"/{language.Code}{path}: {widths[0]} px wide on a {widths[1]} px screen");
            }
        problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task every_district_of_the_map_is_reached_with_the_tab_key_and_says_its_figure()
    {
        await fixture.WaitForFacts();
        await using var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(Url("/en/statistics"));
        var reached = new Dictionary<string, string>();
        for (var i = 0; i < 150 && reached.Count < 53; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<string[]?>("() => { const a = document.activeElement; return a && a.matches('a.district') ? [a.dataset.code, a.getAttribute('aria-label')] : null; }");
            if (focused is not null) reached[focused[0]] = focused[1];
        }
        reached.Count.ShouldBe(53);
        reached["05315"].ShouldBe("Köln: not published"); // the grant's district: one organisation only
        reached.Values.ShouldAllBe(label => label.Contains(": "));
        // Enter on a district leads to its row in the table.
        await page.FocusAsync("a.district[data-code='05111']");
        await page.Keyboard.PressAsync("Enter");
        (await page.EvaluateAsync<string>("() => location.hash")).ShouldBe("#row-05111");
    }

    private const string Fits = """
        svg => {
          const box = svg.getBoundingClientRect();
          const outside = [];
          for (const el of svg.querySelectorAll('path, text, rect, line')) {
            if (el.closest('defs')) continue;
            const b = el.getBoundingClientRect();
            if (b.width === 0 && b.height === 0) continue;
            if (b.left < box.left - 0.5 || b.top < box.top - 0.5 || b.right > box.right + 0.5 || b.bottom > box.bottom + 0.5)
              outside.push(el.tagName + ' ' + (el.dataset.code || el.textContent).slice(0, 40));
          }
          const labels = [...svg.querySelectorAll('text.map-label')].map(t => ({ code: t.dataset.code, b: t.getBoundingClientRect() }));
          const overlaps = [];
          for (let i = 0; i < labels.length; i++)
            for (let j = i + 1; j < labels.length; j++) {
              const a = labels[i].b, c = labels[j].b;
              if (a.left < c.right && c.left < a.right && a.top < c.bottom && c.top < a.bottom) overlaps.push(labels[i].code + '/' + labels[j].code);
            }
          return JSON.stringify({ outside, overlaps, labels: labels.length, districts: svg.querySelectorAll('a.district').length });
        }
        """;

    [Fact]
    public async Task the_maps_fit_their_view_box_and_no_label_overlaps_another()
    {
        await fixture.WaitForFacts();
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {fixture.StaffToken}" },
        });
        var page = await context.NewPageAsync();
        foreach (var url in new[] { "/catalogue/statistics.svg?lang=de", "/catalogue/statistics.svg?lang=ar", "/catalogue/statistics.svg?lang=uk",
                     "/reports/coverage.svg", "/reports/coverage.svg?dimension=targetGroup", "/de/statistics", "/fa/statistics" })
        {
            await page.GotoAsync(Url(url));
            var svg = await page.QuerySelectorAsync("svg");
            svg.ShouldNotBeNull(url);
            var result = JsonDocument.Parse(await svg.EvaluateAsync<string>(Fits)).RootElement;
            result.GetProperty("outside").GetArrayLength().ShouldBe(0, $"{url}: {result.GetProperty("outside")}");
            result.GetProperty("overlaps").GetArrayLength().ShouldBe(0, $"{url}: {result.GetProperty("overlaps")}");
            result.GetProperty("districts").GetInt32().ShouldBe(53, url);
            result.GetProperty("labels").GetInt32().ShouldBeGreaterThan(20, url);
        }
    }
}
