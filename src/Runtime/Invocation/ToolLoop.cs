using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Agents.Runtime.Invocation;

/// <summary>One tool call as it happened: what the model asked for and what it got back.</summary>
public sealed record ToolCallRecord(string CallId, string Name, IReadOnlyDictionary<string, object?> Arguments, JsonElement Result, bool Failed, double Milliseconds);

/// <summary>What a turn produces while it runs, for streaming.</summary>
public abstract record TurnEvent;

public sealed record TextDelta(string Text) : TurnEvent;

public sealed record ToolCallStarted(string CallId, string Name, IReadOnlyDictionary<string, object?> Arguments) : TurnEvent;

public sealed record ToolCallFinished(ToolCallRecord Call) : TurnEvent;

/// <summary>The outcome of a turn, complete once <see cref="ToolLoop.RunAsync"/> has been enumerated.</summary>
public sealed class TurnResult
{
    public string Text { get; internal set; } = "";
    public List<ToolCallRecord> Calls { get; } = [];
    public UsageDetails Usage { get; } = new() { InputTokenCount = 0, OutputTokenCount = 0, TotalTokenCount = 0 };
    public string? ModelId { get; internal set; }
    public int Rounds { get; internal set; }

    /// <summary>True when the model still asked for tools after the last allowed round and was made to answer without them.</summary>
    public bool HitRoundLimit { get; internal set; }
}

/// <summary>
/// Our function-invocation loop: call the model, run the tool calls it asks for one after another
/// (each in its own DI scope, so each gets its own DbContext), feed the results back, repeat —
/// at most <see cref="MaxRounds"/> rounds with tools, then one last round without them, so a turn
/// always ends with an answer. A tool that throws becomes a short <c>{"error": …}</c> result the
/// model can relay; the exception is logged, never shown.
/// </summary>
public sealed class ToolLoop(IServiceScopeFactory scopes, ILogger<ToolLoop> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public int MaxRounds { get; init; } = 4;

    /// <summary>
    /// Runs one turn over <paramref name="messages"/> (system, history and the new user message),
    /// appending the assistant and tool messages it produces, and streams what happens.
    /// <paramref name="prepareScope"/> sets up each tool call's scope (tenant, customer, language).
    /// </summary>
    public async IAsyncEnumerable<TurnEvent> RunAsync(IChatClient client, List<ChatMessage> messages, ChatOptions options,
        Action<IServiceProvider> prepareScope, TurnResult result, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var tools = (options.Tools ?? []).OfType<AIFunction>().ToDictionary(t => t.Name, StringComparer.Ordinal);
        for (var round = 1; ; round++)
        {
            var last = round > MaxRounds;
            var roundOptions = last ? WithoutTools(options) : options;
            var updates = new List<ChatResponseUpdate>();
            await foreach (var update in client.GetStreamingResponseAsync(messages, roundOptions, cancellationToken))
            {
                updates.Add(update);
                foreach (var text in update.Contents.OfType<TextContent>())
                {
                    if (text.Text.Length > 0)
                    {
                        yield return new TextDelta(text.Text);
                    }
                }
            }

            var response = updates.ToChatResponse();
            result.Rounds = round;
            result.ModelId ??= response.ModelId;
            Add(result.Usage, response.Usage);
            messages.AddMessages(response);

            var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
            if (calls.Count == 0 || last)
            {
                result.Text = response.Text;
                result.HitRoundLimit = last && calls.Count > 0;
                yield break;
            }

            var results = new List<AIContent>();
            foreach (var call in calls)
            {
                var arguments = call.Arguments is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(call.Arguments);
                yield return new ToolCallStarted(call.CallId, call.Name, arguments);
                var record = await InvokeAsync(tools, call, arguments, prepareScope, cancellationToken);
                result.Calls.Add(record);
                results.Add(new FunctionResultContent(call.CallId, record.Result));
                yield return new ToolCallFinished(record);
            }

            messages.Add(new ChatMessage(ChatRole.Tool, results));

            if (round == MaxRounds)
            {
                logger.LogWarning("Turn reached {MaxRounds} tool rounds; the next answer is made without tools", MaxRounds);
            }
        }
    }

    private async Task<ToolCallRecord> InvokeAsync(Dictionary<string, AIFunction> tools, FunctionCallContent call, Dictionary<string, object?> arguments,
        Action<IServiceProvider> prepareScope, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (!tools.TryGetValue(call.Name, out var tool))
        {
            logger.LogWarning("The model called {Tool}, which was not offered", call.Name);
            return Record(Error($"There is no tool named '{call.Name}'."), failed: true);
        }

        await using var scope = scopes.CreateAsyncScope();
        try
        {
            prepareScope(scope.ServiceProvider);
            var value = await tool.InvokeAsync(new AIFunctionArguments(arguments) { Services = scope.ServiceProvider }, cancellationToken);
            return Record(value as JsonElement? ?? JsonSerializer.SerializeToElement(value, Json), failed: false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Tool {Tool} failed", call.Name);
            // Argument problems are the model's to fix and safe to show; anything else stays in the log.
            return Record(Error(exception is ArgumentException or FormatException or JsonException
                ? exception.Message
                : $"The {call.Name} tool is not working right now."), failed: true);
        }

        ToolCallRecord Record(JsonElement value, bool failed) =>
            new(call.CallId, call.Name, arguments, value, failed, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private static JsonElement Error(string message) => JsonSerializer.SerializeToElement(new { error = message }, Json);

    private static ChatOptions WithoutTools(ChatOptions options)
    {
        var clone = options.Clone();
        clone.Tools = null;
        clone.ToolMode = ChatToolMode.None;
        return clone;
    }

    private static void Add(UsageDetails total, UsageDetails? usage)
    {
        if (usage is null)
        {
            return;
        }

        total.InputTokenCount += usage.InputTokenCount ?? 0;
        total.OutputTokenCount += usage.OutputTokenCount ?? 0;
        total.TotalTokenCount += usage.TotalTokenCount ?? (usage.InputTokenCount ?? 0) + (usage.OutputTokenCount ?? 0);
    }
}
