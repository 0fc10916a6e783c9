using System.Text.Json;
using Agents.AgentHost.Auth;
using Agents.AgentHost.Infrastructure;
using Agents.Data;
using Agents.Runtime.Invocation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Agents.AgentHost.Chat;

/// <summary>
/// POST /chat (JSON, or server-sent events with Accept: text/event-stream), a session's
/// history, and deleting a session. Secret keys, or publishable keys from an allowed origin.
/// </summary>
public static class ChatApi
{
    public const int MaxMessageLength = 4_000;
    public static readonly IReadOnlyList<string> Channels = ["api", "widget", "whatsapp"];
    private static readonly JsonSerializerOptions StoredJson = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapChatApi(this IEndpointRouteBuilder app)
    {
        var chat = app.MapGroup("/chat").RequireAuthorization(AgentPolicies.Chat).RequireCors(ChatCors).WithTags("Chat");
        chat.MapPost("/", Chat).WithSummary("One conversation turn. With 'Accept: text/event-stream' the turn streams: delta, tool_call, tool_result, then done with the full reply.");
        chat.MapGet("/sessions/{sessionId}/history", History).WithSummary("The session's messages in order, with tool calls.");
        chat.MapDelete("/sessions/{sessionId}", DeleteSession).WithSummary("Deletes the session and its whole history.");
        return app;
    }

    /// <summary>The widget calls /chat from the merchant's site: any origin may ask, the publishable key's origin check decides.</summary>
    public const string ChatCors = "chat";

    public const string PromptVersionHeader = "X-Prompt-Version";

    public static async Task<IResult> Chat(ChatRequest? request, HttpContext http, ChatPipeline pipeline, AssistantModels models, IOptions<JsonOptions> json,
        CancellationToken cancellationToken)
    {
        // Which prompt set answered: eval reports and support can trace a reply to the prompts that produced it.
        http.Response.Headers[PromptVersionHeader] = models.PromptVersion;
        var validation = new Validation();
        if (request is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["$"] = ["The body must be a JSON object with a 'message'."] });
        }

        if (string.IsNullOrWhiteSpace(request.Message))
        {
            validation.Add("message", "'message' is required and cannot be empty.");
        }
        else if (request.Message.Length > MaxMessageLength)
        {
            validation.Add("message", $"'message' is limited to {MaxMessageLength:N0} characters; this one has {request.Message.Length:N0}.");
        }

        validation.OneOf("channel", request.Channel, Channels, required: false)
            .OneOf("customer.language", request.Customer?.Language, Validation.Languages, required: false)
            .OneOf("audience", request.Audience, ["shopper", "merchant"], required: false);
        if (request.Audience == "merchant" && http.User.HasClaim(AgentClaims.KeyKind, ApiKeyFormat.Publishable))
        {
            validation.Add("audience", "Only a secret key can ask as the merchant; a publishable key always speaks for a shopper in the widget.");
        }

        if (request.SessionId is { Length: > 200 })
        {
            validation.Add("sessionId", "'sessionId' must be at most 200 characters.");
        }

        if (request.Customer?.Email is { } email && !Validation.IsEmail(email))
        {
            validation.Add("customer.email", $"'{email}' is not an e-mail address.");
        }

        string? phone = null;
        if (request.Customer?.Phone is { } rawPhone && (phone = Validation.NormalizePhone(rawPhone)) is null)
        {
            validation.Add("customer.phone", $"'{rawPhone}' is not a phone number in international format (E.164, e.g. +393331234567).");
        }

        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        request = request with { Customer = request.Customer is null ? null : request.Customer with { Phone = phone } };
        // A publishable key is public: it only ever speaks for the widget, whatever the body says.
        var channel = http.User.HasClaim(AgentClaims.KeyKind, ApiKeyFormat.Publishable) ? "widget" : request.Channel ?? "api";
        var streaming = http.Request.Headers.Accept.Any(a => a?.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) == true);
        if (!streaming)
        {
            return Result(await pipeline.RunAsync(request, channel, null, cancellationToken));
        }

        var options = json.Value.SerializerOptions;
        var started = false;
        async Task Send(string name, object data)
        {
            if (!started)
            {
                started = true;
                http.Response.ContentType = "text/event-stream";
                http.Response.Headers.CacheControl = "no-cache";
                http.Response.Headers["X-Accel-Buffering"] = "no";
            }

            await http.Response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(data, options)}\n\n", cancellationToken);
            await http.Response.Body.FlushAsync(cancellationToken);
        }

        var outcome = await pipeline.RunAsync(request, channel, e => e switch
        {
            TextDelta delta => Send("delta", new { text = delta.Text }),
            ToolCallStarted call => Send("tool_call", new { callId = call.CallId, name = call.Name, arguments = call.Arguments }),
            ToolCallFinished done => Send("tool_result", new { callId = done.Call.CallId, name = done.Call.Name, result = done.Call.Result, failed = done.Call.Failed, ms = Math.Round(done.Call.Milliseconds, 1) }),
            _ => Task.CompletedTask,
        }, cancellationToken);

        if (outcome.Reply is null)
        {
            return started ? Results.Empty : Result(outcome);
        }

        await Send("done", outcome.Reply);
        return Results.Empty;
    }

    private static IResult Result(TurnOutcome outcome) => outcome.Refusal switch
    {
        TurnRefusal.None => TypedResults.Ok(outcome.Reply),
        TurnRefusal.MerchantSuspended => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "The merchant account is suspended."),
        TurnRefusal.SessionOfAnotherCustomer => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
            detail: "This sessionId belongs to another customer: start a new session (omit sessionId) for this customer."),
        // Blocked or opted-out customers get no answer; the turn is logged, nothing is stored.
        _ => TypedResults.Ok(new { reply = (string?)null, ignored = outcome.Refusal == TurnRefusal.CustomerBlocked ? "customer_blocked" : "customer_opted_out" }),
    };

    public static async Task<Results<Ok<ChatHistory>, NotFound>> History(string sessionId, AgentsDbContext db, HttpContext http, CancellationToken cancellationToken)
    {
        var conversation = await Sessions(db, http).AsNoTracking().Include(c => c.Messages)
            .FirstOrDefaultAsync(c => c.SessionId == sessionId, cancellationToken);
        if (conversation is null)
        {
            return TypedResults.NotFound();
        }

        var options = StoredJson;
        var messages = conversation.Messages.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).Select(m => new HistoryMessage(m.Id, m.Role, m.Content,
            m.ToolCalls is null ? null : JsonSerializer.Deserialize<List<ChatPipeline.StoredCall>>(m.ToolCalls, options)!
                .Select(c => new ToolCallDto(c.Name, JsonSerializer.SerializeToElement(c.Arguments, options), c.Result)).ToList(),
            m.Language,
            m.Citations is null ? null : JsonSerializer.Deserialize<List<CitationDto>>(m.Citations, options),
            m.Links is null ? null : JsonSerializer.Deserialize<List<LinkDto>>(m.Links, options),
            m.CreatedAt)).ToList();
        var usage = new UsageDto(conversation.Messages.Sum(m => (long)(m.InputTokens ?? 0)), conversation.Messages.Sum(m => (long)(m.OutputTokens ?? 0)),
            conversation.Messages.Sum(m => m.CostUsd ?? 0));
        return TypedResults.Ok(new ChatHistory(conversation.SessionId, conversation.Channel, conversation.Language, messages, usage));
    }

    public static async Task<Results<NoContent, NotFound>> DeleteSession(string sessionId, AgentsDbContext db, HttpContext http, CancellationToken cancellationToken) =>
        await Sessions(db, http).Where(c => c.SessionId == sessionId).ExecuteDeleteAsync(cancellationToken) > 0
            ? TypedResults.NoContent()
            : TypedResults.NotFound();

    /// <summary>The sessions a key may see: a publishable key only the widget's (never an API or WhatsApp conversation).</summary>
    private static IQueryable<Data.Entities.Conversation> Sessions(AgentsDbContext db, HttpContext http) =>
        http.User.HasClaim(AgentClaims.KeyKind, ApiKeyFormat.Publishable) ? db.Conversations.Where(c => c.Channel == "widget") : db.Conversations;
}
