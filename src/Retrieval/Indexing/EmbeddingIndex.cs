using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Agents.Retrieval.Indexing;

/// <summary>
/// On start: makes sure the configured model has its partial HNSW index, then re-embeds (in the
/// background) any chunk another model wrote, so search never compares vectors of two models.
/// </summary>
public sealed partial class EmbeddingIndex(NpgsqlDataSource dataSource, IEmbeddingModel model, DocumentStore store,
    IOptions<RetrievalOptions> options, ILogger<EmbeddingIndex> logger) : BackgroundService
{
    private string MemorySetting() => IndexMemory().IsMatch(options.Value.IndexBuildMemory)
        ? options.Value.IndexBuildMemory
        : throw new InvalidOperationException($"Retrieval:IndexBuildMemory '{options.Value.IndexBuildMemory}' is not a size such as 512MB or 1GB.");

    [GeneratedRegex("^[0-9]{1,6}(kB|MB|GB)$")]
    private static partial Regex IndexMemory();

    public static string Literal(string modelId)
    {
        if (!SafeModelId().IsMatch(modelId))
        {
            throw new ArgumentException($"Embedding model id '{modelId}' may only contain letters, digits, '.', '-', '_', ':' and '/'.", nameof(modelId));
        }

        return $"'{modelId}'";
    }

    public static string IndexName(string modelId, int dimensions)
    {
        var name = $"ix_chunks_hnsw_{Unsafe().Replace(modelId.ToLowerInvariant(), "_")}_{dimensions.ToString(CultureInfo.InvariantCulture)}";
        // PostgreSQL cuts identifiers at 63 bytes; a hash keeps long model names distinct.
        return name.Length <= 63
            ? name
            : $"{name[..50]}_{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..12]}";
    }

    /// <summary>
    /// Creates this model's partial HNSW index when missing. The build gets its own
    /// maintenance_work_mem: when the graph does not fit, pgvector builds it on disk many times slower.
    /// </summary>
    public async Task EnsureIndexAsync(CancellationToken cancellationToken)
    {
        var dims = model.Dimensions.ToString(CultureInfo.InvariantCulture);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SET LOCAL maintenance_work_mem = '{MemorySetting().Replace("'", "", StringComparison.Ordinal)}';
            CREATE INDEX IF NOT EXISTS {IndexName(model.ModelId, model.Dimensions)} ON document_chunks
            USING hnsw ((embedding::vector({dims})) vector_cosine_ops) WHERE model = {Literal(model.ModelId)}
            """, connection, transaction);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The index exists before the host serves; re-embedding runs after start.
        await EnsureIndexAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var done = await store.ReembedStaleAsync(stoppingToken);
            if (done > 0)
            {
                logger.LogInformation("Re-embedded {Count} chunks with {Model}", done, model.ModelId);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._:/-]{1,100}$")]
    private static partial Regex SafeModelId();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex Unsafe();
}
