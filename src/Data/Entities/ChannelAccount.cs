namespace Agents.Data.Entities;

/// <summary>A merchant's WhatsApp number at Twilio; the auth token is stored encrypted (Data Protection).</summary>
public sealed class ChannelAccount : ITenantEntity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MerchantId { get; set; }
    public string Channel { get; set; } = "whatsapp";
    public required string AccountSid { get; set; }
    public required string AuthTokenProtected { get; set; }
    /// <summary><c>whatsapp:+E164</c>.</summary>
    public required string FromAddress { get; set; }
    public string? MessagingServiceSid { get; set; }
    /// <summary>JSON object: notification kind → approved template ContentSid.</summary>
    public string Templates { get; set; } = "{}";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
