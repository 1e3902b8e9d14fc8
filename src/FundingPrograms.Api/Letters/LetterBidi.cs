using System.Text;

namespace FundingPrograms.Letters;

/// <summary>
/// Right-to-left text for the PDF writer, which draws characters one after another from left to right and neither shapes nor
/// reorders (PDFsharp 6 has no complex-script support): <see cref="Shape"/> replaces Arabic and Persian letters by their joined
/// presentation forms (isolated, final, initial, medial; lam-alef ligatures), which DejaVu Sans carries (embedded whole: many
/// of these glyphs are composed of parts, which PDFsharp's subsets lose); <see cref="Visual"/>
/// then puts one line in display order for a right-to-left paragraph (Unicode bidi algorithm, simplified to what letters hold:
/// paragraph level 1, every left-to-right run — Latin or Cyrillic words, numbers, amounts, IBANs, references — kept in its own
/// order, brackets mirrored). Lines are broken in logical order first, then each line is made visual, as the algorithm requires.
/// The PDF's text layer therefore holds presentation forms in visual order (copying text out of an Arabic or Persian PDF gives
/// it reversed; the HTML reading copy is the one to copy from or to read aloud). Letters in German, English and the left-to-right
/// languages are not touched.
/// </summary>
public static class LetterBidi
{
    // Presentation forms: isolated, final, initial, medial (final only for right-joining letters; isolated only for hamza).
    private static readonly Dictionary<char, char[]> Forms = Build();

    private static Dictionary<char, char[]> Build()
    {
        var forms = new Dictionary<char, char[]>();
        void Add(char c, params int[] f) => forms[c] = f.Select(x => (char)x).ToArray();
        // U+0621..U+064A in the order of the FE80 block, with how many forms each has.
        var counts = new (char C, int N)[]
        {
            ('\u0621', 1), ('\u0622', 2), ('\u0623', 2), ('\u0624', 2), ('\u0625', 2), ('\u0626', 4), ('\u0627', 2), ('\u0628', 4), ('\u0629', 2),
            ('\u062A', 4), ('\u062B', 4), ('\u062C', 4), ('\u062D', 4), ('\u062E', 4), ('\u062F', 2), ('\u0630', 2), ('\u0631', 2), ('\u0632', 2),
            ('\u0633', 4), ('\u0634', 4), ('\u0635', 4), ('\u0636', 4), ('\u0637', 4), ('\u0638', 4), ('\u0639', 4), ('\u063A', 4),
            ('\u0641', 4), ('\u0642', 4), ('\u0643', 4), ('\u0644', 4), ('\u0645', 4), ('\u0646', 4), ('\u0647', 4), ('\u0648', 2), ('\u0649', 2),
            ('\u064A', 4),
        };
        var next = 0xFE80;
        foreach (var (c, n) in counts)
        {
            forms[c] = Enumerable.Range(next, n).Select(x => (char)x).ToArray();
            next += n;
        }
        Add('\u067E', 0xFB56, 0xFB57, 0xFB58, 0xFB59); // peh
        Add('\u0686', 0xFB7A, 0xFB7B, 0xFB7C, 0xFB7D); // tcheh
        Add('\u0698', 0xFB8A, 0xFB8B); // jeh
        Add('\u06A9', 0xFB8E, 0xFB8F, 0xFB90, 0xFB91); // keheh
        Add('\u06AF', 0xFB92, 0xFB93, 0xFB94, 0xFB95); // gaf
        Add('\u06CC', 0xFBFC, 0xFBFD, 0xFBFE, 0xFBFF); // farsi yeh
        return forms;
    }

    private static bool Transparent(char c) => c is >= '\u064B' and <= '\u065F' or '\u0670';
    private static bool JoinsBoth(char c) => c == '\u0640' || (Forms.TryGetValue(c, out var f) && f.Length == 4);
    private static bool JoinsRight(char c) => JoinsBoth(c) || (Forms.TryGetValue(c, out var f) && f.Length == 2);

    public static bool IsRightToLeft(char c) => c is >= '\u0590' and <= '\u08FF' or >= '\uFB1D' and <= '\uFDFF' or >= '\uFE70' and <= '\uFEFF';

    /// <summary>Arabic letters replaced by the form their neighbours require; zero-width (non-)joiners removed after use.</summary>
    public static string Shape(string text)
    {
        if (!text.Any(IsRightToLeft)) return text;
        var s = new StringBuilder(text.Length);
        int Neighbour(int i, int step)
        {
            for (i += step; i >= 0 && i < text.Length; i += step)
                if (!Transparent(text[i])) return i;
            return -1;
        }
        bool Both(int i) => i >= 0 && JoinsBoth(text[i]);
        bool Right(int i) => i >= 0 && JoinsRight(text[i]);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\u200C' or '\u200D') continue;
            if (!Forms.TryGetValue(c, out var forms)) { s.Append(c); continue; }
            var joinsBefore = Both(Neighbour(i, -1)) && JoinsRight(c);
            // Lam followed by alef (with or without hamza or madda): one ligature, isolated or final.
            if (c == '\u0644' && i + 1 < text.Length && text[i + 1] is '\u0622' or '\u0623' or '\u0625' or '\u0627')
            {
                var ligature = text[i + 1] switch { '\u0622' => 0xFEF5, '\u0623' => 0xFEF7, '\u0625' => 0xFEF9, _ => 0xFEFB };
                s.Append((char)(ligature + (joinsBefore ? 1 : 0)));
                i++;
                continue;
            }
            var joinsAfter = forms.Length == 4 && Right(Neighbour(i, 1));
            s.Append(forms.Length switch
            {
                1 => forms[0],
                2 => forms[joinsBefore ? 1 : 0],
                _ => forms[(joinsBefore, joinsAfter) switch { (true, true) => 3, (true, false) => 1, (false, true) => 2, _ => 0 }],
            });
        }
        return s.ToString();
    }

    private static bool LeftToRight(char c) => !IsRightToLeft(c) && (char.IsLetterOrDigit(c) || c is >= '\u06F0' and <= '\u06F9');
    private static bool Digit(char c) => c is >= '0' and <= '9' or >= '\u0660' and <= '\u0669' or >= '\u06F0' and <= '\u06F9';

    private static char Mirror(char c) => c switch
    {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        '‹' => '›',
        '›' => '‹',
        _ => c,
    };

    /// <summary>
    /// One line of a right-to-left paragraph, shaped and in display order (left to right as drawn). A run of left-to-right
    /// characters, with the neutrals between them (spaces, dots, dashes, the separators of numbers), stays as it is; every other
    /// character is placed from the right, brackets mirrored.
    /// </summary>
    public static string Visual(string line)
    {
        // A line without right-to-left characters (the German sentence, an address, a reference) is left-to-right as it stands.
        if (!line.Any(IsRightToLeft)) return line;
        var shaped = Shape(line);
        var units = new List<string>();
        var i = 0;
        while (i < shaped.Length)
        {
            var c = shaped[i];
            if (LeftToRight(c) || Digit(c))
            {
                // Extend over neutrals as long as another left-to-right character or digit follows before any right-to-left one;
                // brackets end a run (they belong to the right-to-left text around it, as in the HTML copy's isolates).
                var end = i + 1;
                var last = i;
                while (end < shaped.Length && (!IsRightToLeft(shaped[end]) || Digit(shaped[end]) || shaped[end] is '\u066B' or '\u066C')
                    && Mirror(shaped[end]) == shaped[end])
                {
                    if (LeftToRight(shaped[end]) || Digit(shaped[end])) last = end;
                    end++;
                }
                units.Add(shaped[i..(last + 1)]);
                i = last + 1;
                continue;
            }
            // A letter and the marks after it (tanwin, shadda) stay together, the marks first: DejaVu Sans draws an Arabic mark
            // (zero advance) to the right of the pen, so drawn just before its letter it stands over it.
            var cluster = i + 1;
            while (cluster < shaped.Length && Transparent(shaped[cluster])) cluster++;
            units.Add(shaped[(i + 1)..cluster] + Mirror(c));
            i = cluster;
        }
        units.Reverse();
        return string.Concat(units);
    }
}
