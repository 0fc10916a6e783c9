using System.Diagnostics;
using System.Globalization;
using System.Text;
using Agents.Data;
using Agents.Data.Migrations;
using Agents.Data.Provisioning;
using Agents.Retrieval;
using Agents.Retrieval.Indexing;
using Agents.Retrieval.Language;
using Agents.Retrieval.Search;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

// Retrieval benchmark: encoder and ingestion throughput, HNSW recall@10 against exact search,
// and search latency at several corpus sizes, each next to its floor measured in the same run.
var sizes = Arg("--sizes", "10000,100000").Split(',').Select(int.Parse).ToArray();
var queryCount = int.Parse(Arg("--queries", "200"), CultureInfo.InvariantCulture);
var report = new StringBuilder();
void Say(string line)
{
    Console.WriteLine(line);
    report.AppendLine(line);
}

var root = DataExtensions.DefaultDataDirectory(Directory.GetCurrentDirectory());
var cluster = await LocalPostgres.EnsureAsync(DataExtensions.LocalOptions(new ConfigurationBuilder().AddEnvironmentVariables().Build(), Directory.GetCurrentDirectory()), Console.WriteLine);
var database = "bench_retrieval";
await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = "postgres" }.ConnectionString))
{
    await admin.OpenAsync();
    await new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin).ExecuteNonQueryAsync();
    await new NpgsqlCommand($"CREATE DATABASE {database}", admin).ExecuteNonQueryAsync();
}

var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = database, CommandTimeout = 0 }.ConnectionString);
await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync();
dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = database, CommandTimeout = 0 }.ConnectionString);
var model = await LocalEmbeddingModel.LoadAsync(Path.Combine(root, "models"), Console.WriteLine, CancellationToken.None);
var options = Options.Create(new RetrievalOptions());
var detector = new LanguageDetector();
var store = new DocumentStore(dataSource, model, detector, options, NullLogger<DocumentStore>.Instance);
var search = new HybridSearch(dataSource, model, detector, options);
var index = new EmbeddingIndex(dataSource, model, store, options, NullLogger<EmbeddingIndex>.Instance);

Say($"# Retrieval benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z, {Environment.ProcessorCount} cores, model {model.ModelId}");
Say($"corpus: sentences of 5–13 words from the demo shop's vocabulary per language (it/en/es in turn), Zipf-distributed; {queryCount} queries per size");
var sentences = Vocabulary.Sentences(2_000, seed: 7);

// Encoder alone (the floor for ingestion and for query embedding).
await model.Generator.GenerateAsync(sentences.Take(20));
var watch = Stopwatch.StartNew();
foreach (var batch in sentences.Take(600).Chunk(64))
{
    await model.Generator.GenerateAsync(batch);
}

var encoderRate = 600 / watch.Elapsed.TotalSeconds;
Say($"encoder alone: {encoderRate:F0} sentences/s (batches of 64)");

// Ingestion through the document store: detect language, chunk, embed, write. Its floor is the
// encoder alone on the same texts, one core.
var merchant = await Setup.MerchantAsync(dataSource, "bench");
var documents = Enumerable.Range(0, 400).Select(i => new DocumentInput("faq", $"Question {i}: {sentences[i]}",
    string.Join(' ', sentences.Skip(400 + i * 3).Take(3)), i % 2 == 0 ? null : Vocabulary.Languages[i % 3])).ToList();
watch.Restart();
foreach (var batch in documents.Select(d => $"{d.Title}\n{d.Body}").Chunk(64))
{
    await model.Generator.GenerateAsync(batch);
}

var floorRate = documents.Count / watch.Elapsed.TotalSeconds;
watch.Restart();
var chunks = 0;
foreach (var batch in documents.Chunk(100))
{
    chunks += (await store.UpsertAsync(merchant, batch, CancellationToken.None)).Sum(d => d.Chunks);
}

var ingestRate = documents.Count / watch.Elapsed.TotalSeconds;
Say($"ingestion: {ingestRate:F0} documents/s ({chunks} chunks for {documents.Count} documents, {options.Value.EmbeddingParallelism} embedding workers); " +
    $"encoder alone on the same texts, one core: {floorRate:F0} documents/s → {ingestRate / floorRate:F2}× the floor");

var queryTexts = Vocabulary.Sentences(queryCount, seed: 99);
var queryVectors = new List<float[]>();
foreach (var batch in queryTexts.Chunk(64))
{
    queryVectors.AddRange((await model.Generator.GenerateAsync(batch)).Select(e => e.Vector.ToArray()));
}

Say("");
Say($"| chunks | HNSW build | recall@10 at ef_search {string.Join(" / ", EfSearchValues())} | bare pgvector top-10 p50 / p99 (ef_search {options.Value.EfSearch}) | hybrid, vector given p50 / p99 | hybrid with embedding p50 / p99 | encoder alone p50 / p99 |");
Say("|---:|---:|---:|---:|---:|---:|---:|");
foreach (var size in sizes)
{
    var target = await Setup.MerchantAsync(dataSource, $"m{size}");
    var other = await Setup.MerchantAsync(dataSource, $"o{size}");
    await Setup.SyntheticChunksAsync(dataSource, target, model.ModelId, size, seed: size);
    await Setup.SyntheticChunksAsync(dataSource, other, model.ModelId, size / 10, seed: size + 1);
    await new NpgsqlCommand("DROP INDEX IF EXISTS " + EmbeddingIndex.IndexName(model.ModelId, model.Dimensions), await dataSource.OpenConnectionAsync()).ExecuteNonQueryAsync();
    watch.Restart();
    await index.EnsureIndexAsync(CancellationToken.None);
    var build = watch.Elapsed;
    await using (var analyze = dataSource.CreateCommand("ANALYZE document_chunks"))
    {
        await analyze.ExecuteNonQueryAsync();
    }

    var probes = await Setup.ProbesAsync(dataSource, target, queryCount, seed: size);
    var exact = new List<List<Guid>>();
    foreach (var probe in probes)
    {
        exact.Add(await Setup.TopAsync(dataSource, target, probe, exact: true));
    }

    var recalls = new List<string>();
    var bare = new List<double>();
    foreach (var ef in EfSearchValues())
    {
        double recall = 0;
        for (var p = 0; p < probes.Count; p++)
        {
            watch.Restart();
            var approximate = await Setup.TopAsync(dataSource, target, probes[p], exact: false, ef);
            if (ef == options.Value.EfSearch)
            {
                bare.Add(watch.Elapsed.TotalMilliseconds);
            }

            recall += exact[p].Intersect(approximate).Count() / 10.0;
        }

        recalls.Add($"{recall / probes.Count:F3}");
    }

    var given = new List<double>();
    var full = new List<double>();
    var encoder = new List<double>();
    for (var i = 0; i < queryTexts.Count; i++)
    {
        watch.Restart();
        await search.SearchAsync(target, new SearchQuery(queryTexts[i], 10), queryVectors[i], CancellationToken.None);
        given.Add(watch.Elapsed.TotalMilliseconds);
        watch.Restart();
        await search.SearchAsync(target, new SearchQuery(queryTexts[i], 10), CancellationToken.None);
        full.Add(watch.Elapsed.TotalMilliseconds);
        watch.Restart();
        await model.Generator.GenerateAsync([queryTexts[i]]);
        encoder.Add(watch.Elapsed.TotalMilliseconds);
    }

    Say($"| {size:N0} | {build.TotalSeconds:F1} s | {string.Join(" / ", recalls)} | {P(bare, 50):F2} / {P(bare, 99):F2} ms | {P(given, 50):F2} / {P(given, 99):F2} ms | {P(full, 50):F2} / {P(full, 99):F2} ms | {P(encoder, 50):F2} / {P(encoder, 99):F2} ms |");
}

Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(root)!, "bench", "results"));
await File.WriteAllTextAsync(Path.Combine(Path.GetDirectoryName(root)!, "bench", "results", "retrieval.md"), report.ToString());
return;

static int[] EfSearchValues() => [40, 100, 200];

static double P(List<double> values, int percentile)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
}

string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

/// <summary>
/// Synthetic text in one language at a time, from the demo shop's own words in that language
/// (documents and products, a few thousand distinct words) drawn with a Zipf distribution, so
/// term frequencies and stop words look like a real catalogue rather than a hundred words repeated.
/// </summary>
internal static partial class Vocabulary
{
    public static readonly string[] Languages = ["it", "en", "es"];
    private static readonly Lazy<Dictionary<string, string[]>> Words = new(Load);

    /// <summary>Sentences whose i-th is in <c>Languages[i % 3]</c>.</summary>
    public static List<string> Sentences(int count, int seed)
    {
        var random = new Random(seed);
        var samplers = Languages.ToDictionary(l => l, l => Sampler(Words.Value[l], random));
        return Enumerable.Range(0, count)
            .Select(i => string.Join(' ', Enumerable.Range(0, random.Next(5, 14)).Select(_ => samplers[Languages[i % 3]]())))
            .ToList();
    }

    private static Func<string> Sampler(string[] words, Random random)
    {
        var cumulative = new double[words.Length];
        var sum = 0.0;
        for (var i = 0; i < words.Length; i++)
        {
            sum += 1.0 / (i + 1);
            cumulative[i] = sum;
        }

        return () =>
        {
            var index = Array.BinarySearch(cumulative, random.NextDouble() * sum);
            return words[index < 0 ? ~index : index];
        };
    }

    private static Dictionary<string, string[]> Load()
    {
        var folder = Path.Combine(Directory.GetCurrentDirectory(), "src", "AgentHost", "Demo", "Data");
        var text = Languages.ToDictionary(l => l, _ => new StringBuilder());
        using (var documents = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "documents.json"))))
        {
            foreach (var document in documents.RootElement.EnumerateArray())
            {
                text[document.GetProperty("language").GetString()!].Append(document.GetProperty("title").GetString()).Append(' ')
                    .Append(document.GetProperty("body").GetString()).Append(' ');
            }
        }

        using (var products = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "products.json"))))
        {
            foreach (var product in products.RootElement.EnumerateArray())
            {
                foreach (var field in new[] { "name", "description" })
                {
                    foreach (var translation in product.GetProperty(field).EnumerateObject())
                    {
                        text[translation.Name].Append(translation.Value.GetString()).Append(' ');
                    }
                }
            }
        }

        // Most frequent first, so the Zipf rank follows the real frequency.
        return text.ToDictionary(t => t.Key, t => WordPattern().Matches(t.Value.ToString()).Select(m => m.Value.ToLowerInvariant())
            .GroupBy(w => w).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).ToArray());
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\p{L}+")]
    private static partial System.Text.RegularExpressions.Regex WordPattern();
}

internal static class Setup
{
    public static async Task<Guid> MerchantAsync(NpgsqlDataSource dataSource, string slug)
    {
        var id = Guid.CreateVersion7();
        await using var command = dataSource.CreateCommand("INSERT INTO merchants (id, name, slug) VALUES (@id, @slug, @slug)");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("slug", $"bench-{slug}");
        await command.ExecuteNonQueryAsync();
        return id;
    }

    /// <summary>Clustered unit vectors (200 topics) with matching text, written with binary COPY.</summary>
    public static async Task SyntheticChunksAsync(NpgsqlDataSource dataSource, Guid merchant, string modelId, int count, int seed)
    {
        var random = new Random(seed);
        var centers = Enumerable.Range(0, 200).Select(_ => Unit(Enumerable.Range(0, 512).Select(_ => Gaussian(random)).ToArray())).ToArray();
        var sentences = Vocabulary.Sentences(count, seed);
        await using var connection = await dataSource.OpenConnectionAsync();
        // Ten chunks per document, as a long FAQ or product page would have.
        var documentIds = Enumerable.Range(0, (count + 9) / 10).Select(_ => Guid.CreateVersion7()).ToArray();
        await using (var documents = await connection.BeginTextImportAsync("COPY documents (id, merchant_id, type, title, body, language) FROM STDIN"))
        {
            foreach (var id in documentIds)
            {
                await documents.WriteLineAsync(string.Join('\t', id, merchant, "faq", "synthetic", "", "en"));
            }
        }

        await using var copy = await connection.BeginTextImportAsync(
            "COPY document_chunks (id, merchant_id, document_id, ordinal, type, language, title, content, token_count, model, embedding) FROM STDIN");
        for (var i = 0; i < count; i++)
        {
            var center = centers[random.Next(centers.Length)];
            var vector = Unit(center.Select(c => c + 0.6f * Gaussian(random) / MathF.Sqrt(512)).ToArray());
            var text = sentences[i];
            await copy.WriteLineAsync(string.Join('\t', Guid.CreateVersion7(), merchant, documentIds[i / 10], i % 10, "faq", Vocabulary.Languages[i % 3], text[..Math.Min(40, text.Length)], text, 12, modelId,
                "[" + string.Join(',', vector.Select(v => v.ToString("G6", CultureInfo.InvariantCulture))) + "]"));
        }
    }

    /// <summary>Queries near the data, as real ones are: stored vectors with noise added.</summary>
    public static async Task<List<float[]>> ProbesAsync(NpgsqlDataSource dataSource, Guid merchant, int count, int seed)
    {
        var random = new Random(seed + 7);
        await using var command = dataSource.CreateCommand("SELECT embedding::real[] FROM document_chunks WHERE merchant_id = @m ORDER BY random() LIMIT @n");
        command.Parameters.AddWithValue("m", merchant);
        command.Parameters.AddWithValue("n", count);
        var probes = new List<float[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            probes.Add(Unit(reader.GetFieldValue<float[]>(0).Select(x => x + 0.3f * Gaussian(random) / MathF.Sqrt(512)).ToArray()));
        }

        return probes;
    }

    public static async Task<List<Guid>> TopAsync(NpgsqlDataSource dataSource, Guid merchant, float[] vector, bool exact, int efSearch = 0)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var settings = exact ? "SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off" : $"SET LOCAL hnsw.iterative_scan = relaxed_order; SET LOCAL hnsw.ef_search = {efSearch}";
        await new NpgsqlCommand(settings, connection, transaction).ExecuteNonQueryAsync();
        await using var command = new NpgsqlCommand("""
            SELECT id FROM (SELECT id, embedding::vector(512) <=> @v::real[]::vector(512) AS d FROM document_chunks
                            WHERE merchant_id = @m AND model = 'use-lite-0.2.0'
                            ORDER BY embedding::vector(512) <=> @v::real[]::vector(512) LIMIT 10) t ORDER BY d
            """, connection, transaction);
        command.Parameters.AddWithValue("m", merchant);
        command.Parameters.Add(new NpgsqlParameter("v", NpgsqlDbType.Array | NpgsqlDbType.Real) { Value = vector });
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));

    private static float[] Unit(float[] v)
    {
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }
}
