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
