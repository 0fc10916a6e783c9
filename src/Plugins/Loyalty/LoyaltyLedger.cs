using System.Text.Json;
using Agents.Data;
using Agents.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Agents.Plugins.Loyalty;

public sealed record LoyaltyTier(string Name, int MinPoints);

public sealed record LoyaltyMovement(int Change, string Reason, string? OrderNumber, DateTimeOffset At);

public sealed record LoyaltyStatus(int Points, int EarnedPoints, string? Tier, string? NextTier, int? PointsToNextTier, IReadOnlyList<LoyaltyMovement> Recent);

/// <summary>
/// The append-only points ledger. Every entry moves the customer's balance in the same statement,
/// under the customer's row lock; the balance never goes below zero; an idempotency key makes an
/// entry happen once however often it is asked for.
/// </summary>
public sealed class LoyaltyLedger(AgentsDbContext db, TenantContext tenant)
{
    /// <summary>
    /// Adds an entry unless one with <paramref name="idempotencyKey"/> exists. With
    /// <paramref name="capAtBalance"/>, a deduction larger than the balance takes the balance to zero;
    /// without, it is refused. Returns the balance after, or null when nothing was written.
    /// </summary>
    public async Task<int?> AddAsync(Guid customerId, int change, string reason, Guid? orderId, string idempotencyKey, bool capAtBalance, CancellationToken cancellationToken)
    {
        var merchantId = tenant.MerchantId!.Value;
        var balances = await db.Database.SqlQuery<int>($"""
            WITH cur AS (
                SELECT loyalty_points FROM customers WHERE id = {customerId} AND merchant_id = {merchantId} FOR UPDATE
            ), eff AS (
                SELECT CASE WHEN {capAtBalance}::boolean THEN GREATEST({change}::integer, -cur.loyalty_points) ELSE {change}::integer END AS change, cur.loyalty_points FROM cur
            ), ins AS (
                INSERT INTO loyalty_ledger (id, merchant_id, customer_id, change, reason, order_id, idempotency_key, balance_after)
                SELECT {Guid.CreateVersion7()}::uuid, {merchantId}::uuid, {customerId}::uuid, eff.change, {reason}::text, {orderId}::uuid, {idempotencyKey}::text, eff.loyalty_points + eff.change
                FROM eff WHERE eff.change <> 0 AND eff.loyalty_points + eff.change >= 0
                ON CONFLICT (merchant_id, idempotency_key) DO NOTHING
                RETURNING change
            )
            UPDATE customers SET loyalty_points = customers.loyalty_points + ins.change FROM ins
            WHERE customers.id = {customerId} AND customers.merchant_id = {merchantId}
            RETURNING customers.loyalty_points AS "Value"
            """).ToListAsync(cancellationToken);
        return balances is [var balance] ? balance : null;
    }

    public async Task<LoyaltyStatus> StatusAsync(Guid customerId, int recent, CancellationToken cancellationToken)
    {
        var merchant = await db.Merchants.AsNoTracking().Where(m => m.Id == tenant.MerchantId).Select(m => new { m.LoyaltyTiers }).FirstAsync(cancellationToken);
        var points = await db.Customers.Where(c => c.Id == customerId).Select(c => c.LoyaltyPoints).FirstOrDefaultAsync(cancellationToken);
        var earned = await db.LoyaltyLedger.Where(e => e.CustomerId == customerId && e.Change > 0).SumAsync(e => (int?)e.Change, cancellationToken) ?? 0;
        var movements = await (from e in db.LoyaltyLedger.AsNoTracking()
                               where e.CustomerId == customerId
                               orderby e.CreatedAt descending, e.Id descending
                               join o in db.Orders on e.OrderId equals o.Id into orders
                               from o in orders.DefaultIfEmpty()
                               select new LoyaltyMovement(e.Change, e.Reason, o == null ? null : o.Number, e.CreatedAt))
            .Take(recent).ToListAsync(cancellationToken);

        // Tiers go by points earned over time, so spending points never lowers a tier.
        var tiers = Tiers(merchant.LoyaltyTiers);
        var tier = tiers.LastOrDefault(t => earned >= t.MinPoints);
        var next = tiers.FirstOrDefault(t => t.MinPoints > earned);
        return new LoyaltyStatus(points, earned, tier?.Name, next?.Name, next is null ? null : next.MinPoints - earned, movements);
    }

    public static IReadOnlyList<LoyaltyTier> Tiers(string json) =>
        [.. (JsonSerializer.Deserialize<List<LoyaltyTier>>(json, JsonSerializerOptions.Web) ?? []).OrderBy(t => t.MinPoints)];
}
