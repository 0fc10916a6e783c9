using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Agents.Evals.Tests;

/// <summary>A model that records what it was asked and answers <see cref="Response"/> (or streams <see cref="Updates"/>).</summary>
internal sealed class FakeChatClient : IChatClient
{
    public List<(List<ChatMessage> Messages, ChatOptions? Options)> Requests { get; } = [];

    public ChatResponse Response { get; set; } = new(new ChatMessage(ChatRole.Assistant, "ok"));

    public List<ChatResponseUpdate> Updates { get; } = [];

    /// <summary>Thrown by the stream after its first update, when set.</summary>
    public Exception? StreamFailure { get; set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Requests.Add((messages.ToList(), options));
        return Task.FromResult(Response);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Requests.Add((messages.ToList(), options));
        for (var i = 0; i < Updates.Count; i++)
        {
            if (i > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (StreamFailure is { } failure)
                {
                    throw failure;
                }
            }

            await Task.Yield();
            yield return Updates[i];
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
