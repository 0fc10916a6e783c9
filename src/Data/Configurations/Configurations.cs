using Agents.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Agents.Data.Configurations;

internal sealed class MerchantConfiguration : IEntityTypeConfiguration<Merchant>
{
    public void Configure(EntityTypeBuilder<Merchant> builder)
    {
        builder.ToTable("merchants");
        builder.HasIndex(m => m.Slug).IsUnique();
        builder.Property(m => m.AllowedOrigins).HasColumnType("text[]");
        builder.Property(m => m.StaffPhones).HasColumnType("text[]");
        builder.Property(m => m.LoyaltyPointsPerUnit).HasPrecision(8, 2);
        builder.Property(m => m.LoyaltyTiers).HasColumnType("jsonb");
        builder.ComplexProperty(m => m.Ai, ai =>
        {
            ai.Property(a => a.Provider).HasColumnName("ai_provider");
            ai.Property(a => a.Model).HasColumnName("ai_model");
            ai.Property(a => a.Temperature).HasColumnName("ai_temperature");
            ai.Property(a => a.MaxTokens).HasColumnName("ai_max_tokens");
            ai.Property(a => a.TopP).HasColumnName("ai_top_p");
            ai.Property(a => a.SystemPrompt).HasColumnName("ai_system_prompt");
            ai.Property(a => a.MemoryWindow).HasColumnName("ai_memory_window");
        });
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_keys");
        builder.HasIndex(k => k.Prefix).IsUnique();
        builder.HasIndex(k => k.MerchantId);
    }
}

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> builder)
    {
        builder.ToTable("customers");
        builder.HasIndex(c => c.MerchantId);
    }
}

internal sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> builder)
    {
        builder.ToTable("conversations");
        builder.HasIndex(c => c.MerchantId);
        builder.HasOne<Customer>().WithMany().HasForeignKey(c => c.CustomerId);
        builder.HasMany(c => c.Messages).WithOne().HasForeignKey(m => m.ConversationId);
    }
}

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> builder)
    {
        builder.ToTable("messages");
        builder.HasIndex(m => m.MerchantId);
        builder.Property(m => m.ToolCalls).HasColumnType("jsonb");
        builder.Property(m => m.Citations).HasColumnType("jsonb");
        builder.Property(m => m.Links).HasColumnType("jsonb");
        builder.Property(m => m.CostUsd).HasPrecision(12, 6);
    }
}

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> builder)
    {
        builder.ToTable("products");
        builder.HasIndex(p => new { p.MerchantId, p.Sku }).IsUnique();
        builder.Property(p => p.Price).HasPrecision(12, 2);
        builder.Property(p => p.Attributes).HasColumnType("jsonb");
        builder.HasMany(p => p.Translations).WithOne().HasForeignKey(t => t.ProductId);
    }
}

internal sealed class ProductTranslationConfiguration : IEntityTypeConfiguration<ProductTranslation>
{
    public void Configure(EntityTypeBuilder<ProductTranslation> builder)
    {
        builder.ToTable("product_translations");
        builder.HasKey(t => new { t.ProductId, t.Language });
        builder.HasIndex(t => t.MerchantId);
    }
}

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> builder)
    {
        builder.ToTable("orders");
        builder.HasIndex(o => new { o.MerchantId, o.Number }).IsUnique();
        builder.Property(o => o.Subtotal).HasPrecision(12, 2);
        builder.Property(o => o.Total).HasPrecision(12, 2);
        builder.HasOne<Customer>().WithMany().HasForeignKey(o => o.CustomerId);
        builder.Property(o => o.ShippingAddress).HasColumnType("jsonb");
        builder.HasMany(o => o.Items).WithOne().HasForeignKey(i => i.OrderId);
        builder.HasOne<Conversation>().WithMany().HasForeignKey(o => o.ConversationId);
    }
}

internal sealed class OrderItemConfiguration : IEntityTypeConfiguration<OrderItem>
{
    public void Configure(EntityTypeBuilder<OrderItem> builder)
    {
        builder.ToTable("order_items");
        builder.HasIndex(i => i.MerchantId);
        builder.Property(i => i.UnitPrice).HasPrecision(12, 2);
        builder.HasOne<Product>().WithMany().HasForeignKey(i => i.ProductId);
    }
}

internal sealed class DocumentConfiguration : IEntityTypeConfiguration<Document>
{
    public void Configure(EntityTypeBuilder<Document> builder)
    {
        builder.ToTable("documents");
        builder.HasIndex(d => d.MerchantId);
        builder.Property(d => d.Metadata).HasColumnType("jsonb");
    }
}

internal sealed class CartItemConfiguration : IEntityTypeConfiguration<CartItem>
{
    public void Configure(EntityTypeBuilder<CartItem> builder)
    {
        builder.ToTable("cart_items");
        builder.HasIndex(c => new { c.MerchantId, c.CustomerId, c.ProductId, c.Variant }).IsUnique();
        builder.HasOne<Customer>().WithMany().HasForeignKey(c => c.CustomerId);
        builder.HasOne(c => c.Product).WithMany().HasForeignKey(c => c.ProductId);
    }
}

internal sealed class OrderEventConfiguration : IEntityTypeConfiguration<OrderEvent>
{
    public void Configure(EntityTypeBuilder<OrderEvent> builder)
    {
        builder.ToTable("order_events");
        builder.HasOne<Order>().WithMany().HasForeignKey(e => e.OrderId);
    }
}

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> builder)
    {
        builder.ToTable("payments");
        builder.Property(p => p.Amount).HasPrecision(12, 2);
        builder.HasOne<Order>().WithMany().HasForeignKey(p => p.OrderId);
    }
}

internal sealed class LoyaltyEntryConfiguration : IEntityTypeConfiguration<LoyaltyEntry>
{
    public void Configure(EntityTypeBuilder<LoyaltyEntry> builder)
    {
        builder.ToTable("loyalty_ledger");
        builder.HasOne<Customer>().WithMany().HasForeignKey(e => e.CustomerId);
        builder.HasOne<Order>().WithMany().HasForeignKey(e => e.OrderId);
    }
}

internal sealed class CustomerConsentConfiguration : IEntityTypeConfiguration<CustomerConsent>
{
    public void Configure(EntityTypeBuilder<CustomerConsent> builder)
    {
        builder.ToTable("customer_consents");
        builder.Property(c => c.TextSha256).HasColumnName("text_sha256");
        builder.HasOne<Customer>().WithMany().HasForeignKey(c => c.CustomerId);
    }
}

internal sealed class SecureLinkConfiguration : IEntityTypeConfiguration<SecureLink>
{
    public void Configure(EntityTypeBuilder<SecureLink> builder)
    {
        builder.ToTable("secure_links");
        builder.HasIndex(l => l.TokenHash).IsUnique();
        builder.HasOne<Customer>().WithMany().HasForeignKey(l => l.CustomerId);
        builder.HasOne<Order>().WithMany().HasForeignKey(l => l.OrderId);
    }
}

internal sealed class ChannelAccountConfiguration : IEntityTypeConfiguration<ChannelAccount>
{
    public void Configure(EntityTypeBuilder<ChannelAccount> builder)
    {
        builder.ToTable("channel_accounts");
        builder.Property(a => a.Templates).HasColumnType("jsonb");
    }
}
