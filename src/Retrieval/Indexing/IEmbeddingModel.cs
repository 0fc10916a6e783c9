using Microsoft.Extensions.AI;

namespace Agents.Retrieval.Indexing;

/// <summary>The configured embedding generator plus what indexing needs to know about it.</summary>
public interface IEmbeddingModel
{
    /// <summary>Stored with every vector; vectors of different models are never compared.</summary>
    string ModelId { get; }

    int Dimensions { get; }

    IEmbeddingGenerator<string, Embedding<float>> Generator { get; }

    int CountTokens(string text);

    /// <summary>
    /// Whether the model was trained on text in this language. Hybrid search trusts the vector
    /// ranking less for queries in other languages (USE lite is English-only; hosted models are
    /// multilingual).
    /// </summary>
    bool Understands(string language);
}
