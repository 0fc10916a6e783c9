using System.Text.Json;
using Agents.Data;
using Agents.Data.Entities;
using Agents.Plugins.Products;
using Microsoft.EntityFrameworkCore;

namespace Agents.Plugins.Cart;

public sealed record CartLine(string Sku, string Name, string? Variant, int Quantity, decimal UnitPrice, decimal LineTotal, bool Available);

public sealed record CartView(IReadOnlyList<CartLine> Lines, int ItemCount, decimal Total, string Currency);

public sealed record ProductProblem(string Product);

public sealed record StockProblem(string Name, int Requested, int Available, int InCart);

public sealed record VariantProblem(string Name, string? Variant, IReadOnlyList<string> Variants);

public sealed record QuantityProblem(int Quantity, int Max);

/// <summary>
/// A cart change and the cart after it. <c>Ok</c> is false when nothing changed, and exactly one of
/// the problem fields says why; the cart is returned either way.
/// </summary>
public sealed record CartResult(
    bool Ok, IReadOnlyList<CartLine> Lines, int ItemCount, decimal Total, string Currency,
    string? Product = null, ProductProblem? NotFound = null, ProductProblem? NotInCart = null, StockProblem? InsufficientStock = null,
    VariantProblem? ChooseVariant = null, VariantProblem? UnknownVariant = null, QuantityProblem? InvalidQuantity = null);

/// <summary>
/// Carts, one per customer per merchant. Changes are single statements that check stock as they
/// write, so two adds at once both count and a cart never holds more than the stock.
/// </summary>
public sealed class Carts(AgentsDbContext db, TenantContext tenant, ProductResolver resolver)
{
    public const int MaxQuantity = 99;

    public async Task<CartView> ViewAsync(Guid customerId, string language, CancellationToken cancellationToken)
    {
        var items = await db.CartItems.AsNoTracking().Include(i => i.Product!).ThenInclude(p => p.Translations)
            .Where(i => i.CustomerId == customerId).OrderBy(i => i.AddedAt).ThenBy(i => i.Id).ToListAsync(cancellationToken);
        var currency = await db.Merchants.Where(m => m.Id == tenant.MerchantId).Select(m => m.Currency).FirstAsync(cancellationToken);
        var lines = items.ConvertAll(i => new CartLine(i.Product!.Sku, ProductResolver.Translation(i.Product, language).Name, i.Variant.Length == 0 ? null : i.Variant,
            i.Quantity, i.Product.Price, i.Product.Price * i.Quantity, i.Product.Active && i.Product.Stock >= i.Quantity));
        return new CartView(lines, lines.Sum(l => l.Quantity), lines.Sum(l => l.LineTotal), currency.Trim());
    }

    /// <summary>Adds <paramref name="quantity"/> to the line (or sets it, with <paramref name="replace"/>), within the stock.</summary>
    public async Task<CartResult> PutAsync(Guid customerId, string reference, int quantity, string? variant, bool replace, string language, CancellationToken cancellationToken)
    {
        if (quantity is < 1 or > MaxQuantity)
        {
            return await ResultAsync(customerId, language, null, cancellationToken, invalidQuantity: new QuantityProblem(quantity, MaxQuantity));
        }

        var inCart = await CartSkusAsync(customerId, cancellationToken);
        var product = await resolver.ResolveAsync(reference, cancellationToken, inCart);
        if (product is null)
        {
            return await ResultAsync(customerId, language, null, cancellationToken, notFound: new ProductProblem(reference));
        }

        var name = ProductResolver.Translation(product, language).Name;
        var variants = Variants(product);
        var chosen = variant is null ? null : variants.FirstOrDefault(v => string.Equals(v, variant.Trim(), StringComparison.OrdinalIgnoreCase));
        if (variant is not null && chosen is null)
        {
            return await ResultAsync(customerId, language, name, cancellationToken, unknownVariant: new VariantProblem(name, variant, variants));
        }

        if (chosen is null && variants.Count > 0)
        {
            return await ResultAsync(customerId, language, name, cancellationToken, chooseVariant: new VariantProblem(name, null, variants));
        }

        var merchantId = tenant.MerchantId!.Value;
        var written = await db.Database.SqlQuery<int>($"""
            INSERT INTO cart_items (id, merchant_id, customer_id, product_id, variant, quantity)
            SELECT {Guid.CreateVersion7()}::uuid, p.merchant_id, {customerId}::uuid, p.id, {chosen ?? ""}::text, {quantity}::integer
            FROM products p WHERE p.id = {product.Id} AND p.merchant_id = {merchantId} AND p.active AND p.stock >= {quantity}
            ON CONFLICT (merchant_id, customer_id, product_id, variant) DO UPDATE
                SET quantity = CASE WHEN {replace}::boolean THEN EXCLUDED.quantity ELSE cart_items.quantity + EXCLUDED.quantity END, updated_at = now()
                WHERE (CASE WHEN {replace}::boolean THEN EXCLUDED.quantity ELSE cart_items.quantity + EXCLUDED.quantity END)
                    <= LEAST({MaxQuantity}, (SELECT stock FROM products WHERE id = EXCLUDED.product_id))
            RETURNING quantity AS "Value"
            """).ToListAsync(cancellationToken);
        if (written.Count == 1)
        {
            return await ResultAsync(customerId, language, name, cancellationToken);
        }

        var stock = await db.Products.Where(p => p.Id == product.Id).Select(p => p.Stock).FirstAsync(cancellationToken);
        var current = await db.CartItems.Where(i => i.CustomerId == customerId && i.ProductId == product.Id && i.Variant == (chosen ?? ""))
            .Select(i => (int?)i.Quantity).FirstOrDefaultAsync(cancellationToken) ?? 0;
        return await ResultAsync(customerId, language, name, cancellationToken,
            insufficientStock: new StockProblem(name, replace ? quantity : current + quantity, stock, current));
    }

    public async Task<CartResult> RemoveAsync(Guid customerId, string reference, string language, CancellationToken cancellationToken)
    {
        var inCart = await CartSkusAsync(customerId, cancellationToken);
        var product = inCart.Count == 0 ? null : await resolver.ResolveAsync(reference, cancellationToken, inCart);
        var removed = product is null ? 0 : await db.CartItems.Where(i => i.CustomerId == customerId && i.ProductId == product.Id).ExecuteDeleteAsync(cancellationToken);
        var name = product is null ? reference : ProductResolver.Translation(product, language).Name;
        return removed > 0
            ? await ResultAsync(customerId, language, name, cancellationToken)
            : await ResultAsync(customerId, language, name, cancellationToken, notInCart: new ProductProblem(name));
    }

    public async Task<CartResult> ClearAsync(Guid customerId, string language, CancellationToken cancellationToken)
    {
        await db.CartItems.Where(i => i.CustomerId == customerId).ExecuteDeleteAsync(cancellationToken);
        return await ResultAsync(customerId, language, null, cancellationToken);
    }

    private async Task<List<string>> CartSkusAsync(Guid customerId, CancellationToken cancellationToken) =>
        await db.CartItems.Where(i => i.CustomerId == customerId).Select(i => i.Product!.Sku).ToListAsync(cancellationToken);

    private async Task<CartResult> ResultAsync(Guid customerId, string language, string? product, CancellationToken cancellationToken,
        ProductProblem? notFound = null, ProductProblem? notInCart = null, StockProblem? insufficientStock = null,
        VariantProblem? chooseVariant = null, VariantProblem? unknownVariant = null, QuantityProblem? invalidQuantity = null)
    {
        var cart = await ViewAsync(customerId, language, cancellationToken);
        var ok = notFound is null && notInCart is null && insufficientStock is null && chooseVariant is null && unknownVariant is null && invalidQuantity is null;
        return new CartResult(ok, cart.Lines, cart.ItemCount, cart.Total, cart.Currency, product, notFound, notInCart, insufficientStock, chooseVariant, unknownVariant, invalidQuantity);
    }

    /// <summary>A product's variants: the "variants" array of its attributes (sizes, formats), if any.</summary>
    private static List<string> Variants(Product product)
    {
        using var attributes = JsonDocument.Parse(product.Attributes);
        return attributes.RootElement.TryGetProperty("variants", out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
            : [];
    }
}
