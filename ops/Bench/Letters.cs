using System.Diagnostics;
using System.Security.Cryptography;
using FundingPrograms.Applications;
using FundingPrograms.Grants;
using FundingPrograms.Letters;
using FundingPrograms.Programmes;

namespace FundingPrograms.Bench;

/// <summary>
/// <c>letters [--n 200] [--language en|ar|…]</c>: renders one grant notice as the letter handler does (German original and
/// reading copies, PDF/A and HTML each, <see cref="IssueLetterHandler.Render"/>) n times after a warm-up, in process, no database:
/// CPU ms and allocated bytes per letter, the files' sizes and SHA-256 (to see that a change keeps the bytes).
/// </summary>
static class LetterRendering
{
    public static object Run(Args a)
    {
        var n = a.Int("n", 200);
        var language = a.Options.GetValueOrDefault("language", "en");
        // Different letters, as in production: organisation, project, amount and reference vary (and with them the font subsets).
        var orders = Enumerable.Range(0, n).Select(i => Order(language, i)).ToArray();
        for (var i = 0; i < 20; i++) IssueLetterHandler.Render(orders[i % n]);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(true);
        var clock = Stopwatch.StartNew();
        var rendered = orders.Select(IssueLetterHandler.Render).ToArray();
        var wall = clock.Elapsed;
        process.Refresh();
        var cpuMs = (process.TotalProcessorTime - cpu).TotalMilliseconds / n;
        return new
        {
            command = "letters",
            languages = string.Join("+", orders[0].Documents.Select(d => d.Language)),
            n,
            cpuMsPerLetter = Math.Round(cpuMs, 2),
            wallMsPerLetter = Math.Round(wall.TotalMilliseconds / n, 2),
            allocatedKbPerLetter = (GC.GetTotalAllocatedBytes(true) - allocated) / n / 1024,
            gen2 = GC.CollectionCount(2),
            // Mean size per file, and one SHA-256 over every file of every letter: equal digests mean byte-identical output.
            files = rendered[0].Select((f, k) => new { f.Name, meanBytes = (long)rendered.Average(r => r[k].Bytes.Length) }),
            digest = Convert.ToHexStringLower(SHA256.HashData(rendered.SelectMany(r => r).SelectMany(f => f.Bytes).ToArray()))[..16],
        };
    }

    /// <summary>A representative grant notice (share financing, early start, cost plan) with German, English and the given language.</summary>
    static readonly string[] Organisations = ["Verein Brücke e.V.", "Türkischer Elternverein Köln-Mülheim e.V.", "Jugendwerkstatt Quartier Süd gGmbH",
        "Initiative Wohnen & Arbeit Xanten", "Förderkreis Zukunft Jülich e.V.", "Kulturzentrum Yunus Emre Duisburg", "Frauennetzwerk Bochum-Wattenscheid",
        "Deutsch-Kurdischer Verein Gelsenkirchen", "Zentrum für Qualifizierung Hagen", "Afrika-Forum Wuppertal e.V."];

    static readonly string[] Projects = ["Sprachkurs", "Hausaufgabenhilfe im Quartier", "Beratung für Geflüchtete", "Elterncafé", "Jobcoaching für junge Erwachsene",
        "Begegnungsfest", "Qualifizierung Ehrenamtlicher", "Mädchentreff"];

    static IssueLetter Order(string language, int i)
    {
        var amount = 5000m + i * 37.5m;
        var at = new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
        var notice = new GrantNotice(1, $"ZB-2027-{i:D8}", Projects[i % Projects.Length], Guid.Parse("6f1c0d7e-0000-4000-8000-000000000001"), Organisations[i % Organisations.Length],
            Guid.Parse("6f1c0d7e-0000-4000-8000-000000000002"), new() { ["de"] = "MSO-Förderung", ["en"] = "MSO funding" }, amount, amount, null,
            FinancingType.Share, 10000m, amount / 100m, amount, new DateOnly(2027, 1, 1), new DateOnly(2027, 12, 31), "0710/684 10", [new YearAmount(2027, amount)],
            "Keine.", "ANBest-P (Fassung 2023)", new DateOnly(2028, 6, 30), at, "Bernd Approver", null,
            new NoticeLegalBasis("Richtlinie MSO", new DateOnly(2024, 1, 1), NoticeContent.GrantProvisions),
            "Sprachkurse für neu zugewanderte Frauen", NoticeContent.Terms(FinancingType.Share, amount, 10000m),
            [new("staff", "Kursleitung", 9000m), new("volunteerWork", "Unbare Eigenleistung (bewertete ehrenamtliche Arbeit)", 1000m)],
            new EarlyStartNote(new DateOnly(2026, 11, 20), at.AddDays(-8), "Olaf Officer", ApproveEarlyStartEndpoint.NoPromise),
            NoticeContent.Remedy("Verwaltungsgericht Köln"));
        var context = new LetterContext(
            new LetterheadOptions
            {
                Authority = "Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen",
                ShortName = "MKJFGFI NRW", Street = "Völklinger Straße 49", PostalCode = "40221", City = "Düsseldorf", Court = "Verwaltungsgericht Düsseldorf"
            },
            new Addressee(Organisations[i % Organisations.Length], [$"Keupstraße {i + 1}", "51063 Köln"]), $"FP-2026-{i:D8}", new DateOnly(2026, 10, 1), null, null, Language: language);
        var documents = GrantNoticeLetter.Languages(notice, language).Select(l => GrantNoticeLetter.Build(notice, null, [], context, l)).ToArray();
        return new IssueLetter(new Guid(i, 0, 0, new byte[8]), "grant_notice", new Guid(i, 1, 0, new byte[8]), 1,
            notice.OrganisationId, notice.ProgrammeId, null, null, 1, $"FP-2026-{i:D8}", documents, "Bernd Approver", at);
    }
}
