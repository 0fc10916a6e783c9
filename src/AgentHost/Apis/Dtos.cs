using Agents.Data.Entities;

namespace Agents.AgentHost.Apis;

public sealed record AiSettingsDto(string Provider, string Model, double Temperature, int MaxTokens, double TopP, string SystemPrompt, int MemoryWindow)
{
    public static AiSettingsDto From(AiSettings s) => new(s.Provider, s.Model, s.Temperature, s.MaxTokens, s.TopP, s.SystemPrompt, s.MemoryWindow);
}

public sealed record LoyaltyRuleDto(decimal PointsPerUnit, IReadOnlyList<Plugins.Loyalty.LoyaltyTier> Tiers);

public sealed record MerchantDto(
    Guid Id, string Name, string Slug, string Status, string Plan, string DefaultLanguage, string Currency,
    IReadOnlyList<string> AllowedOrigins, AiSettingsDto Ai, LoyaltyRuleDto Loyalty, string? OrderPrefix, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    IReadOnlyList<string> StaffPhones)
{
    public static MerchantDto From(Merchant m) => new(
        m.Id, m.Name, m.Slug, m.Status, m.Plan, m.DefaultLanguage, m.Currency, m.AllowedOrigins, AiSettingsDto.From(m.Ai),
        new LoyaltyRuleDto(m.LoyaltyPointsPerUnit, Plugins.Loyalty.LoyaltyLedger.Tiers(m.LoyaltyTiers)), m.OrderPrefix, m.CreatedAt, m.UpdatedAt,
        m.StaffPhones);
}

public sealed record ApiKeyDto(Guid Id, string Kind, string Mode, string Prefix, string? Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public static ApiKeyDto From(ApiKey k) => new(k.Id, k.Kind, k.Mode, k.Prefix, k.Name, k.CreatedAt, k.LastUsedAt, k.RevokedAt);
}

public sealed record CustomerDto(
    Guid Id, string? ExternalId, string? Phone, string? Email, string? Name, string? Language, string? Country,
    DateTimeOffset? RegisteredAt, DateTimeOffset? ConsentAt, bool Blocked, bool OptedOut, DateTimeOffset CreatedAt)
{
    public static CustomerDto From(Customer c) => new(
        c.Id, c.ExternalId, c.Phone, c.Email, c.Name, c.Language, c.Country, c.RegisteredAt, c.ConsentAt, c.Blocked, c.OptedOut, c.CreatedAt);
}

public sealed record MessageDto(Guid Id, string Role, string Content, DateTimeOffset CreatedAt);

public sealed record ConversationDto(
    Guid Id, Guid? CustomerId, string Channel, string? Language, DateTimeOffset CreatedAt, DateTimeOffset LastMessageAt,
    IReadOnlyList<MessageDto>? Messages);
