using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Agents.AgentHost.Infrastructure;

/// <summary>
/// 64 KB per request body unless the endpoint declares its own limit (bulk uploads do). Declared
/// lengths over the limit are refused before any byte is read; streamed bodies are cut off by
/// the server's own limit, which is set here per request.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, IProblemDetailsService problems)
{
    public const long DefaultLimit = 64 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? DefaultLimit;
        if (context.Request.ContentLength > limit)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Title = "Payload Too Large",
                    Detail = $"The request body is {context.Request.ContentLength} bytes; this endpoint accepts at most {limit} bytes.",
                },
            });
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        await next(context);
    }
}
