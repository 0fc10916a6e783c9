using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Agents.Runtime.Local;

/// <summary>A product the conversation has shown: how to refer to it in a tool call (sku if known) and its name.</summary>
internal sealed record ProductMention(string Reference, string Name);

/// <summary>
/// What earlier turns showed, read from the tool calls and results in the messages, so "add it",
/// "aggiungilo", "quanto costa?" or "el segundo" can be resolved without asking again.
/// </summary>
internal static class ConversationMemory
{
    /// <summary>The products of the most recent tool result that showed any, in the order it listed them.</summary>
    public static IReadOnlyList<ProductMention> LastProducts(IReadOnlyList<ChatMessage> messages)
    {
        var calls = new Dictionary<string, FunctionCallContent>(StringComparer.Ordinal);
        foreach (var call in messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>())
        {
            calls[call.CallId] = call;
        }

        for (var i = messages.Count - 1; i >= 0; i--)
        {
            foreach (var result in messages[i].Contents.OfType<FunctionResultContent>().Reverse())
            {
                if (calls.TryGetValue(result.CallId, out var call) && Mentions(call, ToolJson.Read(result.Result)) is { Count: > 0 } mentions)
                {
                    return mentions;
                }
            }
        }

        return [];
    }

    private static List<ProductMention> Mentions(FunctionCallContent call, JsonElement result)
    {
        if (result.ValueKind != JsonValueKind.Object || result.TryGetProperty("error", out _))
        {
            return [];
        }

        switch (call.Name)
        {
            case "get_product" when ToolJson.IsTrue(result, "found") && result.TryGetProperty("product", out var product) && Mention(product) is { } found:
                return [found];
            case "search_products":
                return List(result, "items");
            case "show_cart":
                return List(result, "lines");
            case "add_to_cart" or "remove_from_cart" or "update_cart_quantity"
                when ToolJson.Argument(call.Arguments, "product") is { Length: > 0 } reference:
                return [new ProductMention(reference, reference)];
            default:
                return [];
        }
    }

    private static List<ProductMention> List(JsonElement result, string property) =>
        result.TryGetProperty(property, out var items) && items.ValueKind == JsonValueKind.Array
            ? [.. items.EnumerateArray().Select(Mention).OfType<ProductMention>()]
            : [];

    private static ProductMention? Mention(JsonElement product)
    {
        var sku = ToolJson.Text(product, "sku");
        var name = ToolJson.Text(product, "name");
        return sku is null && name is null ? null : new ProductMention((sku ?? name)!, (name ?? sku)!);
    }
}

/// <summary>Reading tool results and arguments, which arrive as JsonElement, JSON text or plain objects.</summary>
internal static class ToolJson
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static JsonElement Read(object? value)
    {
        switch (value)
        {
            case JsonElement element:
                return element;
            case string text:
                try
                {
                    using var document = JsonDocument.Parse(text);
                    return document.RootElement.Clone();
                }
                catch (JsonException)
                {
                    return JsonSerializer.SerializeToElement(text, Json);
                }

            default:
                return JsonSerializer.SerializeToElement(value, Json);
        }
    }

    public static JsonElement Serialize(object? value) => JsonSerializer.SerializeToElement(value, Json);

    public static bool IsTrue(JsonElement result, string property) =>
        result.ValueKind == JsonValueKind.Object && result.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.True;

    public static bool HasItems(JsonElement result, string property) =>
        result.ValueKind == JsonValueKind.Object && result.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0;

    public static string? Text(JsonElement result, string property) =>
        result.ValueKind == JsonValueKind.Object && result.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static string? Argument(IDictionary<string, object?>? arguments, string name) =>
        arguments is not null && arguments.TryGetValue(name, out var value)
            ? value switch
            {
                string text => text,
                JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
                _ => null,
            }
            : null;
}
