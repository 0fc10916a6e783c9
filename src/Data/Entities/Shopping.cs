namespace Agents.Data.Entities;

/// <summary>A line of a customer's cart (one cart per customer per merchant).</summary>
public sealed class CartItem : ITenantEntity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MerchantId { get; set; }
    public Guid CustomerId { get; set; }
    public Guid ProductId { get; set; }
    /// <summary>"" when the product has no variants.</summary>
    public string Variant { get; set; } = "";
    public int Quantity { get; set; }
    public DateTimeOffset AddedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public Product? Product { get; set; }
}

/// <summary>A status change of an order: from, to, who reported it.</summary>
public sealed class OrderEvent : ITenantEntity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MerchantId { get; set; }
    public Guid OrderId { get; set; }
    public string? FromStatus { get; set; }
    public required string ToStatus { get; set; }
    /// <summary>chat, api, payment:{provider}, page.</summary>
    public required string Source { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A payment provider's confirmation for an order, unique per (provider, reference).</summary>
public sealed class Payment : ITenantEntity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MerchantId { get; set; }
    public Guid OrderId { get; set; }
    public required string Provider { get; set; }
    public required string Reference { get; set; }
    public decimal Amount { get; set; }
    public required string Currency { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>An entry of the append-only loyalty ledger.</summary>
public sealed class LoyaltyEntry : ITenantEntity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MerchantId { get; set; }
    public Guid CustomerId { get; set; }
    public int Change { get; set; }
    public required string Reason { get; set; }
    public Guid? OrderId { get; set; }
    public required string IdempotencyKey { get; set; }
    public int BalanceAfter { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A consent the customer gave: which text (version, language, hash), when, from where.</summary>
public sealed class CustomerConsent : ITenantEntity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MerchantId { get; set; }
    public Guid CustomerId { get; set; }
    public required string Purpose { get; set; }
    public required string Version { get; set; }
    public required string Language { get; set; }
    public required string TextSha256 { get; set; }
    public System.Net.IPAddress? Ip { get; set; }
    public string? UserAgent { get; set; }
    public DateTimeOffset GrantedAt { get; set; }
}

/// <summary>A time-limited link for one purpose of one customer; only the token's SHA-256 is stored.</summary>
public sealed class SecureLink : ITenantEntity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MerchantId { get; set; }
    public Guid CustomerId { get; set; }
    public required string Purpose { get; set; }
    public Guid? OrderId { get; set; }
    public Guid? ConversationId { get; set; }
    public required byte[] TokenHash { get; set; }
    public required string Language { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public static class LinkPurpose
{
    public const string Register = "register";
    public const string Pay = "pay";
    public const string Order = "order";
    public const string Profile = "profile";

    public static readonly IReadOnlyList<string> All = [Register, Pay, Order, Profile];

    /// <summary>Register and pay links work once; order and profile links until they expire.</summary>
    public static bool SingleUse(string purpose) => purpose is Register or Pay;
}
