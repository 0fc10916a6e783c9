using System.Text.Json;
using Agents.AgentHost.Auth;
using Agents.AgentHost.Infrastructure;
using Agents.Data;
using Agents.Data.Entities;
using Agents.Plugins;
using Agents.Plugins.Cart;
using Agents.Plugins.Loyalty;
using Agents.Plugins.Orders;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Agents.AgentHost.Apis;

public sealed record OrderStatusRequest(string? Status);

public sealed record OrderCustomerDto(Guid Id, string? ExternalId);

public sealed record OrderEventDto(string? From, string To, string Source, DateTimeOffset At);

public sealed record PaymentDto(string Provider, string Reference, decimal Amount, string Currency, DateTimeOffset At);

public sealed record OrderDto(
    string Number, string Status, string Currency, decimal Subtotal, decimal Total, string Channel, OrderCustomerDto? Customer,
    IReadOnlyList<OrderLine> Items, JsonElement? ShippingAddress, DateTimeOffset CreatedAt, DateTimeOffset? PaidAt,
    IReadOnlyList<OrderEventDto> Events, IReadOnlyList<PaymentDto> Payments);

public sealed record LoyaltyDto(string CustomerExternalId, int Points, int EarnedPoints, string? Tier, string? NextTier, int? PointsToNextTier,
    IReadOnlyList<LoyaltyMovement> Recent);

public sealed record CartDto(string CustomerExternalId, IReadOnlyList<CartLine> Lines, int ItemCount, decimal Total, string Currency);

public sealed record CommerceServices(AgentsDbContext Db, OrderService Orders, Carts Carts, LoyaltyLedger Loyalty, Commerce.ConversationNotifier Notifier, ShopperTexts Texts);

/// <summary>What merchant systems read and report about carts, orders and loyalty (secret key).</summary>
public static class CommerceApi
{
    private const int LedgerEntries = 20;

    public static IEndpointRouteBuilder MapCommerceApi(this IEndpointRouteBuilder app)
    {
        var customers = app.MapGroup("/api/customers").RequireAuthorization(AgentPolicies.SecretKey).WithTags("Commerce");
        customers.MapGet("/{externalId}/cart", GetCart).WithSummary("A customer's cart, by your id for the customer.");
        customers.MapGet("/{externalId}/loyalty", GetLoyalty).WithSummary("A customer's points, tier and latest ledger entries.");

        var orders = app.MapGroup("/api/orders").RequireAuthorization(AgentPolicies.SecretKey).WithTags("Commerce");
        orders.MapGet("/{number}", GetOrder).WithSummary("An order with its items, status history and payments.");
        orders.MapPost("/{number}/status", SetStatus)
            .WithSummary("Report a status change (paid, shipped, delivered, cancelled, refunded); only lifecycle moves are accepted.");
        return app;
    }

    public static async Task<Ok<CartDto>> GetCart(string externalId, [AsParameters] CommerceServices services, CancellationToken cancellationToken)
    {
        var customer = await FindCustomerAsync(services.Db, externalId, cancellationToken);
        var merchantLanguage = await services.Db.Merchants.Where(m => m.Id == customer.MerchantId).Select(m => m.DefaultLanguage).FirstAsync(cancellationToken);
        var cart = await services.Carts.ViewAsync(customer.Id, ShopperTexts.Language(customer.Language ?? merchantLanguage), cancellationToken);
        return TypedResults.Ok(new CartDto(externalId, cart.Lines, cart.ItemCount, cart.Total, cart.Currency));
    }

    public static async Task<Ok<LoyaltyDto>> GetLoyalty(string externalId, [AsParameters] CommerceServices services, CancellationToken cancellationToken)
    {
        var customer = await FindCustomerAsync(services.Db, externalId, cancellationToken);
        var status = await services.Loyalty.StatusAsync(customer.Id, LedgerEntries, cancellationToken);
        return TypedResults.Ok(new LoyaltyDto(externalId, status.Points, status.EarnedPoints, status.Tier, status.NextTier, status.PointsToNextTier, status.Recent));
    }

    public static async Task<Ok<OrderDto>> GetOrder(string number, [AsParameters] CommerceServices services, CancellationToken cancellationToken)
    {
        var order = await services.Orders.FindAsync(number, cancellationToken) ?? throw new NotFoundException($"Order '{number}'");
        return TypedResults.Ok(await DtoAsync(services.Db, order, cancellationToken));
    }

    public static async Task<Results<Ok<OrderDto>, ValidationProblem>> SetStatus(
        string number, OrderStatusRequest request, [AsParameters] CommerceServices services, CancellationToken cancellationToken)
    {
        var validation = new Validation().OneOf("status", request.Status, OrderStatus.All);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var order = await services.Orders.FindAsync(number, cancellationToken) ?? throw new NotFoundException($"Order '{number}'");
        var moved = await services.Orders.TransitionAsync(order, request.Status!, "api", cancellationToken);
        if (moved.Outcome == TransitionOutcome.NotAllowed)
        {
            var next = string.Join(", ", OrderStatus.All.Where(s => OrderStatus.CanMove(moved.From, s)));
            throw new ConflictException($"Order {order.Number} is {moved.From} and cannot become {moved.To}. " +
                (next.Length > 0 ? $"From {moved.From} it can become: {next}." : $"{moved.From} is final."));
        }

        if (moved.Outcome == TransitionOutcome.Moved && moved.To != OrderStatus.Paid)
        {
            // The shopper hears about shipping, delivery, cancellation and refunds where they ordered.
            var language = ShopperTexts.Language(await services.Db.Customers.Where(c => c.Id == order.CustomerId).Select(c => c.Language).FirstOrDefaultAsync(cancellationToken));
            var label = services.Texts.Status(language, moved.To);
            await services.Notifier.NotifyAsync(order.ConversationId, services.Texts.Get(language, "chat.order_status", ("order", order.Number), ("status", label)), language,
                cancellationToken, "order_status", new Dictionary<string, string> { ["1"] = order.Number, ["2"] = label });
        }

        return TypedResults.Ok(await DtoAsync(services.Db, order, cancellationToken));
    }

    private static async Task<Customer> FindCustomerAsync(AgentsDbContext db, string externalId, CancellationToken cancellationToken) =>
        await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.ExternalId == externalId, cancellationToken)
        ?? throw new NotFoundException($"Customer '{externalId}'");

    private static async Task<OrderDto> DtoAsync(AgentsDbContext db, Order order, CancellationToken cancellationToken)
    {
        var customer = order.CustomerId is { } id
            ? await db.Customers.AsNoTracking().Where(c => c.Id == id).Select(c => new OrderCustomerDto(c.Id, c.ExternalId)).FirstOrDefaultAsync(cancellationToken)
            : null;
        var events = await db.OrderEvents.AsNoTracking().Where(e => e.OrderId == order.Id).OrderBy(e => e.CreatedAt).ThenBy(e => e.Id)
            .Select(e => new OrderEventDto(e.FromStatus, e.ToStatus, e.Source, e.CreatedAt)).ToListAsync(cancellationToken);
        var payments = await db.Payments.AsNoTracking().Where(p => p.OrderId == order.Id).OrderBy(p => p.CreatedAt)
            .Select(p => new PaymentDto(p.Provider, p.Reference, p.Amount, p.Currency, p.CreatedAt)).ToListAsync(cancellationToken);
        using var address = order.ShippingAddress is null ? null : JsonDocument.Parse(order.ShippingAddress);
        return new OrderDto(order.Number, order.Status, order.Currency.Trim(), order.Subtotal, order.Total, order.Channel, customer,
            [.. order.Items.Select(i => new OrderLine(i.Sku, i.Name, i.Variant.Length == 0 ? null : i.Variant, i.Quantity, i.UnitPrice, i.UnitPrice * i.Quantity))],
            address?.RootElement.Clone(), order.CreatedAt, order.PaidAt, events, payments);
    }
}
