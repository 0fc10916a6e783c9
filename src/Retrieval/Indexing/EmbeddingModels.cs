using System.ClientModel;
using System.Collections.Concurrent;
using Agents.Retrieval.Embeddings;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Embeddings;

namespace Agents.Retrieval.Indexing;

/// <summary>The offline default: Universal Sentence Encoder lite, loaded once per process.</summary>
public sealed class LocalEmbeddingModel(UniversalSentenceEncoder encoder) : IEmbeddingModel
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<UniversalSentenceEncoder>>> Loaded = new();

    public string ModelId => "use-lite-0.2.0";
    public int Dimensions => encoder.Dimensions;
    public IEmbeddingGenerator<string, Embedding<float>> Generator => encoder;
    public int CountTokens(string text) => encoder.CountTokens(text);
    public bool Understands(string language) => language == "en";

    /// <summary>Fetches the model on first run (npm) and loads it; hosts in one process share it.</summary>
    public static async Task<LocalEmbeddingModel> LoadAsync(string modelsDirectory, Action<string> progress, CancellationToken cancellationToken)
    {
        var folder = await ModelStore.EnsureUseLiteAsync(modelsDirectory, progress, cancellationToken);
        var encoder = await Loaded.GetOrAdd(folder, f => new Lazy<Task<UniversalSentenceEncoder>>(() => UniversalSentenceEncoder.LoadAsync(f, CancellationToken.None))).Value;
        return new LocalEmbeddingModel(encoder);
    }
}

/// <summary>Any OpenAI-compatible /embeddings endpoint (OpenAI, Azure OpenAI, Ollama, vLLM), on the OpenAI SDK.</summary>
public sealed class OpenAiEmbeddingModel : IEmbeddingModel, IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingClient _client;
    private readonly OpenAiEmbeddingOptions _options;

    public OpenAiEmbeddingModel(OpenAiEmbeddingOptions options, HttpClient? transport = null)
    {
        _options = options;
        var clientOptions = new OpenAIClientOptions();
        if (options.BaseUrl is { Length: > 0 } baseUrl)
        {
            clientOptions.Endpoint = new Uri(baseUrl);
        }

        if (transport is not null)
        {
            clientOptions.Transport = new System.ClientModel.Primitives.HttpClientPipelineTransport(transport);
        }

        _client = new EmbeddingClient(options.Model, new ApiKeyCredential(options.ApiKey ?? "none"), clientOptions);
    }

    public string ModelId => $"openai:{_options.Model}:{_options.Dimensions}";
    public int Dimensions => _options.Dimensions;
    public IEmbeddingGenerator<string, Embedding<float>> Generator => this;

    // No tokenizer for hosted models here: ~3 characters a token is a safe over-estimate for chunking.
    public int CountTokens(string text) => (text.Length + 2) / 3;
    public bool Understands(string language) => true;

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, Microsoft.Extensions.AI.EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var inputs = values.ToList();
        var result = await _client.GenerateEmbeddingsAsync(inputs, new OpenAI.Embeddings.EmbeddingGenerationOptions { Dimensions = _options.Dimensions }, cancellationToken);
        var embeddings = result.Value.OrderBy(e => e.Index)
            .Select(e => new Embedding<float>(e.ToFloats()) { ModelId = _options.Model, CreatedAt = DateTimeOffset.UtcNow })
            .ToList();
        if (embeddings.Any(e => e.Vector.Length != _options.Dimensions))
        {
            throw new InvalidOperationException($"The embeddings endpoint returned vectors of another size than the configured {_options.Dimensions}.");
        }

        return new GeneratedEmbeddings<Embedding<float>>(embeddings)
        {
            Usage = new UsageDetails { InputTokenCount = result.Value.Usage.InputTokenCount, TotalTokenCount = result.Value.Usage.TotalTokenCount },
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
