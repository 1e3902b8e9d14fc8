using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace FundingPrograms.Letters;

/// <summary>
/// Compresses the streams of a PDF written by PDFsharp (classic cross-reference table, one revision) with
/// <see cref="ZLibStream"/>, so that every compressed stream ends cleanly (final deflate block and Adler-32 checksum):
/// PDFsharp 6.2.4's own deflate omits them, which <c>qpdf --check</c> reports and an archive's validator may refuse.
/// <para>Uncompressed streams (page content, font programs) are compressed; streams PDFsharp ships compressed (the sRGB
/// ICC profile of the output intent) are inflated and compressed again; the XMP metadata stays uncompressed (readable as
/// text, as PDF/A recommends). Objects keep their order; the cross-reference table and <c>startxref</c> are rewritten.
/// Deterministic: the same input gives the same bytes.</para>
/// </summary>
public static partial class PdfStreams
{
    public static byte[] Compress(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var xref = text.LastIndexOf("\nxref\n", StringComparison.Ordinal) + 1;
        var table = XrefHeader().Match(text, xref);
        if (xref <= 0 || !table.Success || table.Index != xref) throw new InvalidOperationException("PDF stream compression: no classic cross-reference table (PDFsharp's output changed).");
        var count = int.Parse(table.Groups[1].Value, CultureInfo.InvariantCulture);
        var offsets = new List<(int Number, int Offset)>();
        var entry = table.Index + table.Length;
        for (var n = 0; n < count; n++, entry += 20)
        {
            var line = text.Substring(entry, 20);
            if (line[17] == 'n') offsets.Add((n, int.Parse(line[..10], CultureInfo.InvariantCulture)));
        }
        offsets.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        var trailer = text[entry..];
        if (!trailer.StartsWith("trailer", StringComparison.Ordinal)) throw new InvalidOperationException("PDF stream compression: unexpected cross-reference table.");

        using var output = new MemoryStream(pdf.Length);
        output.Write(pdf, 0, offsets[0].Offset);
        var newOffsets = new Dictionary<int, long>();
        for (var i = 0; i < offsets.Count; i++)
        {
            var (number, start) = offsets[i];
            var end = i + 1 < offsets.Count ? offsets[i + 1].Offset : xref;
            newOffsets[number] = output.Position;
            WriteObject(output, pdf, text, start, end);
        }
        var newXref = output.Position;
        var xrefText = new StringBuilder();
        xrefText.Append(CultureInfo.InvariantCulture, $"xref\n0 {count}\n");
        for (var n = 0; n < count; n++)
            xrefText.Append(newOffsets.TryGetValue(n, out var o) ? $"{o:D10} 00000 n \n" : n == 0 ? "0000000000 65535 f \n" : "0000000000 00000 f \n");
        var tail = StartXref().Replace(trailer, $"startxref\n{newXref.ToString(CultureInfo.InvariantCulture)}\n", 1);
        output.Write(Encoding.Latin1.GetBytes(xrefText.Append(tail).ToString()));
        return output.ToArray();
    }

    private static void WriteObject(MemoryStream output, byte[] pdf, string text, int start, int end)
    {
        var keyword = text.IndexOf(">>\nstream\n", start, end - start, StringComparison.Ordinal);
        var dictionaryStart = text.IndexOf("<<", start, end - start, StringComparison.Ordinal);
        if (keyword < 0 || dictionaryStart < 0)
        {
            output.Write(pdf, start, end - start);
            return;
        }
        var dictionary = text[dictionaryStart..(keyword + 2)];
        var length = StreamLength().Match(dictionary);
        if (!length.Success) throw new InvalidOperationException("PDF stream compression: a stream without a direct /Length.");
        var dataStart = keyword + ">>\nstream\n".Length;
        var data = pdf.AsSpan(dataStart, int.Parse(length.Groups[1].Value, CultureInfo.InvariantCulture));
        var rest = dataStart + data.Length;
        if (dictionary.Contains("/Type/Metadata", StringComparison.Ordinal) || (dictionary.Contains("/Filter", StringComparison.Ordinal) && !dictionary.Contains("/Filter/FlateDecode", StringComparison.Ordinal)))
        {
            output.Write(pdf, start, end - start);
            return;
        }
        var plain = dictionary.Contains("/Filter/FlateDecode", StringComparison.Ordinal) ? Inflate(data) : data.ToArray();
        var packed = Deflate(plain);
        var newDictionary = StreamLength().Replace(dictionary, $"/Length {packed.Length.ToString(CultureInfo.InvariantCulture)}", 1);
        if (!newDictionary.Contains("/Filter/FlateDecode", StringComparison.Ordinal)) newDictionary = newDictionary[..^2] + "/Filter/FlateDecode>>";
        output.Write(pdf, start, dictionaryStart - start);
        output.Write(Encoding.Latin1.GetBytes(newDictionary + "\nstream\n"));
        output.Write(packed);
        output.Write(pdf, rest, end - rest);
    }

    /// <summary>Reads a zlib stream, also one that lacks its end (as PDFsharp writes them): everything it encodes.</summary>
    private static byte[] Inflate(ReadOnlySpan<byte> data)
    {
        using var input = new ZLibStream(new MemoryStream(data.ToArray()), CompressionMode.Decompress);
        using var result = new MemoryStream();
        var buffer = new byte[16384];
        try
        {
            int read;
            while ((read = input.Read(buffer)) > 0) result.Write(buffer, 0, read);
        }
        catch (InvalidDataException) when (result.Length > 0)
        {
            // The truncated end: what was decoded is complete.
        }
        return result.ToArray();
    }

    private static byte[] Deflate(byte[] data)
    {
        using var result = new MemoryStream();
        using (var z = new ZLibStream(result, CompressionLevel.SmallestSize, leaveOpen: true)) z.Write(data);
        return result.ToArray();
    }

    [GeneratedRegex(@"xref\n0 (\d+)\n")]
    private static partial Regex XrefHeader();
    [GeneratedRegex(@"/Length (\d+)")]
    private static partial Regex StreamLength();
    [GeneratedRegex(@"startxref\n\d+\n")]
    private static partial Regex StartXref();
}
