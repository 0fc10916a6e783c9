using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Agents.Runtime.Providers;

/// <summary>
/// Our mapping between Microsoft.Extensions.AI chat types and the JSON of Amazon Bedrock's Converse
/// API (AWSSDK.BedrockRuntime is not available here).
/// </summary>
internal static class ConverseJson
{
    public static JsonObject Request(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        // Converse has no "none" tool choice: not offering the tools is how to say it.
        var tools = options?.ToolMode is NoneChatToolMode ? [] : options?.Tools?.OfType<AIFunctionDeclaration>().ToList() ?? [];
        var system = new List<JsonNode>();
        if (!string.IsNullOrWhiteSpace(options?.Instructions))
        {
            system.Add(Text(options.Instructions));
        }

        var turns = new List<(string Role, List<JsonObject> Blocks)>();
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.System)
            {
                system.AddRange(message.Contents.OfType<TextContent>().Where(t => t.Text.Length > 0).Select(t => Text(t.Text)));
                continue;
            }

            // Tool results travel in user turns, and turns must alternate: consecutive same-role messages become one turn.
            var role = message.Role == ChatRole.Assistant ? "assistant" : "user";
            var blocks = message.Contents.Select(content => Block(content, tools.Count > 0)).OfType<JsonObject>().ToList();
            if (blocks.Count == 0)
            {
                continue;
            }

            if (turns.Count > 0 && turns[^1].Role == role)
            {
                turns[^1].Blocks.AddRange(blocks);
            }
            else
            {
                turns.Add((role, blocks));
            }
        }

        var body = new JsonObject
        {
            ["messages"] = new JsonArray([.. turns.Select(turn => new JsonObject { ["role"] = turn.Role, ["content"] = new JsonArray([.. turn.Blocks]) })]),
        };
        if (system.Count > 0)
        {
            body["system"] = new JsonArray([.. system]);
        }

        if (InferenceConfig(options) is { Count: > 0 } inference)
        {
            body["inferenceConfig"] = inference;
        }

        if (tools.Count > 0)
        {
            body["toolConfig"] = ToolConfig(tools, options?.ToolMode);
        }

        return body;
    }

    public static ChatResponse Response(JsonElement root, string model, string? requestId)
    {
        var contents = new List<AIContent>();
        foreach (var block in Get(Get(Get(root, "output"), "message"), "content").EnumerateArray())
        {
            if (block.TryGetProperty("text", out var text))
            {
                contents.Add(new TextContent(text.GetString()));
            }
            else if (block.TryGetProperty("toolUse", out var toolUse))
            {
                contents.Add(ToolCallAssembler.Parse(String(toolUse, "toolUseId"), String(toolUse, "name"), Get(toolUse, "input").GetRawText()));
            }
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents) { MessageId = requestId })
        {
            ResponseId = requestId,
            ModelId = model,
            FinishReason = FinishReason(String(root, "stopReason")),
            Usage = Usage(Get(root, "usage")),
        };
    }

    /// <summary>
    /// Applies one converse-stream event: text deltas come out at once, a tool call once its block
    /// stops, the stop reason and the usage as they arrive. Returns null for events that yield nothing.
    /// </summary>
    public static ChatResponseUpdate? StreamEvent(string eventType, JsonElement payload, ToolCallAssembler calls)
    {
        switch (eventType)
        {
            case "contentBlockStart" when Get(payload, "start").TryGetProperty("toolUse", out var toolUse):
                calls.Append(Index(payload), String(toolUse, "toolUseId"), String(toolUse, "name"), null);
                return null;
            case "contentBlockDelta":
                var delta = Get(payload, "delta");
                if (delta.TryGetProperty("text", out var text))
                {
                    return Update(new TextContent(text.GetString()));
                }

                if (delta.TryGetProperty("toolUse", out var fragment))
                {
                    calls.Append(Index(payload), null, null, String(fragment, "input"));
                }

                return null;
            case "contentBlockStop":
                return calls.Complete(Index(payload)) is { } call ? Update(call) : null;
            case "messageStop":
                return new ChatResponseUpdate(ChatRole.Assistant, []) { FinishReason = FinishReason(String(payload, "stopReason")) };
            case "metadata" when payload.TryGetProperty("usage", out var usage):
                return Update(new UsageContent(Usage(usage)));
            default:
                return null;
        }

        static ChatResponseUpdate Update(AIContent content) => new(ChatRole.Assistant, [content]);
    }

    private static JsonObject? Block(AIContent content, bool toolsOffered) => content switch
    {
        TextContent { Text.Length: > 0 } text => Text(text.Text),
        FunctionCallContent call when toolsOffered => new JsonObject
        {
            ["toolUse"] = new JsonObject { ["toolUseId"] = call.CallId, ["name"] = call.Name, ["input"] = Arguments(call) },
        },
        FunctionResultContent result when toolsOffered => new JsonObject { ["toolResult"] = ToolResult(result) },
        // Bedrock refuses toolUse and toolResult blocks in a request that offers no tools (the tool
        // loop's last round), so past tool use is told as text instead.
        FunctionCallContent call => Text($"[called {call.Name} with {Arguments(call).ToJsonString()}]"),
        FunctionResultContent result => Text($"[result of {result.CallId}: {Result(result.Result)?.ToJsonString() ?? "null"}]"),
        _ => null,
    };

    private static JsonObject ToolResult(FunctionResultContent result)
    {
        // Models accept an object as json; anything else goes as text.
        var value = Result(result.Result);
        var toolResult = new JsonObject
        {
            ["toolUseId"] = result.CallId,
            ["content"] = new JsonArray(value is JsonObject
                ? new JsonObject { ["json"] = value }
                : Text(result.Result as string ?? value?.ToJsonString() ?? "null")),
        };

        // Only some models accept "status", and it defaults to success.
        if (result.Exception is not null)
        {
            toolResult["status"] = "error";
        }

        return toolResult;
    }

    private static JsonObject? InferenceConfig(ChatOptions? options)
    {
        if (options is null)
        {
            return null;
        }

        var config = new JsonObject();
        if (options.MaxOutputTokens is { } maxTokens)
        {
            config["maxTokens"] = maxTokens;
        }

        if (options.Temperature is { } temperature)
        {
            config["temperature"] = temperature;
        }

        if (options.TopP is { } topP)
        {
            config["topP"] = topP;
        }

        if (options.StopSequences is { Count: > 0 } stops)
        {
            config["stopSequences"] = new JsonArray([.. stops.Select(s => JsonValue.Create(s))]);
        }

        return config;
    }

    private static JsonObject ToolConfig(List<AIFunctionDeclaration> tools, ChatToolMode? mode)
    {
        var config = new JsonObject
        {
            ["tools"] = new JsonArray([.. tools.Select(tool => new JsonObject { ["toolSpec"] = ToolSpec(tool) })]),
        };
        var choice = mode switch
        {
            RequiredChatToolMode { RequiredFunctionName: { } name } => new JsonObject { ["tool"] = new JsonObject { ["name"] = name } },
            RequiredChatToolMode => new JsonObject { ["any"] = new JsonObject() },
            AutoChatToolMode => new JsonObject { ["auto"] = new JsonObject() },
            _ => null,
        };
        if (choice is not null)
        {
            config["toolChoice"] = choice;
        }

        return config;
    }

    private static JsonObject ToolSpec(AIFunctionDeclaration tool)
    {
        var spec = new JsonObject { ["name"] = tool.Name };
        // Converse refuses an empty description.
        if (!string.IsNullOrWhiteSpace(tool.Description))
        {
            spec["description"] = tool.Description;
        }

        spec["inputSchema"] = new JsonObject { ["json"] = JsonNode.Parse(tool.JsonSchema.GetRawText()) };
        return spec;
    }

    private static ChatFinishReason FinishReason(string stopReason) => stopReason switch
    {
        "end_turn" or "stop_sequence" => ChatFinishReason.Stop,
        "tool_use" => ChatFinishReason.ToolCalls,
        "max_tokens" or "model_context_window_exceeded" => ChatFinishReason.Length,
        "guardrail_intervened" or "content_filtered" => ChatFinishReason.ContentFilter,
        _ => new ChatFinishReason(stopReason),
    };

    private static UsageDetails Usage(JsonElement usage) => new()
    {
        InputTokenCount = Get(usage, "inputTokens").GetInt64(),
        OutputTokenCount = Get(usage, "outputTokens").GetInt64(),
        TotalTokenCount = Get(usage, "totalTokens").GetInt64(),
    };

    private static JsonObject Text(string text) => new() { ["text"] = text };

    private static JsonNode Arguments(FunctionCallContent call) =>
        JsonSerializer.SerializeToNode(call.Arguments ?? new Dictionary<string, object?>(), ToolJson.Options)!;

    private static JsonNode? Result(object? result) => JsonSerializer.SerializeToNode(result, ToolJson.Options);

    private static int Index(JsonElement payload) => Get(payload, "contentBlockIndex").GetInt32();

    private static string String(JsonElement element, string name) =>
        Get(element, name).GetString() ?? throw new JsonException($"Converse JSON has a null '{name}'.");

    private static JsonElement Get(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value
            : throw new JsonException($"Converse JSON is missing '{name}'.");
}
