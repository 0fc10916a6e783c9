using System.ComponentModel;
using System.Globalization;
using Agents.Data;
using Agents.Data.Entities;
using Agents.Plugins.Links;
using Microsoft.EntityFrameworkCore;

namespace Agents.Plugins.Orders;

public sealed record PlaceOrderResult(
    bool Placed, string? OrderNumber = null, string? Status = null, string? StatusLabel = null, decimal? Total = null, string? Currency = null,
    IReadOnlyList<OrderLine>? Items = null, LinkInfo? Link = null, bool? NeedsRegistration = null, bool? EmptyCart = null,
    IReadOnlyList<StockShortage>? InsufficientStock = null);

public sealed record OrderStatusResult(
    bool Found, string? OrderNumber = null, string? Status = null, string? StatusLabel = null, decimal? Total = null, string? Currency = null,
    string? CreatedAt = null, IReadOnlyList<OrderLine>? Items = null, LinkInfo? Link = null);

public sealed record OrderSummary(string OrderNumber, string Status, string StatusLabel, decimal Total, string Currency, string CreatedAt);

public sealed record OrderList(IReadOnlyList<OrderSummary> Orders);

/// <summary>Checkout and the shopper's orders. Only the shopper's own orders are ever visible.</summary>
public sealed class OrdersPlugin(AgentsDbContext db, OrderService orders, SecureLinks links, ShopperTexts texts, ToolContext context)
{
    private const int RecentOrders = 5;

    [Tool("place_order")]
    [Description("Places an order with everything in the shopper's cart (prices frozen, status pending_payment, cart emptied) and returns a secure payment link. A shopper who is not registered yet gets needsRegistration=true and a registration link instead; emptyCart or insufficientStock say why nothing was ordered. Only ever give the shopper the link returned here.")]
    public async Task<PlaceOrderResult> PlaceOrderAsync(CancellationToken cancellationToken = default)
    {
        var customerId = Customer;
        var channel = await db.Conversations.Where(c => c.Id == context.ConversationId).Select(c => c.Channel).FirstOrDefaultAsync(cancellationToken) ?? "api";
        var placed = await orders.PlaceAsync(customerId, context.ConversationId == Guid.Empty ? null : context.ConversationId, channel, cancellationToken);
        switch (placed.Outcome)
        {
            case PlaceOutcome.NeedsRegistration:
                return new PlaceOrderResult(false, NeedsRegistration: true,
                    Link: await links.CreateAsync(customerId, LinkPurpose.Register, null, Conversation, context.Language, cancellationToken));
            case PlaceOutcome.EmptyCart:
                return new PlaceOrderResult(false, EmptyCart: true);
            case PlaceOutcome.InsufficientStock:
                return new PlaceOrderResult(false, InsufficientStock: placed.Shortages);
        }

        var order = placed.Order!;
        var view = orders.View(order, context.Language);
        var link = await links.CreateAsync(customerId, LinkPurpose.Pay, order.Id, Conversation, context.Language, cancellationToken);
        return new PlaceOrderResult(true, view.OrderNumber, view.Status, view.StatusLabel, view.Total, view.Currency, view.Items, link);
    }

    [Tool("order_status")]
    [Description("Gets the status, items and total of one of the shopper's orders by its number, with a secure link to the order page (details and invoice).")]
    public async Task<OrderStatusResult> OrderStatusAsync(
        [Description("The order number as the shopper wrote it, e.g. SDS-100234.")] string orderNumber,
        CancellationToken cancellationToken = default)
    {
        var order = await orders.FindAsync(orderNumber, cancellationToken);
        if (order is null || order.CustomerId != Customer)
        {
            return new OrderStatusResult(false);
        }

        var view = orders.View(order, context.Language);
        var link = await links.CreateAsync(Customer, LinkPurpose.Order, order.Id, Conversation, context.Language, cancellationToken);
        return new OrderStatusResult(true, view.OrderNumber, view.Status, view.StatusLabel, view.Total, view.Currency, Date(view.CreatedAt), view.Items, link);
    }

    [Tool("list_orders")]
    [Description("Lists the shopper's most recent orders (up to 5): number, date, status and total.")]
    public async Task<OrderList> ListOrdersAsync(CancellationToken cancellationToken = default)
    {
        var customerId = Customer;
        var recent = await db.Orders.AsNoTracking().Where(o => o.CustomerId == customerId)
            .OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id).Take(RecentOrders).ToListAsync(cancellationToken);
        return new OrderList([.. recent.Select(o => new OrderSummary(o.Number, o.Status, texts.Status(context.Language, o.Status), o.Total, o.Currency.Trim(), Date(o.CreatedAt)))]);
    }

    private string Date(DateTimeOffset at) => at.ToString("d MMM yyyy", CultureInfo.GetCultureInfo(context.Language));

    private Guid Customer => context.CustomerId ?? throw new InvalidOperationException("Orders need a customer.");

    private Guid? Conversation => context.ConversationId == Guid.Empty ? null : context.ConversationId;
}
