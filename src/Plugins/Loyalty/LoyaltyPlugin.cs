using System.ComponentModel;
using System.Globalization;

namespace Agents.Plugins.Loyalty;

/// <summary>A ledger entry for the shopper: <c>ChangeText</c> is the change with its sign (+19, −19).</summary>
public sealed record LoyaltyRecent(int Change, string ChangeText, string Reason, string? OrderNumber, string At);

public sealed record LoyaltyBalanceResult(int Points, string? Tier, string? NextTier, int? PointsToNextTier, IReadOnlyList<LoyaltyRecent> Recent);

/// <summary>The shopper's loyalty points.</summary>
public sealed class LoyaltyPlugin(LoyaltyLedger ledger, ShopperTexts texts, ToolContext context)
{
    [Tool("loyalty_balance")]
    [Description("Gets the shopper's loyalty points: balance, tier, points to the next tier and the latest changes.")]
    public async Task<LoyaltyBalanceResult> LoyaltyBalanceAsync(CancellationToken cancellationToken = default)
    {
        var status = await ledger.StatusAsync(context.CustomerId ?? throw new InvalidOperationException("Loyalty needs a customer."), 5, cancellationToken);
        var culture = CultureInfo.GetCultureInfo(context.Language);
        return new LoyaltyBalanceResult(status.Points, status.Tier, status.NextTier, status.PointsToNextTier,
            [.. status.Recent.Select(m => new LoyaltyRecent(m.Change, m.Change > 0 ? $"+{m.Change}" : $"−{-m.Change}", Reason(m), m.OrderNumber, m.At.ToString("d MMM yyyy", culture)))]);
    }

    private string Reason(LoyaltyMovement movement) =>
        texts.Get(context.Language, "loyalty." + (movement.Reason is "order_paid" or "order_cancelled" or "order_refunded" ? movement.Reason : "adjustment"),
            ("order", movement.OrderNumber));
}
