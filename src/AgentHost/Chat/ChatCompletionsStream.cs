using System.Text;
using System.Text.Json;

namespace Agents.AgentHost.Chat;

/// <summary>
/// Writes one turn as OpenAI <c>chat.completion.chunk</c> server-sent events: a role chunk, one
/// chunk per guarded text delta, a finish chunk, the usage chunk when asked for, then <c>[DONE]</c>.
/// Nothing is written before the first chunk, so a turn refused up front can still answer with a problem.
/// </summary>
internal sealed class ChatCompletionsStream(HttpResponse response, JsonSerializerOptions json, string id, long created, string model)
{
    private readonly StringBuilder _sent = new();

    public bool Started { get; private set; }

    public async Task TextAsync(string text, CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        _sent.Append(text);
        await WriteAsync(Chunk(new ChatCompletionsDelta(Content: text), null), cancellationToken);
    }

    public async Task FinishAsync(string reply, string finishReason, ChatCompletionsUsage? usage, ChatCompletionsExtras extras, CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        if (Missing(_sent.ToString(), reply) is { Length: > 0 } missing)
        {
            await WriteAsync(Chunk(new ChatCompletionsDelta(Content: missing), null), cancellationToken);
        }

        await WriteAsync(Chunk(new ChatCompletionsDelta(), finishReason) with { Agents = extras }, cancellationToken);
        if (usage is not null)
        {
            await WriteAsync(new ChatCompletionsChunk(id, "chat.completion.chunk", created, model, [], usage), cancellationToken);
        }

        await response.WriteAsync("data: [DONE]\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// The stream cannot take back what it sent, so the stored reply is reconciled by appending:
    /// nothing streamed (an apology after a model outage) → all of it; a prefix streamed → the rest;
    /// text from an earlier tool round streamed before the final answer → nothing more; an outage
    /// after part of an answer → the apology on its own paragraph.
    /// </summary>
    internal static string Missing(string sent, string reply) =>
        sent.Length == 0 ? reply
        : reply.StartsWith(sent, StringComparison.Ordinal) ? reply[sent.Length..]
        : sent.TrimEnd().EndsWith(reply, StringComparison.Ordinal) ? ""
        : "\n\n" + reply;

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Started)
        {
            return;
        }

        Started = true;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await WriteAsync(Chunk(new ChatCompletionsDelta(Role: "assistant", Content: ""), null), cancellationToken);
    }

    private ChatCompletionsChunk Chunk(ChatCompletionsDelta delta, string? finishReason) =>
        new(id, "chat.completion.chunk", created, model, [new ChatCompletionsChunkChoice(0, delta, finishReason)]);

    private async Task WriteAsync(ChatCompletionsChunk chunk, CancellationToken cancellationToken)
    {
        await response.WriteAsync($"data: {JsonSerializer.Serialize(chunk, json)}\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
