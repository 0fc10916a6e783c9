using System.Text.Json;
using System.Text.Json.Serialization;

namespace Agents.AgentHost.Chat;

// OpenAI's Chat Completions wire format. Names are pinned with [JsonPropertyName] because the host
// serialises camelCase and this API is snake_case; fields we ignore (temperature, tools, n…) are
// simply not declared, so any OpenAI client's request body binds.

public sealed record ChatCompletionsRequest(
    [property: JsonPropertyName("model")] string? Model,
    [property: JsonPropertyName("messages")] IReadOnlyList<ChatCompletionsMessage?>? Messages,
    [property: JsonPropertyName("stream")] bool? Stream,
    [property: JsonPropertyName("stream_options")] ChatCompletionsStreamOptions? StreamOptions,
    [property: JsonPropertyName("user")] string? User,
    [property: JsonPropertyName("metadata")] IReadOnlyDictionary<string, string>? Metadata);

/// <summary><c>content</c> is a string or an array of parts, so it stays raw until the turn's message is picked.</summary>
public sealed record ChatCompletionsMessage(
    [property: JsonPropertyName("role")] string? Role,
    [property: JsonPropertyName("content")] JsonElement Content);

public sealed record ChatCompletionsStreamOptions([property: JsonPropertyName("include_usage")] bool? IncludeUsage);

public sealed record ChatCompletionsResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("object")] string ObjectType,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("choices")] IReadOnlyList<ChatCompletionsChoice> Choices,
    [property: JsonPropertyName("usage")] ChatCompletionsUsage Usage,
    [property: JsonPropertyName("agents")] ChatCompletionsExtras Agents);

public sealed record ChatCompletionsChoice(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("message")] ChatCompletionsReply Message,
    [property: JsonPropertyName("finish_reason")] string FinishReason);

public sealed record ChatCompletionsReply(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("content")] string Content);

public sealed record ChatCompletionsChunk(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("object")] string ObjectType,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("choices")] IReadOnlyList<ChatCompletionsChunkChoice> Choices,
    [property: JsonPropertyName("usage")] ChatCompletionsUsage? Usage = null,
    [property: JsonPropertyName("agents")] ChatCompletionsExtras? Agents = null);

public sealed record ChatCompletionsChunkChoice(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("delta")] ChatCompletionsDelta Delta,
    // OpenAI sends an explicit null until the last chunk; clients test it on every chunk.
    [property: JsonPropertyName("finish_reason"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? FinishReason);

public sealed record ChatCompletionsDelta(
    [property: JsonPropertyName("role")] string? Role = null,
    [property: JsonPropertyName("content")] string? Content = null);

public sealed record ChatCompletionsUsage(
    [property: JsonPropertyName("prompt_tokens")] long PromptTokens,
    [property: JsonPropertyName("completion_tokens")] long CompletionTokens,
    [property: JsonPropertyName("total_tokens")] long TotalTokens);

/// <summary>What POST /chat returns beside the text; a non-standard member OpenAI clients ignore.</summary>
public sealed record ChatCompletionsExtras(
    [property: JsonPropertyName("sessionId")] string SessionId,
    [property: JsonPropertyName("language")] string? Language,
    [property: JsonPropertyName("links")] IReadOnlyList<LinkDto> Links,
    [property: JsonPropertyName("citations")] IReadOnlyList<CitationDto> Citations,
    [property: JsonPropertyName("ignored")] string? Ignored = null);

/// <summary>The <c>error</c> member OpenAI SDKs read to build their exception message.</summary>
public sealed record ChatCompletionsError(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("param"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Param,
    [property: JsonPropertyName("code"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Code);
