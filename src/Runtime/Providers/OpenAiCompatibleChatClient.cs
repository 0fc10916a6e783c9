using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AiFinishReason = Microsoft.Extensions.AI.ChatFinishReason;
using OpenAiChatMessage = OpenAI.Chat.ChatMessage;
using OpenAiFinishReason = OpenAI.Chat.ChatFinishReason;

namespace Agents.Runtime.Providers;

/// <summary>
/// An <see cref="IChatClient"/> over the OpenAI chat completions API, which OpenAI, Azure OpenAI
/// (v1 endpoint), Ollama, vLLM and LM Studio all speak. Built on the OpenAI SDK with our own
/// mapping, since the Microsoft.Extensions.AI.OpenAI adapter is not available here. The SDK does
/// not retry: <see cref="ChatClientFactory"/> wraps this client in our retry pipeline.
/// </summary>
public sealed class OpenAiCompatibleChatClient : IChatClient
{
    private const string Provider = RuntimeInfo.OpenAiProvider;

    private readonly OpenAIClientOptions _clientOptions;
    private readonly ApiKeyCredential _credential;
    private readonly string _model;
    private readonly ConcurrentDictionary<string, ChatClient> _clients = new(StringComparer.Ordinal);
    private readonly ChatClientMetadata _metadata;

    public OpenAiCompatibleChatClient(ModelProviderOptions options, HttpClient httpClient)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Model, nameof(options.Model));
        if (options.BaseUrl is null && string.IsNullOrWhiteSpace(options.ApiKey))
        {
            throw new ArgumentException("api.openai.com needs an ApiKey.", nameof(options));
        }

        _model = options.Model;
        // Local servers ignore the key, but the SDK insists on one.
        _credential = new ApiKeyCredential(string.IsNullOrWhiteSpace(options.ApiKey) ? "unused" : options.ApiKey);
        _clientOptions = new OpenAIClientOptions
        {
            Transport = new HttpClientPipelineTransport(httpClient),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            // Per read, so it also catches a stream that stalls halfway.
            NetworkTimeout = options.Timeout,
        };
        if (options.BaseUrl is not null)
        {
            _clientOptions.Endpoint = options.BaseUrl;
        }

        _metadata = new ChatClientMetadata(Provider, options.BaseUrl ?? new Uri("https://api.openai.com/v1"), _model);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var completion = await CallAsync(async () =>
            (await ClientFor(options).CompleteChatAsync(ToOpenAi(messages, options), ToOpenAi(options), cancellationToken)).Value, cancellationToken);

        var contents = new List<AIContent>();
        var text = string.Concat(completion.Content.Where(part => part.Kind == ChatMessageContentPartKind.Text).Select(part => part.Text));
        if (text.Length > 0)
        {
            contents.Add(new TextContent(text));
        }

        contents.AddRange(completion.ToolCalls.Select(call => ToolCallAssembler.Parse(call.Id, call.FunctionName, call.FunctionArguments.ToString())));
        return new ChatResponse(new AiChatMessage(ChatRole.Assistant, contents) { MessageId = completion.Id })
        {
            ResponseId = completion.Id,
            ModelId = completion.Model,
            CreatedAt = completion.CreatedAt,
            FinishReason = ToFinishReason(completion.FinishReason),
            // Some compatible servers leave usage out.
            Usage = completion.Usage is { } usage ? ToUsage(usage) : null,
            RawRepresentation = completion,
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The SDK asks for stream_options.include_usage itself, so the last chunk carries the usage.
        var stream = ClientFor(options).CompleteChatStreamingAsync(ToOpenAi(messages, options), ToOpenAi(options), cancellationToken);
        await using var updates = stream.GetAsyncEnumerator(cancellationToken);
        var calls = new ToolCallAssembler();
        while (await CallAsync(async () => await updates.MoveNextAsync(), cancellationToken))
        {
            var update = updates.Current;
            var contents = new List<AIContent>();
            contents.AddRange(update.ContentUpdate.Where(part => part.Kind == ChatMessageContentPartKind.Text && part.Text.Length > 0)
                .Select(part => new TextContent(part.Text)));
            foreach (var fragment in update.ToolCallUpdates)
            {
                calls.Append(fragment.Index, fragment.ToolCallId, fragment.FunctionName, fragment.FunctionArgumentsUpdate?.ToString());
            }

            if (update.FinishReason is not null)
            {
                contents.AddRange(calls.CompleteAll());
            }

            if (update.Usage is not null)
            {
                contents.Add(new UsageContent(ToUsage(update.Usage)));
            }

            if (contents.Count > 0 || update.FinishReason is not null)
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, contents)
                {
                    ResponseId = update.CompletionId,
                    MessageId = update.CompletionId,
                    ModelId = update.Model,
                    CreatedAt = update.CreatedAt,
                    FinishReason = update.FinishReason is { } reason ? ToFinishReason(reason) : null,
                    RawRepresentation = update,
                };
            }
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

    // A ChatClient is bound to one model; ChatOptions.ModelId may ask for another.
    private ChatClient ClientFor(ChatOptions? options) =>
        _clients.GetOrAdd(options?.ModelId ?? _model, model => new ChatClient(model, _credential, _clientOptions));

    private static List<OpenAiChatMessage> ToOpenAi(IEnumerable<AiChatMessage> messages, ChatOptions? options)
    {
        var result = new List<OpenAiChatMessage>();
        if (!string.IsNullOrWhiteSpace(options?.Instructions))
        {
            result.Add(new SystemChatMessage(options.Instructions));
        }

        foreach (var message in messages)
        {
            var text = string.Concat(message.Contents.OfType<TextContent>().Select(t => t.Text));
            if (message.Role == ChatRole.System)
            {
                result.Add(new SystemChatMessage(text));
            }
            else if (message.Role == ChatRole.User)
            {
                result.Add(new UserChatMessage(text));
            }
            else if (message.Role == ChatRole.Assistant)
            {
                result.Add(ToAssistant(message, text));
            }
            else if (message.Role == ChatRole.Tool)
            {
                result.AddRange(message.Contents.OfType<FunctionResultContent>().Select(r => new ToolChatMessage(r.CallId, ResultJson(r.Result))));
            }
        }

        return result;
    }

    private static AssistantChatMessage ToAssistant(AiChatMessage message, string text)
    {
        var calls = message.Contents.OfType<FunctionCallContent>()
            .Select(call => ChatToolCall.CreateFunctionToolCall(call.CallId, call.Name,
                BinaryData.FromString(JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>(), ToolJson.Options))))
            .ToList();
        if (calls.Count == 0)
        {
            return new AssistantChatMessage(text);
        }

        var assistant = new AssistantChatMessage(calls);
        if (text.Length > 0)
        {
            assistant.Content.Add(ChatMessageContentPart.CreateTextPart(text));
        }

        return assistant;
    }

    /// <summary>Tool results go back as JSON; a result that already is text goes as it is.</summary>
    private static string ResultJson(object? result) => result as string ?? JsonSerializer.Serialize(result, ToolJson.Options);

    private static ChatCompletionOptions ToOpenAi(ChatOptions? options)
    {
        var result = new ChatCompletionOptions
        {
            Temperature = options?.Temperature,
            TopP = options?.TopP,
            MaxOutputTokenCount = options?.MaxOutputTokens,
        };
        foreach (var tool in options?.Tools?.OfType<AIFunctionDeclaration>() ?? [])
        {
            result.Tools.Add(ChatTool.CreateFunctionTool(tool.Name, tool.Description, BinaryData.FromString(tool.JsonSchema.GetRawText())));
        }

        // OpenAI refuses tool_choice without tools.
        if (result.Tools.Count > 0 && options?.ToolMode is { } mode)
        {
            result.ToolChoice = mode switch
            {
                NoneChatToolMode => ChatToolChoice.CreateNoneChoice(),
                RequiredChatToolMode { RequiredFunctionName: { } name } => ChatToolChoice.CreateFunctionChoice(name),
                RequiredChatToolMode => ChatToolChoice.CreateRequiredChoice(),
                _ => ChatToolChoice.CreateAutoChoice(),
            };
        }

        return result;
    }

    private static AiFinishReason ToFinishReason(OpenAiFinishReason reason) => reason switch
    {
        OpenAiFinishReason.Length => AiFinishReason.Length,
        OpenAiFinishReason.ToolCalls or OpenAiFinishReason.FunctionCall => AiFinishReason.ToolCalls,
        OpenAiFinishReason.ContentFilter => AiFinishReason.ContentFilter,
        _ => AiFinishReason.Stop,
    };

    private static UsageDetails ToUsage(ChatTokenUsage usage) => new()
    {
        InputTokenCount = usage.InputTokenCount,
        OutputTokenCount = usage.OutputTokenCount,
        TotalTokenCount = usage.TotalTokenCount,
    };

    private static Task<T> CallAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken) => ProviderCall.RunAsync(Provider, async () =>
    {
        try
        {
            return await call();
        }
        catch (ClientResultException exception)
        {
            throw Failure(exception);
        }
    }, cancellationToken);

    private static ModelProviderException Failure(ClientResultException exception)
    {
        // The SDK's message quotes the server's error text, which can echo a masked key: keep only the status and code.
        if (exception.GetRawResponse() is not { } response)
        {
            return new ModelProviderException(Provider, null, isTransient: true, $"{Provider} could not be reached.", exception.InnerException);
        }

        response.Headers.TryGetValue("retry-after-ms", out var retryAfterMs);
        response.Headers.TryGetValue("retry-after", out var retryAfter);
        return ModelProviderException.FromStatus(Provider, response.Status, ErrorCode(response.Content),
            ModelProviderException.ParseRetryAfter(retryAfterMs, retryAfter));
    }

    /// <summary>The <c>error.code</c> (or <c>error.type</c>) of an OpenAI error body, when there is one.</summary>
    private static string? ErrorCode(BinaryData body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                ? Text(error, "code") ?? Text(error, "type")
                : null;
        }
        catch (JsonException)
        {
            return null;
        }

        static string? Text(JsonElement error, string name) =>
            error.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
