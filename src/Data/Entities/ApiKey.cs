namespace Agents.Data.Entities;

public sealed class ApiKey : ITenantEntity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MerchantId { get; set; }
    /// <summary><c>secret</c> or <c>publishable</c>.</summary>
    public required string Kind { get; set; }
    /// <summary><c>test</c> or <c>live</c>.</summary>
    public required string Mode { get; set; }
    /// <summary>The first characters of the key: unique, safe to show, used to find the row.</summary>
    public required string Prefix { get; set; }
    /// <summary>SHA-256 of the whole key; the key itself is never stored.</summary>
    public required byte[] Hash { get; set; }
    public string? Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
