using System.ComponentModel;

namespace Agents.Plugins.Cart;

/// <summary>The shopper's cart: add, remove, change quantity, show, clear.</summary>
public sealed class CartPlugin(Carts carts, ToolContext context)
{
    [Tool("add_to_cart")]
    [Description("Adds a product to the shopper's cart, checking the stock. Returns the whole cart; ok=false with the reason (notFound, insufficientStock, chooseVariant, unknownVariant, invalidQuantity) when nothing was added.")]
    public Task<CartResult> AddToCartAsync(
        [Description("The product's sku or its name as the shopper said it.")] string product,
        [Description("How many to add (1–99); default 1.")] int quantity = 1,
        [Description("The variant (size or format) when the product has variants, e.g. '500 g'.")] string? variant = null,
        CancellationToken cancellationToken = default) =>
        carts.PutAsync(Customer, product, quantity, variant, replace: false, context.Language, cancellationToken);

    [Tool("remove_from_cart")]
    [Description("Removes a product (all its quantity) from the shopper's cart. Returns the cart; ok=false with notInCart when it was not there.")]
    public Task<CartResult> RemoveFromCartAsync(
        [Description("The product's sku or its name as the shopper said it.")] string product,
        CancellationToken cancellationToken = default) =>
        carts.RemoveAsync(Customer, product, context.Language, cancellationToken);

    [Tool("update_cart_quantity")]
    [Description("Sets how many of a product the cart holds (0 removes it), checking the stock. Returns the cart.")]
    public Task<CartResult> UpdateCartQuantityAsync(
        [Description("The product's sku or its name as the shopper said it.")] string product,
        [Description("The new quantity, 0–99.")] int quantity,
        CancellationToken cancellationToken = default) =>
        quantity == 0
            ? carts.RemoveAsync(Customer, product, context.Language, cancellationToken)
            : carts.PutAsync(Customer, product, quantity, null, replace: true, context.Language, cancellationToken);

    [Tool("show_cart")]
    [Description("Shows the shopper's cart: lines with quantity, unit price and line total, the total and the currency.")]
    public async Task<CartResult> ShowCartAsync(CancellationToken cancellationToken = default)
    {
        var cart = await carts.ViewAsync(Customer, context.Language, cancellationToken);
        return new CartResult(true, cart.Lines, cart.ItemCount, cart.Total, cart.Currency);
    }

    [Tool("clear_cart")]
    [Description("Empties the shopper's cart.")]
    public Task<CartResult> ClearCartAsync(CancellationToken cancellationToken = default) =>
        carts.ClearAsync(Customer, context.Language, cancellationToken);

    private Guid Customer => context.CustomerId ?? throw new InvalidOperationException("The cart needs a customer.");
}
