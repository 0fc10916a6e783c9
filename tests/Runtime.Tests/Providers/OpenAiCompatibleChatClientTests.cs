using System.Net;
using System.Text.Json;
using Agents.Runtime.Providers;
using Microsoft.Extensions.AI;

namespace Agents.Runtime.Tests.Providers;

public sealed class OpenAiCompatibleChatClientTests : IDisposable
{
    private const string ApiKey = "sk-test-4f3b2a1c0d9e8f7a";
    private const string SearchCall = "call_ZtGJbVnXmS2kKcKJaLvPqRxW";
    private const string OrderCall = "call_Qm8HfWv1rTnYd3sLpXe6BoUc";

    private readonly ReplayHandler _handler = new();

    public void Dispose() => _handler.Dispose();

    [Fact]
    public async Task GetResponseAsync_TextAnswer_MapsMessageFinishReasonUsageAndIds()
    {
        _handler.RespondWithFile("openai-chat-text.json");

        var response = await Client().GetResponseAsync(ShopConversation.Start(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(ShopConversation.Answer, response.Text);
        Assert.Equal(ChatRole.Assistant, Assert.Single(response.Messages).Role);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("gpt-4o-mini-2024-07-18", response.ModelId);
        Assert.Equal("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", response.ResponseId);
        Assert.Equal((41L, 17L, 58L), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount, response.Usage.TotalTokenCount));

        var request = Assert.Single(_handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("http://localhost:11434/v1/chat/completions", request.Uri.ToString());
        Assert.Equal($"Bearer {ApiKey}", request.Headers["Authorization"]);
        TestFiles.AssertJsonEqual($$"""
            {"model":"gpt-4o-mini","messages":[{"role":"system","content":"{{ShopConversation.System}}"},{"role":"user","content":"{{ShopConversation.Question}}"}]}
            """, request.Body);
    }

    [Fact]
    public async Task GetResponseAsync_TwoToolCalls_ReturnsBothFunctionCalls()
    {
        _handler.RespondWithFile("openai-chat-two-tool-calls.json");

        var response = await Client().GetResponseAsync(ShopConversation.Start(), ShopConversation.Options(), TestContext.Current.CancellationToken);

        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        var calls = Assert.Single(response.Messages).Contents.OfType<FunctionCallContent>().ToList();
        Assert.Collection(calls,
            search =>
            {
                Assert.Equal((SearchCall, "search_products"), (search.CallId, search.Name));
                Assert.Equal("Trail Runner", ShopConversation.Argument(search, "query"));
                Assert.Equal("42", ShopConversation.Argument(search, "size"));
            },
            order =>
            {
                Assert.Equal((OrderCall, "get_order_status"), (order.CallId, order.Name));
                Assert.Equal("A-1001", ShopConversation.Argument(order, "order_id"));
            });
        Assert.Equal(233L, response.Usage!.TotalTokenCount);
    }

    [Fact]
    public async Task GetResponseAsync_ToolResults_SendsDocumentedRequest()
    {
        _handler.RespondWithFile("openai-chat-text.json");

        await Client().GetResponseAsync(ShopConversation.WithToolResults(SearchCall, OrderCall), ShopConversation.Options(),
            TestContext.Current.CancellationToken);

        TestFiles.AssertJsonEqual(TestFiles.Read("openai-tool-results.request.json"), Assert.Single(_handler.Requests).Body);
    }

    [Theory]
    [InlineData("auto", "\"auto\"")]
    [InlineData("none", "\"none\"")]
    [InlineData("any", "\"required\"")]
    [InlineData("get_order_status", """{"type":"function","function":{"name":"get_order_status"}}""")]
    public async Task GetResponseAsync_Options_MapModelSamplingInstructionsAndToolChoice(string mode, string expectedToolChoice)
    {
        _handler.RespondWithFile("openai-chat-text.json");
        var options = ShopConversation.Options();
        options.ModelId = "gpt-4.1";
        options.TopP = 0.5f;
        options.Instructions = "Answer in Italian.";
        options.ToolMode = mode switch
        {
            "auto" => ChatToolMode.Auto,
            "none" => ChatToolMode.None,
            "any" => ChatToolMode.RequireAny,
            _ => ChatToolMode.RequireSpecific(mode),
        };

        await Client().GetResponseAsync(ShopConversation.Start(), options, TestContext.Current.CancellationToken);

        using var body = JsonDocument.Parse(Assert.Single(_handler.Requests).Body);
        Assert.Equal("gpt-4.1", body.RootElement.GetProperty("model").GetString());
        Assert.Equal(0.5, body.RootElement.GetProperty("top_p").GetDouble());
        TestFiles.AssertJsonEqual("""{"role":"system","content":"Answer in Italian."}""", body.RootElement.GetProperty("messages")[0].GetRawText());
        TestFiles.AssertJsonEqual(expectedToolChoice, body.RootElement.GetProperty("tool_choice").GetRawText());
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Text_YieldsDeltasThenFinishAndUsage()
    {
        _handler.RespondWithFile("openai-stream-text.sse", "text/event-stream");

        var updates = await Client().GetStreamingResponseAsync(ShopConversation.Start(), cancellationToken: TestContext.Current.CancellationToken)
            .ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["Yes, the Trail Runner", " comes in size 42", " for 89 EUR."], updates.Where(u => u.Text.Length > 0).Select(u => u.Text));
        var response = updates.ToChatResponse();
        Assert.Equal("Yes, the Trail Runner comes in size 42 for 89 EUR.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal((41L, 14L, 55L), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount, response.Usage.TotalTokenCount));
        Assert.Equal("chatcmpl-BGd7qY1Zx9RkVb2nLmPoWq3sTuVwX", response.ResponseId);

        using var body = JsonDocument.Parse(Assert.Single(_handler.Requests).Body);
        Assert.True(body.RootElement.GetProperty("stream").GetBoolean());
        Assert.True(body.RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ToolCallFragments_AssemblesEachCallOnceComplete()
    {
        _handler.RespondWithFile("openai-stream-tool-calls.sse", "text/event-stream");

        var updates = await Client().GetStreamingResponseAsync(ShopConversation.Start(), ShopConversation.Options(), TestContext.Current.CancellationToken)
            .ToListAsync(TestContext.Current.CancellationToken);

        // Both calls come out together, whole, with the finish reason.
        var withCalls = Assert.Single(updates, u => u.Contents.OfType<FunctionCallContent>().Any());
        Assert.Equal(ChatFinishReason.ToolCalls, withCalls.FinishReason);
        var calls = withCalls.Contents.OfType<FunctionCallContent>().ToList();
        Assert.Equal([(SearchCall, "search_products"), (OrderCall, "get_order_status")], calls.Select(c => (c.CallId, c.Name)));
        Assert.Equal("Trail Runner", ShopConversation.Argument(calls[0], "query"));
        Assert.Equal("42", ShopConversation.Argument(calls[0], "size"));
        Assert.Equal("A-1001", ShopConversation.Argument(calls[1], "order_id"));
        Assert.All(calls, c => Assert.Null(c.Exception));
        Assert.Equal(233L, updates.ToChatResponse().Usage!.TotalTokenCount);
    }

    [Fact]
    public async Task GetResponseAsync_ErrorTextEchoesKey_ThrowsWithStatusAndCodeOnly()
    {
        _handler.Respond(HttpStatusCode.Unauthorized, $$$"""
            {"error":{"message":"Incorrect API key provided: {{{ApiKey}}}. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}
            """);

        var failure = await Assert.ThrowsAsync<ModelProviderException>(() =>
            Client().GetResponseAsync(ShopConversation.Start(), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal((401, false, "openai"), (failure.StatusCode, failure.IsTransient, failure.Provider));
        Assert.Equal("openai answered 401 (invalid_api_key).", failure.Message);
        Assert.Null(failure.InnerException);
    }

    private OpenAiCompatibleChatClient Client() => new(new ModelProviderOptions
    {
        Provider = "openai",
        Model = "gpt-4o-mini",
        BaseUrl = new Uri("http://localhost:11434/v1"),
        ApiKey = ApiKey,
    }, new HttpClient(_handler));
}
