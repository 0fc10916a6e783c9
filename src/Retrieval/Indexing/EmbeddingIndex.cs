using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Agents.Retrieval.Indexing;

/// <summary>
/// On start: makes sure the configured model has its partial HNSW index, then re-embeds (in the
/// background) any chunk another model wrote, so search never compares vectors of two models.
/// </summary>
public sealed partial class EmbeddingIndex(NpgsqlDataSource dataSource, IEmbeddingModel model, DocumentStore store,
    ILogger<EmbeddingIndex> logger) : BackgroundService
{
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

    public async Task EnsureIndexAsync(CancellationToken cancellationToken)
    {
        var dims = model.Dimensions.ToString(CultureInfo.InvariantCulture);
        await using var command = dataSource.CreateCommand($"""
            CREATE INDEX IF NOT EXISTS {IndexName(model.ModelId, model.Dimensions)} ON document_chunks
            USING hnsw ((embedding::vector({dims})) vector_cosine_ops) WHERE model = {Literal(model.ModelId)}
            """);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
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
