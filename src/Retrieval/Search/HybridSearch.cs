using System.Globalization;
using System.Text.RegularExpressions;
using Agents.Retrieval.Indexing;
using Agents.Retrieval.Language;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

using Agents.Retrieval.Safety;

namespace Agents.Retrieval.Search;

public enum SearchMode
{
    Hybrid,
    Vector,
    Text,
}

/// <param name="Types">Several document types at once (e.g. faq and policy), so other types cannot crowd them out of the top K.</param>
public sealed record SearchQuery(string Text, int K = 5, string? Type = null, string? Language = null, SearchMode Mode = SearchMode.Hybrid,
    IReadOnlyList<string>? Types = null);

/// <summary>
/// Where a hit ranked in each mode (null: not among that mode's candidates), and its cosine
/// distance to the query when the vector mode saw it (0 identical … 2 opposite).
/// </summary>
public sealed record SearchRanks(int? Vector, int? Text, int? Title, double? Distance = null);

/// <summary>The hits plus the language the query was detected in.</summary>
public sealed record SearchResults(string QueryLanguage, IReadOnlyList<SearchHit> Hits);

public sealed record SearchHit(Guid DocumentId, Guid ChunkId, string Title, string Snippet, string Type, string Language,
    string? SourceId, double Score, SearchRanks Ranks);

/// <summary>
/// Hybrid retrieval over a merchant's chunks: pgvector HNSW cosine (iterative scans, so the
/// merchant filter never starves top-k) + full text in each chunk's own language configuration
/// (the query is parsed once per language, OR-ed words, accents folded) + trigram similarity on
/// titles; fused with reciprocal-rank fusion in one statement.
/// </summary>
public sealed partial class HybridSearch(NpgsqlDataSource dataSource, IEmbeddingModel model, LanguageDetector detector, IOptions<RetrievalOptions> options)
{
    public async Task<SearchResults> SearchAsync(Guid merchantId, SearchQuery query, CancellationToken cancellationToken)
    {
        var text = query.Text.Trim();
        if (text.Length == 0)
        {
            return new SearchResults(LanguageDetector.Undetermined, []);
        }

        float[]? vector = null;
        if (query.Mode is SearchMode.Hybrid or SearchMode.Vector)
        {
            var embedding = await model.Generator.GenerateAsync([text], cancellationToken: cancellationToken);
            vector = embedding[0].Vector.ToArray();
        }

        return await SearchAsync(merchantId, query with { Text = text }, vector, cancellationToken);
    }

    /// <summary>Search with the query's vector already computed (null for text-only search).</summary>
    public async Task<SearchResults> SearchAsync(Guid merchantId, SearchQuery query, float[]? vector, CancellationToken cancellationToken)
    {
        var text = query.Text;
        var settings = options.Value;
        var queryLanguage = detector.Detect(text).Language;
        var vectorWeight = queryLanguage == LanguageDetector.Undetermined || model.Understands(queryLanguage) ? 1.0 : settings.ForeignVectorWeight;
        var useVector = vector is not null && (query.Mode is SearchMode.Hybrid or SearchMode.Vector);
        var useText = query.Mode is SearchMode.Hybrid or SearchMode.Text;
        var titleMatch = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= settings.TitleMatchMaxWords;

        // The model id and dimension are part of the SQL text (not parameters) so the planner can
        // use that model's partial HNSW index; both come from configuration and are sanitised.
        var dims = model.Dimensions.ToString(CultureInfo.InvariantCulture);
        var modelLiteral = EmbeddingIndex.Literal(model.ModelId);
        var filters = "c.merchant_id = @m" + (query.Type is null ? "" : " AND c.type = @type") + (query.Types is { Count: > 0 } ? " AND c.type = ANY(@types)" : "")
            + (query.Language is null ? "" : " AND c.language = @lang");
        var sql = $"""
            WITH q AS MATERIALIZED (
                SELECT or_query(agents_ts_config('it'), @q) AS it, or_query(agents_ts_config('en'), @q) AS en,
                       or_query(agents_ts_config('es'), @q) AS es, agents_fold(@q) AS folded
            ),
            vec AS (
                SELECT id, distance, row_number() OVER (ORDER BY distance) AS r FROM (
                    SELECT c.id, c.embedding::vector({dims}) <=> @v::real[]::vector({dims}) AS distance
                    FROM document_chunks c
                    WHERE {(useVector ? "" : "false AND ")}{filters} AND c.model = {modelLiteral}
                    ORDER BY c.embedding::vector({dims}) <=> @v::real[]::vector({dims})
                    LIMIT @n) v
            ),
            fts AS (
                -- One branch per language so each matches its own tsquery through the GIN index
                -- (a per-row CASE would force a scan of all the merchant's chunks).
                SELECT id, row_number() OVER (ORDER BY rank DESC, id) AS r FROM (
                    SELECT c.id, ts_rank_cd(c.search, (SELECT it FROM q)) AS rank FROM document_chunks c
                    WHERE {(useText ? "" : "false AND ")}{filters} AND c.language = 'it' AND c.search @@ (SELECT it FROM q)
                    UNION ALL
                    SELECT c.id, ts_rank_cd(c.search, (SELECT es FROM q)) FROM document_chunks c
                    WHERE {(useText ? "" : "false AND ")}{filters} AND c.language = 'es' AND c.search @@ (SELECT es FROM q)
                    UNION ALL
                    SELECT c.id, ts_rank_cd(c.search, (SELECT en FROM q)) FROM document_chunks c
                    WHERE {(useText ? "" : "false AND ")}{filters} AND c.language NOT IN ('it', 'es') AND c.search @@ (SELECT en FROM q)
                ) matched
                ORDER BY rank DESC, id LIMIT @n
            ),
            trg AS (
                -- Fuzzy title match, for short name-like queries ("tuminia spagetti"); a long
                -- message's trigrams would match every title a little.
                SELECT c.id, row_number() OVER (ORDER BY word_similarity((SELECT folded FROM q), c.title_folded) DESC, c.id) AS r
                FROM document_chunks c
                WHERE {(useText && titleMatch ? "" : "false AND ")}{filters} AND (SELECT folded FROM q) <% c.title_folded
                ORDER BY r LIMIT @n
            ),
            fused AS (
                SELECT id, sum(CASE mode WHEN 'v' THEN @vw ELSE 1.0 END / (@k + r)) AS score,
                       min(r) FILTER (WHERE mode = 'v') AS vr, min(r) FILTER (WHERE mode = 't') AS tr, min(r) FILTER (WHERE mode = 'g') AS gr,
                       min(distance) AS distance
                FROM (SELECT id, r, 'v' AS mode, distance FROM vec UNION ALL SELECT id, r, 't', NULL FROM fts UNION ALL SELECT id, r, 'g', NULL FROM trg) ranked
                GROUP BY id
            ),
            best AS (
                -- One hit per document: its best chunk.
                SELECT DISTINCT ON (c.document_id) c.*, f.score, f.vr, f.tr, f.gr, f.distance
                FROM fused f JOIN document_chunks c ON c.id = f.id
                ORDER BY c.document_id, f.score DESC
            ),
            grouped AS (
                -- The language versions of one source (a product in it/en/es) are one hit: the
                -- group's best score, shown in the query's language when that version matched.
                SELECT b.*, d.source_id, max(b.score) OVER (PARTITION BY b.type, coalesce(d.source_id, d.id::text)) AS group_score,
                       coalesce(d.source_id, d.id::text) AS group_key
                FROM best b JOIN documents d ON d.id = b.document_id AND d.merchant_id = @m
            ),
            picked AS (
                SELECT DISTINCT ON (g.type, g.group_key) g.*
                FROM grouped g
                ORDER BY g.type, g.group_key, (g.language = @ql) DESC, g.score DESC
            )
            SELECT b.document_id, b.id, b.title, b.content, b.type, b.language, b.source_id, b.group_score, b.vr, b.tr, b.gr, b.distance,
                   ts_headline(agents_ts_config(b.language), b.content,
                               CASE b.language WHEN 'it' THEN q.it WHEN 'es' THEN q.es ELSE q.en END,
                               'MaxWords=40, MinWords=20, StartSel="", StopSel="", MaxFragments=1')
            FROM picked b CROSS JOIN q
            ORDER BY b.group_score DESC, b.document_id
            LIMIT @limit
            """;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var set = new NpgsqlCommand(
            $"SET LOCAL hnsw.iterative_scan = relaxed_order; SET LOCAL hnsw.ef_search = {settings.EfSearch}; SET LOCAL pg_trgm.word_similarity_threshold = 0.45",
            connection, transaction))
        {
            await set.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("m", merchantId);
        command.Parameters.AddWithValue("q", text);
        command.Parameters.Add(new NpgsqlParameter("v", NpgsqlDbType.Array | NpgsqlDbType.Real) { Value = vector ?? new float[model.Dimensions] });
        command.Parameters.AddWithValue("n", settings.Candidates);
        command.Parameters.AddWithValue("k", settings.RrfK);
        command.Parameters.AddWithValue("vw", (decimal)vectorWeight);
        command.Parameters.AddWithValue("ql", queryLanguage);
        command.Parameters.AddWithValue("limit", Math.Clamp(query.K, 1, 50));
        if (query.Types is { Count: > 0 } types)
        {
            command.Parameters.AddWithValue("types", types.ToArray());
        }

        if (query.Type is not null)
        {
            command.Parameters.AddWithValue("type", query.Type);
        }

        if (query.Language is not null)
        {
            command.Parameters.AddWithValue("lang", query.Language);
        }

        var hits = new List<SearchHit>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                hits.Add(new SearchHit(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), Snippet(reader.GetString(12), reader.GetString(3)),
                    reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), (double)reader.GetDecimal(7),
                    new SearchRanks(NullableInt(reader, 8), NullableInt(reader, 9), NullableInt(reader, 10), reader.IsDBNull(11) ? null : reader.GetDouble(11))));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return new SearchResults(queryLanguage, hits);
    }

    /// <summary>
    /// The highlighted fragment, or, when the chunk carries instructions aimed at the assistant, the
    /// chunk without them (a fragment could start after the marker and keep the payload).
    /// </summary>
    private static string Snippet(string headline, string content)
    {
        if (!InjectedInstructions.Contains(content))
        {
            return Whitespace().Replace(headline, " ").Trim();
        }

        var words = Whitespace().Replace(InjectedInstructions.Strip(content), " ").Trim().Split(' ');
        return string.Join(' ', words.Take(SnippetWords));
    }

    private const int SnippetWords = 40;

    private static int? NullableInt(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : (int)reader.GetInt64(ordinal);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
