namespace Agents.Data.Entities;

public sealed class Product : ITenantEntity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MerchantId { get; set; }
    public required string Sku { get; set; }
    public required string Category { get; set; }
    public decimal Price { get; set; }
    public string Currency { get; set; } = "EUR";
    public int Stock { get; set; }
    public string? ImageUrl { get; set; }
    /// <summary>Free-form attributes (dietary flags, allergens, weight, origin) as JSON.</summary>
    public string Attributes { get; set; } = "{}";
    public bool Active { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<ProductTranslation> Translations { get; set; } = [];
}

public sealed class ProductTranslation : ITenantEntity
{
    public Guid ProductId { get; set; }
    public Guid MerchantId { get; set; }
    public required string Language { get; set; }
    public required string Name { get; set; }
    public required string Description { get; set; }
}

public sealed class Order : ITenantEntity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MerchantId { get; set; }
    public required string Number { get; set; }
    public string? ExternalId { get; set; }
    public Guid? CustomerId { get; set; }
    public required string Status { get; set; }
    public string Currency { get; set; } = "EUR";
    public string Channel { get; set; } = "web";
    public decimal Subtotal { get; set; }
    public decimal Total { get; set; }
    /// <summary>The registered address when the order was placed, as JSON { name, addressLine, postalCode, city, country }.</summary>
    public string? ShippingAddress { get; set; }
    /// <summary>The chat the order was placed in: payment news goes back there.</summary>
    public Guid? ConversationId { get; set; }
    public DateTimeOffset? PaidAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<OrderItem> Items { get; set; } = [];
}

public sealed class OrderItem : ITenantEntity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MerchantId { get; set; }
    public Guid OrderId { get; set; }
    public Guid? ProductId { get; set; }
    public required string Sku { get; set; }
    public required string Name { get; set; }
    public string? Category { get; set; }
    public string Variant { get; set; } = "";
    public int Quantity { get; set; }
    public decimal UnitPrice { get; set; }
}

public static class OrderStatus
{
    public const string PendingPayment = "pending_payment";
    public const string Paid = "paid";
    public const string Shipped = "shipped";
    public const string Delivered = "delivered";
    public const string Cancelled = "cancelled";
    public const string Refunded = "refunded";

    public static readonly IReadOnlyList<string> All = [PendingPayment, Paid, Shipped, Delivered, Cancelled, Refunded];

    /// <summary>pending_payment → paid → shipped → delivered; cancelled before shipping; refunded once paid.</summary>
    public static bool CanMove(string from, string to) => (from, to) switch
    {
        (PendingPayment, Paid or Cancelled) => true,
        (Paid, Shipped or Cancelled or Refunded) => true,
        (Shipped, Delivered or Refunded) => true,
        (Delivered, Refunded) => true,
        _ => false,
    };
}

/// <summary>A merchant's FAQ, policy, product or review text; the retrieval index is built from these.</summary>
public sealed class Document : ITenantEntity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MerchantId { get; set; }
    public required string Type { get; set; }
    public required string Title { get; set; }
    public required string Body { get; set; }
    public required string Language { get; set; }
    public string Metadata { get; set; } = "{}";
    public string? SourceId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
