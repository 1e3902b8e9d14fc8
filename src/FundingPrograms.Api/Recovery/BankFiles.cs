using FundingPrograms.Infrastructure;

namespace FundingPrograms.Recovery;

/// <summary>Reading uploaded bank files: asynchronously into memory (Kestrel forbids synchronous body reads), with a hard limit.</summary>
public static class BankFiles
{
    public const long MaxBytes = 5 * 1024 * 1024;

    public static void EnsureXml(HttpContext http, string what)
    {
        var type = http.Request.ContentType ?? "";
        if (!type.Contains("xml", StringComparison.OrdinalIgnoreCase))
            throw ProblemException.Of(415, ProblemTypes.UnsupportedMediaType, $"Send the {what} as application/xml.");
    }

    /// <summary>The body, read asynchronously; 413 as soon as it exceeds <paramref name="maxBytes"/> (nothing beyond is read).</summary>
    public static async Task<MemoryStream> Buffer(HttpContext http, long maxBytes, CancellationToken ct)
    {
        if (http.Request.ContentLength > maxBytes) throw TooLarge(maxBytes);
        var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes) throw TooLarge(maxBytes);
            buffer.Write(chunk, 0, read);
        }
        buffer.Position = 0;
        return buffer;
    }

    private static ProblemException TooLarge(long maxBytes) =>
        ProblemException.Of(413, ProblemTypes.PayloadTooLarge, $"The file is larger than {maxBytes} bytes; nothing was imported.");
}
