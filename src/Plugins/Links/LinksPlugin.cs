using System.ComponentModel;
using Agents.Data;
using Agents.Data.Entities;
using Agents.Plugins.Orders;
using Microsoft.EntityFrameworkCore;

namespace Agents.Plugins.Links;

public sealed record SecureLinkResult(string Purpose, string? Url = null, DateTimeOffset? ExpiresAt = null, bool? AlreadyRegistered = null,
    bool? OrderNotFound = null, string? OrderStatus = null);

/// <summary>Secure pages for what must not happen in the chat: registration, payment, order details, personal data.</summary>
public sealed class LinksPlugin(AgentsDbContext db, SecureLinks links, OrderService orders, ToolContext context)
{
    [Tool("create_secure_link")]
    [Description("Creates a personal, time-limited secure link for the shopper: 'register' (sign up with GDPR consent), 'pay' (pay a pending order), 'order' (order details and invoice) or 'profile' (view, export or delete personal data). The model must never write URLs itself: give the shopper exactly the url returned here.")]
    public async Task<SecureLinkResult> CreateSecureLinkAsync(
        [Description("What the link is for: register, pay, order or profile.")] string purpose,
        [Description("The order number, for 'pay' and 'order' links.")] string? orderNumber = null,
        CancellationToken cancellationToken = default)
    {
        purpose = purpose.Trim().ToLowerInvariant();
        if (!LinkPurpose.All.Contains(purpose))
        {
            throw new ArgumentException($"Unknown purpose '{purpose}': use register, pay, order or profile.");
        }

        var customerId = context.CustomerId ?? throw new InvalidOperationException("Links need a customer.");
        Guid? orderId = null;
        if (purpose is LinkPurpose.Pay or LinkPurpose.Order)
        {
            var order = orderNumber is null ? null : await orders.FindAsync(orderNumber, cancellationToken);
            if (order is null || order.CustomerId != customerId)
            {
                return new SecureLinkResult(purpose, OrderNotFound: true);
            }

            if (purpose == LinkPurpose.Pay && order.Status != OrderStatus.PendingPayment)
            {
                return new SecureLinkResult(purpose, OrderStatus: order.Status);
            }

            orderId = order.Id;
        }

        if (purpose == LinkPurpose.Register
            && await db.Customers.AsNoTracking().FirstAsync(c => c.Id == customerId, cancellationToken) is var customer && OrderService.IsRegistered(customer))
        {
            return new SecureLinkResult(purpose, AlreadyRegistered: true);
        }

        var link = await links.CreateAsync(customerId, purpose, orderId, context.ConversationId == Guid.Empty ? null : context.ConversationId, context.Language, cancellationToken);
        return new SecureLinkResult(purpose, link.Url, link.ExpiresAt);
    }
}
