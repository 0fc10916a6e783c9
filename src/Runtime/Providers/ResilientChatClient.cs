using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Agents.Runtime.Providers;

/// <summary>
/// Retries a provider client on throttling (honouring Retry-After), server errors, lost connections
/// and per-attempt timeouts, with exponential backoff and jitter; never on 400/401/403/404. What
/// still fails surfaces as one <see cref="ModelProviderException"/>.
/// </summary>
internal sealed class ResilientChatClient : DelegatingChatClient
{
    private static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(20);

    private readonly string _provider;
    private readonly ResiliencePipeline _pipeline;

    public ResilientChatClient(IChatClient inner, string provider, ModelProviderOptions options, TimeProvider timeProvider)
        : base(inner)
    {
        _provider = provider;
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = BaseDelay,
                MaxDelay = MaxDelay,
                ShouldHandle = new PredicateBuilder()
                    .Handle<ModelProviderException>(exception => exception.IsTransient)
                    .Handle<TimeoutRejectedException>(),
                DelayGenerator = arguments => ValueTask.FromResult(
                    arguments.Outcome.Exception is ModelProviderException { RetryAfter: { } retryAfter } ? retryAfter : (TimeSpan?)null),
            });
        }

        // Inside the retry, so each attempt gets the whole timeout.
        _pipeline = builder.AddTimeout(options.Timeout).Build();
    }

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        RunAsync(attempt => new ValueTask<ChatResponse>(base.GetResponseAsync(messages, options, attempt)), cancellationToken);

    /// <summary>
    /// Only opening the stream, up to its first update, is retried: once an update has reached the
    /// caller it cannot be taken back, so later failures surface as they are.
    /// </summary>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var stream = await RunAsync(attempt => OpenAsync(messages, options, attempt, cancellationToken), cancellationToken);
        if (!stream.HasFirst)
        {
            yield break;
        }

        yield return stream.Updates.Current;
        while (await stream.Updates.MoveNextAsync())
        {
            yield return stream.Updates.Current;
        }
    }

    private async Task<T> RunAsync<T>(Func<CancellationToken, ValueTask<T>> attempt, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(attempt, cancellationToken);
        }
        catch (TimeoutRejectedException exception)
        {
            throw new ModelProviderException(_provider, null, isTransient: true,
                $"{_provider} did not answer within {exception.Timeout.TotalSeconds:0.#} s.", exception);
        }
    }

    private async ValueTask<OpenStream> OpenAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken attempt, CancellationToken caller)
    {
        // The stream outlives this attempt, so it runs on its own token; the attempt's token (the
        // timeout) only guards getting the first update.
        var lifetime = CancellationTokenSource.CreateLinkedTokenSource(caller);
        var updates = base.GetStreamingResponseAsync(messages, options, lifetime.Token).GetAsyncEnumerator(lifetime.Token);
        try
        {
            using (attempt.Register(lifetime.Cancel))
            {
                return new OpenStream(lifetime, updates, await updates.MoveNextAsync());
            }
        }
        catch
        {
            await updates.DisposeAsync();
            lifetime.Dispose();
            throw;
        }
    }

    private sealed class OpenStream(CancellationTokenSource lifetime, IAsyncEnumerator<ChatResponseUpdate> updates, bool hasFirst) : IAsyncDisposable
    {
        public IAsyncEnumerator<ChatResponseUpdate> Updates => updates;

        public bool HasFirst => hasFirst;

        public async ValueTask DisposeAsync()
        {
            await updates.DisposeAsync();
            lifetime.Dispose();
        }
    }
}
