using System.Diagnostics;
using Agents.Retrieval.Chunking;
using Agents.Retrieval.Language;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Agents.Retrieval.Indexing;

public static class DocumentTypes
{
    public const string Product = "product";
    public const string Faq = "faq";
    public const string Policy = "policy";
    public const string Review = "review";

    public static readonly IReadOnlyList<string> All = [Product, Faq, Policy, Review];
}

/// <summary>A document to store; <c>Language</c> null means "detect it".</summary>
public sealed record DocumentInput(string Type, string Title, string Body, string? Language = null, string? Metadata = null, string? SourceId = null);

public sealed record UpsertedDocument(Guid Id, bool Created, string Language, int Chunks);

/// <summary>
/// Writes documents and their chunks: chunk → embed (outside any transaction) → one transaction
/// that upserts the document rows (by type + sourceId + language when a sourceId is given) and
/// replaces their chunks. Every statement is scoped by merchant.
/// </summary>
public sealed class DocumentStore(NpgsqlDataSource dataSource, IEmbeddingModel model, LanguageDetector detector,
    IOptions<RetrievalOptions> options, ILogger<DocumentStore> logger)
{
    private const int EmbeddingBatch = 64;

    public async Task<IReadOnlyList<UpsertedDocument>> UpsertAsync(Guid merchantId, IReadOnlyList<DocumentInput> documents, CancellationToken cancellationToken)
    {
        var chunker = new Chunker(model.CountTokens, options.Value.ChunkTokens, options.Value.ChunkOverlapTokens);
        var prepared = documents.Select(d =>
        {
            var detected = d.Language is null;
            var language = d.Language ?? Resolve(detector.Detect($"{d.Title}\n{d.Body}").Language);
            var chunks = chunker.Split(d.Body, reservedTokens: model.CountTokens(d.Title) + 1);
            return (Input: d, Language: language, Detected: detected, Chunks: chunks);
        }).ToList();

        var texts = prepared.SelectMany(p => p.Chunks.Select(c => ChunkText(p.Input.Title, c.Text))).ToList();
        var vectors = await EmbedAsync(merchantId, prepared.Select(p => p.Input), texts, cancellationToken);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var results = new List<UpsertedDocument>(prepared.Count);
        var vectorIndex = 0;
        foreach (var (input, language, detected, chunks) in prepared)
        {
            var (id, created) = await UpsertRowAsync(connection, transaction, merchantId, input, language, detected, cancellationToken);

            // Old chunks out, new chunks in: one round trip per document.
            await using var batch = new NpgsqlBatch(connection, transaction);
            var clear = new NpgsqlBatchCommand("DELETE FROM document_chunks WHERE merchant_id = @m AND document_id = @d");
            clear.Parameters.AddWithValue("m", merchantId);
            clear.Parameters.AddWithValue("d", id);
            batch.BatchCommands.Add(clear);
            foreach (var chunk in chunks)
            {
                var insert = new NpgsqlBatchCommand("""
                    INSERT INTO document_chunks (id, merchant_id, document_id, ordinal, type, language, title, content, token_count, model, embedding)
                    VALUES (@id, @m, @d, @o, @type, @lang, @title, @content, @tokens, @model, @v::real[]::vector)
                    """);
                insert.Parameters.AddWithValue("id", Guid.CreateVersion7());
                insert.Parameters.AddWithValue("m", merchantId);
                insert.Parameters.AddWithValue("d", id);
                insert.Parameters.AddWithValue("o", chunk.Ordinal);
                insert.Parameters.AddWithValue("type", input.Type);
                insert.Parameters.AddWithValue("lang", language);
                insert.Parameters.AddWithValue("title", input.Title);
                insert.Parameters.AddWithValue("content", chunk.Text);
                insert.Parameters.AddWithValue("tokens", chunk.TokenCount);
                insert.Parameters.AddWithValue("model", model.ModelId);
                insert.Parameters.Add(new NpgsqlParameter("v", NpgsqlDbType.Array | NpgsqlDbType.Real) { Value = vectors[vectorIndex++] });
                batch.BatchCommands.Add(insert);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken);
            results.Add(new UpsertedDocument(id, created, language, chunks.Count));
        }

        await transaction.CommitAsync(cancellationToken);
        return results;
    }

    public async Task<bool> DeleteAsync(Guid merchantId, Guid documentId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM documents WHERE merchant_id = @m AND id = @d");
        command.Parameters.AddWithValue("m", merchantId);
        command.Parameters.AddWithValue("d", documentId);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Re-embeds chunks written by another model (after a model change), in batches, until none is left.</summary>
    public async Task<int> ReembedStaleAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var batch = new List<(Guid Id, string Text)>();
            await using (var select = dataSource.CreateCommand(
                "SELECT id, title || E'\\n' || content FROM document_chunks WHERE model IS DISTINCT FROM @model LIMIT 256"))
            {
                select.Parameters.AddWithValue("model", model.ModelId);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    batch.Add((reader.GetGuid(0), reader.GetString(1)));
                }
            }

            if (batch.Count == 0)
            {
                return total;
            }

            var vectors = await EmbedAsync(batch.Select(b => b.Text).ToList(), cancellationToken);
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            for (var i = 0; i < batch.Count; i++)
            {
                await using var update = new NpgsqlCommand(
                    "UPDATE document_chunks SET model = @model, embedding = @v::real[]::vector WHERE id = @id", connection, transaction);
                update.Parameters.AddWithValue("model", model.ModelId);
                update.Parameters.Add(new NpgsqlParameter("v", NpgsqlDbType.Array | NpgsqlDbType.Real) { Value = vectors[i] });
                update.Parameters.AddWithValue("id", batch[i].Id);
                await update.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            total += batch.Count;
            logger.LogInformation("Re-embedding with {Model}: {Total} chunks done ({Rate:F0} chunks/s)",
                model.ModelId, total, total / Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    private static string ChunkText(string title, string content) => $"{title}\n{content}";

    /// <summary>
    /// Vectors for the chunk texts of documents about to be upserted. A chunk whose exact text
    /// the same source already has under this model keeps its vector, so re-syncing an unchanged
    /// catalogue embeds nothing.
    /// </summary>
    private async Task<float[][]> EmbedAsync(Guid merchantId, IEnumerable<DocumentInput> documents, List<string> texts, CancellationToken cancellationToken)
    {
        var sources = documents.Where(d => d.SourceId is not null).Select(d => d.SourceId!).Distinct().ToArray();
        var known = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (sources.Length > 0)
        {
            await using var select = dataSource.CreateCommand("""
                SELECT c.title || E'\n' || c.content, c.embedding::real[]
                FROM document_chunks c JOIN documents d ON d.id = c.document_id AND d.merchant_id = @m
                WHERE c.merchant_id = @m AND c.model = @model AND d.source_id = ANY(@sources)
                """);
            select.Parameters.AddWithValue("m", merchantId);
            select.Parameters.AddWithValue("model", model.ModelId);
            select.Parameters.AddWithValue("sources", sources);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                known.TryAdd(reader.GetString(0), reader.GetFieldValue<float[]>(1));
            }
        }

        var missing = texts.Where(t => !known.ContainsKey(t)).Distinct(StringComparer.Ordinal).ToList();
        var fresh = await EmbedAsync(missing, cancellationToken);
        for (var i = 0; i < missing.Count; i++)
        {
            known[missing[i]] = fresh[i];
        }

        return texts.Select(t => known[t]).ToArray();
    }

    /// <summary>
    /// Embeds in batches spread over <see cref="RetrievalOptions.EmbeddingParallelism"/> workers:
    /// the local encoder is single-threaded per call, a hosted endpoint takes concurrent requests.
    /// </summary>
    private async Task<float[][]> EmbedAsync(List<string> texts, CancellationToken cancellationToken)
    {
        var vectors = new float[texts.Count][];
        var workers = Math.Max(1, options.Value.EmbeddingParallelism);
        var batch = Math.Clamp((texts.Count + workers - 1) / workers, 1, EmbeddingBatch);
        var starts = Enumerable.Range(0, (texts.Count + batch - 1) / batch).Select(i => i * batch);
        await Parallel.ForEachAsync(starts, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken }, async (start, token) =>
        {
            var slice = texts.GetRange(start, Math.Min(batch, texts.Count - start));
            var embeddings = await model.Generator.GenerateAsync(slice, cancellationToken: token);
            for (var i = 0; i < embeddings.Count; i++)
            {
                vectors[start + i] = embeddings[i].Vector.ToArray();
            }
        });

        return vectors;
    }

    private static async Task<(Guid Id, bool Created)> UpsertRowAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid merchantId,
        DocumentInput input, string language, bool detected, CancellationToken cancellationToken)
    {
        // xmax = 0 only on a freshly inserted row: tells "created" from "replaced".
        await using var upsert = new NpgsqlCommand("""
            INSERT INTO documents (id, merchant_id, type, title, body, language, metadata, source_id, language_detected, indexed_at)
            VALUES (@id, @m, @type, @title, @body, @lang, @meta::jsonb, @source, @detected, now())
            ON CONFLICT (merchant_id, type, source_id, language) WHERE source_id IS NOT NULL
            DO UPDATE SET title = excluded.title, body = excluded.body, metadata = excluded.metadata,
                          language_detected = excluded.language_detected, indexed_at = now(), updated_at = now()
            RETURNING id, xmax = 0
            """, connection, transaction);
        upsert.Parameters.AddWithValue("id", Guid.CreateVersion7());
        upsert.Parameters.AddWithValue("m", merchantId);
        upsert.Parameters.AddWithValue("type", input.Type);
        upsert.Parameters.AddWithValue("title", input.Title);
        upsert.Parameters.AddWithValue("body", input.Body);
        upsert.Parameters.AddWithValue("lang", language);
        upsert.Parameters.AddWithValue("meta", input.Metadata ?? "{}");
        upsert.Parameters.AddWithValue("source", (object?)input.SourceId ?? DBNull.Value);
        upsert.Parameters.AddWithValue("detected", detected);
        await using var reader = await upsert.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetGuid(0), reader.GetBoolean(1));
    }

    // Undetermined text (numbers, emoji) is stored under English: its full-text config is the plainest.
    private static string Resolve(string detected) => detected is "it" or "es" or "en" ? detected : "en";
}
