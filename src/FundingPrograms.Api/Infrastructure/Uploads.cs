namespace FundingPrograms.Infrastructure;

/// <summary>Uploaded files (bank files, proof attachments, receipt lists): read asynchronously into memory (Kestrel forbids
/// synchronous body reads), with a hard limit.</summary>
public static class Uploads
{
    /// <summary>The body, read asynchronously; 413 as soon as it exceeds <paramref name="maxBytes"/> (nothing beyond is read).</summary>
    public static async Task<MemoryStream> Read(HttpContext http, long maxBytes, CancellationToken ct)
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
        ProblemException.Of(413, ProblemTypes.PayloadTooLarge, $"The file is larger than the limit of {maxBytes} bytes; nothing was changed.");
}
