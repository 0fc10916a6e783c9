namespace Agents.Data.Entities;

public sealed class Customer : IEntity, ITenantEntity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MerchantId { get; set; }
    public string? ExternalId { get; set; }
    /// <summary>E.164, e.g. <c>+393331234567</c>.</summary>
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public string? Name { get; set; }
    public string? Language { get; set; }
    /// <summary>ISO 3166-1 alpha-2.</summary>
    public string? Country { get; set; }
    public string? AddressLine { get; set; }
    public string? PostalCode { get; set; }
    public string? City { get; set; }
    /// <summary>The loyalty balance; moved only together with a ledger entry (see LoyaltyLedger).</summary>
    public int LoyaltyPoints { get; set; }
    /// <summary>Set when the customer asked to be forgotten: personal data removed, order totals kept.</summary>
    public DateTimeOffset? ErasedAt { get; set; }
    /// <summary>The customer's last WhatsApp message: free-form replies are allowed for 24 hours after it.</summary>
    public DateTimeOffset? LastInboundAt { get; set; }
    public DateTimeOffset? RegisteredAt { get; set; }
    public DateTimeOffset? ConsentAt { get; set; }
    public bool Blocked { get; set; }
    public bool OptedOut { get; set; }
    public DateTimeOffset? OptedOutAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
