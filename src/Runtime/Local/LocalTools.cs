using System.Text.Json;

namespace Agents.Runtime.Local;

/// <summary>
/// The call the local model makes for a tool intent. <see cref="Missing"/> names the ask.* reply to
/// send instead when a required detail is missing (which product, how many, which order).
/// </summary>
internal sealed record ToolPlan(string Tool, Dictionary<string, object?> Arguments, string? Missing);

/// <summary>
/// How tool intents map to tool calls (and their slots to arguments), and how a tool's result maps
/// back to the reply that renders it. The tool names and result shapes are the plugins' contract.
/// </summary>
internal static class LocalTools
{
    /// <summary>The staff conversation's one tool (src/Plugins/Analytics).</summary>
    public const string AnalyticsTool = "ask_analytics";

    public static IReadOnlyDictionary<string, string> ToolOf { get; } = new Dictionary<string, string>
    {
        ["product_search"] = "search_products",
        ["product_info"] = "get_product",
        ["faq"] = "search_faq",
        ["list_categories"] = "list_categories",
        ["add_to_cart"] = "add_to_cart",
        ["remove_from_cart"] = "remove_from_cart",
        ["update_cart_quantity"] = "update_cart_quantity",
        ["show_cart"] = "show_cart",
        ["clear_cart"] = "clear_cart",
        ["place_order"] = "place_order",
        ["order_status"] = "order_status",
        ["list_orders"] = "list_orders",
        ["loyalty_balance"] = "loyalty_balance",
        ["register"] = "create_secure_link",
        ["profile"] = "create_secure_link",
    };

    public static ToolPlan Plan(string intent, string text, Slots slots, IReadOnlyList<ProductMention> shown)
    {
        var tool = ToolOf[intent];
        var product = Product(slots, shown);
        return intent switch
        {
            "product_search" => new ToolPlan(tool, Search(text, slots), null),
            "product_info" or "remove_from_cart" => new ToolPlan(tool, new() { ["product"] = product }, product is null ? "ask.product" : null),
            "add_to_cart" => new ToolPlan(tool, new() { ["product"] = product, ["quantity"] = slots.Quantity ?? 1 }, product is null ? "ask.product" : null),
            "update_cart_quantity" => new ToolPlan(tool, new() { ["product"] = product, ["quantity"] = slots.Quantity },
                product is null ? "ask.product" : slots.Quantity is null ? "ask.quantity" : null),
            "faq" => new ToolPlan(tool, new() { ["question"] = text.Trim() }, null),
            "order_status" => new ToolPlan(tool, new() { ["orderNumber"] = slots.OrderNumber }, slots.OrderNumber is null ? "ask.order_number" : null),
            "register" or "profile" => new ToolPlan(tool, new() { ["purpose"] = intent }, null),
            _ => new ToolPlan(tool, [], null),
        };
    }

    /// <summary>The reply key for a tool's result: an error, or the intent's outcome (found, none, done…).</summary>
    public static string ReplyKey(string tool, IDictionary<string, object?>? arguments, JsonElement result)
    {
        if (result.ValueKind != JsonValueKind.Object)
        {
            return "fallback";
        }

        if (result.TryGetProperty("error", out _))
        {
            return "tool_error";
        }

        return tool switch
        {
            "search_products" => ToolJson.HasItems(result, "items") ? "product_search.found" : "product_search.none",
            "get_product" => ToolJson.IsTrue(result, "found") ? "product_info.found" : "product_info.none",
            "search_faq" => ToolJson.IsTrue(result, "found") && ToolJson.HasItems(result, "answers") ? "faq.found" : "faq.none",
            "list_categories" => ToolJson.HasItems(result, "categories") ? "list_categories.found" : "list_categories.none",
            "add_to_cart" or "remove_from_cart" or "update_cart_quantity" or "clear_cart" => tool + ".done",
            "show_cart" => ToolJson.HasItems(result, "lines") ? "show_cart.found" : "show_cart.empty",
            "place_order" => ToolJson.IsTrue(result, "needsRegistration") ? "place_order.register"
                : ToolJson.IsTrue(result, "emptyCart") ? "place_order.empty"
                : ToolJson.HasItems(result, "insufficientStock") ? "place_order.stock"
                : "place_order.done",
            "order_status" => ToolJson.IsTrue(result, "found") ? "order_status.found" : "order_status.none",
            "list_orders" => ToolJson.HasItems(result, "orders") ? "list_orders.found" : "list_orders.none",
            "loyalty_balance" => "loyalty_balance.found",
            AnalyticsTool => "analytics.answer",
            "create_secure_link" => (ToolJson.Text(result, "purpose") ?? ToolJson.Argument(arguments, "purpose")) switch
            {
                "register" => "register.link",
                "profile" => "profile.link",
                _ => "fallback",
            },
            _ => "fallback",
        };
    }

    /// <summary>search_products arguments: the product words as query (else the category, else the whole message), plus the constraints found.</summary>
    private static Dictionary<string, object?> Search(string text, Slots slots)
    {
        var constrained = slots.MaxPrice is not null || slots.Dietary.Count > 0 || slots.Category is not null;
        var arguments = new Dictionary<string, object?> { ["query"] = slots.Product ?? slots.Category ?? (constrained ? "" : text.Trim()) };
        if (slots.Category is not null)
        {
            arguments["category"] = slots.Category;
        }

        if (slots.MaxPrice is not null)
        {
            arguments["maxPrice"] = slots.MaxPrice;
        }

        if (slots.Dietary.Count > 0)
        {
            arguments["dietary"] = slots.Dietary.ToArray();
        }

        return arguments;
    }

    /// <summary>
    /// The product a message means: an ordinal into what was just shown ("the second one"), the words
    /// naming it, or — for "add it" — the one product just shown. Several shown and no pointer: ask.
    /// </summary>
    private static string? Product(Slots slots, IReadOnlyList<ProductMention> shown)
    {
        if (slots.Ordinal is { } ordinal && shown.Count > 0)
        {
            var index = ordinal < 0 ? shown.Count - 1 : ordinal - 1;
            if (index < shown.Count)
            {
                return shown[index].Reference;
            }
        }

        return slots.Product ?? (shown.Count == 1 ? shown[0].Reference : null);
    }
}
