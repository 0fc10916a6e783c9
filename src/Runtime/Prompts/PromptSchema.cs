namespace Agents.Runtime.Prompts;

/// <summary>
/// What prompts/ must provide: the languages, the intents the local model knows (each needs
/// examples in every language) and the reply keys it renders (each needs a template in every
/// language). Anything else in the files is an unknown key.
/// </summary>
public static class PromptSchema
{
    /// <summary>The system prompt used when a merchant names none; it must exist.</summary>
    public const string DefaultSystemPrompt = "shop-assistant";

    public static IReadOnlyList<string> Languages { get; } = ["it", "en", "es"];

    /// <summary>Intents answered with a reply template alone.</summary>
    public static IReadOnlyList<string> ChatIntents { get; } = ["greeting", "thanks", "goodbye", "help", "human", "off_topic", "injection"];

    /// <summary>Intents answered by calling a tool and rendering its result.</summary>
    public static IReadOnlyList<string> ToolIntents { get; } =
    [
        "product_search", "product_info", "faq", "list_categories",
        "add_to_cart", "remove_from_cart", "update_cart_quantity", "show_cart", "clear_cart", "place_order",
        "order_status", "list_orders", "loyalty_balance", "register", "profile",
    ];

    public static IReadOnlyList<string> Intents { get; } = [.. ChatIntents, .. ToolIntents];

    /// <summary>Replies that do not depend on an intent: clarifying, asking for a missing detail, errors.</summary>
    public static IReadOnlyList<string> ControlReplies { get; } =
        ["clarify", "clarify_choice", "not_available", "fallback", "tool_error", "ask.product", "ask.quantity", "ask.order_number", "analytics.answer"];

    /// <summary>How each tool intent's result can turn out; the reply key is <c>intent.outcome</c>.</summary>
    public static IReadOnlyDictionary<string, string[]> Outcomes { get; } = new Dictionary<string, string[]>
    {
        ["product_search"] = ["found", "none"],
        ["product_info"] = ["found", "none"],
        ["faq"] = ["found", "none"],
        ["list_categories"] = ["found", "none"],
        ["add_to_cart"] = ["done"],
        ["remove_from_cart"] = ["done"],
        ["update_cart_quantity"] = ["done"],
        ["show_cart"] = ["found", "empty"],
        ["clear_cart"] = ["done"],
        ["place_order"] = ["done", "register", "empty", "stock"],
        ["order_status"] = ["found", "none"],
        ["list_orders"] = ["found", "none"],
        ["loyalty_balance"] = ["found"],
        ["register"] = ["link"],
        ["profile"] = ["link"],
    };

    /// <summary>Intents that get a short label (labels.intent), used when the assistant offers choices or says a feature is not there yet.</summary>
    public static IReadOnlyList<string> LabelledIntents { get; } = [.. ToolIntents, "help", "human"];

    /// <summary>Every reply key the local model renders.</summary>
    public static IReadOnlyList<string> ReplyKeys { get; } =
    [
        .. ChatIntents,
        .. ControlReplies,
        .. Outcomes.SelectMany(o => o.Value.Select(outcome => $"{o.Key}.{outcome}")),
        .. LabelledIntents.Select(i => $"labels.{i}"),
    ];
}
