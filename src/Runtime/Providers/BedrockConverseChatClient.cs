using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.EventStreams;
using Microsoft.Extensions.AI;

namespace Agents.Runtime.Providers;

/// <summary>
/// An <see cref="IChatClient"/> over Amazon Bedrock's Converse API
/// (<c>POST /model/{modelId}/converse</c> and <c>/converse-stream</c>), with our own JSON mapping and
/// SigV4 signing from AWSSDK.Core. <see cref="ChatClientFactory"/> wraps it in our retry pipeline.
/// </summary>
public sealed class BedrockConverseChatClient : IChatClient
{
    private const string Provider = RuntimeInfo.BedrockProvider;
    private const string SigningService = "bedrock";

    private readonly HttpClient _http;
    private readonly string _model;
    private readonly Uri _endpoint;
    private readonly RegionEndpoint _region;
    private readonly AWSCredentials _credentials;
    private readonly TimeProvider _time;
    private readonly ChatClientMetadata _metadata;

    public BedrockConverseChatClient(ModelProviderOptions options, HttpClient httpClient, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Model, nameof(options.Model));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Region, nameof(options.Region));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.AccessKeyId, nameof(options.AccessKeyId));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.SecretAccessKey, nameof(options.SecretAccessKey));

        _http = httpClient;
        _model = options.Model;
        _region = RegionEndpoint.GetBySystemName(options.Region);
        _credentials = string.IsNullOrWhiteSpace(options.SessionToken)
            ? new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey)
            : new SessionAWSCredentials(options.AccessKeyId, options.SecretAccessKey, options.SessionToken);
        var baseUrl = options.BaseUrl?.AbsoluteUri ?? $"https://bedrock-runtime.{options.Region}.amazonaws.com";
        // Ending in '/', model/{id}/converse resolves below the base path instead of replacing its last segment.
        _endpoint = new Uri(baseUrl.TrimEnd('/') + "/");
        _time = timeProvider ?? TimeProvider.System;
        _metadata = new ChatClientMetadata(Provider, _endpoint, _model);
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var model = options?.ModelId ?? _model;
        return ProviderCall.RunAsync(Provider, async () =>
        {
            using var response = await SendAsync(model, "converse", messages, options, HttpCompletionOption.ResponseContentRead, cancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            return ConverseJson.Response(json.RootElement, model, RequestId(response));
        }, cancellationToken);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var model = options?.ModelId ?? _model;
        using var response = await ProviderCall.RunAsync(Provider,
            () => SendAsync(model, "converse-stream", messages, options, HttpCompletionOption.ResponseHeadersRead, cancellationToken), cancellationToken);
        var requestId = RequestId(response);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var reader = new EventStreamReader(body);
        var calls = new ToolCallAssembler();
        while (await ProviderCall.RunAsync(Provider, () => NextUpdateAsync(reader, calls, cancellationToken), cancellationToken) is { } update)
        {
            update.ResponseId = update.MessageId = requestId;
            update.ModelId = model;
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    private async Task<HttpResponseMessage> SendAsync(string model, string action, IEnumerable<ChatMessage> messages, ChatOptions? options,
        HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(ConverseJson.Request(messages, options));
        // Model ids hold ':' and ARNs hold '/': one path segment, escaped.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_endpoint, $"model/{Uri.EscapeDataString(model)}/{action}"))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(action == "converse" ? "application/json" : "application/vnd.amazon.eventstream"));
        AwsSigV4.Sign(request, body, _credentials, _region, SigningService, _time.GetUtcNow().UtcDateTime);

        var response = await _http.SendAsync(request, completion, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw ModelProviderException.FromStatus(Provider, (int)response.StatusCode, ErrorType(response),
                ModelProviderException.ParseRetryAfter(Header(response, "retry-after-ms"), Header(response, "Retry-After")));
        }
    }

    /// <summary>Reads events until one yields an update; null at the end of the stream.</summary>
    private static async Task<ChatResponseUpdate?> NextUpdateAsync(EventStreamReader reader, ToolCallAssembler calls, CancellationToken cancellationToken)
    {
        while (await reader.ReadAsync(cancellationToken) is { } message)
        {
            if (ConverseJson.StreamEvent(EventType(message), Payload(message), calls) is { } update)
            {
                return update;
            }
        }

        return null;
    }

    /// <summary>
    /// Event messages carry their JSON payload; exception and error messages end the stream, and
    /// throttling or a server-side hiccup before the first update is worth a retry.
    /// </summary>
    private static string EventType(EventStreamMessage message)
    {
        var messageType = HeaderValue(message, ":message-type");
        if (messageType == "event")
        {
            return HeaderValue(message, ":event-type") ?? "";
        }

        var type = HeaderValue(message, ":exception-type") ?? HeaderValue(message, ":error-code") ?? "unknown";
        throw new ModelProviderException(Provider, null,
            isTransient: type is "throttlingException" or "serviceUnavailableException" or "internalServerException",
            $"{Provider} stream failed ({type}).");
    }

    private static JsonElement Payload(EventStreamMessage message)
    {
        using var json = JsonDocument.Parse(message.Payload);
        return json.RootElement.Clone();
    }

    private static string? HeaderValue(EventStreamMessage message, string name) =>
        message.Headers.TryGetValue(name, out var header) ? header.AsString() : null;

    private static string? RequestId(HttpResponseMessage response) => Header(response, "x-amzn-RequestId");

    /// <summary>"ThrottlingException:http://internal.amazon.com/coral/…" → "ThrottlingException".</summary>
    private static string? ErrorType(HttpResponseMessage response) => Header(response, "x-amzn-ErrorType")?.Split(':')[0];

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
