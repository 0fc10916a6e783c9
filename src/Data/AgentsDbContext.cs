using System.Linq.Expressions;
using System.Text;
using Agents.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Agents.Data;

public sealed class AgentsDbContext(DbContextOptions<AgentsDbContext> options, TenantContext tenant) : DbContext(options)
{
    /// <summary>Read by the tenant query filters; null (no tenant) matches no tenant row at all.</summary>
    public Guid? CurrentMerchantId => tenant.MerchantId;

    public DbSet<Merchant> Merchants => Set<Merchant>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<Product> Products => Set<Product>();
    public DbSet<ProductTranslation> ProductTranslations => Set<ProductTranslation>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<OrderItem> OrderItems => Set<OrderItem>();
    public DbSet<Document> Documents => Set<Document>();
    public DbSet<CartItem> CartItems => Set<CartItem>();
    public DbSet<OrderEvent> OrderEvents => Set<OrderEvent>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<LoyaltyEntry> LoyaltyLedger => Set<LoyaltyEntry>();
    public DbSet<CustomerConsent> CustomerConsents => Set<CustomerConsent>();
    public DbSet<SecureLink> SecureLinks => Set<SecureLink>();
    public DbSet<ChannelAccount> ChannelAccounts => Set<ChannelAccount>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AgentsDbContext).Assembly);

        foreach (var entityType in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entityType.GetProperties())
            {
                if (property.GetColumnName() is { } name && !name.Contains('_', StringComparison.Ordinal))
                {
                    property.SetColumnName(ToSnakeCase(name));
                }
            }

        }

        // Every tenant row references its merchant (so EF orders inserts) and is filtered by it.
        foreach (var clrType in modelBuilder.Model.GetEntityTypes().Select(e => e.ClrType).Where(typeof(ITenantEntity).IsAssignableFrom).ToList())
        {
            modelBuilder.Entity(clrType).HasOne(typeof(Merchant)).WithMany().HasForeignKey(nameof(ITenantEntity.MerchantId));
            modelBuilder.Entity(clrType).HasQueryFilter(TenantFilter(clrType));
        }
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        StampTenantAndTimes();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        StampTenantAndTimes();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    private void StampTenantAndTimes()
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.Entity is ITenantEntity owned && entry.State is EntityState.Added or EntityState.Modified)
            {
                if (owned.MerchantId == Guid.Empty && tenant.MerchantId is { } merchantId)
                {
                    owned.MerchantId = merchantId;
                }

                // A tenant-scoped unit of work can only ever write its own merchant's rows.
                if (tenant.MerchantId is { } scoped && owned.MerchantId != scoped)
                {
                    throw new InvalidOperationException($"Refusing to write a {entry.Entity.GetType().Name} of another merchant.");
                }
            }

            if (entry.State == EntityState.Added && entry.Metadata.FindProperty("CreatedAt") is { } created
                && entry.Property(created.Name).CurrentValue is DateTimeOffset { Ticks: 0 })
            {
                entry.Property(created.Name).CurrentValue = now;
            }

            if (entry.State is EntityState.Added or EntityState.Modified && entry.Metadata.FindProperty("UpdatedAt") is { } updated)
            {
                entry.Property(updated.Name).CurrentValue = now;
            }
        }
    }

    private LambdaExpression TenantFilter(Type clrType)
    {
        // e => (Guid?)e.MerchantId == this.CurrentMerchantId; EF turns the context member into a parameter.
        var entity = Expression.Parameter(clrType, "e");
        var merchantId = Expression.Convert(Expression.Property(entity, nameof(ITenantEntity.MerchantId)), typeof(Guid?));
        var current = Expression.Property(Expression.Constant(this), nameof(CurrentMerchantId));
        return Expression.Lambda(Expression.Equal(merchantId, current), entity);
    }

    internal static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
