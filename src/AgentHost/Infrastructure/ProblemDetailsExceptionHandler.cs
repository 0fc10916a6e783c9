using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Agents.AgentHost.Infrastructure;

/// <summary>A resource that does not exist for the caller's merchant (never says whether it exists elsewhere).</summary>
public sealed class NotFoundException(string resource) : Exception($"{resource} was not found.");

/// <summary>The request collides with the current state (a taken slug, a duplicate phone number).</summary>
public sealed class ConflictException(string message) : Exception(message);

/// <summary>Maps every exception that reaches the pipeline to an RFC 9457 ProblemDetails response.</summary>
public sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problems, ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, field) = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } e =>
                (StatusCodes.Status413PayloadTooLarge, "Payload Too Large", e.Message, null),
            BadHttpRequestException e when FindJsonError(e) is { } json =>
                (StatusCodes.Status400BadRequest, "Malformed JSON", Describe(json), FieldName(json)),
            BadHttpRequestException e => (e.StatusCode, "Bad Request", e.Message, null),
            JsonException e => (StatusCodes.Status400BadRequest, "Malformed JSON", Describe(e), FieldName(e)),
            NotFoundException e => (StatusCodes.Status404NotFound, "Not Found", e.Message, null),
            ConflictException e => (StatusCodes.Status409Conflict, "Conflict", e.Message, null),
            DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg } =>
                (StatusCodes.Status409Conflict, "Conflict", $"A record with the same {pg.ConstraintName?.Replace("ux_", "", StringComparison.Ordinal)} already exists.", null),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested =>
                (499, "Client Closed Request", "The client closed the request.", null),
            _ => (StatusCodes.Status500InternalServerError, "Internal Server Error", "An unexpected error occurred; it has been logged.", (string?)null),
        };

        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = status;
        var context = new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        };
        if (field is not null)
        {
            context.ProblemDetails.Extensions["field"] = field;
        }

        return await problems.TryWriteAsync(context);
    }

    private static string? FieldName(JsonException e) =>
        e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;

    private static JsonException? FindJsonError(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json)
            {
                return json;
            }
        }

        return null;
    }

    private static string Describe(JsonException e)
    {
        if (e.Path is not { Length: > 1 } path)
        {
            return $"The request body is not valid JSON: {FirstSentence(e.Message)}";
        }

        // A conversion failure names our type, which means nothing to a client: name the field.
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
        return e.Message.Contains("could not be converted", StringComparison.Ordinal)
            ? $"'{field}' has the wrong type or is not valid (text must be valid UTF-8)."
            : $"The request body is not valid JSON at '{field}': {FirstSentence(e.Message)}";
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }
}
