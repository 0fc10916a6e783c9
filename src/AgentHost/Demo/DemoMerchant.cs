using System.Text.Json;
using Agents.AgentHost.Auth;
using Agents.Data;
using Agents.Data.Entities;
using Agents.Retrieval.Indexing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Agents.AgentHost.Demo;

public sealed class DemoOptions
{
    public const string Section = "Demo";
    public bool Enabled { get; set; }
    /// <summary>A fixed secret key for the demo merchant (sk_test_…); without one, each start issues and prints a fresh key.</summary>
    public string? SecretKey { get; set; }
    /// <summary>Last day (exclusive) of the generated order history; today (UTC) when empty.</summary>
    public DateOnly? OrdersEndDate { get; set; }
}

/// <summary>The keys printed at start-up (held in memory only, never written anywhere).</summary>
public sealed class DemoKeys
{
    public string? SecretKey { get; set; }
    public string? PublishableKey { get; set; }
}

public static class DemoMerchantExtensions
{
    public static IHostApplicationBuilder AddDemoMerchant(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section)
            .Validate(o => string.IsNullOrEmpty(o.SecretKey) || ApiKeyFormat.TryParse(o.SecretKey, out _, out var kind, out _) && kind == ApiKeyFormat.Secret,
                "Demo:SecretKey must be a secret key: sk_test_ or sk_live_ followed by 43 letters or digits.")
            .ValidateOnStart();
        builder.Services.AddSingleton<DemoKeys>();
        if (builder.Configuration.GetValue<bool>("Demo:Enabled"))
        {
            builder.Services.AddHostedService<DemoSeeder>();
        }

        return builder;
    }
}

/// <summary>
/// Seeds "Sapori di Sicilia" idempotently: the merchant, its catalogue and documents (upserted on
/// every start, so edits to the JSON files land), and on first creation customers and two years
/// of orders. Runs after the migrations, before the host serves.
/// </summary>
public sealed class DemoSeeder(IServiceScopeFactory scopes, NpgsqlDataSource dataSource, IOptions<DemoOptions> options,
    DemoKeys keys, TimeProvider clock, ILogger<DemoSeeder> logger) : IHostedService
{
    public const string Slug = "sapori-di-sicilia";
    private const string StartupKeyName = "demo (issued at start-up)";

    public async Task StartAsync(CancellationToken cancellationToken) => await SeedAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<Guid> SeedAsync(CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var checksum = SeedChecksum();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var (merchantId, applied) = await ReadStateAsync(connection, cancellationToken);
        if (merchantId is not { } id || applied != checksum)
        {
            id = await SeedCatalogueAsync(cancellationToken);
            await using var record = new NpgsqlCommand("""
                INSERT INTO seed_state (merchant_id, name, checksum) VALUES (@m, 'demo', @c)
                ON CONFLICT (merchant_id, name) DO UPDATE SET checksum = excluded.checksum, applied_at = now()
                """, connection);
            record.Parameters.AddWithValue("m", id);
            record.Parameters.AddWithValue("c", checksum);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await EnsureKeysAsync(connection, id, cancellationToken);
        logger.LogInformation("Demo merchant {Slug} ready in {Elapsed:F0} ms", Slug, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return id;
    }

    /// <summary>Creates the merchant if needed and upserts catalogue and documents; history only into an empty shop.</summary>
    private async Task<Guid> SeedCatalogueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AgentsDbContext>();
        var merchant = await db.Merchants.FirstOrDefaultAsync(m => m.Slug == Slug, cancellationToken);
        if (merchant is null)
        {
            merchant = new Merchant
            {
                Name = "Sapori di Sicilia",
                Slug = Slug,
                Status = MerchantStatus.Active,
                Plan = "pro",
                DefaultLanguage = "it",
                AllowedOrigins = ["http://localhost:5080"],
            };
            db.Merchants.Add(merchant);
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Demo merchant {Slug} created", Slug);
        }

        // New orders continue the numbering of the demo history (SDS-100001…).
        merchant.OrderPrefix ??= "SDS";
        await db.SaveChangesAsync(cancellationToken);

        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(merchant.Id);
        var step = System.Diagnostics.Stopwatch.GetTimestamp();
        var (products, productDocuments) = await UpsertProductsAsync(db, merchant.Id, cancellationToken);
        logger.LogInformation("Demo catalogue: {Products} products upserted in {Elapsed:F0} ms", products.Count, System.Diagnostics.Stopwatch.GetElapsedTime(step).TotalMilliseconds);
        step = System.Diagnostics.Stopwatch.GetTimestamp();
        var documents = ReadSeed<List<DocumentSeed>>("documents.json")
            .Select(d => new DocumentInput(d.Type, d.Title, d.Body, d.Language, SourceId: d.SourceId));
        var indexed = await scope.ServiceProvider.GetRequiredService<DocumentStore>()
            .UpsertAsync(merchant.Id, [.. productDocuments, .. documents], cancellationToken);
        logger.LogInformation("Demo catalogue indexed: {Documents} documents, {Chunks} chunks in {Elapsed:F0} ms",
            indexed.Count, indexed.Sum(d => d.Chunks), System.Diagnostics.Stopwatch.GetElapsedTime(step).TotalMilliseconds);
        if (!await db.Customers.AnyAsync(cancellationToken))
        {
            await SeedHistoryAsync(merchant.Id, products, cancellationToken);
        }

        return merchant.Id;
    }

    private static async Task<(Guid? MerchantId, string? Checksum)> ReadStateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT m.id, s.checksum FROM merchants m
            LEFT JOIN seed_state s ON s.merchant_id = m.id AND s.name = 'demo'
            WHERE m.slug = @slug
            """, connection);
        command.Parameters.AddWithValue("slug", Slug);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetString(1))
            : (null, null);
    }

    /// <summary>Changes whenever a seed file or the history generator changes.</summary>
    private static string SeedChecksum()
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var file in new[] { "products.json", "documents.json" })
        {
            using var stream = typeof(DemoSeeder).Assembly.GetManifestResourceStream($"Demo/{file}")!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            hash.AppendData(buffer.ToArray());
        }

        // The indexing scheme is part of the seed: bump when product documents or chunking change.
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{DemoOrderGenerator.Version}/index-2"));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private sealed record ProductSeed(string Sku, string Category, decimal Price, int Stock, string ImageUrl, JsonElement Attributes,
        Dictionary<string, string> Name, Dictionary<string, string> Description);

    private sealed record DocumentSeed(string Type, string SourceId, string Language, string Title, string Body);

    private static async Task<(List<DemoOrderGenerator.ProductRef> Refs, List<DocumentInput> Documents)> UpsertProductsAsync(
        AgentsDbContext db, Guid merchantId, CancellationToken cancellationToken)
    {
        var seeds = ReadSeed<List<ProductSeed>>("products.json");
        var existing = await db.Products.Include(p => p.Translations).ToDictionaryAsync(p => p.Sku, cancellationToken);
        foreach (var seed in seeds)
        {
            if (!existing.TryGetValue(seed.Sku, out var product))
            {
                product = new Product { MerchantId = merchantId, Sku = seed.Sku, Category = seed.Category };
                db.Products.Add(product);
                existing[seed.Sku] = product;
            }

            product.Category = seed.Category;
            product.Price = seed.Price;
            product.Stock = seed.Stock;
            product.ImageUrl = seed.ImageUrl;
            product.Attributes = seed.Attributes.GetRawText();
            foreach (var language in Infrastructure.Validation.Languages)
            {
                var translation = product.Translations.FirstOrDefault(t => t.Language == language);
                if (translation is null)
                {
                    translation = new ProductTranslation { MerchantId = merchantId, Language = language, Name = "", Description = "" };
                    product.Translations.Add(translation);
                }

                translation.Name = seed.Name[language];
                translation.Description = seed.Description[language];
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        var ordered = existing.Values.OrderBy(p => p.Sku, StringComparer.Ordinal).ToList();
        return (ordered.ConvertAll(p => new DemoOrderGenerator.ProductRef(p.Id, p.Sku, p.Translations.First(t => t.Language == "it").Name, p.Category, p.Price)),
            ordered.SelectMany(p => Infrastructure.Validation.Languages.Select(language => Apis.ProductDocuments.For(p, language))).ToList());
    }

    private async Task SeedHistoryAsync(Guid merchantId, List<DemoOrderGenerator.ProductRef> products, CancellationToken cancellationToken)
    {
        var end = options.Value.OrdersEndDate ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var data = new DemoOrderGenerator(end).Generate(products);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY customers (id, merchant_id, external_id, phone, email, name, language, country, registered_at, consent_at, created_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var c in data.Customers)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(c.Id, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(merchantId, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(c.ExternalId, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(c.Phone, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(c.Email, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(c.Name, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(c.Language, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(c.Country, NpgsqlDbType.Char, cancellationToken);
                await copy.WriteAsync(c.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(c.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(c.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY orders (id, merchant_id, number, customer_id, status, currency, channel, subtotal, total, created_at, updated_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var o in data.Orders)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(o.Id, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(merchantId, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(o.Number, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(o.CustomerId, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(o.Status, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync("EUR", NpgsqlDbType.Char, cancellationToken);
                await copy.WriteAsync(o.Channel, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(o.Subtotal, NpgsqlDbType.Numeric, cancellationToken);
                await copy.WriteAsync(o.Total, NpgsqlDbType.Numeric, cancellationToken);
                await copy.WriteAsync(o.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(o.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY order_items (id, merchant_id, order_id, product_id, sku, name, category, quantity, unit_price) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var o in data.Orders)
            {
                foreach (var i in o.Items)
                {
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync(i.Id, NpgsqlDbType.Uuid, cancellationToken);
                    await copy.WriteAsync(merchantId, NpgsqlDbType.Uuid, cancellationToken);
                    await copy.WriteAsync(o.Id, NpgsqlDbType.Uuid, cancellationToken);
                    await copy.WriteAsync(i.ProductId, NpgsqlDbType.Uuid, cancellationToken);
                    await copy.WriteAsync(i.Sku, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(i.Name, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(i.Category, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(i.Quantity, NpgsqlDbType.Integer, cancellationToken);
                    await copy.WriteAsync(i.UnitPrice, NpgsqlDbType.Numeric, cancellationToken);
                }
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        // Fresh statistics now, not whenever autovacuum gets to it: the analytics plans depend on them.
        await using (var analyze = new NpgsqlCommand("ANALYZE customers, orders, order_items", connection))
        {
            await analyze.ExecuteNonQueryAsync(cancellationToken);
        }

        logger.LogInformation("Demo history: {Customers} customers, {Orders} orders ({From} to {To})",
            data.Customers.Count, data.Orders.Count, end.AddDays(-DemoOrderGenerator.Days), end.AddDays(-1));
    }

    private async Task EnsureKeysAsync(NpgsqlConnection connection, Guid merchantId, CancellationToken cancellationToken)
    {
        if (options.Value.SecretKey is { Length: > 0 } configured)
        {
            if (!ApiKeyFormat.TryParse(configured, out var prefix, out _, out var mode))
            {
                throw new InvalidOperationException("Demo:SecretKey is not a valid secret key.");
            }

            await using var find = new NpgsqlCommand("SELECT merchant_id, hash, revoked_at IS NOT NULL FROM api_keys WHERE prefix = @p", connection);
            find.Parameters.AddWithValue("p", prefix);
            await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken))
                {
                    if (reader.GetGuid(0) != merchantId || !ApiKeyFormat.Matches(configured, (byte[])reader[1]) || reader.GetBoolean(2))
                    {
                        throw new InvalidOperationException("Demo:SecretKey collides with a different or revoked key; choose another value.");
                    }

                    keys.SecretKey = configured;
                    return;
                }
            }

            await InsertKeyAsync(connection, merchantId, new ApiKeyFormat.NewKey(configured, prefix, ApiKeyFormat.Hash(configured), ApiKeyFormat.Secret, mode),
                "demo (Demo:SecretKey)", cancellationToken);
            keys.SecretKey = configured;
            return;
        }

        // No configured key: keys are only ever shown once, so each start issues a fresh pair
        // and revokes the pair the previous start printed.
        await using (var revoke = new NpgsqlCommand(
            "UPDATE api_keys SET revoked_at = @now WHERE merchant_id = @m AND name = @n AND revoked_at IS NULL", connection))
        {
            revoke.Parameters.AddWithValue("now", clock.GetUtcNow());
            revoke.Parameters.AddWithValue("m", merchantId);
            revoke.Parameters.AddWithValue("n", StartupKeyName);
            await revoke.ExecuteNonQueryAsync(cancellationToken);
        }

        var secret = ApiKeyFormat.Generate(ApiKeyFormat.Secret, ApiKeyFormat.Test);
        var publishable = ApiKeyFormat.Generate(ApiKeyFormat.Publishable, ApiKeyFormat.Test);
        await InsertKeyAsync(connection, merchantId, secret, StartupKeyName, cancellationToken);
        await InsertKeyAsync(connection, merchantId, publishable, StartupKeyName, cancellationToken);
        keys.SecretKey = secret.Key;
        keys.PublishableKey = publishable.Key;
    }

    private static async Task InsertKeyAsync(NpgsqlConnection connection, Guid merchantId, ApiKeyFormat.NewKey key, string name, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand("""
            INSERT INTO api_keys (id, merchant_id, kind, mode, prefix, hash, name) VALUES (@id, @m, @kind, @mode, @prefix, @hash, @name)
            """, connection);
        insert.Parameters.AddWithValue("id", Guid.CreateVersion7());
        insert.Parameters.AddWithValue("m", merchantId);
        insert.Parameters.AddWithValue("kind", key.Kind);
        insert.Parameters.AddWithValue("mode", key.Mode);
        insert.Parameters.AddWithValue("prefix", key.Prefix);
        insert.Parameters.AddWithValue("hash", key.Hash);
        insert.Parameters.AddWithValue("name", name);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static T ReadSeed<T>(string file)
    {
        using var stream = typeof(DemoSeeder).Assembly.GetManifestResourceStream($"Demo/{file}")
            ?? throw new InvalidOperationException($"Embedded demo file {file} is missing.");
        return JsonSerializer.Deserialize<T>(stream, JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException($"Demo file {file} is empty.");
    }
}
