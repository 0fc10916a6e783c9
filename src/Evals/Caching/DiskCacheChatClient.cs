using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Agents.AgentHost.Chat;
using Microsoft.Extensions.AI;

namespace Agents.Evals.Caching;

/// <summary>
/// Hosted-model responses kept on disk, keyed by a hash of everything the model sees (provider,
/// model, messages, tools, sampling settings): a re-run sends nothing and answers the same, so a
/// suite is reproducible and free the second time. Never used for the local model, which is
/// deterministic and free anyway.
/// </summary>
public sealed class DiskCacheChatClient(IChatClient inner, string directory, string provider, string model, CacheCounters counters) : DelegatingChatClient(inner)
{
    private static readonly JsonSerializerOptions Json = new(AIJsonUtilities.DefaultOptions) { WriteIndented = true };

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        var path = PathFor(list, options);
        if (await ReadAsync(path, cancellationToken) is { } cached)
        {
            counters.Hit();
            return cached;
        }

        counters.Miss();
        var response = await base.GetResponseAsync(list, options, cancellationToken);
        await WriteAsync(path, response, cancellationToken);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        var path = PathFor(list, options);
        if (await ReadAsync(path, cancellationToken) is { } cached)
        {
            counters.Hit();
            foreach (var update in cached.ToChatResponseUpdates())
            {
                yield return update;
            }

            yield break;
        }

        counters.Miss();
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in base.GetStreamingResponseAsync(list, options, cancellationToken))
        {
            updates.Add(update);
            yield return update;
        }

        // Only a stream that completed is stored: a cancelled or failed one must be asked again.
        await WriteAsync(path, updates.ToChatResponse(), cancellationToken);
    }

    internal string PathFor(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        var request = new
        {
            provider,
            model,
            messages = messages.Select(m => new { role = m.Role.Value, contents = m.Contents.Select(Content) }),
            options = options is null ? null : new
            {
                options.Temperature,
                options.TopP,
                options.MaxOutputTokens,
                options.Seed,
                options.StopSequences,
                toolMode = options.ToolMode?.ToString(),
                tools = options.Tools?.Select(t => new { t.Name, t.Description, schema = (t as AIFunction)?.JsonSchema }),
            },
        };
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request, AIJsonUtilities.DefaultOptions))));
        var folder = string.Concat(model.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_'));
        return Path.Combine(directory, provider, folder, hash[..2], hash + ".json");
    }

    /// <summary>What identifies a content part; call ids and raw provider payloads are left out, they differ between identical requests.</summary>
    private static object? Content(AIContent content) => content switch
    {
        TextContent text => new { text = text.Text },
        FunctionCallContent call => new { call = call.Name, arguments = call.Arguments },
        FunctionResultContent result => new { result = result.Result },
        DataContent data => new { data = data.MediaType, length = data.Data.Length },
        _ => new { kind = content.GetType().Name },
    };

    private static async Task<ChatResponse?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<ChatResponse>(stream, Json, cancellationToken);
    }

    private static async Task WriteAsync(string path, ChatResponse response, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(response, Json), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>How many model calls a run answered from the cache, for the report.</summary>
public sealed class CacheCounters
{
    private int _hits;
    private int _misses;

    public int Hits => _hits;

    public int Misses => _misses;

    public void Hit() => Interlocked.Increment(ref _hits);

    public void Miss() => Interlocked.Increment(ref _misses);
}

/// <summary>Puts the disk cache in front of every hosted model the in-process host creates.</summary>
public sealed class DiskCacheDecorator(string directory, CacheCounters counters) : IHostedModelDecorator
{
    public IChatClient Decorate(IChatClient client, string provider, string model) => new DiskCacheChatClient(client, directory, provider, model, counters);
}
