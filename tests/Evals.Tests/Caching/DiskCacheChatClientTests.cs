using System.Text.Json;
using Agents.Evals.Caching;
using Microsoft.Extensions.AI;

namespace Agents.Evals.Tests.Caching;

public sealed class DiskCacheChatClientTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("evals-cache-").FullName;
    private readonly FakeChatClient _inner = new();
    private readonly CacheCounters _counters = new();
    private readonly DiskCacheChatClient _cache;

    public DiskCacheChatClientTests()
    {
        _cache = new DiskCacheChatClient(_inner, _dir, "openai", "gpt-4o-mini", _counters);
        _inner.Response = new ChatResponse(new ChatMessage(ChatRole.Assistant,
        [
            new TextContent("Two pistachio treats under 10 euros."),
            new FunctionCallContent("call_1", "search_products", new Dictionary<string, object?> { ["query"] = "pistachio", ["maxPrice"] = 10 }),
        ]))
        {
            Usage = new UsageDetails { InputTokenCount = 120, OutputTokenCount = 30, TotalTokenCount = 150 },
        };
    }

    public void Dispose()
    {
        _cache.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static List<ChatMessage> Ask(string text) => [new(ChatRole.System, "You are the shop assistant."), new(ChatRole.User, text)];

    private static ChatOptions Options(float temperature = 0) => new() { Temperature = temperature, MaxOutputTokens = 600 };

    private async Task<string> StreamAsync(string text)
    {
        var reply = "";
        await foreach (var update in _cache.GetStreamingResponseAsync(Ask(text), Options(), Token))
        {
            reply += update.Text;
        }

        return reply;
    }

    [Fact]
    public async Task GetResponseAsync_SameRequestTwice_AsksTheModelOnce()
    {
        await _cache.GetResponseAsync(Ask("pistachio?"), Options(), Token);
        await _cache.GetResponseAsync(Ask("pistachio?"), Options(), Token);

        Assert.Single(_inner.Requests);
        Assert.Equal((1, 1), (_counters.Hits, _counters.Misses));
        Assert.Single(Directory.EnumerateFiles(Path.Combine(_dir, "openai", "gpt-4o-mini"), "*.json", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task GetResponseAsync_Replayed_KeepsTextFunctionCallAndUsage()
    {
        await _cache.GetResponseAsync(Ask("pistachio?"), Options(), Token);

        var replay = await _cache.GetResponseAsync(Ask("pistachio?"), Options(), Token);

        Assert.NotSame(_inner.Response, replay);
        Assert.Equal("Two pistachio treats under 10 euros.", replay.Text);
        var call = Assert.Single(replay.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal(("call_1", "search_products"), (call.CallId, call.Name));
        Assert.Equal("""{"query":"pistachio","maxPrice":10}""", JsonSerializer.Serialize(call.Arguments));
        Assert.Equal((120L, 30L, 150L), (replay.Usage?.InputTokenCount, replay.Usage?.OutputTokenCount, replay.Usage?.TotalTokenCount));
    }

    [Fact]
    public async Task GetResponseAsync_DifferentTemperature_Misses()
    {
        await _cache.GetResponseAsync(Ask("pistachio?"), Options(temperature: 0), Token);
        await _cache.GetResponseAsync(Ask("pistachio?"), Options(temperature: 0.7f), Token);

        Assert.Equal(2, _inner.Requests.Count);
        Assert.Equal((0, 2), (_counters.Hits, _counters.Misses));
    }

    [Fact]
    public async Task GetResponseAsync_DifferentMessage_Misses()
    {
        await _cache.GetResponseAsync(Ask("pistachio?"), Options(), Token);
        await _cache.GetResponseAsync(Ask("almonds?"), Options(), Token);

        Assert.Equal(2, _inner.Requests.Count);
        Assert.Equal(0, _counters.Hits);
    }

    [Fact]
    public async Task GetResponseAsync_SameToolRoundWithOtherCallIds_Hits()
    {
        List<ChatMessage> Conversation(string callId) =>
        [
            .. Ask("pistachio?"),
            new(ChatRole.Assistant, [new FunctionCallContent(callId, "search_products", new Dictionary<string, object?> { ["query"] = "pistachio" })]),
            new(ChatRole.Tool, [new FunctionResultContent(callId, "[]")]),
        ];

        await _cache.GetResponseAsync(Conversation("call_a"), Options(), Token);
        await _cache.GetResponseAsync(Conversation("call_b"), Options(), Token);

        Assert.Single(_inner.Requests);
        Assert.Equal(1, _counters.Hits);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_SecondStream_ReplaysFromDisk()
    {
        _inner.Updates.AddRange([new(ChatRole.Assistant, "Ciao, "), new(ChatRole.Assistant, "come posso aiutarti?")]);

        var first = await StreamAsync("ciao");
        var second = await StreamAsync("ciao");

        Assert.Equal("Ciao, come posso aiutarti?", first);
        Assert.Equal(first, second);
        Assert.Single(_inner.Requests);
        Assert.Equal((1, 1), (_counters.Hits, _counters.Misses));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FailedStream_IsNotStored()
    {
        _inner.Updates.AddRange([new(ChatRole.Assistant, "Ciao, "), new(ChatRole.Assistant, "come posso aiutarti?")]);
        _inner.StreamFailure = new HttpRequestException("connection reset");

        await Assert.ThrowsAsync<HttpRequestException>(() => StreamAsync("ciao"));
        _inner.StreamFailure = null;
        var retried = await StreamAsync("ciao");

        Assert.Equal("Ciao, come posso aiutarti?", retried);
        Assert.Equal(2, _inner.Requests.Count);
        Assert.Equal((0, 2), (_counters.Hits, _counters.Misses));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CancelledStream_IsNotStored()
    {
        _inner.Updates.AddRange([new(ChatRole.Assistant, "Ciao, "), new(ChatRole.Assistant, "come posso aiutarti?")]);
        using var cancellation = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in _cache.GetStreamingResponseAsync(Ask("ciao"), Options(), cancellation.Token))
            {
                await cancellation.CancelAsync();
            }
        });

        Assert.Empty(Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories));
        Assert.Equal("Ciao, come posso aiutarti?", await StreamAsync("ciao"));
        Assert.Equal(2, _inner.Requests.Count);
    }
}
