namespace Agents.Data.Entities;

public sealed class Merchant : IEntity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public required string Slug { get; set; }
    public string Status { get; set; } = MerchantStatus.Trial;
    public string Plan { get; set; } = "free";
    public string DefaultLanguage { get; set; } = "en";
    public string Currency { get; set; } = "EUR";
    public List<string> AllowedOrigins { get; set; } = [];
    /// <summary>WhatsApp numbers (E.164) of the merchant's staff: their messages are questions for the analytics assistant.</summary>
    public List<string> StaffPhones { get; set; } = [];
    public AiSettings Ai { get; set; } = new();
    /// <summary>Loyalty points earned per currency unit of a paid order (default 1).</summary>
    public decimal LoyaltyPointsPerUnit { get; set; } = 1;
    /// <summary>JSON array of { name, minPoints }: the tiers by points held, lowest first.</summary>
    public string LoyaltyTiers { get; set; } = """[{"name":"Bronze","minPoints":0},{"name":"Silver","minPoints":500},{"name":"Gold","minPoints":1500}]""";
    /// <summary>Order numbers read PREFIX-NNNNNN; null: the first three letters of the slug.</summary>
    public string? OrderPrefix { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public static class MerchantStatus
{
    public const string Active = "active";
    public const string Suspended = "suspended";
    public const string Trial = "trial";

    public static readonly IReadOnlyList<string> All = [Active, Suspended, Trial];
}

/// <summary>Per-merchant model settings; stored as columns of <c>merchants</c>.</summary>
public sealed class AiSettings
{
    public string Provider { get; set; } = "local";
    public string Model { get; set; } = "local-intent-v1";
    public double Temperature { get; set; } = 0.7;
    public int MaxTokens { get; set; } = 250;
    public double TopP { get; set; } = 0.95;
    public string SystemPrompt { get; set; } = "shop-assistant";
    public int MemoryWindow { get; set; } = 10;
}
