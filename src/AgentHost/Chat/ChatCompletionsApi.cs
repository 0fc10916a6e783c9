using System.Text.Json;
using Agents.AgentHost.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using RequestSizeLimitAttribute = Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute;

namespace Agents.AgentHost.Chat;

public sealed record ChatCompletionsServices(ChatPipeline Pipeline, TimeProvider Clock, IOptions<JsonOptions> Json);

/// <summary>
/// POST /v1/chat/completions: OpenAI's Chat Completions wire format over the same turn as POST /chat,
/// so any OpenAI client library can talk to a merchant's assistant with the merchant's secret key.
/// Memory is server-side, per session: only the last user message of <c>messages</c> is the turn.
/// </summary>
public static class ChatCompletionsApi
{
    public const string SessionHeader = "X-Session-Id";
    public const int MaxSessionIdLength = 200;

    // Clients resend the whole conversation on every call; the default 64 KB would cut long chats off.
    public const long MaxBodyBytes = 1024 * 1024;

    private const string InvalidRequest = "invalid_request_error";
    private static readonly string[] Roles = ["system", "developer", "user", "assistant", "tool", "function"];

    public static IEndpointRouteBuilder MapChatCompletionsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1").RequireAuthorization(AgentPolicies.SecretKey).WithTags("OpenAI-compatible")
            .MapPost("/chat/completions", Complete)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .Accepts<ChatCompletionsRequest>("application/json")
            .Produces<ChatCompletionsResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("OpenAI-compatible chat completion: one turn with the merchant's assistant, the last user message being the turn. " +
                         "With \"stream\": true, chat.completion.chunk server-sent events end with data: [DONE]. The session is " +
                         "X-Session-Id, metadata.session_id, 'oai-{user}', or new; it is returned in the X-Session-Id header.");
        return app;
    }

    public static async Task<IResult> Complete(HttpContext http, [AsParameters] ChatCompletionsServices services, CancellationToken cancellationToken)
    {
        var json = services.Json.Value.SerializerOptions;
        ChatCompletionsRequest? request;
        try
        {
            // Read by hand rather than bound, so a malformed body also gets the 'error' member OpenAI SDKs show.
            request = await JsonSerializer.DeserializeAsync<ChatCompletionsRequest>(http.Request.Body, json, cancellationToken);
        }
        catch (JsonException exception)
        {
            return Invalid([JsonError(exception)]);
        }

        if (request is null)
        {
            return Invalid([new("$", "The body must be a JSON object with 'model' and 'messages'.", null)]);
        }

        var errors = new List<FieldError>();
        var text = Validate(request, errors);
        var user = string.IsNullOrWhiteSpace(request.User) ? null : request.User.Trim();
        if (user is { Length: > MaxSessionIdLength })
        {
            errors.Add(new("user", $"'user' must be at most {MaxSessionIdLength} characters.", "string_above_max_length"));
        }

        var session = Session(http.Request.Headers[SessionHeader].ToString(), request.Metadata, user, errors);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        http.Response.Headers[SessionHeader] = session;
        var turn = new ChatRequest(session, user is null ? null : new ChatCustomerRequest(user, null, null, null, null), text, "api");
        var id = $"chatcmpl-{Guid.CreateVersion7():N}";
        var created = services.Clock.GetUtcNow().ToUnixTimeSeconds();
        var model = request.Model!;
        if (request.Stream != true)
        {
            var outcome = await services.Pipeline.RunAsync(turn, "api", null, cancellationToken);
            return outcome switch
            {
                { Reply: { } reply } => TypedResults.Ok(new ChatCompletionsResponse(id, "chat.completion", created, model,
                    [new ChatCompletionsChoice(0, new ChatCompletionsReply("assistant", reply.Reply), "stop")], Usage(reply.Usage), Extras(reply))),
                _ when Ignored(outcome.Refusal) is { } ignored => TypedResults.Ok(new ChatCompletionsResponse(id, "chat.completion", created, model,
                    [new ChatCompletionsChoice(0, new ChatCompletionsReply("assistant", ""), "content_filter")], new ChatCompletionsUsage(0, 0, 0),
                    new ChatCompletionsExtras(session, null, [], [], ignored))),
                _ => Refused(outcome.Refusal),
            };
        }

        var stream = new ChatCompletionsStream(http.Response, json, id, created, model);
        var streamed = await services.Pipeline.RunAsync(turn, "api",
            e => e is Runtime.Invocation.TextDelta delta ? stream.TextAsync(delta.Text, cancellationToken) : Task.CompletedTask, cancellationToken);
        var includeUsage = request.StreamOptions?.IncludeUsage == true;
        if (streamed.Reply is { } done)
        {
            await stream.FinishAsync(done.Reply, "stop", includeUsage ? Usage(done.Usage) : null, Extras(done), cancellationToken);
            return Results.Empty;
        }

        // Refusals come before the model runs, so nothing has been streamed: a problem can still be sent.
        if (Ignored(streamed.Refusal) is { } skipped)
        {
            await stream.FinishAsync("", "content_filter", includeUsage ? new ChatCompletionsUsage(0, 0, 0) : null,
                new ChatCompletionsExtras(session, null, [], [], skipped), cancellationToken);
            return Results.Empty;
        }

        return stream.Started ? Results.Empty : Refused(streamed.Refusal);
    }

    private sealed record FieldError(string Field, string Message, string? Code);

    /// <summary>Checks the request and returns the turn's text: the last user message's.</summary>
    private static string? Validate(ChatCompletionsRequest request, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(request.Model))
        {
            errors.Add(new("model", "'model' is required (any name: the merchant's configured model answers).", "missing_required_parameter"));
        }

        if (request.Messages is not { } messages)
        {
            errors.Add(new("messages", "'messages' is required: an array ending with the user's message.", "missing_required_parameter"));
            return null;
        }

        if (messages.Count == 0)
        {
            errors.Add(new("messages", "'messages' is empty: send at least the user's message.", "empty_array"));
            return null;
        }

        var turn = -1;
        for (var i = 0; i < messages.Count; i++)
        {
            var role = messages[i]?.Role;
            if (role is null)
            {
                errors.Add(new($"messages[{i}].role", $"'messages[{i}].role' is required: one of {string.Join(", ", Roles)}.", "missing_required_parameter"));
            }
            else if (!Roles.Contains(role))
            {
                errors.Add(new($"messages[{i}].role", $"'messages[{i}].role' must be one of {string.Join(", ", Roles)}; got '{role}'.", "invalid_value"));
            }
            else if (role == "user")
            {
                turn = i;
            }
        }

        if (turn < 0)
        {
            if (errors.Count == 0)
            {
                errors.Add(new("messages", "'messages' has no user message: the last one is the turn the assistant answers.", "invalid_value"));
            }

            return null;
        }

        var field = $"messages[{turn}].content";
        var text = Text(messages[turn]!.Content)?.Trim();
        if (text is null)
        {
            errors.Add(new(field, $"'{field}' must be a string or an array of text parts; images, audio and files are not supported.", "invalid_type"));
        }
        else if (text.Length == 0)
        {
            errors.Add(new(field, $"'{field}' is empty: the last user message is the turn and needs text.", "invalid_value"));
        }
        else if (text.Length > ChatApi.MaxMessageLength)
        {
            errors.Add(new(field, $"'{field}' is limited to {ChatApi.MaxMessageLength:N0} characters; this one has {text.Length:N0}.", "string_above_max_length"));
        }

        return text;
    }

    /// <summary>A message's text, or null when it holds something other than text.</summary>
    private static string? Text(JsonElement content)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return content.GetString();
            case JsonValueKind.Array:
                var parts = new List<string>();
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
                        || type.GetString() != "text" || !part.TryGetProperty("text", out var value) || value.ValueKind != JsonValueKind.String)
                    {
                        return null;
                    }

                    parts.Add(value.GetString()!);
                }

                return string.Join("\n", parts);
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return "";
            default:
                return null;
        }
    }

    /// <summary>
    /// X-Session-Id, else metadata.session_id, else one conversation per <c>user</c>, else a new
    /// session: the id is always fixed here so the response header can carry it before any byte streams.
    /// </summary>
    private static string Session(string header, IReadOnlyDictionary<string, string>? metadata, string? user, List<FieldError> errors)
    {
        var fromHeader = string.IsNullOrWhiteSpace(header) ? null : header.Trim();
        var fromBody = metadata?.GetValueOrDefault("session_id") is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        if (fromHeader is not null && fromBody is not null && fromHeader != fromBody)
        {
            errors.Add(new("metadata.session_id", $"The {SessionHeader} header ('{fromHeader}') and 'metadata.session_id' ('{fromBody}') name different sessions; send one.", "invalid_value"));
        }

        var explicitId = fromHeader ?? fromBody;
        if (explicitId is { Length: > MaxSessionIdLength })
        {
            errors.Add(new("metadata.session_id", $"The session id must be at most {MaxSessionIdLength} characters.", "string_above_max_length"));
        }

        return explicitId ?? (user is null ? Guid.CreateVersion7().ToString() : $"oai-{user}");
    }

    private static ChatCompletionsUsage Usage(UsageDto usage) => new(usage.InputTokens, usage.OutputTokens, usage.InputTokens + usage.OutputTokens);

    private static ChatCompletionsExtras Extras(ChatReply reply) => new(reply.SessionId, reply.Language, reply.Links, reply.Citations);

    // Like POST /chat, a blocked or opted-out customer gets no answer rather than an error; here an empty
    // "content_filter" completion, which every client handles, says that the reply was withheld.
    private static string? Ignored(TurnRefusal refusal) => refusal switch
    {
        TurnRefusal.CustomerBlocked => "customer_blocked",
        TurnRefusal.CustomerOptedOut => "customer_opted_out",
        _ => null,
    };

    private static ProblemHttpResult Refused(TurnRefusal refusal) => refusal switch
    {
        TurnRefusal.MerchantSuspended => Problem(StatusCodes.Status403Forbidden, "Forbidden", "The merchant account is suspended.", null, "merchant_suspended"),
        _ => Problem(StatusCodes.Status409Conflict, "Conflict",
            "This session belongs to another customer: send another session id, or none, for this 'user'.", "user", "session_of_another_customer"),
    };

    private static ProblemHttpResult Problem(int status, string title, string detail, string? param, string code) =>
        TypedResults.Problem(detail, statusCode: status, title: title,
            extensions: new Dictionary<string, object?> { ["error"] = new ChatCompletionsError(detail, InvalidRequest, param, code) });

    /// <summary>ProblemDetails as everywhere, plus OpenAI's 'error' member naming the first problem.</summary>
    private static ValidationProblem Invalid(List<FieldError> errors) =>
        TypedResults.ValidationProblem(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            detail: errors[0].Message,
            extensions: new Dictionary<string, object?> { ["error"] = new ChatCompletionsError(errors[0].Message, InvalidRequest, errors[0].Field == "$" ? null : errors[0].Field, errors[0].Code) });

    private static FieldError JsonError(JsonException exception)
    {
        var field = exception.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "$";
        if (field != "$" && exception.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return new(field, $"'{field}' has the wrong type.", "invalid_type");
        }

        var end = exception.Message.IndexOf(" Path:", StringComparison.Ordinal);
        return new(field, $"The request body is not valid JSON: {(end > 0 ? exception.Message[..end] : exception.Message)}", null);
    }
}
