using System.Text.Json;

namespace Agents.AgentHost.Chat;

public sealed record ChatCustomerRequest(string? ExternalId, string? Phone, string? Email, string? Name, string? Language);

/// <summary>
/// A shopper's message; with <c>Audience</c> "merchant" (secret keys only) the merchant's own staff
/// asking about the shop, answered through the analytics tool instead of the shopper's tools.
/// </summary>
public sealed record ChatRequest(string? SessionId, ChatCustomerRequest? Customer, string? Message, string? Channel, string? Audience = null);

public sealed record ToolCallDto(string Name, JsonElement Arguments, JsonElement Result);

public sealed record CitationDto(Guid DocumentId, string Title, string Snippet);

public sealed record LinkDto(string Purpose, string Url, DateTimeOffset? ExpiresAt);

public sealed record UsageDto(long InputTokens, long OutputTokens, decimal CostUsd);

public sealed record ChatReply(string SessionId, string Reply, string Language, IReadOnlyList<ToolCallDto> ToolCalls,
    IReadOnlyList<CitationDto> Citations, IReadOnlyList<LinkDto> Links, UsageDto Usage, long LatencyMs);

public sealed record HistoryMessage(Guid Id, string Role, string Text, IReadOnlyList<ToolCallDto>? ToolCalls, string? Language,
    IReadOnlyList<CitationDto>? Citations, IReadOnlyList<LinkDto>? Links, DateTimeOffset CreatedAt);

/// <summary>A session's messages, and what its assistant turns cost in all.</summary>
public sealed record ChatHistory(string SessionId, string Channel, string? Language, IReadOnlyList<HistoryMessage> Messages, UsageDto Usage);
