using System.Net;
using Agents.Runtime.Providers;
using Microsoft.Extensions.AI;

namespace Agents.Runtime.Tests.Providers;

/// <summary>The clients the factory builds, retry pipeline included, for each provider.</summary>
public sealed class ChatClientFactoryTests : IDisposable
{
    private readonly ReplayHandler _handler = new();
    private readonly FastClock _clock = new();

    public void Dispose() => _handler.Dispose();

    [Theory]
    [InlineData("openai")]
    [InlineData("bedrock")]
    public async Task GetResponseAsync_429WithRetryAfter_RetriesOnceAfterThatDelay(string provider)
    {
        Error(provider, HttpStatusCode.TooManyRequests, ("Retry-After", "7"));
        Answer(provider);

        var response = await Create(provider).GetResponseAsync(ShopConversation.Start(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(ShopConversation.Answer, response.Text);
        Assert.Equal(2, _handler.Requests.Count);
        Assert.Equal(_handler.Requests[0].Body, _handler.Requests[1].Body);
        Assert.Contains(TimeSpan.FromSeconds(7), _clock.Requested);
    }

    [Fact]
    public async Task GetResponseAsync_RetryAfterMs_WinsOverRetryAfter()
    {
        Error("openai", HttpStatusCode.TooManyRequests, ("retry-after-ms", "1500"), ("Retry-After", "2"));
        Answer("openai");

        await Create("openai").GetResponseAsync(ShopConversation.Start(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Contains(TimeSpan.FromMilliseconds(1500), _clock.Requested);
        Assert.DoesNotContain(TimeSpan.FromSeconds(2), _clock.Requested);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("bedrock")]
    public async Task GetResponseAsync_500ThreeTimes_ThrowsTransientModelProviderException(string provider)
    {
        Error(provider, HttpStatusCode.InternalServerError);
        Error(provider, HttpStatusCode.InternalServerError);
        Error(provider, HttpStatusCode.InternalServerError);

        var failure = await Assert.ThrowsAsync<ModelProviderException>(() =>
            Create(provider, maxRetries: 2).GetResponseAsync(ShopConversation.Start(), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal((provider, 500, true), (failure.Provider, failure.StatusCode, failure.IsTransient));
        Assert.Equal(3, _handler.Requests.Count);
    }

    [Theory]
    [InlineData("openai", HttpStatusCode.BadRequest)]
    [InlineData("bedrock", HttpStatusCode.BadRequest)]
    [InlineData("openai", HttpStatusCode.Unauthorized)]
    [InlineData("bedrock", HttpStatusCode.Forbidden)]
    [InlineData("bedrock", HttpStatusCode.NotFound)]
    public async Task GetResponseAsync_ClientError_DoesNotRetry(string provider, HttpStatusCode status)
    {
        Error(provider, status);

        var failure = await Assert.ThrowsAsync<ModelProviderException>(() =>
            Create(provider).GetResponseAsync(ShopConversation.Start(), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(((int)status, false), (failure.StatusCode, failure.IsTransient));
        Assert.Single(_handler.Requests);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("bedrock")]
    public async Task GetResponseAsync_AttemptTimesOut_RetriesAndSucceeds(string provider)
    {
        _handler.Hang();
        Answer(provider);

        var response = await Create(provider).GetResponseAsync(ShopConversation.Start(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(ShopConversation.Answer, response.Text);
        Assert.Equal(2, _handler.Requests.Count);
        Assert.Contains(TimeSpan.FromSeconds(30), _clock.Requested);
    }

    [Fact]
    public async Task GetResponseAsync_EveryAttemptTimesOut_ThrowsTransientWithoutStatus()
    {
        _handler.Hang().Hang();

        var failure = await Assert.ThrowsAsync<ModelProviderException>(() =>
            Create("bedrock", maxRetries: 1).GetResponseAsync(ShopConversation.Start(), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal((null, true), (failure.StatusCode, failure.IsTransient));
        Assert.Equal("bedrock did not answer within 30 s.", failure.Message);
        Assert.Equal(2, _handler.Requests.Count);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("bedrock")]
    public async Task GetResponseAsync_ConnectionRefused_Retries(string provider)
    {
        _handler.Fail(new HttpRequestException("Connection refused (localhost:11434)"));
        Answer(provider);

        var response = await Create(provider).GetResponseAsync(ShopConversation.Start(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(ShopConversation.Answer, response.Text);
        Assert.Equal(2, _handler.Requests.Count);
    }

    [Fact]
    public async Task GetResponseAsync_CallerCancels_ThrowsOperationCanceledWithoutRetry()
    {
        _handler.Hang();
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var call = Create("openai").GetResponseAsync(ShopConversation.Start(), cancellationToken: cancellation.Token);

        // Cancel once the request is on the wire (a fixed delay raced the first call's JIT on a busy machine).
        for (var waited = 0; _handler.Requests.Count == 0 && waited < 10_000; waited += 5)
        {
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Single(_handler.Requests);
    }

    [Theory]
    [InlineData("openai", "openai-stream-text.sse", "text/event-stream")]
    [InlineData("bedrock", "bedrock-stream-text.events.json", "application/vnd.amazon.eventstream")]
    public async Task GetStreamingResponseAsync_429BeforeFirstUpdate_RetriesThenStreams(string provider, string file, string contentType)
    {
        Error(provider, HttpStatusCode.TooManyRequests, ("Retry-After", "1"));
        if (provider == "openai")
        {
            _handler.RespondWithFile(file, contentType);
        }
        else
        {
            _handler.RespondWithBytes(EventStreamFrames.FromFile(file), contentType);
        }

        var updates = await Create(provider).GetStreamingResponseAsync(ShopConversation.Start(), cancellationToken: TestContext.Current.CancellationToken)
            .ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal("Yes, the Trail Runner comes in size 42 for 89 EUR.", updates.ToChatResponse().Text);
        Assert.Equal(2, _handler.Requests.Count);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_StreamHangsBeforeFirstUpdate_RetriesThenStreams()
    {
        _handler.Hang().RespondWithFile("openai-stream-text.sse", "text/event-stream");

        var updates = await Create("openai").GetStreamingResponseAsync(ShopConversation.Start(), cancellationToken: TestContext.Current.CancellationToken)
            .ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal("Yes, the Trail Runner comes in size 42 for 89 EUR.", updates.ToChatResponse().Text);
        Assert.Equal(2, _handler.Requests.Count);
    }

    [Fact]
    public void Create_UnknownProvider_ThrowsNamingTheChoices()
    {
        var failure = Assert.Throws<ArgumentException>(() => ChatClientFactory.Create(new ModelProviderOptions { Provider = "gemini", Model = "x" }));

        Assert.Contains("'openai' or 'bedrock'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_BedrockWithoutSecret_ThrowsNamingTheSetting()
    {
        var failure = Assert.ThrowsAny<ArgumentException>(() => ChatClientFactory.Create(new ModelProviderOptions
        {
            Provider = "bedrock",
            Model = "amazon.nova-lite-v1:0",
            Region = "us-east-1",
            AccessKeyId = "AKIAIOSFODNN7EXAMPLE",
        }));

        Assert.Equal("SecretAccessKey", failure.ParamName);
    }

    [Fact]
    public void Create_Provider_ReportsMetadata()
    {
        using var client = ChatClientFactory.Create(new ModelProviderOptions { Provider = "OpenAI", Model = "llama3.1", BaseUrl = new Uri("http://localhost:11434/v1") });

        var metadata = client.GetService<ChatClientMetadata>();

        Assert.Equal(("openai", "llama3.1", "http://localhost:11434/v1"), (metadata?.ProviderName, metadata?.DefaultModelId, metadata?.ProviderUri?.ToString()));
    }

    private IChatClient Create(string provider, int maxRetries = 3) => ChatClientFactory.Create(new ModelProviderOptions
    {
        Provider = provider,
        Model = provider == "openai" ? "gpt-4o-mini" : "amazon.nova-lite-v1:0",
        BaseUrl = provider == "openai" ? new Uri("http://localhost:11434/v1") : null,
        ApiKey = "sk-test",
        Region = "us-east-1",
        AccessKeyId = "AKIAIOSFODNN7EXAMPLE",
        SecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        MaxRetries = maxRetries,
    }, new HttpClient(_handler), _clock);

    private void Answer(string provider) =>
        _handler.RespondWithFile(provider == "openai" ? "openai-chat-text.json" : "bedrock-converse-text.json");

    /// <summary>An error as each provider documents it: OpenAI's error object; Bedrock's x-amzn-ErrorType header and message.</summary>
    private void Error(string provider, HttpStatusCode status, params (string Name, string Value)[] headers)
    {
        if (provider == "openai")
        {
            var (type, code) = status switch
            {
                HttpStatusCode.TooManyRequests => ("requests", "rate_limit_exceeded"),
                HttpStatusCode.Unauthorized => ("invalid_request_error", "invalid_api_key"),
                HttpStatusCode.BadRequest => ("invalid_request_error", "context_length_exceeded"),
                _ => ("server_error", (string?)null),
            };
            var codeJson = code is null ? "null" : $"\"{code}\"";
            _handler.Respond(status, $$$"""{"error":{"message":"Something went wrong.","type":"{{{type}}}","param":null,"code":{{{codeJson}}}}}""",
                headers: headers);
            return;
        }

        var exception = status switch
        {
            HttpStatusCode.TooManyRequests => "ThrottlingException",
            HttpStatusCode.BadRequest => "ValidationException",
            HttpStatusCode.Forbidden => "AccessDeniedException",
            HttpStatusCode.NotFound => "ResourceNotFoundException",
            _ => "InternalServerException",
        };
        _handler.Respond(status, """{"message":"Something went wrong."}""",
            headers: [.. headers, ("x-amzn-ErrorType", $"{exception}:http://internal.amazon.com/coral/com.amazon.bedrock/")]);
    }
}
