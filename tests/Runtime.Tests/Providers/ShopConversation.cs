using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Agents.Runtime.Tests.Providers;

/// <summary>The conversation the recorded payloads belong to: a shopper asks about a shoe and an order.</summary>
public static class ShopConversation
{
    public const string System = "You are the shop assistant of Bottega Rossi.";
    public const string Question = "Do you have the Trail Runner in size 42, and where is my order A-1001?";
    public const string Answer = "Yes, the Trail Runner is available in size 42 for 89 EUR.";

    public static AIFunctionDeclaration SearchProducts { get; } = AIFunctionFactory.CreateDeclaration("search_products", "Searches the catalogue.",
        Json("""{"type":"object","properties":{"query":{"type":"string"},"size":{"type":"integer"}},"required":["query"]}"""));

    public static AIFunctionDeclaration GetOrderStatus { get; } = AIFunctionFactory.CreateDeclaration("get_order_status", "Tells where an order is.",
        Json("""{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}"""));

    public static List<ChatMessage> Start() => [new(ChatRole.System, System), new(ChatRole.User, Question)];

    /// <summary>The start, the model's two tool calls, and one tool message with both results, as the tool loop builds it.</summary>
    public static List<ChatMessage> WithToolResults(string searchCallId, string orderCallId) =>
    [
        .. Start(),
        new(ChatRole.Assistant,
        [
            new FunctionCallContent(searchCallId, "search_products", new Dictionary<string, object?> { ["query"] = "Trail Runner", ["size"] = 42 }),
            new FunctionCallContent(orderCallId, "get_order_status", new Dictionary<string, object?> { ["order_id"] = "A-1001" }),
        ]),
        new(ChatRole.Tool,
        [
            new FunctionResultContent(searchCallId, Json("""{"products":[{"sku":"TR-42","name":"Trail Runner","price":89,"in_stock":true}]}""")),
            new FunctionResultContent(orderCallId, Json("""{"status":"shipped","carrier":"BRT","eta":"2025-06-12"}""")),
        ]),
    ];

    public static ChatOptions Options() => new()
    {
        Tools = [SearchProducts, GetOrderStatus],
        ToolMode = ChatToolMode.Auto,
        Temperature = 0,
        MaxOutputTokens = 512,
    };

    /// <summary>A function call's argument as the JSON text it was sent as.</summary>
    public static string Argument(FunctionCallContent call, string name) => call.Arguments![name]!.ToString()!;

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
