using System.Text.Encodings.Web;
using System.Text.Json;
using Agents.Data;
using Agents.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Agents.AgentHost.Pages;

public sealed record ExportedCustomer(
    Guid Id, string? ExternalId, string? Name, string? Email, string? Phone, string? Language, string? AddressLine, string? PostalCode, string? City,
    string? Country, int LoyaltyPoints, DateTimeOffset? RegisteredAt, DateTimeOffset? ConsentAt, DateTimeOffset CreatedAt);

public sealed record ExportedConsent(string Purpose, string Version, string Language, string TextSha256, string? Ip, string? UserAgent, DateTimeOffset GrantedAt);

public sealed record ExportedOrderItem(string Sku, string Name, string? Variant, int Quantity, decimal UnitPrice);

public sealed record ExportedOrder(
    string Number, string Status, string Currency, decimal Subtotal, decimal Total, JsonElement? ShippingAddress, DateTimeOffset CreatedAt, DateTimeOffset? PaidAt,
    IReadOnlyList<ExportedOrderItem> Items);

public sealed record ExportedLoyaltyEntry(int Change, string Reason, string? OrderNumber, int BalanceAfter, DateTimeOffset CreatedAt);

public sealed record ExportedCartLine(string Sku, string? Variant, int Quantity, DateTimeOffset AddedAt);

public sealed record ExportedMessage(string Role, string Content, DateTimeOffset CreatedAt);

public sealed record ExportedConversation(Guid Id, string Channel, string? Language, DateTimeOffset CreatedAt, IReadOnlyList<ExportedMessage> Messages);

/// <summary>Everything the shop holds about one customer (GDPR art. 15 and 20), as the profile page's download.</summary>
public sealed record CustomerExport(
    DateTimeOffset ExportedAt, string Merchant, ExportedCustomer Customer, IReadOnlyList<ExportedConsent> Consents, IReadOnlyList<ExportedOrder> Orders,
    IReadOnlyList<ExportedLoyaltyEntry> LoyaltyLedger, IReadOnlyList<ExportedCartLine> Cart, IReadOnlyList<ExportedConversation> Conversations);

/// <summary>
/// A customer's right of access and right to be forgotten. Erasure anonymises rather than deletes:
/// orders, payments and the loyalty ledger are the merchant's books and stay, without the personal
/// data; what identifies the person (contact data, addresses, chat messages, consent IPs) goes.
/// </summary>
public sealed class CustomerErasure(AgentsDbContext db, TenantContext tenant, TimeProvider clock)
{
    // A download for people to read: "+39…" and "Città" as written. Never embedded in HTML, so relaxed escaping is safe.
    public static readonly JsonSerializerOptions ExportJson = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task<CustomerExport> ExportAsync(Guid customerId, string merchantName, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.AsNoTracking().FirstAsync(c => c.Id == customerId, cancellationToken);
        var consents = await db.CustomerConsents.AsNoTracking().Where(c => c.CustomerId == customerId).OrderBy(c => c.GrantedAt).ThenBy(c => c.Id)
            .ToListAsync(cancellationToken);
        var orders = await db.Orders.AsNoTracking().Include(o => o.Items.OrderBy(i => i.Id)).Where(o => o.CustomerId == customerId)
            .OrderBy(o => o.CreatedAt).ThenBy(o => o.Id).ToListAsync(cancellationToken);
        var ledger = await (from e in db.LoyaltyLedger.AsNoTracking()
                            where e.CustomerId == customerId
                            orderby e.CreatedAt, e.Id
                            join o in db.Orders on e.OrderId equals o.Id into matched
                            from o in matched.DefaultIfEmpty()
                            select new ExportedLoyaltyEntry(e.Change, e.Reason, o == null ? null : o.Number, e.BalanceAfter, e.CreatedAt))
            .ToListAsync(cancellationToken);
        var cart = await db.CartItems.AsNoTracking().Where(i => i.CustomerId == customerId).OrderBy(i => i.AddedAt)
            .Select(i => new ExportedCartLine(i.Product!.Sku, i.Variant == "" ? null : i.Variant, i.Quantity, i.AddedAt)).ToListAsync(cancellationToken);
        var conversations = await db.Conversations.AsNoTracking().Where(c => c.CustomerId == customerId).OrderBy(c => c.CreatedAt)
            .Select(c => new ExportedConversation(c.Id, c.Channel, c.Language, c.CreatedAt,
                c.Messages.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).Select(m => new ExportedMessage(m.Role, m.Content, m.CreatedAt)).ToList()))
            .ToListAsync(cancellationToken);

        return new CustomerExport(
            clock.GetUtcNow(), merchantName,
            new ExportedCustomer(customer.Id, customer.ExternalId, customer.Name, customer.Email, customer.Phone, customer.Language, customer.AddressLine,
                customer.PostalCode, customer.City, customer.Country?.Trim(), customer.LoyaltyPoints, customer.RegisteredAt, customer.ConsentAt, customer.CreatedAt),
            consents.ConvertAll(c => new ExportedConsent(c.Purpose, c.Version, c.Language, c.TextSha256, c.Ip?.ToString(), c.UserAgent, c.GrantedAt)),
            orders.ConvertAll(o => new ExportedOrder(o.Number, o.Status, o.Currency.Trim(), o.Subtotal, o.Total,
                o.ShippingAddress is null ? null : JsonSerializer.Deserialize<JsonElement>(o.ShippingAddress), o.CreatedAt, o.PaidAt,
                o.Items.ConvertAll(i => new ExportedOrderItem(i.Sku, i.Name, i.Variant.Length == 0 ? null : i.Variant, i.Quantity, i.UnitPrice)))),
            ledger, cart, conversations);
    }

    /// <summary>
    /// Anonymises the customer in one transaction. <paramref name="currentLinkId"/> is the profile
    /// link the request came through: kept, marked used, so it answers "already used" from now on;
    /// every other link of the customer is deleted. False when the customer was already erased.
    /// </summary>
    public async Task<bool> EraseAsync(Guid customerId, Guid currentLinkId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var customer = await db.Customers
            .FromSql($"SELECT * FROM customers WHERE id = {customerId} AND merchant_id = {tenant.MerchantId!.Value} FOR UPDATE")
            .FirstAsync(cancellationToken);
        if (customer.ErasedAt is not null)
        {
            return false;
        }

        // Registration and consent times stay: they carry no personal data once the person is gone,
        // and they show the kept orders were made by a registered, consenting customer (art. 5(2)).
        // Country and language stay too: too coarse to identify anyone, and the books need the country for tax.
        customer.Name = null;
        customer.Email = null;
        customer.Phone = null;
        customer.ExternalId = null;
        customer.AddressLine = null;
        customer.PostalCode = null;
        customer.City = null;
        customer.ErasedAt = now;
        await db.SaveChangesAsync(cancellationToken);

        await db.CustomerConsents.Where(c => c.CustomerId == customerId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Ip, (System.Net.IPAddress?)null).SetProperty(c => c.UserAgent, (string?)null), cancellationToken);
        await db.CartItems.Where(i => i.CustomerId == customerId).ExecuteDeleteAsync(cancellationToken);
        await db.SecureLinks.Where(l => l.CustomerId == customerId && l.Id != currentLinkId).ExecuteDeleteAsync(cancellationToken);
        await db.SecureLinks.Where(l => l.Id == currentLinkId && l.UsedAt == null).ExecuteUpdateAsync(s => s.SetProperty(l => l.UsedAt, now), cancellationToken);
        await db.Messages.Where(m => db.Conversations.Any(c => c.Id == m.ConversationId && c.CustomerId == customerId)).ExecuteDeleteAsync(cancellationToken);
        await db.Orders.Where(o => o.CustomerId == customerId)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.ShippingAddress, (string?)null).SetProperty(o => o.UpdatedAt, now), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
