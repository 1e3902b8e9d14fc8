using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace FundingPrograms.Infrastructure;

/// <summary>
/// Refuses bodies over the configured limit (Api:MaxRequestBodyBytes, default 1 MiB) with 413,
/// unless the endpoint declares a larger limit ([RequestSizeLimit] on file uploads).
/// </summary>
public static class RequestLimits
{
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app, long defaultLimit) => app.Use((http, next) =>
    {
        var limit = http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? defaultLimit;
        if (http.Request.ContentLength > limit)
            throw new BadHttpRequestException($"The request body is larger than {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
        var feature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = limit;
        return next(http);
    });
}

/// <summary>A JSON body of just <c>null</c> is refused with 400 before any endpoint sees it (commands need an object).</summary>
public static class NullBodyGuard
{
    public static IApplicationBuilder UseNullBodyGuard(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var request = http.Request;
        if (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method))
        {
            if (request.ContentLength is > 0 and <= 64 && request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
            {
                request.EnableBuffering();
                using var reader = new StreamReader(request.Body, leaveOpen: true);
                var text = await reader.ReadToEndAsync(http.RequestAborted);
                request.Body.Position = 0;
                if (text.Trim() == "null")
                    throw ProblemException.Validation(new Dictionary<string, string[]> { ["body"] = ["Send a JSON object, not null."] });
            }
        }
        await next(http);
    });
}

/// <summary>
/// The nil GUID (00000000-0000-0000-0000-000000000000, in any form Guid parses) names no case: every id is assigned by the
/// server and is never nil. A request addressing it is 404 for every route, before any endpoint loads (Marten refuses an empty
/// stream id, and a command must never start a stream under it), so nothing is appended.
/// </summary>
public static class NilIdGuard
{
    public static IApplicationBuilder UseNilIdGuard(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var path = http.Request.Path.Value;
        if (path is null || !path.Contains("000", StringComparison.Ordinal)) return next(http);
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
            if (segment.Length >= 32 && Guid.TryParse(segment, out var id) && id == Guid.Empty)
                throw ProblemException.Of(404, ProblemTypes.NotFound, $"There is no case with the id {segment}: the nil id names nothing.");
        return next(http);
    });
}
