using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Agents.Runtime.Providers;
using Microsoft.Extensions.AI;

namespace Agents.Runtime.Tests.Providers;

public sealed class BedrockConverseChatClientTests : IDisposable
{
    private const string Model = "anthropic.claude-3-5-haiku-20241022-v1:0";
    private const string SearchCall = "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q";
    private const string OrderCall = "tooluse_3fXhJb8cTzK1gLwV0pNq9A";
    private const string RequestId = "5f1c2b9e-8d4a-4c3e-9a71-2b6d0e4f8c13";
    private const string EventStream = "application/vnd.amazon.eventstream";

    private readonly ReplayHandler _handler = new();

    public void Dispose() => _handler.Dispose();

    [Fact]
    public async Task GetResponseAsync_TextAnswer_MapsMessageFinishReasonUsageAndIds()
    {
        _handler.RespondWithFile("bedrock-converse-text.json", headers: ("x-amzn-RequestId", RequestId));

        var response = await Client().GetResponseAsync(ShopConversation.Start(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(ShopConversation.Answer, response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(Model, response.ModelId);
        Assert.Equal(RequestId, response.ResponseId);
        Assert.Equal((41L, 17L, 58L), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount, response.Usage.TotalTokenCount));

        var request = Assert.Single(_handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        // The model id's ':' is escaped so the id stays one path segment.
        Assert.Equal("https://bedrock-runtime.eu-west-1.amazonaws.com/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse", request.Uri.AbsoluteUri);
        TestFiles.AssertJsonEqual($$"""
            {"system":[{"text":"{{ShopConversation.System}}"}],"messages":[{"role":"user","content":[{"text":"{{ShopConversation.Question}}"}]}]}
            """, request.Body);
    }

    [Fact]
    public async Task GetResponseAsync_TwoToolUses_ReturnsTextAndBothFunctionCalls()
    {
        _handler.RespondWithFile("bedrock-converse-two-tool-uses.json");

        var response = await Client().GetResponseAsync(ShopConversation.Start(), ShopConversation.Options(), TestContext.Current.CancellationToken);

        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal("Let me check the catalogue and your order.", response.Text);
        var calls = Assert.Single(response.Messages).Contents.OfType<FunctionCallContent>().ToList();
        Assert.Equal([(SearchCall, "search_products"), (OrderCall, "get_order_status")], calls.Select(c => (c.CallId, c.Name)));
        Assert.Equal("Trail Runner", ShopConversation.Argument(calls[0], "query"));
        Assert.Equal("42", ShopConversation.Argument(calls[0], "size"));
        Assert.Equal("A-1001", ShopConversation.Argument(calls[1], "order_id"));
        Assert.Equal(498L, response.Usage!.TotalTokenCount);
    }

    [Fact]
    public async Task GetResponseAsync_ToolResults_SendsDocumentedRequest()
    {
        _handler.RespondWithFile("bedrock-converse-text.json");

        await Client().GetResponseAsync(ShopConversation.WithToolResults(SearchCall, OrderCall), ShopConversation.Options(),
            TestContext.Current.CancellationToken);

        TestFiles.AssertJsonEqual(TestFiles.Read("bedrock-tool-results.request.json"), Assert.Single(_handler.Requests).Body);
    }

    [Fact]
    public async Task GetResponseAsync_NoToolsOffered_SendsToolHistoryAsText()
    {
        _handler.RespondWithFile("bedrock-converse-text.json");

        // The tool loop's last round: tools withdrawn, tool calls still in the history.
        await Client().GetResponseAsync(ShopConversation.WithToolResults(SearchCall, OrderCall), new ChatOptions { ToolMode = ChatToolMode.None, Instructions = "Answer in Italian." },
            TestContext.Current.CancellationToken);

        var body = Assert.Single(_handler.Requests).Body;
        Assert.DoesNotContain("toolConfig", body);
        Assert.DoesNotContain("toolUse", body);
        Assert.DoesNotContain("toolResult", body);
        using var json = JsonDocument.Parse(body);
        TestFiles.AssertJsonEqual($$"""[{"text":"Answer in Italian."},{"text":"{{ShopConversation.System}}"}]""", json.RootElement.GetProperty("system").GetRawText());
        var turns = json.RootElement.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["user", "assistant", "user"], turns.Select(t => t.GetProperty("role").GetString()));
        Assert.Equal("""[called search_products with {"query":"Trail Runner","size":42}]""",
            turns[1].GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task GetResponseAsync_SessionCredentials_SignsRequestWithSigV4()
    {
        _handler.RespondWithFile("bedrock-converse-text.json");
        var client = Client(sessionToken: "FwoGZXIvYXdzEBYaDExampleSessionToken", clock: new FixedClock(new DateTimeOffset(2025, 6, 10, 8, 0, 0, TimeSpan.Zero)));

        await client.GetResponseAsync(ShopConversation.Start(), cancellationToken: TestContext.Current.CancellationToken);

        var request = Assert.Single(_handler.Requests);
        Assert.Equal("20250610T080000Z", request.Headers["X-Amz-Date"]);
        Assert.Equal("FwoGZXIvYXdzEBYaDExampleSessionToken", request.Headers["X-Amz-Security-Token"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(request.Body))), request.Headers["X-Amz-Content-SHA256"]);
        Assert.Matches(
            "^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250610/eu-west-1/bedrock/aws4_request, "
            + "SignedHeaders=accept;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$",
            request.Headers["Authorization"]);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Text_YieldsDeltasThenFinishAndUsage()
    {
        _handler.RespondWithBytes(EventStreamFrames.FromFile("bedrock-stream-text.events.json"), EventStream, ("x-amzn-RequestId", RequestId));

        var updates = await Client().GetStreamingResponseAsync(ShopConversation.Start(), cancellationToken: TestContext.Current.CancellationToken)
            .ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["Yes, the Trail Runner", " comes in size 42", " for 89 EUR."], updates.Where(u => u.Text.Length > 0).Select(u => u.Text));
        var response = updates.ToChatResponse();
        Assert.Equal("Yes, the Trail Runner comes in size 42 for 89 EUR.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal((41L, 14L, 55L), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount, response.Usage.TotalTokenCount));
        Assert.Equal((RequestId, Model), (response.ResponseId, response.ModelId));

        var request = Assert.Single(_handler.Requests);
        Assert.EndsWith("/converse-stream", request.Uri.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(EventStream, request.Headers["Accept"]);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ToolUseFragments_AssemblesEachCallWhenItsBlockStops()
    {
        _handler.RespondWithBytes(EventStreamFrames.FromFile("bedrock-stream-tool-uses.events.json"), EventStream);

        var updates = await Client().GetStreamingResponseAsync(ShopConversation.Start(), ShopConversation.Options(), TestContext.Current.CancellationToken)
            .ToListAsync(TestContext.Current.CancellationToken);

        Assert.Collection(updates,
            text => Assert.Equal("Let me check the catalogue and your order.", text.Text),
            search =>
            {
                var call = Assert.IsType<FunctionCallContent>(Assert.Single(search.Contents));
                Assert.Equal((SearchCall, "search_products"), (call.CallId, call.Name));
                Assert.Equal("Trail Runner", ShopConversation.Argument(call, "query"));
                Assert.Equal("42", ShopConversation.Argument(call, "size"));
            },
            order =>
            {
                var call = Assert.IsType<FunctionCallContent>(Assert.Single(order.Contents));
                Assert.Equal((OrderCall, "get_order_status"), (call.CallId, call.Name));
                Assert.Equal("A-1001", ShopConversation.Argument(call, "order_id"));
            },
            stop => Assert.Equal(ChatFinishReason.ToolCalls, stop.FinishReason),
            usage => Assert.Equal(498L, Assert.IsType<UsageContent>(Assert.Single(usage.Contents)).Details.TotalTokenCount));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CorruptedCrc_ThrowsAfterTheGoodFrames()
    {
        var first = EventStreamFrames.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Yes"}}""");
        var second = EventStreamFrames.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":", the Trail Runner"}}""");
        second[^8] ^= 0x20; // a payload byte, so only the message CRC catches it
        _handler.RespondWithBytes([.. first, .. second], EventStream);
        var received = new List<string>();

        var failure = await Assert.ThrowsAsync<ModelProviderException>(async () =>
        {
            await foreach (var update in Client().GetStreamingResponseAsync(ShopConversation.Start(), cancellationToken: TestContext.Current.CancellationToken))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal(["Yes"], received);
        Assert.False(failure.IsTransient);
        Assert.Contains("failed its CRC32 check", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ThrottlingExceptionMessage_ThrowsTransient()
    {
        _handler.RespondWithBytes(EventStreamFrames.Exception("throttlingException", "Too many requests, please wait before trying again."), EventStream);

        var failure = await Assert.ThrowsAsync<ModelProviderException>(async () =>
            await Client().GetStreamingResponseAsync(ShopConversation.Start(), cancellationToken: TestContext.Current.CancellationToken)
                .ToListAsync(TestContext.Current.CancellationToken));

        Assert.True(failure.IsTransient);
        Assert.Equal("bedrock stream failed (throttlingException).", failure.Message);
    }

    private BedrockConverseChatClient Client(string? sessionToken = null, TimeProvider? clock = null) => new(new ModelProviderOptions
    {
        Provider = "bedrock",
        Model = Model,
        Region = "eu-west-1",
        AccessKeyId = "AKIAIOSFODNN7EXAMPLE",
        SecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        SessionToken = sessionToken,
    }, new HttpClient(_handler), clock);
}
