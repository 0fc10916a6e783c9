using System.Text.Json;
using Agents.Runtime.Invocation;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agents.Runtime.Tests.Invocation;

public sealed class ToolLoopTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A model that plays a script: each call answers with the next scripted response and records what it was offered.</summary>
    private sealed class ScriptedModel(params Func<IList<ChatMessage>, ChatOptions, ChatResponse>[] script) : IChatClient
    {
        public List<(int Messages, bool ToolsOffered)> Calls { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = messages.ToList();
            Calls.Add((list.Count, options?.Tools is { Count: > 0 }));
            return Task.FromResult(script[Math.Min(Calls.Count - 1, script.Length - 1)](list, options!));
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates())
            {
                yield return update;
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    /// <summary>Scoped state a tool sees: proves each call gets its own scope, prepared by the caller.</summary>
    private sealed class CallScope
    {
        public string? Tenant { get; set; }
        public int Id { get; } = Interlocked.Increment(ref _next);
        private static int _next;
    }

    private static ChatResponse Call(string name, Dictionary<string, object?>? arguments = null) =>
        new(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent($"call-{Guid.NewGuid():N}", name, arguments ?? [])])) { Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 2 } };

    private static ChatResponse Say(string text) => new(new ChatMessage(ChatRole.Assistant, text)) { Usage = new UsageDetails { InputTokenCount = 20, OutputTokenCount = 5 } };

    private static (ToolLoop Loop, List<AITool> Tools, List<(int Scope, string? Tenant)> Seen) Setup()
    {
        var services = new ServiceCollection().AddScoped<CallScope>().BuildServiceProvider();
        var seen = new List<(int, string?)>();
        var tools = new List<AITool>
        {
            AIFunctionFactory.Create((IServiceProvider services, string city) =>
            {
                var scope = services.GetRequiredService<CallScope>();
                seen.Add((scope.Id, scope.Tenant));
                return new { city, days = 2 };
            }, "shipping_days", "Days to ship to a city."),
            AIFunctionFactory.Create(string () => throw new InvalidOperationException("database password is hunter2"), "broken", "Always fails."),
            AIFunctionFactory.Create((int quantity) => quantity > 0 ? quantity : throw new ArgumentException("quantity must be at least 1"), "check_quantity", "Checks a quantity."),
        };
        return (new ToolLoop(services.GetRequiredService<IServiceScopeFactory>(), NullLogger<ToolLoop>.Instance), tools, seen);
    }

    private static async Task<(TurnResult Result, List<TurnEvent> Events, List<ChatMessage> Messages)> RunAsync(ToolLoop loop, IChatClient model, List<AITool> tools)
    {
        var messages = new List<ChatMessage> { new(ChatRole.System, "You are a shop assistant."), new(ChatRole.User, "How long to Palermo?") };
        var result = new TurnResult();
        var events = new List<TurnEvent>();
        await foreach (var e in loop.RunAsync(model, messages, new ChatOptions { Tools = tools }, s => s.GetRequiredService<CallScope>().Tenant = "shop-a", result, Ct))
        {
            events.Add(e);
        }

        return (result, events, messages);
    }

    [Fact]
    public async Task RunAsync_TwoCallsInOneRound_RunInOrderEachInItsOwnPreparedScope()
    {
        var (loop, tools, seen) = Setup();
        var model = new ScriptedModel(
            (_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, [
                new FunctionCallContent("c1", "shipping_days", new Dictionary<string, object?> { ["city"] = "Palermo" }),
                new FunctionCallContent("c2", "shipping_days", new Dictionary<string, object?> { ["city"] = "Catania" })])),
            (_, _) => Say("Two days to both."));

        var (result, events, messages) = await RunAsync(loop, model, tools);

        Assert.Equal("Two days to both.", result.Text);
        Assert.Equal(["Palermo", "Catania"], result.Calls.Select(c => c.Result.GetProperty("city").GetString()));
        Assert.Equal(2, seen.Select(s => s.Scope).Distinct().Count());
        Assert.All(seen, s => Assert.Equal("shop-a", s.Tenant));
        Assert.Equal([typeof(ToolCallStarted), typeof(ToolCallFinished), typeof(ToolCallStarted), typeof(ToolCallFinished), typeof(TextDelta)], events.Select(e => e.GetType()));
        var results = Assert.Single(messages, m => m.Role == ChatRole.Tool).Contents.OfType<FunctionResultContent>();
        Assert.Equal(["c1", "c2"], results.Select(r => r.CallId));
        Assert.Equal(2, result.Rounds);
    }

    [Fact]
    public async Task RunAsync_ModelNeverStops_EndsWithOneRoundWithoutTools()
    {
        var (loop, tools, _) = Setup();
        var model = new ScriptedModel(
            (_, options) => options.Tools is { Count: > 0 } ? Call("shipping_days", new() { ["city"] = "Enna" }) : Say("I checked several times: two days."));

        var (result, _, _) = await RunAsync(loop, model, tools);

        Assert.Equal(loop.MaxRounds + 1, model.Calls.Count);
        Assert.Equal(loop.MaxRounds, result.Calls.Count);
        Assert.False(model.Calls[^1].ToolsOffered);
        Assert.Equal("I checked several times: two days.", result.Text);
        Assert.False(result.HitRoundLimit);
        Assert.Equal((10 * 4 + 20, 2 * 4 + 5), (result.Usage.InputTokenCount, result.Usage.OutputTokenCount));
    }

    [Fact]
    public async Task RunAsync_ToolThrows_ModelGetsAShortErrorWithoutTheExceptionText()
    {
        var (loop, tools, _) = Setup();
        var model = new ScriptedModel((_, _) => Call("broken"), (_, _) => Say("Sorry, that did not work."));

        var (result, _, messages) = await RunAsync(loop, model, tools);

        var call = Assert.Single(result.Calls);
        Assert.True(call.Failed);
        Assert.Equal("The broken tool is not working right now.", call.Result.GetProperty("error").GetString());
        Assert.DoesNotContain("hunter2", JsonSerializer.Serialize(messages.Select(m => m.Contents.OfType<FunctionResultContent>().Select(r => r.Result?.ToString()))), StringComparison.Ordinal);
        Assert.Equal("Sorry, that did not work.", result.Text);
    }

    [Fact]
    public async Task RunAsync_BadArgumentOrUnknownTool_ErrorNamesTheProblemForTheModel()
    {
        var (loop, tools, _) = Setup();
        var model = new ScriptedModel(
            (_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, [
                new FunctionCallContent("c1", "check_quantity", new Dictionary<string, object?> { ["quantity"] = 0 }),
                new FunctionCallContent("c2", "drop_tables")])),
            (_, _) => Say("Please tell me how many."));

        var (result, _, _) = await RunAsync(loop, model, tools);

        Assert.Equal("quantity must be at least 1", result.Calls[0].Result.GetProperty("error").GetString());
        Assert.Equal("There is no tool named 'drop_tables'.", result.Calls[1].Result.GetProperty("error").GetString());
        Assert.All(result.Calls, c => Assert.True(c.Failed));
    }
}
