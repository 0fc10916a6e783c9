using System.Text.Json;
using Agents.Data;
using Agents.Data.Entities;
using Agents.Plugins.Links;
using Agents.Plugins.Loyalty;
using Agents.Plugins.Products;
using Microsoft.EntityFrameworkCore;

namespace Agents.Plugins.Orders;

public sealed record OrderLine(string Sku, string Name, string? Variant, int Quantity, decimal UnitPrice, decimal LineTotal);

public sealed record OrderView(string OrderNumber, string Status, string StatusLabel, decimal Total, string Currency, DateTimeOffset CreatedAt,
    DateTimeOffset? PaidAt, IReadOnlyList<OrderLine> Items);

public sealed record StockShortage(string Name, int Requested, int Available);

public enum PlaceOutcome
{
    Placed,
    NeedsRegistration,
    EmptyCart,
    InsufficientStock,
}

public sealed record PlaceResult(PlaceOutcome Outcome, Order? Order, IReadOnlyList<StockShortage> Shortages);

public enum TransitionOutcome
{
    Moved,
    Unchanged,
    NotAllowed,
}

public sealed record TransitionResult(TransitionOutcome Outcome, string From, string To);

/// <summary>
/// Orders from carts and their lifecycle. Placing reserves the stock (conditional decrements),
/// freezes prices and address, and empties the cart in one transaction; status changes are
/// conditional updates (from the status read), so two confirmations of one payment move it once
/// and issue the points once.
/// </summary>
public sealed class OrderService(AgentsDbContext db, TenantContext tenant, LoyaltyLedger loyalty, ShopperTexts texts, TimeProvider clock)
{
    public async Task<PlaceResult> PlaceAsync(Guid customerId, Guid? conversationId, string channel, CancellationToken cancellationToken)
    {
        var merchantId = tenant.MerchantId!.Value;
        var merchant = await db.Merchants.AsNoTracking().FirstAsync(m => m.Id == merchantId, cancellationToken);
        if (!IsRegistered(await db.Customers.AsNoTracking().FirstAsync(c => c.Id == customerId, cancellationToken)))
        {
            return new PlaceResult(PlaceOutcome.NeedsRegistration, null, []);
        }

        if (!await db.CartItems.AnyAsync(i => i.CustomerId == customerId, cancellationToken))
        {
            return new PlaceResult(PlaceOutcome.EmptyCart, null, []);
        }

        // The number is taken in its own short statement, so concurrent orders of the shop do not
        // queue on the counter row until each commits; a placement that fails below leaves a gap.
        var number = await NextNumberAsync(merchant, cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // The customer's row lock makes one placement at a time per customer; a second finds the cart empty.
        var customer = await db.Customers.FromSql($"SELECT * FROM customers WHERE id = {customerId} AND merchant_id = {merchantId} FOR UPDATE")
            .AsNoTracking().FirstAsync(cancellationToken);
        var items = await db.CartItems.AsNoTracking().Include(i => i.Product!).ThenInclude(p => p.Translations)
            .Where(i => i.CustomerId == customerId).OrderBy(i => i.AddedAt).ThenBy(i => i.Id).ToListAsync(cancellationToken);
        if (items.Count == 0 || !IsRegistered(customer))
        {
            return new PlaceResult(items.Count == 0 ? PlaceOutcome.EmptyCart : PlaceOutcome.NeedsRegistration, null, []);
        }

        var language = ShopperTexts.Language(customer.Language ?? merchant.DefaultLanguage);
        var order = new Order
        {
            MerchantId = merchantId,
            Number = number,
            CustomerId = customerId,
            Status = OrderStatus.PendingPayment,
            Currency = merchant.Currency.Trim(),
            Channel = channel,
            ConversationId = conversationId,
            ShippingAddress = JsonSerializer.Serialize(new { name = customer.Name, addressLine = customer.AddressLine, postalCode = customer.PostalCode, city = customer.City, country = customer.Country }),
            Items = items.ConvertAll(i => new OrderItem
            {
                ProductId = i.ProductId,
                Sku = i.Product!.Sku,
                Name = ProductResolver.Translation(i.Product, language).Name,
                Category = i.Product.Category,
                Variant = i.Variant,
                Quantity = i.Quantity,
                UnitPrice = i.Product.Price,
            }),
        };
        order.Subtotal = order.Items.Sum(i => i.UnitPrice * i.Quantity);
        order.Total = order.Subtotal;
        db.Orders.Add(order);
        db.OrderEvents.Add(new OrderEvent { OrderId = order.Id, ToStatus = order.Status, Source = channel });
        await db.SaveChangesAsync(cancellationToken);

        // Only the lines that were read: one added meanwhile stays in the cart.
        var lineIds = items.ConvertAll(i => i.Id);
        await db.CartItems.Where(i => lineIds.Contains(i.Id)).ExecuteDeleteAsync(cancellationToken);

        // Stock last: a product's row stays locked only from its decrement to the commit just after,
        // so shoppers buying the same product queue for an instant, not for the whole placement.
        var shortages = new List<StockShortage>();
        foreach (var item in items)
        {
            var reserved = item.Product!.Active ? await db.Products.Where(p => p.Id == item.ProductId && p.Stock >= item.Quantity)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, p => p.Stock - item.Quantity), cancellationToken) : 0;
            if (reserved == 0)
            {
                var available = await db.Products.Where(p => p.Id == item.ProductId).Select(p => p.Active ? p.Stock : 0).FirstAsync(cancellationToken);
                shortages.Add(new StockShortage(ProductResolver.Translation(item.Product, language).Name, item.Quantity, available));
            }
        }

        if (shortages.Count > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return new PlaceResult(PlaceOutcome.InsufficientStock, null, shortages);
        }

        await transaction.CommitAsync(cancellationToken);
        return new PlaceResult(PlaceOutcome.Placed, order, []);
    }

    /// <summary>
    /// Moves an order to <paramref name="to"/> if the lifecycle allows it. Side effects happen with the
    /// move, in its transaction: paid issues the points (once per order), cancelled returns the
    /// reserved stock, cancelled or refunded after payment takes the order's points back (never below zero).
    /// </summary>
    public async Task<TransitionResult> TransitionAsync(Order order, string to, string source, CancellationToken cancellationToken)
    {
        var from = order.Status;
        if (from == to)
        {
            return new TransitionResult(TransitionOutcome.Unchanged, from, to);
        }

        if (!OrderStatus.CanMove(from, to))
        {
            return new TransitionResult(TransitionOutcome.NotAllowed, from, to);
        }

        var now = clock.GetUtcNow();
        var ownTransaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var moved = await db.Orders.Where(o => o.Id == order.Id && o.Status == from).ExecuteUpdateAsync(s => s
                .SetProperty(o => o.Status, to)
                .SetProperty(o => o.UpdatedAt, now)
                .SetProperty(o => o.PaidAt, o => to == OrderStatus.Paid ? now : o.PaidAt), cancellationToken);
            if (moved == 0)
            {
                // Another request moved it first: report what it is now, change nothing.
                var current = await db.Orders.Where(o => o.Id == order.Id).Select(o => o.Status).FirstAsync(cancellationToken);
                if (ownTransaction is not null)
                {
                    await ownTransaction.RollbackAsync(cancellationToken);
                }

                order.Status = current;
                return new TransitionResult(current == to ? TransitionOutcome.Unchanged : TransitionOutcome.NotAllowed, current, to);
            }

            db.OrderEvents.Add(new OrderEvent { OrderId = order.Id, FromStatus = from, ToStatus = to, Source = source });
            await db.SaveChangesAsync(cancellationToken);
            await SideEffectsAsync(order, from, to, cancellationToken);
            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken);
            }

            order.Status = to;
            order.PaidAt = to == OrderStatus.Paid ? now : order.PaidAt;
            return new TransitionResult(TransitionOutcome.Moved, from, to);
        }
        finally
        {
            if (ownTransaction is not null)
            {
                await ownTransaction.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// A provider confirmed a payment: recorded once per (provider, reference), and the order moves
    /// to paid if it was waiting. A repeated confirmation changes nothing. False when the amount is wrong.
    /// </summary>
    public async Task<TransitionResult> ConfirmPaymentAsync(Order order, string provider, string reference, decimal amount, CancellationToken cancellationToken)
    {
        if (amount != order.Total)
        {
            throw new InvalidOperationException($"Payment {reference} of {amount} does not match order {order.Number} total {order.Total}.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO payments (id, merchant_id, order_id, provider, reference, amount, currency)
            VALUES ({Guid.CreateVersion7()}, {order.MerchantId}, {order.Id}, {provider}, {reference}, {amount}, {order.Currency})
            ON CONFLICT (merchant_id, provider, reference) DO NOTHING
            """, cancellationToken);
        var result = order.Status == OrderStatus.PendingPayment
            ? await TransitionAsync(order, OrderStatus.Paid, "payment:" + provider, cancellationToken)
            : new TransitionResult(TransitionOutcome.Unchanged, order.Status, OrderStatus.Paid);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>An order of this merchant by number, as shoppers type it (any case, spaces around).</summary>
    public async Task<Order?> FindAsync(string number, CancellationToken cancellationToken)
    {
        var normalized = number.Trim().ToUpperInvariant();
        return await db.Orders.Include(o => o.Items).FirstOrDefaultAsync(o => o.Number == normalized, cancellationToken);
    }

    public OrderView View(Order order, string language) => new(order.Number, order.Status, texts.Status(language, order.Status), order.Total, order.Currency.Trim(),
        order.CreatedAt, order.PaidAt, [.. order.Items.Select(i => new OrderLine(i.Sku, i.Name, i.Variant.Length == 0 ? null : i.Variant, i.Quantity, i.UnitPrice, i.UnitPrice * i.Quantity))]);

    public static bool IsRegistered(Customer customer) => customer.RegisteredAt is not null && customer.ConsentAt is not null && customer.ErasedAt is null;

    /// <summary>The points a paid order earns: the merchant's points per currency unit, rounded down.</summary>
    public static int PointsFor(decimal total, decimal pointsPerUnit) => (int)Math.Floor(total * pointsPerUnit);

    private async Task SideEffectsAsync(Order order, string from, string to, CancellationToken cancellationToken)
    {
        if (order.CustomerId is not { } customerId)
        {
            return;
        }

        if (to == OrderStatus.Paid)
        {
            var rate = await db.Merchants.Where(m => m.Id == order.MerchantId).Select(m => m.LoyaltyPointsPerUnit).FirstAsync(cancellationToken);
            if (PointsFor(order.Total, rate) is > 0 and var points)
            {
                await loyalty.AddAsync(customerId, points, "order_paid", order.Id, $"order:{order.Id}:earn", capAtBalance: false, cancellationToken);
            }
        }

        if (to == OrderStatus.Cancelled)
        {
            foreach (var item in await db.OrderItems.Where(i => i.OrderId == order.Id && i.ProductId != null).ToListAsync(cancellationToken))
            {
                await db.Products.Where(p => p.Id == item.ProductId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, p => p.Stock + item.Quantity), cancellationToken);
            }
        }

        if (to is OrderStatus.Cancelled or OrderStatus.Refunded && from != OrderStatus.PendingPayment)
        {
            var earned = await db.LoyaltyLedger.Where(e => e.IdempotencyKey == $"order:{order.Id}:earn").Select(e => (int?)e.Change).FirstOrDefaultAsync(cancellationToken);
            if (earned is > 0)
            {
                await loyalty.AddAsync(customerId, -earned.Value, "order_" + to, order.Id, $"order:{order.Id}:reverse", capAtBalance: true, cancellationToken);
            }
        }
    }

    /// <summary>PREFIX-NNNNNN from the merchant's counter, which starts after the highest number already used.</summary>
    private async Task<string> NextNumberAsync(Merchant merchant, CancellationToken cancellationToken)
    {
        var prefix = merchant.OrderPrefix ?? new string([.. merchant.Slug.Where(char.IsAsciiLetter).Take(3).Select(char.ToUpperInvariant)]).PadRight(2, 'X');
        var next = await db.Database.SqlQuery<long>($"""
            UPDATE order_counters SET last_number = last_number + 1 WHERE merchant_id = {merchant.Id} RETURNING last_number AS "Value"
            """).ToListAsync(cancellationToken);
        if (next.Count == 0)
        {
            // The shop's first order here: continue after the numbers of imported orders (one scan, once).
            next = await db.Database.SqlQuery<long>($"""
                INSERT INTO order_counters (merchant_id, last_number)
                SELECT {merchant.Id}, COALESCE(MAX(substring(number from '-([0-9]+)$')::bigint), 100000) + 1
                FROM orders WHERE merchant_id = {merchant.Id} AND number ~ '^[A-Z]+-[0-9]+$' AND length(number) <= 22
                ON CONFLICT (merchant_id) DO UPDATE SET last_number = order_counters.last_number + 1
                RETURNING last_number AS "Value"
                """).ToListAsync(cancellationToken);
        }

        return $"{prefix}-{next[0]}";
    }
}
