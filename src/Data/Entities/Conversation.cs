namespace Agents.Data.Entities;

public sealed class Conversation : IEntity, ITenantEntity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MerchantId { get; set; }
    public Guid? CustomerId { get; set; }
    /// <summary><c>api</c>, <c>web</c> or <c>whatsapp</c>.</summary>
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
    public DateTimeOffset CreatedAt { get; set; }
}
