using Agents.Evals.Assertions;
using Agents.Retrieval.Indexing;
using Agents.Retrieval.Language;
using Microsoft.Extensions.AI;

namespace Agents.Evals.Running;

/// <summary>The language detector the host itself uses (TextCat over it/en/es plus the short-message lexicon).</summary>
public sealed class TextCatLanguageDetector(LanguageDetector detector) : ILanguageDetector
{
    public string Detect(string text) => detector.Detect(text).Language;
}

/// <summary>Sentence embeddings of the offline encoder (USE lite), loaded on first use: only suites with <c>similar</c> pay for it.</summary>
public sealed class LocalTextEmbedder(Func<Task<IEmbeddingModel>> load) : ITextEmbedder
{
    private readonly Lazy<Task<IEmbeddingModel>> _model = new(load);

    public async Task<float[]> EmbedAsync(string text, CancellationToken cancellationToken)
    {
        var model = await _model.Value;
        var embeddings = await model.Generator.GenerateAsync([text], cancellationToken: cancellationToken);
        var vector = embeddings[0].Vector.ToArray();
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return norm == 0 ? vector : vector.Select(v => v / norm).ToArray();
    }
}
