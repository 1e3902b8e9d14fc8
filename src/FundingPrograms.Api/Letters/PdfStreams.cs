using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
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
/// <para>Font programs and the ICC profile recur between letters (whole fonts in every Arabic and Persian copy, the same subset
/// for letters drawing the same characters): their compressed bytes are kept, by the SHA-256 of the stream, up to
/// <see cref="CacheLimit"/> bytes (then the cache starts again empty).</para>
/// </summary>
public static partial class PdfStreams
{
    private const long CacheLimit = 16 << 20;
    private static readonly ConcurrentDictionary<string, byte[]> Packed = new();
    private static long _cached;

    public static byte[] Compress(ReadOnlySpan<byte> pdf)
    {
        var xref = pdf.LastIndexOf("\nxref\n"u8) + 1;
        if (xref <= 0 || !pdf[xref..].StartsWith("xref\n0 "u8)) throw new InvalidOperationException("PDF stream compression: no classic cross-reference table (PDFsharp's output changed).");
        var entry = xref + "xref\n0 ".Length;
        if (!Utf8Parser.TryParse(pdf[entry..], out int count, out var digits) || digits == 0 || pdf[entry + digits] != '\n')
            throw new InvalidOperationException("PDF stream compression: no classic cross-reference table (PDFsharp's output changed).");
        entry += digits + 1;
        var offsets = new List<(int Number, int Offset)>(count);
        for (var n = 0; n < count; n++, entry += 20)
            if (pdf[entry + 17] == 'n') offsets.Add((n, int.Parse(pdf.Slice(entry, 10), CultureInfo.InvariantCulture)));
        offsets.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        var trailer = pdf[entry..];
        var startxref = trailer.IndexOf("startxref\n"u8);
        if (!trailer.StartsWith("trailer"u8) || startxref < 0) throw new InvalidOperationException("PDF stream compression: unexpected cross-reference table.");

        using var output = new MemoryStream(pdf.Length / 2 + (64 << 10)); // about what it takes (whole fonts compress less)
        output.Write(pdf[..offsets[0].Offset]);
        var newOffsets = new long[count];
        for (var i = 0; i < offsets.Count; i++)
        {
            var (number, start) = offsets[i];
            var end = i + 1 < offsets.Count ? offsets[i + 1].Offset : xref;
            newOffsets[number] = output.Position;
            WriteObject(output, pdf, start, end);
        }
        var newXref = output.Position;
        var xrefText = new StringBuilder();
        xrefText.Append(CultureInfo.InvariantCulture, $"xref\n0 {count}\n");
        for (var n = 0; n < count; n++)
            xrefText.Append(newOffsets[n] > 0 ? $"{newOffsets[n]:D10} 00000 n \n" : n == 0 ? "0000000000 65535 f \n" : "0000000000 00000 f \n");
        var afterNumber = startxref + "startxref\n".Length;
        afterNumber += trailer[afterNumber..].IndexOf((byte)'\n') + 1;
        xrefText.Append(Encoding.Latin1.GetString(trailer[..startxref]))
            .Append(CultureInfo.InvariantCulture, $"startxref\n{newXref}\n")
            .Append(Encoding.Latin1.GetString(trailer[afterNumber..]));
        output.Write(Encoding.Latin1.GetBytes(xrefText.ToString()));
        return output.ToArray();
    }

    private static void WriteObject(MemoryStream output, ReadOnlySpan<byte> pdf, int start, int end)
    {
        var obj = pdf[start..end];
        var keyword = obj.IndexOf(">>\nstream\n"u8);
        var dictionaryStart = obj.IndexOf("<<"u8);
        if (keyword < 0 || dictionaryStart < 0)
        {
            output.Write(obj);
            return;
        }
        var dictionary = Encoding.Latin1.GetString(obj[dictionaryStart..(keyword + 2)]);
        var length = StreamLength().Match(dictionary);
        if (!length.Success) throw new InvalidOperationException("PDF stream compression: a stream without a direct /Length.");
        var dataStart = keyword + ">>\nstream\n".Length;
        var data = obj.Slice(dataStart, int.Parse(length.Groups[1].Value, CultureInfo.InvariantCulture));
        var rest = dataStart + data.Length;
        var flate = dictionary.Contains("/Filter/FlateDecode", StringComparison.Ordinal);
        if (dictionary.Contains("/Type/Metadata", StringComparison.Ordinal) || (dictionary.Contains("/Filter", StringComparison.Ordinal) && !flate))
        {
            output.Write(obj);
            return;
        }
        // Font programs (with /Length1) and the ICC profile (compressed by PDFsharp) recur between letters; page content does not.
        var packed = flate || dictionary.Contains("/Length1", StringComparison.Ordinal) ? Cached(data, flate) : Deflate(data);
        var newDictionary = StreamLength().Replace(dictionary, $"/Length {packed.Length.ToString(CultureInfo.InvariantCulture)}", 1);
        if (!flate) newDictionary = newDictionary[..^2] + "/Filter/FlateDecode>>";
        output.Write(obj[..dictionaryStart]);
        output.Write(Encoding.Latin1.GetBytes(newDictionary + "\nstream\n"));
        output.Write(packed);
        output.Write(obj[rest..]);
    }

    private static byte[] Cached(ReadOnlySpan<byte> data, bool flate)
    {
        var key = (flate ? "z" : "") + Convert.ToHexString(SHA256.HashData(data));
        if (Packed.TryGetValue(key, out var packed)) return packed;
        packed = Deflate(flate ? Inflate(data) : data);
        if (Interlocked.Add(ref _cached, packed.Length) > CacheLimit)
        {
            Packed.Clear();
            Interlocked.Exchange(ref _cached, packed.Length);
        }
        Packed.TryAdd(key, packed);
        return packed;
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

    private static byte[] Deflate(ReadOnlySpan<byte> data)
    {
        using var result = new MemoryStream(data.Length / 2 + 64);
        using (var z = new ZLibStream(result, CompressionLevel.Optimal, leaveOpen: true)) z.Write(data);
        return result.ToArray();
    }

    [GeneratedRegex(@"/Length (\d+)")]
    private static partial Regex StreamLength();
}
