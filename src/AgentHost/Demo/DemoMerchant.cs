using System.Text.Json;
using Agents.AgentHost.Apis;
using Agents.AgentHost.Auth;
using Agents.Data;
using Agents.Data.Entities;
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
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AgentsDbContext>();
        var merchant = await db.Merchants.FirstOrDefaultAsync(m => m.Slug == Slug, cancellationToken);
        var created = merchant is null;
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

        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(merchant.Id);
        var products = await UpsertProductsAsync(db, merchant.Id, cancellationToken);
        await UpsertDocumentsAsync(db, cancellationToken);
        if (created || !await db.Customers.AnyAsync(cancellationToken))
        {
            await SeedHistoryAsync(merchant.Id, products, cancellationToken);
        }

        await EnsureKeysAsync(db, scope.ServiceProvider.GetRequiredService<MerchantProvisioning>(), merchant.Id, cancellationToken);
        logger.LogInformation("Demo merchant {Slug} ready in {Elapsed:F0} ms", Slug, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return merchant.Id;
    }

    private sealed record ProductSeed(string Sku, string Category, decimal Price, int Stock, string ImageUrl, JsonElement Attributes,
        Dictionary<string, string> Name, Dictionary<string, string> Description);

    private sealed record DocumentSeed(string Type, string SourceId, string Language, string Title, string Body);

    private static async Task<List<DemoOrderGenerator.ProductRef>> UpsertProductsAsync(AgentsDbContext db, Guid merchantId, CancellationToken cancellationToken)
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
        return existing.Values.OrderBy(p => p.Sku, StringComparer.Ordinal)
            .Select(p => new DemoOrderGenerator.ProductRef(p.Id, p.Sku, p.Translations.First(t => t.Language == "it").Name, p.Category, p.Price))
            .ToList();
    }

    private static async Task UpsertDocumentsAsync(AgentsDbContext db, CancellationToken cancellationToken)
    {
        var seeds = ReadSeed<List<DocumentSeed>>("documents.json");
        var existing = await db.Documents.Where(d => d.SourceId != null)
            .ToDictionaryAsync(d => (d.Type, d.SourceId!, d.Language), cancellationToken);
        foreach (var seed in seeds)
        {
            if (!existing.TryGetValue((seed.Type, seed.SourceId, seed.Language), out var document))
            {
                document = new Document { Type = seed.Type, SourceId = seed.SourceId, Language = seed.Language, Title = "", Body = "" };
                db.Documents.Add(document);
            }

            document.Title = seed.Title;
            document.Body = seed.Body;
        }

        await db.SaveChangesAsync(cancellationToken);
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
        logger.LogInformation("Demo history: {Customers} customers, {Orders} orders ({From} to {To})",
            data.Customers.Count, data.Orders.Count, end.AddDays(-DemoOrderGenerator.Days), end.AddDays(-1));
    }

    private async Task EnsureKeysAsync(AgentsDbContext db, MerchantProvisioning provisioning, Guid merchantId, CancellationToken cancellationToken)
    {
        if (options.Value.SecretKey is { Length: > 0 } configured)
        {
            if (!ApiKeyFormat.TryParse(configured, out var prefix, out _, out var mode))
            {
                throw new InvalidOperationException("Demo:SecretKey is not a valid secret key.");
            }

            var existing = await db.ApiKeys.IgnoreQueryFilters().FirstOrDefaultAsync(k => k.Prefix == prefix, cancellationToken);
            if (existing is null)
            {
                db.ApiKeys.Add(new ApiKey
                {
                    MerchantId = merchantId, Kind = ApiKeyFormat.Secret, Mode = mode!, Prefix = prefix!,
                    Hash = ApiKeyFormat.Hash(configured), Name = "demo (Demo:SecretKey)",
                });
            }
            else if (existing.MerchantId != merchantId || !ApiKeyFormat.Matches(configured, existing.Hash) || existing.RevokedAt is not null)
            {
                throw new InvalidOperationException("Demo:SecretKey collides with a different or revoked key; choose another value.");
            }

            keys.SecretKey = configured;
        }
        else
        {
            // No configured key: keys are only ever shown once, so each start issues a fresh pair
            // and revokes the pair the previous start printed.
            var previous = await db.ApiKeys.Where(k => k.Name == StartupKeyName && k.RevokedAt == null).ToListAsync(cancellationToken);
            previous.ForEach(k => k.RevokedAt = clock.GetUtcNow());
            keys.SecretKey = provisioning.IssueKey(merchantId, ApiKeyFormat.Secret, ApiKeyFormat.Test, StartupKeyName);
            keys.PublishableKey = provisioning.IssueKey(merchantId, ApiKeyFormat.Publishable, ApiKeyFormat.Test, StartupKeyName);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static T ReadSeed<T>(string file)
    {
        using var stream = typeof(DemoSeeder).Assembly.GetManifestResourceStream($"Demo/{file}")
            ?? throw new InvalidOperationException($"Embedded demo file {file} is missing.");
        return JsonSerializer.Deserialize<T>(stream, JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException($"Demo file {file} is empty.");
    }
}
