using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Agents.Runtime.Prompts;
using Microsoft.Extensions.AI;

namespace Agents.Runtime.Local;

/// <summary>
/// The offline, deterministic model: an <see cref="IChatClient"/> that classifies the shopper's
/// message, extracts its slots and either calls a tool (one <see cref="FunctionCallContent"/>) or
/// answers from a reply template; after tool results it renders them. It follows the IChatClient
/// conventions of a hosted model, so it runs through the same tool-calling loop.
/// </summary>
/// <remarks>
/// Reads <see cref="ChatOptions.AdditionalProperties"/> "language" (it, en or es; default en),
/// "merchantName" and "customerName"; offers only the tools in <see cref="ChatOptions.Tools"/>.
/// System messages are ignored. Responses carry "intent" and "confidence" in their additional properties.
/// </remarks>
public sealed partial class LocalChatClient(LocalModel model, double confidenceThreshold = 0.45, TimeProvider? time = null) : IChatClient
{
    /// <summary>When the runner-up is this close to the winner, the message is ambiguous.</summary>
    private const double TieMargin = 0.05;

    /// <summary>What a bare answer to "which product?", "how many?" or "which order?" tends to be classified as.</summary>
    private static readonly HashSet<string> AnswerLike = new(["product_search", "product_info", "update_cart_quantity", "order_status"], StringComparer.Ordinal);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ChatClientMetadata _metadata = new("local", null, LocalModel.ModelId);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Respond([.. messages], options));
    }

    /// <summary>The same response as <see cref="GetResponseAsync"/>, text word by word, a tool call as one update, usage last.</summary>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        await Task.Yield();
        var response = Respond([.. messages], options);
        var message = response.Messages[0];
        foreach (var content in message.Contents)
        {
            var pieces = content is TextContent text ? Words().Matches(text.Text).Select(m => (AIContent)new TextContent(m.Value)) : [content];
            foreach (var piece in pieces)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return Update(response, [piece]);
            }
        }

        var last = Update(response, [new UsageContent(response.Usage!)]);
        last.FinishReason = response.FinishReason;
        last.AdditionalProperties = response.AdditionalProperties;
        yield return last;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
    }

    private ChatResponse Respond(List<ChatMessage> messages, ChatOptions? options)
    {
        var turn = new Turn(messages, options, model.Prompts);
        var (contents, intent, confidence) = messages.Count == 0 ? new Outcome([turn.Text("fallback")])
            : messages[^1].Role == ChatRole.Tool ? RenderResults(turn)
            : messages[^1].Role == ChatRole.User ? Answer(turn, messages[^1].Text)
            : new Outcome([turn.Text("fallback")]);

        var reply = new ChatMessage(ChatRole.Assistant, contents) { MessageId = "msg_" + Guid.NewGuid().ToString("N") };
        var isCall = contents.Any(c => c is FunctionCallContent);
        var response = new ChatResponse(reply)
        {
            ResponseId = "resp_" + Guid.NewGuid().ToString("N"),
            ModelId = LocalModel.ModelId,
            CreatedAt = _time.GetUtcNow(),
            FinishReason = isCall ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
            Usage = Usage(messages, contents),
        };
        if (intent is not null)
        {
            response.AdditionalProperties = new() { ["intent"] = intent, ["confidence"] = Math.Round(confidence ?? 1, 3) };
        }

        return response;
    }

    /// <summary>A user message: a reply template, a clarifying question, or one tool call.</summary>
    private Outcome Answer(Turn turn, string text)
    {
        if (Injection().IsMatch(TextNormalizer.Fold(text)))
        {
            return new([turn.Text("injection")], "injection", 1);
        }

        // A staff conversation offers only the analytics tool: every message is a question for it.
        if (turn.Tools.Count == 1 && turn.Tools.Contains(LocalTools.AnalyticsTool) && text.Trim().Length > 0)
        {
            return new([Call(new ToolPlan(LocalTools.AnalyticsTool, new() { ["question"] = text.Trim() }, null))], "analytics", 1);
        }

        var prediction = model.Classifier.Predict(text, turn.Language);
        if (Pending(turn, text) is { } pending && (prediction.Confidence < confidenceThreshold || AnswerLike.Contains(prediction.Intent) || prediction.Intent == pending.Intent)
            && turn.Tools.Contains(pending.Plan.Tool))
        {
            return new([Call(pending.Plan)], pending.Intent, prediction.Confidence);
        }

        if (text.Trim().Length == 0 || prediction.Confidence < confidenceThreshold || prediction.Confidence - prediction.RunnerUpConfidence < TieMargin)
        {
            var offerChoice = PromptSchema.LabelledIntents.Contains(prediction.Intent) && PromptSchema.LabelledIntents.Contains(prediction.RunnerUp);
            return new([offerChoice
                ? turn.Text("clarify_choice", new() { ["first"] = turn.Label(prediction.Intent), ["second"] = turn.Label(prediction.RunnerUp) })
                : turn.Text("clarify")], "clarify", prediction.Confidence);
        }

        var intent = prediction.Intent;
        if (PromptSchema.ChatIntents.Contains(intent))
        {
            return new([turn.Text(intent)], intent, prediction.Confidence);
        }

        var tool = LocalTools.ToolOf[intent];
        if (!turn.Tools.Contains(tool))
        {
            return new([turn.Text("not_available", new() { ["feature"] = turn.Label(intent) })], intent, prediction.Confidence);
        }

        var plan = LocalTools.Plan(intent, text, SlotExtractor.Extract(text, turn.Language), ConversationMemory.LastProducts(turn.Messages));
        if (plan.Missing is { } ask)
        {
            return new([turn.Text(ask, new() { ["arguments"] = plan.Arguments })], intent, prediction.Confidence);
        }

        return new([Call(plan)], intent, prediction.Confidence);
    }

    /// <summary>
    /// When the previous reply asked for a missing detail (an ask.* reply to the message before),
    /// a message that supplies it completes that request: "add to cart" → "which product?" →
    /// "the pistachio pesto" adds the pesto. The ask is recognised by planning the earlier message
    /// again and comparing the reply it would get, so nothing needs to be stored between turns.
    /// </summary>
    private (string Intent, ToolPlan Plan)? Pending(Turn turn, string text)
    {
        var messages = turn.Messages;
        if (messages.Count < 3 || messages[^2].Role != ChatRole.Assistant || messages[^3].Role != ChatRole.User)
        {
            return null;
        }

        var request = messages[^3].Text;
        var intent = model.Classifier.Predict(request, turn.Language).Intent;
        if (!LocalTools.ToolOf.ContainsKey(intent))
        {
            return null;
        }

        var slots = SlotExtractor.Extract(request, turn.Language);
        var asked = LocalTools.Plan(intent, request, slots, ConversationMemory.LastProducts(messages[..^2]));
        if (asked.Missing is not { } ask || turn.Text(ask, new() { ["arguments"] = asked.Arguments }).Text != messages[^2].Text)
        {
            return null;
        }

        var answer = SlotExtractor.Extract(text, turn.Language);
        var completed = slots with
        {
            Product = answer.Product ?? slots.Product,
            Ordinal = answer.Ordinal ?? slots.Ordinal,
            Quantity = answer.Quantity ?? slots.Quantity,
            OrderNumber = answer.OrderNumber ?? slots.OrderNumber,
        };
        var plan = LocalTools.Plan(intent, request, completed, ConversationMemory.LastProducts(messages));
        return plan.Missing is null ? (intent, plan) : null;
    }

    private static FunctionCallContent Call(ToolPlan plan) =>
        new("call_" + Guid.NewGuid().ToString("N")[..24], plan.Tool, plan.Arguments.Where(a => a.Value is not null).ToDictionary(a => a.Key, a => a.Value));

    /// <summary>The trailing tool results, each rendered with its reply template; never another call.</summary>
    private static Outcome RenderResults(Turn turn)
    {
        var calls = new Dictionary<string, FunctionCallContent>(StringComparer.Ordinal);
        foreach (var call in turn.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>())
        {
            calls[call.CallId] = call;
        }

        var results = turn.Messages.AsEnumerable().Reverse().TakeWhile(m => m.Role == ChatRole.Tool).Reverse()
            .SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToList();
        var replies = results.Select(result =>
        {
            var call = calls.GetValueOrDefault(result.CallId);
            var value = ToolJson.Read(result.Result);
            var key = result.Exception is not null ? "tool_error" : call is null ? "fallback" : LocalTools.ReplyKey(call.Name, call.Arguments, value);
            return turn.Text(key, new() { ["arguments"] = call?.Arguments }, value).Text;
        });

        return new([new TextContent(string.Join("\n\n", results.Count == 0 ? [turn.Text("fallback").Text] : replies))]);
    }

    private static ChatResponseUpdate Update(ChatResponse response, IList<AIContent> contents) => new(ChatRole.Assistant, contents)
    {
        ResponseId = response.ResponseId,
        MessageId = response.Messages[0].MessageId,
        ModelId = response.ModelId,
        CreatedAt = response.CreatedAt,
    };

    /// <summary>Approximate token counts: 1.3 tokens per word, of the text the model read and wrote.</summary>
    private static UsageDetails Usage(List<ChatMessage> messages, List<AIContent> output)
    {
        var input = Tokens(messages.SelectMany(m => m.Contents));
        var written = Tokens(output);
        return new UsageDetails { InputTokenCount = input, OutputTokenCount = written, TotalTokenCount = input + written };

        static long Tokens(IEnumerable<AIContent> contents) => (long)Math.Ceiling(1.3 * contents.Sum(c => c switch
        {
            TextContent text => Words().Count(text.Text),
            FunctionCallContent call => 1 + Words().Count(ToolJson.Serialize(call.Arguments).GetRawText()),
            FunctionResultContent result => Words().Count(ToolJson.Read(result.Result).GetRawText()),
            _ => 0,
        }));
    }

    /// <summary>A word with the whitespace before it: the pieces concatenate back to the text exactly.</summary>
    [GeneratedRegex(@"\s*\S+|\s+$")]
    private static partial Regex Words();

    /// <summary>Unmistakable attempts to override the assistant's instructions, whatever the classifier thinks.</summary>
    [GeneratedRegex(@"\b(ignore|disregard|forget|ignora|ignorate|dimentica|olvida|olvidate)\b.{0,40}\b(instructions?|rules|prompt|istruzioni|regole|instrucciones|reglas)\b|\b(system|sistema)\s*prompt\b|\bprompt (di|del|de) sistema\b|\b(developer|sviluppatore|desarrollador)\s*mode|\bmodalita sviluppatore\b|\bmodo desarrollador\b|\bjailbreak")]
    private static partial Regex Injection();

    private sealed record Outcome(List<AIContent> Contents, string? Intent = null, double? Confidence = null);

    /// <summary>The turn's settings and the messages it answers.</summary>
    private sealed class Turn(List<ChatMessage> messages, ChatOptions? options, PromptLibrary prompts)
    {
        public List<ChatMessage> Messages { get; } = messages;

        public string Language { get; } = Option(options, "language") is "it" or "en" or "es" ? Option(options, "language")! : "en";

        public HashSet<string> Tools { get; } = options is null || options.ToolMode is NoneChatToolMode
            ? []
            : [.. (options.Tools ?? []).OfType<AIFunctionDeclaration>().Select(t => t.Name)];

        public TextContent Text(string key, Dictionary<string, object?>? variables = null, JsonElement? result = null)
        {
            var scope = new Dictionary<string, object?>(variables ?? [])
            {
                ["merchantName"] = Option(options, "merchantName"),
                ["customerName"] = Option(options, "customerName"),
            };
            var text = result is { } value
                ? prompts.RenderReply(Language, key, ToolJson.Serialize(scope), value)
                : prompts.RenderReply(Language, key, ToolJson.Serialize(scope));
            return new TextContent(text);
        }

        public string Label(string intent) => prompts.RenderReply(Language, "labels." + intent);

        private static string? Option(ChatOptions? options, string key) =>
            options?.AdditionalProperties?.TryGetValue(key, out var value) == true ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;
    }
}
