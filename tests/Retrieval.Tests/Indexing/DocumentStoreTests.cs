using Agents.Data.Migrations;
using Agents.Retrieval.Indexing;
using Agents.Retrieval.Language;
using Agents.Retrieval.Tests.Embeddings;
using Agents.Tests.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Agents.Retrieval.Tests.Indexing;

/// <summary>The document store against a real database and the real encoder, counting what it embeds.</summary>
public sealed class DocumentStoreTests : IAsyncLifetime
{
    private string _connectionString = "";
    private NpgsqlDataSource _dataSource = null!;
    private CountingModel _model = null!;
    private DocumentStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _connectionString = await TestDatabase.CreateAsync(nameof(DocumentStoreTests));
        _dataSource = NpgsqlDataSource.Create(_connectionString);
        await new MigrationRunner(_dataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync(Ct);
        _model = new CountingModel(new LocalEmbeddingModel(await UseLiteFixture.EncoderAsync()));
        _store = new DocumentStore(_dataSource, _model, new LanguageDetector(), Options.Create(new RetrievalOptions()), NullLogger<DocumentStore>.Instance);
    }

    [Fact]
    public async Task Upsert_UnchangedSource_ReusesItsVectorsAndEmbedsOnlyWhatChanged()
    {
        var merchant = await MerchantAsync("reuse");
        DocumentInput Product(string sku, string body) => new("product", $"Product {sku}", body, "en", SourceId: sku);
        var catalogue = new[]
        {
            Product("A", "Crunchy cannoli shells filled with sheep's ricotta."),
            Product("B", "Bronte pistachio cream, forty percent nuts."),
        };

        await _store.UpsertAsync(merchant, catalogue, Ct);
        var afterFirst = _model.Embedded;
        var vectorsBefore = await VectorsAsync(merchant);
        await _store.UpsertAsync(merchant, catalogue, Ct);
        var afterSame = _model.Embedded;
        await _store.UpsertAsync(merchant, [catalogue[0], Product("B", "Bronte pistachio cream, now sixty percent nuts.")], Ct);

        Assert.Equal(2, afterFirst);
        Assert.Equal(afterFirst, afterSame);
        Assert.Equal(afterSame + 1, _model.Embedded);
        var vectorsAfter = await VectorsAsync(merchant);
        Assert.Equal(vectorsBefore["Product A"], vectorsAfter["Product A"]);
        Assert.NotEqual(vectorsBefore["Product B"], vectorsAfter["Product B"]);
    }

    [Fact]
    public async Task Upsert_SameTextAtAnotherMerchant_IsEmbeddedForThatMerchant()
    {
        var a = await MerchantAsync("a");
        var b = await MerchantAsync("b");
        var document = new DocumentInput("faq", "Shipping", "We ship within two working days.", "en", SourceId: "ship");

        await _store.UpsertAsync(a, [document], Ct);
        var before = _model.Embedded;
        await _store.UpsertAsync(b, [document], Ct);

        Assert.Equal(before + 1, _model.Embedded);
    }

    [Fact]
    public async Task ReembedStale_AfterTheModelChanged_RewritesEveryChunkWithTheConfiguredModel()
    {
        var merchant = await MerchantAsync("switch");
        var previous = new DocumentStore(_dataSource, new CountingModel(_model, "previous-model"), new LanguageDetector(),
            Options.Create(new RetrievalOptions()), NullLogger<DocumentStore>.Instance);
        await previous.UpsertAsync(merchant, [new DocumentInput("faq", "Returns", "Returns are free within 30 days.", "en"),
            new DocumentInput("faq", "Resi", "Il reso è gratuito entro 30 giorni.", "it")], Ct);

        var rewritten = await _store.ReembedStaleAsync(Ct);

        Assert.Equal(2, rewritten);
        await using var command = _dataSource.CreateCommand("SELECT count(*) FROM document_chunks WHERE merchant_id = @m AND model = @model");
        command.Parameters.AddWithValue("m", merchant);
        command.Parameters.AddWithValue("model", _model.ModelId);
        Assert.Equal(2L, await command.ExecuteScalarAsync(Ct));
        Assert.Equal(0, await _store.ReembedStaleAsync(Ct));
    }

    private async Task<Guid> MerchantAsync(string slug)
    {
        var id = Guid.CreateVersion7();
        await using var command = _dataSource.CreateCommand("INSERT INTO merchants (id, name, slug) VALUES (@id, @slug, @slug)");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("slug", $"{slug}-{id:N}");
        await command.ExecuteNonQueryAsync(Ct);
        return id;
    }

    private async Task<Dictionary<string, float[]>> VectorsAsync(Guid merchant)
    {
        await using var command = _dataSource.CreateCommand("SELECT title, embedding::real[] FROM document_chunks WHERE merchant_id = @m");
        command.Parameters.AddWithValue("m", merchant);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var vectors = new Dictionary<string, float[]>();
        while (await reader.ReadAsync(Ct))
        {
            vectors[reader.GetString(0)] = reader.GetFieldValue<float[]>(1);
        }

        return vectors;
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await TestDatabase.DropAsync(_connectionString);
    }

    /// <summary>The real model, counting the texts it is asked to embed.</summary>
    private sealed class CountingModel(IEmbeddingModel inner, string? modelId = null) : IEmbeddingModel, IEmbeddingGenerator<string, Embedding<float>>
    {
        private int _embedded;

        public int Embedded => _embedded;
        public string ModelId => modelId ?? inner.ModelId;
        public int Dimensions => inner.Dimensions;
        public IEmbeddingGenerator<string, Embedding<float>> Generator => this;
        public int CountTokens(string text) => inner.CountTokens(text);
        public bool Understands(string language) => inner.Understands(language);

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
            CancellationToken cancellationToken = default)
        {
            var list = values.ToList();
            Interlocked.Add(ref _embedded, list.Count);
            return inner.Generator.GenerateAsync(list, options, cancellationToken);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => inner.Generator.GetService(serviceType, serviceKey);

        public void Dispose()
        {
        }
    }
}
