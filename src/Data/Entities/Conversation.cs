namespace Agents.Data.Entities;

public sealed class Conversation : IEntity, ITenantEntity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MerchantId { get; set; }
    public Guid? CustomerId { get; set; }
    /// <summary>The client's session id (unique per merchant); the conversation id as text when the client gave none.</summary>
    public required string SessionId { get; set; }
    /// <summary><c>api</c>, <c>widget</c> or <c>whatsapp</c>.</summary>
    public required string Channel { get; set; }
    public string? Language { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastMessageAt { get; set; }
    public List<Message> Messages { get; set; } = [];
}

public sealed class Message : ITenantEntity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MerchantId { get; set; }
    public Guid ConversationId { get; set; }
    /// <summary><c>user</c>, <c>assistant</c>, <c>tool</c> or <c>system</c>.</summary>
    public required string Role { get; set; }
    public required string Content { get; set; }
    /// <summary>Tool calls and results as JSON, when the turn had any.</summary>
    public string? ToolCalls { get; set; }
    public string? Language { get; set; }
    /// <summary>Assistant messages: the model that wrote it and the prompt versions it ran with.</summary>
    public string? Model { get; set; }
    public string? PromptVersion { get; set; }
    public int? InputTokens { get; set; }
    public int? OutputTokens { get; set; }
    public decimal? CostUsd { get; set; }
    public int? LatencyMs { get; set; }
    /// <summary>JSON array of { documentId, title, snippet }.</summary>
    public string? Citations { get; set; }
    /// <summary>JSON array of { purpose, url, expiresAt }: the links our tools produced in this turn.</summary>
    public string? Links { get; set; }
    /// <summary>Set when the turn failed (provider outage…) and the reply is an apology.</summary>
    public string? Error { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
