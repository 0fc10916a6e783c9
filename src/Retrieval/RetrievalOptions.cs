namespace Agents.Retrieval;

public sealed class RetrievalOptions
{
    public const string Section = "Retrieval";

    /// <summary><c>local</c> (Universal Sentence Encoder lite, offline) or <c>openai</c> (any OpenAI-compatible embeddings endpoint).</summary>
    public string EmbeddingProvider { get; set; } = "local";

    /// <summary>Where the local model is fetched to on first run; default <c>.data/models</c> beside Agents.sln.</summary>
    public string? ModelsDirectory { get; set; }

    public OpenAiEmbeddingOptions OpenAi { get; set; } = new();

    /// <summary>Embedding batches computed at once while indexing (local encoder: one core each).</summary>
    public int EmbeddingParallelism { get; set; } = Environment.ProcessorCount;

    public int ChunkTokens { get; set; } = 128;
    public int ChunkOverlapTokens { get; set; } = 24;

    /// <summary>Candidates each mode contributes before reciprocal-rank fusion.</summary>
    public int Candidates { get; set; } = 40;

    /// <summary>
    /// The k of reciprocal-rank fusion: score = Σ weight / (k + rank). Smaller than the usual 60
    /// because each list is short (<see cref="Candidates"/>) and the OR-ed full-text query matches
    /// many chunks weakly: with k = 60 a document at rank 30 in two lists beat the first
    /// full-text hit. Chosen on evals/retrieval (docs/benchmarks.md has the table per k).
    /// </summary>
    public int RrfK { get; set; } = 10;

    /// <summary>
    /// Weight of the vector ranking in the fusion when the query is in a language the embedding
    /// model does not understand (see <c>IEmbeddingModel.Understands</c>); 1 for the others.
    /// </summary>
    public double ForeignVectorWeight { get; set; } = 0.5;

    /// <summary>Queries of at most this many words also get fuzzy (trigram) matching on titles.</summary>
    public int TitleMatchMaxWords { get; set; } = 5;

    /// <summary>maintenance_work_mem for building the HNSW index (pgvector builds slowly on disk when the graph does not fit).</summary>
    public string IndexBuildMemory { get; set; } = "512MB";

    /// <summary>
    /// HNSW ef_search. On 100k merchant-filtered chunks pgvector's default of 40 gave recall@10
    /// 0.89–0.93, 100 gave 0.935 and 200 gave 0.974 (docs/benchmarks.md), so 200.
    /// </summary>
    public int EfSearch { get; set; } = 200;
}

public sealed class OpenAiEmbeddingOptions
{
    public string? BaseUrl { get; set; }
    public string? ApiKey { get; set; }
    public string Model { get; set; } = "text-embedding-3-small";
    public int Dimensions { get; set; } = 1536;
}
