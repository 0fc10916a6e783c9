using Microsoft.Extensions.AI;

namespace Agents.Runtime.Providers;

/// <summary>Builds the hosted-model <see cref="IChatClient"/> that <see cref="ModelProviderOptions"/> describe, retries included.</summary>
public static class ChatClientFactory
{
    /// <summary>
    /// An OpenAI-compatible or Bedrock client wrapped in the retry pipeline. Without
    /// <paramref name="http"/> the client gets its own, with no overall timeout: each attempt has
    /// <see cref="ModelProviderOptions.Timeout"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The provider is unknown or a setting it needs is missing.</exception>
    public static IChatClient Create(ModelProviderOptions options, HttpClient? http = null) => Create(options, http, TimeProvider.System);

    internal static IChatClient Create(ModelProviderOptions options, HttpClient? http, TimeProvider timeProvider)
    {
        http ??= new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        var provider = options.Provider.ToLowerInvariant();
        IChatClient client = provider switch
        {
            RuntimeInfo.OpenAiProvider => new OpenAiCompatibleChatClient(options, http),
            RuntimeInfo.BedrockProvider => new BedrockConverseChatClient(options, http, timeProvider),
            _ => throw new ArgumentException(
                $"Unknown model provider '{options.Provider}': use '{RuntimeInfo.OpenAiProvider}' or '{RuntimeInfo.BedrockProvider}'.", nameof(options)),
        };
        return new ResilientChatClient(client, provider, options, timeProvider);
    }
}
