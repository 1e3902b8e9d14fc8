using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;
using PdfSharp.UniversalAccessibility;

namespace FundingPrograms.Letters;

/// <summary>
/// Renders a <see cref="LetterDocument"/> as PDF/A-2b with PDFsharp (MIT): A4, a DIN 5008-like layout (letterhead,
/// address window, reference block, subject, body, closing, page footer), DejaVu Sans embedded (shipped as a resource,
/// so no system font is needed), the sRGB output intent, XMP metadata declaring pdfaid part 2 conformance B, and a
/// tagged structure (headings, paragraphs, tables) for accessibility.
/// <para>Right-to-left reading copies (Arabic, Persian): paragraphs, headings, the closing and table cells are set from the right,
/// table columns mirrored, each line shaped and put in display order by <see cref="LetterBidi"/> (PDFsharp itself neither shapes
/// nor reorders); the letterhead, the address window and the reference block keep their places on the page.</para>
/// <para>Deterministic: the same letter, instant and document id give the same bytes (creation date = the decision's
/// instant; document id, XMP ids and font subset tags derived from the letter's id).</para>
/// </summary>
public static class LetterPdf
{
    private const string Family = "DejaVu Sans";
    // The same font under another name, embedded whole in right-to-left reading copies.
    private const string WholeFamily = "DejaVu Arab";
    private static readonly object FontLock = new();

    // A4 in points; margins after DIN 5008.
    private const double PageWidth = 595.28, PageHeight = 841.89;
    private static readonly double Left = Mm(25), Right = PageWidth - Mm(20), Width = Right - Left, Bottom = PageHeight - Mm(22);
    private static double Mm(double mm) => mm * 72 / 25.4;

    public static byte[] Render(LetterDocument letter, DateTimeOffset issuedAt, Guid documentId)
    {
        EnsureFonts();
        // Arabic and Persian embed the whole font (see LetterFonts.Renamed): PDFsharp's subsets lose the parts of composite glyphs,
        // and DejaVu Sans composes many Arabic forms (letters with hamza or madda, dotted medial forms) from parts.
        var whole = LetterText.RightToLeft(letter.Language);
        XFont Font(double size, XFontStyleEx style) => whole
            ? new XFont(WholeFamily, size, style, new XPdfFontOptions(PdfFontEncoding.Unicode, PdfFontEmbedding.EmbedCompleteFontFile))
            : new XFont(Family, size, style);
        var regular = Font(10, XFontStyleEx.Regular);
        var bold = Font(10, XFontStyleEx.Bold);
        var small = Font(7.5, XFontStyleEx.Regular);
        var smallBold = Font(7.5, XFontStyleEx.Bold);
        var heading = Font(10.5, XFontStyleEx.Bold);
        var subject = Font(11, XFontStyleEx.Bold);

        var pages = Layout(letter, regular, bold, small, smallBold, heading, subject);

        var document = new PdfDocument();
        document.SetPdfA();
        document.Version = 17;
        document.PageLayout = PdfPageLayout.SinglePage;
        // PDFsharp 6.2's own deflate ends no stream (no final block, no Adler-32: `qpdf --check` warns, zlib finds no end):
        // it writes every stream uncompressed and PdfStreams compresses them afterwards with the runtime's zlib.
        document.Options.NoCompression = true;
        document.Options.CompressContentStreams = false;
        var utc = issuedAt.UtcDateTime;
        document.Info.CreationDate = utc;
        document.Info.ModificationDate = utc;
        document.Info.Title = XmpSafe(letter.Title);
        document.Info.Author = XmpSafe(letter.Letterhead.Authority);
        document.Info.Subject = XmpSafe(letter.Subject);
        document.Info.Creator = "FundingPrograms";
        var id = Encoding.Latin1.GetString(documentId.ToByteArray());
        document.Internals.FirstDocumentID = id;
        document.Internals.SecondDocumentID = id;
        var ua = UAManager.ForDocument(document);
        ua.SetDocumentLanguage(letter.Language);
        var sb = ua.StructureBuilder;

        for (var p = 0; p < pages.Count; p++)
        {
            var page = document.AddPage();
            page.Width = XUnit.FromPoint(PageWidth);
            page.Height = XUnit.FromPoint(PageHeight);
            using var gfx = XGraphics.FromPdfPage(page);
            foreach (var block in pages[p])
                Draw(gfx, sb, block);
            // Page footer: an artifact (not part of the text a screen reader reads).
            sb.BeginArtifact();
            var footer = $"{letter.PageLabel} {p + 1} / {pages.Count}";
            if (LetterText.RightToLeft(letter.Language)) footer = LetterBidi.Visual(footer);
            gfx.DrawString(footer, small, XBrushes.Black, new XRect(Left, PageHeight - Mm(14), Width, 10), XStringFormats.TopRight);
            sb.End();
        }

        using var stream = new MemoryStream(whole ? 2 << 20 : 256 << 10);
        document.Save(stream, false);
        var pdf = stream.GetBuffer().AsSpan(0, (int)stream.Length);
        MakeDeterministic(pdf, documentId);
        return PdfStreams.Compress(pdf);
    }

    // ---- layout: words to positioned runs, pages to blocks ------------------------------------------------------------

    private sealed record Run(double X, double Y, string Text, XFont Font, bool AlignRight = false, double RightEdge = 0);

    private abstract record Block;
    private sealed record TextBlock(PdfBlockLevelElementTag Tag, List<Run> Runs) : Block;
    private sealed record RuleBlock(double Y) : Block;
    private sealed record TableBlock(List<RowBlock> Rows) : Block;
    private sealed record RowBlock(List<CellBlock> Cells);
    private sealed record CellBlock(bool Header, List<Run> Runs);

    private sealed class Pager(XGraphics measure, bool rtl = false)
    {
        /// <summary>A right-to-left document: lines are shaped, reordered and set from the right.</summary>
        public readonly bool Rtl = rtl;
        public string V(string line) => Rtl ? LetterBidi.Visual(line) : line;
        public readonly List<List<Block>> Pages = [[]];
        public double Y;
        public List<Block> Current => Pages[^1];
        public readonly XGraphics Measure = measure;

        public void NewPage()
        {
            Pages.Add([]);
            Y = Mm(20);
        }

        public readonly record struct Position(int Pages, int Blocks, double Y, bool AtTop);

        /// <summary>Where the layout stands, to lay out a part again from there (<see cref="Restore"/>).</summary>
        public Position Mark() => new(Pages.Count, Current.Count, Y, Pages.Count > 1 && Current.Count == 0);

        public void Restore(Position mark)
        {
            Pages.RemoveRange(mark.Pages, Pages.Count - mark.Pages);
            Current.RemoveRange(mark.Blocks, Current.Count - mark.Blocks);
            Y = mark.Y;
        }

        /// <summary>Makes room for height; a new page when it does not fit.</summary>
        public void Need(double height)
        {
            if (Y + height > Bottom) NewPage();
        }

        public double LineHeight(XFont font) => font.Size * 1.38;

        private readonly Dictionary<(XFont, string), double> _widths = [];

        /// <summary>Width of a word (no kerning is applied, so a line is as wide as its words and spaces).</summary>
        private double W(string s, XFont font)
        {
            if (!_widths.TryGetValue((font, s), out var w)) _widths[(font, s)] = w = Measure.MeasureString(Rtl ? LetterBidi.Shape(s) : s, font).Width;
            return w;
        }

        public List<string> Wrap(string text, XFont font, double width)
        {
            var lines = new List<string>();
            foreach (var hard in text.Replace("\r\n", "\n").Split('\n'))
            {
                var line = new StringBuilder();
                double lineWidth = 0;
                foreach (var word in hard.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var candidate = line.Length == 0 ? W(word, font) : lineWidth + W(" ", font) + W(word, font);
                    if (candidate <= width)
                    {
                        if (line.Length > 0) line.Append(' ');
                        line.Append(word);
                        lineWidth = candidate;
                        continue;
                    }
                    if (line.Length > 0) { lines.Add(line.ToString()); line.Clear(); }
                    // A word longer than the line: break it by characters.
                    var rest = word;
                    while (Measure.MeasureString(rest, font).Width > width && rest.Length > 1)
                    {
                        var n = rest.Length - 1;
                        while (n > 1 && Measure.MeasureString(rest[..n], font).Width > width) n--;
                        lines.Add(rest[..n]);
                        rest = rest[n..];
                    }
                    line.Append(rest);
                    lineWidth = W(rest, font);
                }
                lines.Add(line.ToString());
            }
            return lines;
        }

        /// <summary>A paragraph at the cursor; split into several blocks of the same tag where it crosses a page.</summary>
        public void Paragraph(string text, XFont font, PdfBlockLevelElementTag tag = PdfBlockLevelElementTag.Paragraph, double spaceAfter = 6, double indent = 0)
        {
            var lh = LineHeight(font);
            var lines = Wrap(text, font, Width - indent);
            // In a right-to-left copy, a paragraph without right-to-left letters (recorded German text) stays left-to-right.
            var rtl = Rtl && text.Any(LetterBidi.IsRightToLeft);
            // Keep headings with the first two lines of what follows; avoid a single orphaned line.
            Need(tag == PdfBlockLevelElementTag.Paragraph ? Math.Min(lines.Count, 2) * lh : lh * 3);
            var runs = new List<Run>();
            foreach (var line in lines)
            {
                if (Y + lh > Bottom)
                {
                    Current.Add(new TextBlock(tag, runs));
                    runs = [];
                    NewPage();
                }
                runs.Add(rtl ? new Run(0, Y, V(line), font, AlignRight: true, RightEdge: Right - indent) : new Run(Left + indent, Y, line, font));
                Y += lh;
            }
            Current.Add(new TextBlock(tag, runs));
            Y += spaceAfter;
        }
    }

    private static List<List<Block>> Layout(LetterDocument l, XFont regular, XFont bold, XFont small, XFont smallBold, XFont heading, XFont subject)
    {
        using var measure = XGraphics.CreateMeasureContext(new XSize(PageWidth, PageHeight), XGraphicsUnit.Point, XPageDirection.Downwards);
        var p = new Pager(measure, LetterText.RightToLeft(l.Language));
        var first = p.Current;

        // Letterhead: authority and department left, address and contact right; a rule below.
        var head = new List<Run>();
        var y = Mm(12);
        foreach (var line in p.Wrap(l.Letterhead.Authority, bold, Mm(105))) { head.Add(new Run(Left, y, line, bold)); y += p.LineHeight(bold); }
        if (!string.IsNullOrWhiteSpace(l.Letterhead.Department))
            foreach (var line in p.Wrap(l.Letterhead.Department, regular, Mm(105))) { head.Add(new Run(Left, y, line, regular)); y += p.LineHeight(regular); }
        var ry = Mm(12);
        foreach (var line in l.Letterhead.AddressLines.Concat(l.Letterhead.ContactLines))
        {
            head.Add(new Run(0, ry, line, small, AlignRight: true, RightEdge: Right));
            ry += p.LineHeight(small);
        }
        first.Add(new TextBlock(PdfBlockLevelElementTag.Paragraph, head));
        var ruleY = Math.Max(Math.Max(y, ry) + 2, Mm(34));
        first.Add(new RuleBlock(ruleY));

        // Address window (DIN 5008 form B: 45 mm from the top, 85 mm wide): return address line, then the addressee.
        var address = new List<Run>();
        var ay = Mm(47);
        var (returnLine, returnFont) = ReturnAddress(l.Letterhead, measure);
        address.Add(new Run(Left, ay, returnLine, returnFont));
        ay += p.LineHeight(small) + 4;
        foreach (var line in new[] { l.Addressee.Name }.Concat(l.Addressee.Lines).SelectMany(s => p.Wrap(s, regular, Mm(85))))
        {
            address.Add(new Run(Left, ay, line, regular));
            ay += p.LineHeight(regular);
        }
        first.Add(new TextBlock(PdfBlockLevelElementTag.Paragraph, address));

        // Reference block right of the window: label / value pairs, then place and date.
        var refs = new List<Run>();
        var rx = Left + Mm(100);
        var refY = Mm(47);
        foreach (var field in l.References)
        {
            refs.Add(new Run(rx, refY, p.V(field.Label), small));
            refY += p.LineHeight(small);
            foreach (var line in p.Wrap(field.Value, regular, Right - rx)) { refs.Add(new Run(rx, refY, p.V(line), regular)); refY += p.LineHeight(regular); }
            refY += 2;
        }
        refY += 4;
        refs.Add(new Run(rx, refY, p.V(l.PlaceAndDate), regular));
        refY += p.LineHeight(regular);
        first.Add(new TextBlock(PdfBlockLevelElementTag.Paragraph, refs));

        p.Y = Math.Max(Math.Max(ay, refY) + Mm(8), Mm(100));
        if (l.ReadingCopyNotice is not null) p.Paragraph(l.ReadingCopyNotice, bold, spaceAfter: 8);
        p.Paragraph(l.Subject, subject, PdfBlockLevelElementTag.Heading1, spaceAfter: 10);
        p.Paragraph(l.Salutation, regular);
        foreach (var paragraph in l.Decision) p.Paragraph(paragraph, regular);

        // The closing block (greeting, "Im Auftrag", space for the signature, name, role) never splits and never stands alone
        // on a page: when it does not fit below the last section, the last section moves to the next page with it.
        var lh = p.LineHeight(regular);
        var closingHeight = 6 + 4 * lh + Mm(2) + Mm(8) + 6;
        for (var s = 0; s < l.Sections.Length; s++)
        {
            var mark = p.Mark();
            Section(p, l.Sections[s], regular, bold, small, smallBold, heading);
            if (s == l.Sections.Length - 1 && p.Y + closingHeight > Bottom && !mark.AtTop)
            {
                p.Restore(mark);
                p.NewPage();
                Section(p, l.Sections[s], regular, bold, small, smallBold, heading);
            }
        }

        p.Y += 6;
        p.Need(closingHeight - 6);
        Run Line(string text) => p.Rtl ? new Run(0, p.Y, p.V(text), regular, AlignRight: true, RightEdge: Right) : new Run(Left, p.Y, text, regular);
        p.Current.Add(new TextBlock(PdfBlockLevelElementTag.Paragraph, [Line(l.Closing)]));
        p.Y += lh + Mm(2);
        var signature = new List<Run>();
        if (!string.IsNullOrWhiteSpace(l.OnBehalf)) signature.Add(Line(l.OnBehalf));
        p.Y += lh + Mm(8);
        signature.Add(Line(l.SignerName));
        p.Y += lh;
        signature.Add(Line(l.SignerRole));
        p.Y += lh + 6;
        p.Current.Add(new TextBlock(PdfBlockLevelElementTag.Paragraph, signature));
        if (l.Enclosures is { } enclosures) Section(p, enclosures, regular, bold, small, smallBold, heading);
        return p.Pages;
    }

    /// <summary>Width of the return-address line above the window (DIN 5008: as wide as the window, 85 mm).</summary>
    public static readonly double ReturnAddressWidth = Mm(85);

    /// <summary>
    /// The return address above the window, always one line: "authority · street · postal code and city". Where it is too wide,
    /// by rule: the full name at 7.5, 7, 6.5 then 6 pt; then the configured short name (<c>Letters:Letterhead:ShortName</c>) at
    /// those sizes; then the name with "des Landes Nordrhein-Westfalen"/"Nordrhein-Westfalen" written "NRW" and "Ministerium"
    /// "Min."; last, that name cut after a whole word with "…" at 6 pt. Street, postal code and city are never dropped.
    /// </summary>
    public static (string Line, XFont Font) ReturnAddress(Letterhead head, XGraphics measure)
    {
        var address = string.Join(" · ", head.AddressLines.Where(a => !string.IsNullOrWhiteSpace(a)));
        string Line(string name) => address.Length == 0 ? name : $"{name} · {address}";
        var abbreviated = head.Authority.Replace("des Landes Nordrhein-Westfalen", "NRW").Replace("Nordrhein-Westfalen", "NRW").Replace("Ministerium", "Min.");
        var names = new[] { head.Authority, head.ShortName, abbreviated }.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n!).Distinct().ToList();
        foreach (var name in names)
            foreach (var size in new[] { 7.5, 7, 6.5, 6 })
            {
                var font = new XFont(Family, size, XFontStyleEx.Regular);
                if (measure.MeasureString(Line(name), font).Width <= ReturnAddressWidth) return (Line(name), font);
            }
        var smallest = new XFont(Family, 6, XFontStyleEx.Regular);
        var words = names[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        while (words.Count > 1 && measure.MeasureString(Line(string.Join(" ", words) + " …"), smallest).Width > ReturnAddressWidth) words.RemoveAt(words.Count - 1);
        return (Line(string.Join(" ", words) + " …"), smallest);
    }

    private static void Section(Pager p, LetterSection section, XFont regular, XFont bold, XFont small, XFont smallBold, XFont heading)
    {
        p.Y += 4;
        p.Paragraph(section.Heading, heading, PdfBlockLevelElementTag.Heading2, spaceAfter: 4);
        foreach (var paragraph in section.Paragraphs) p.Paragraph(paragraph, regular);
        foreach (var table in section.Tables) Table(p, table, regular, bold, small, smallBold);
    }

    private static void Table(Pager p, LetterTable t, XFont regular, XFont bold, XFont small, XFont smallBold)
    {
        var columns = Math.Max(1, t.Columns.Length);
        // Widths: the first (label) column gets more room when rows carry headers.
        var widths = Enumerable.Repeat(Width / columns, columns).ToArray();
        if (t.RowHeaders && columns > 1)
        {
            widths[0] = Width * (columns == 2 ? 0.55 : 0.4);
            for (var c = 1; c < columns; c++) widths[c] = (Width - widths[0]) / (columns - 1);
        }
        var xs = new double[columns];
        for (var c = 1; c < columns; c++) xs[c] = xs[c - 1] + widths[c - 1];
        const double pad = 3;

        (List<CellBlock> Cells, double Height) Row(string[] cells, bool header)
        {
            var result = new List<CellBlock>();
            double height = 0;
            for (var c = 0; c < columns; c++)
            {
                var font = header || (t.RowHeaders && c == 0) ? bold : regular;
                var text = c < cells.Length ? cells[c] : "";
                var lines = p.Wrap(text, font, widths[c] - 2 * pad);
                var numeric = t.NumericColumns.Contains(c) && !header;
                // Right to left: the columns mirror (the first on the right), text set from the right, amounts from the left.
                var runs = lines.Select((line, i) => p.Rtl
                    ? numeric
                        ? new Run(Right - xs[c] - widths[c] + pad, i * p.LineHeight(font), p.V(line), font)
                        : new Run(0, i * p.LineHeight(font), p.V(line), font, AlignRight: true, RightEdge: Right - xs[c] - pad)
                    : numeric
                        ? new Run(0, i * p.LineHeight(font), line, font, AlignRight: true, RightEdge: Left + xs[c] + widths[c] - pad)
                        : new Run(Left + xs[c] + pad, i * p.LineHeight(font), line, font)).ToList();
                result.Add(new CellBlock(header || (t.RowHeaders && c == 0), runs));
                height = Math.Max(height, lines.Count * p.LineHeight(font));
            }
            return (result, height + 2 * pad);
        }

        RowBlock Place(List<CellBlock> cells, double y) =>
            new(cells.Select(c => c with { Runs = c.Runs.Select(r => r with { Y = r.Y + y + pad }).ToList() }).ToList());

        var header = Row(t.Columns, true);
        var caption = string.IsNullOrWhiteSpace(t.Caption) ? 0 : p.LineHeight(smallBold) + 2;
        // A short table (payment details, a claim's figures) is kept on one page; a long one breaks with its header repeated.
        var body = t.Rows.Sum(r => Row(r, false).Height);
        p.Need(caption + header.Height + (body < (Bottom - Mm(20)) / 3 ? body : 18));
        if (caption > 0) p.Paragraph(t.Caption, smallBold, PdfBlockLevelElementTag.Paragraph, spaceAfter: 2);
        var rows = new List<RowBlock> { Place(header.Cells, p.Y) };
        p.Current.Add(new RuleBlock(p.Y + header.Height));
        p.Y += header.Height;
        foreach (var cells in t.Rows)
        {
            var row = Row(cells, false);
            if (p.Y + row.Height > Bottom)
            {
                p.Current.Add(new TableBlock(rows));
                p.NewPage();
                rows = [Place(header.Cells, p.Y)]; // the header row repeats on the next page
                p.Current.Add(new RuleBlock(p.Y + header.Height));
                p.Y += header.Height;
            }
            rows.Add(Place(row.Cells, p.Y));
            p.Y += row.Height;
        }
        p.Current.Add(new TableBlock(rows));
        p.Y += 8;
    }

    // ---- drawing ------------------------------------------------------------------------------------------------------

    private static void Draw(XGraphics gfx, StructureBuilder sb, Block block)
    {
        switch (block)
        {
            case RuleBlock rule:
                sb.BeginArtifact();
                gfx.DrawLine(new XPen(XColors.Black, 0.5), Left, rule.Y, Right, rule.Y);
                sb.End();
                break;
            case TextBlock text when text.Runs.Count > 0:
                sb.BeginElement(text.Tag);
                foreach (var run in text.Runs) DrawRun(gfx, run);
                sb.End();
                break;
            case TableBlock table:
                sb.BeginElement(PdfBlockLevelElementTag.Table);
                foreach (var row in table.Rows)
                {
                    sb.BeginElement(PdfBlockLevelElementTag.TableRow);
                    foreach (var cell in row.Cells)
                    {
                        sb.BeginElement(cell.Header ? PdfBlockLevelElementTag.TableHeaderCell : PdfBlockLevelElementTag.TableDataCell);
                        foreach (var run in cell.Runs) DrawRun(gfx, run);
                        sb.End();
                    }
                    sb.End();
                }
                sb.End();
                break;
        }
    }

    private static void DrawRun(XGraphics gfx, Run run)
    {
        if (run.Text.Length == 0) return;
        if (run.AlignRight)
        {
            var w = gfx.MeasureString(run.Text, run.Font).Width;
            gfx.DrawString(run.Text, run.Font, XBrushes.Black, run.RightEdge - w, run.Y, XStringFormats.TopLeft);
        }
        else gfx.DrawString(run.Text, run.Font, XBrushes.Black, run.X, run.Y, XStringFormats.TopLeft);
    }

    // ---- PDF/A and determinism ----------------------------------------------------------------------------------------

    /// <summary>XMP is written by PDFsharp without escaping: keep metadata text free of markup characters (Info and XMP stay equal).</summary>
    private static string XmpSafe(string s) => s.Replace("&", "+").Replace("<", "(").Replace(">", ")").ReplaceLineEndings(" ");

    /// <summary>
    /// PDFsharp 6.2 writes random XMP ids, random font-subset tags and declares PDF/A-1a; its output intent (sRGB) and
    /// embedding are what PDF/A-2b needs. Patches of equal length, in place (so every offset of the cross-reference table stays
    /// valid), make the ids derive from the document id and declare part 2, conformance B.
    /// </summary>
    private static void MakeDeterministic(Span<byte> pdf, Guid documentId)
    {
        var seed = SHA256.HashData(documentId.ToByteArray());
        var uuids = Matches(pdf, "uuid:"u8, 36, IsUuid);
        Expect(uuids, 2, "XMP uuid");
        for (var i = 0; i < uuids.Count; i++) Encoding.ASCII.GetBytes(new Guid(seed.AsSpan(16 * i, 16)).ToString(), pdf[(uuids[i] + 5)..]);
        ReplaceOnce(pdf, "<pdfaid:part>1</pdfaid:part>"u8, "<pdfaid:part>2</pdfaid:part>"u8);
        ReplaceOnce(pdf, "<pdfaid:conformance>A</pdfaid:conformance>"u8, "<pdfaid:conformance>B</pdfaid:conformance>"u8);
        // "/ABCDEF+DejaVu": the random subset tag before the font's name.
        var tags = new Dictionary<string, string>();
        foreach (var at in Matches(pdf, "+DejaVu"u8, 0, _ => true))
        {
            if (at < 7 || pdf[at - 7] != '/' || pdf[(at - 6)..at].ContainsAnyExceptInRange((byte)'A', (byte)'Z')) continue;
            var old = Encoding.ASCII.GetString(pdf[(at - 6)..at]);
            if (!tags.TryGetValue(old, out var tag))
            {
                var i = tags.Count;
                tag = new string(Enumerable.Range(0, 6).Select(k => (char)('A' + seed[(i * 6 + k) % seed.Length] % 26)).ToArray());
                if (tags.ContainsValue(tag)) tag = tag[..5] + (char)('A' + i % 26);
                tags[old] = tag;
            }
            Encoding.ASCII.GetBytes(tag, pdf[(at - 6)..at]);
        }
    }

    /// <summary>Where <paramref name="literal"/> stands followed by <paramref name="tail"/> bytes that pass <paramref name="check"/>.</summary>
    private static List<int> Matches(ReadOnlySpan<byte> pdf, ReadOnlySpan<byte> literal, int tail, Func<string, bool> check)
    {
        var found = new List<int>();
        for (var from = 0; ;)
        {
            var at = pdf[from..].IndexOf(literal);
            if (at < 0) return found;
            at += from;
            var end = at + literal.Length + tail;
            if (end <= pdf.Length && check(Encoding.Latin1.GetString(pdf[(at + literal.Length)..end])))
            {
                found.Add(at);
                from = end;
            }
            else from = at + 1;
        }
    }

    private static void ReplaceOnce(Span<byte> pdf, ReadOnlySpan<byte> from, ReadOnlySpan<byte> to)
    {
        var found = Matches(pdf, from, 0, _ => true);
        Expect(found, 1, Encoding.ASCII.GetString(from));
        to.CopyTo(pdf[found[0]..]);
    }

    private static void Expect(List<int> found, int expected, string what)
    {
        if (found.Count != expected) throw new InvalidOperationException($"PDF/A patch: expected {expected} match(es) of {what}, found {found.Count} (PDFsharp's output changed).");
    }

    /// <summary>8-4-4-4-12 lower-case hex digits.</summary>
    private static bool IsUuid(string s) => s.Select((c, i) => i is 8 or 13 or 18 or 23 ? c == '-' : char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c)).All(ok => ok);

    // ---- fonts --------------------------------------------------------------------------------------------------------

    private static void EnsureFonts()
    {
        lock (FontLock)
        {
            if (GlobalFontSettings.FontResolver is LetterFonts) return;
            GlobalFontSettings.FontResolver = new LetterFonts();
        }
    }

    /// <summary>DejaVu Sans (Bitstream Vera licence: embedding and redistribution allowed), from the assembly's resources.</summary>
    private sealed class LetterFonts : IFontResolver
    {
        private static readonly Dictionary<string, byte[]> Faces = new()
        {
            ["DejaVuSans"] = Load("DejaVuSans.ttf"),
            ["DejaVuSans-Bold"] = Load("DejaVuSans-Bold.ttf"),
            ["DejaVuArab"] = Renamed(Load("DejaVuSans.ttf")),
            ["DejaVuArab-Bold"] = Renamed(Load("DejaVuSans-Bold.ttf")),
        };

        /// <summary>
        /// DejaVu Sans named "DejaVu Arab" (same length, in the name table's ASCII and UTF-16 strings): PDFsharp keeps a font's
        /// embedding (subset or whole) with its name across documents, so the whole-embedded copy must be a font of its own, or
        /// every letter rendered after an Arabic one (the binding German one too) would change.
        /// </summary>
        private static byte[] Renamed(byte[] font)
        {
            foreach (var (from, to) in new[] { ("DejaVu Sans", "DejaVu Arab"), ("DejaVuSans", "DejaVuArab") })
                foreach (var encoding in new Encoding[] { Encoding.ASCII, Encoding.BigEndianUnicode })
                {
                    var (f, t) = (encoding.GetBytes(from), encoding.GetBytes(to));
                    int i;
                    while ((i = font.AsSpan().IndexOf(f)) >= 0) t.CopyTo(font, i);
                }
            return font;
        }

        private static byte[] Load(string file)
        {
            using var s = Assembly.GetExecutingAssembly().GetManifestResourceStream($"FundingPrograms.Letters.Fonts.{file}")
                ?? throw new InvalidOperationException($"Font resource {file} is missing.");
            using var m = new MemoryStream();
            s.CopyTo(m);
            return m.ToArray();
        }

        public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) => familyName == WholeFamily
            ? new(bold ? "DejaVuArab-Bold" : "DejaVuArab", false, italic)
            : new(bold ? "DejaVuSans-Bold" : "DejaVuSans", false, italic);

        public byte[]? GetFont(string faceName) => Faces.GetValueOrDefault(faceName);
    }
}
