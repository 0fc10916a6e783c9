using System.Text.Json;
using Agents.AgentHost.Auth;
using Agents.AgentHost.Infrastructure;
using Agents.Data;
using Agents.Data.Entities;
using Agents.Retrieval.Indexing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Agents.AgentHost.Apis;

public sealed record ProductRequest(string? Sku, string? Name, string? Description, string? Category, decimal? Price, string? Currency,
    int? Stock, string? ImageUrl, string? Language, JsonElement? Attributes);

public sealed record CatalogError(int Index, string? Sku, string Error);

public sealed record CatalogUpsertResult(int Created, int Updated, int Failed, IReadOnlyList<CatalogError> Errors);

public sealed record ProductDto(string Sku, string Name, string Description, string Language, string Category, decimal Price, string Currency,
    int Stock, string? ImageUrl, JsonElement Attributes, DateTimeOffset UpdatedAt);

public sealed record TranslationDto(string Name, string Description);

public sealed record ProductDetailDto(string Sku, string Category, decimal Price, string Currency, int Stock, string? ImageUrl, JsonElement Attributes,
    IReadOnlyDictionary<string, TranslationDto> Translations, DateTimeOffset UpdatedAt);

public sealed record ProductPage(IReadOnlyList<ProductDto> Items, string? NextCursor);

public sealed record CategoryDto(string Category, int Products);

public static class CatalogApi
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/catalog").RequireAuthorization(AgentPolicies.SecretKey).WithTags("Catalog");
        api.MapPut("/products", UpsertProducts).WithMetadata(new RequestSizeLimitAttribute(16L * 1024 * 1024))
            .WithSummary("Upsert products by sku (one language per item); each product is indexed for search in that language.");
        api.MapGet("/products", ListProducts).WithSummary("Products by sku, keyset-paged with ?cursor=; filter by category or text (accents ignored).");
        api.MapGet("/products/{sku}", GetProduct);
        api.MapGet("/categories", ListCategories);
        return app;
    }

    public static async Task<Results<Ok<CatalogUpsertResult>, ValidationProblem>> UpsertProducts(
        List<ProductRequest?> request, AgentsDbContext db, TenantContext tenant, DocumentStore documents, CancellationToken cancellationToken)
    {
        if (request.Count > 5_000)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["$"] = ["At most 5,000 products per request."] });
        }

        var merchant = await db.Merchants.AsNoTracking().FirstAsync(m => m.Id == tenant.MerchantId, cancellationToken);
        var errors = new List<CatalogError>();
        var valid = new List<(ProductRequest Item, string Language)>();
        for (var i = 0; i < request.Count; i++)
        {
            var item = request[i];
            var problem = item is null ? "The item must be a JSON object." : Validate(item);
            if (problem is not null)
            {
                errors.Add(new CatalogError(i, item?.Sku, problem));
            }
            else if (valid.Any(v => v.Item.Sku == item!.Sku && v.Language == (item.Language ?? merchant.DefaultLanguage)))
            {
                errors.Add(new CatalogError(i, item!.Sku, $"Sku '{item.Sku}' appears twice in this request for the same language."));
            }
            else
            {
                valid.Add((item!, item!.Language ?? merchant.DefaultLanguage));
            }
        }

        var skus = valid.Select(v => v.Item.Sku!).Distinct().ToList();
        var existing = await db.Products.Include(p => p.Translations).Where(p => skus.Contains(p.Sku)).ToDictionaryAsync(p => p.Sku, cancellationToken);
        int created = 0, updated = 0;
        foreach (var (item, language) in valid)
        {
            if (!existing.TryGetValue(item.Sku!, out var product))
            {
                product = new Product { Sku = item.Sku!, Category = item.Category! };
                db.Products.Add(product);
                existing[product.Sku] = product;
                created++;
            }
            else
            {
                updated++;
            }

            product.Category = item.Category!.Trim().ToLowerInvariant();
            product.Price = item.Price!.Value;
            product.Currency = (item.Currency ?? merchant.Currency).ToUpperInvariant();
            product.Stock = item.Stock!.Value;
            product.ImageUrl = item.ImageUrl ?? product.ImageUrl;
            product.Attributes = item.Attributes is { ValueKind: JsonValueKind.Object } a ? a.GetRawText() : product.Attributes;
            var translation = product.Translations.FirstOrDefault(t => t.Language == language);
            if (translation is null)
            {
                translation = new ProductTranslation { Language = language, Name = "", Description = "" };
                product.Translations.Add(translation);
            }

            translation.Name = item.Name!.Trim();
            translation.Description = item.Description!.Trim();
        }

        await db.SaveChangesAsync(cancellationToken);
        await documents.UpsertAsync(tenant.MerchantId!.Value,
            valid.Select(v => ProductDocuments.For(existing[v.Item.Sku!], v.Language)).ToList(), cancellationToken);
        return TypedResults.Ok(new CatalogUpsertResult(created, updated, errors.Count, errors));
    }

    public static async Task<Results<Ok<ProductPage>, ValidationProblem>> ListProducts(
        string? category, string? q, string? cursor, string? language, int? limit, AgentsDbContext db, NpgsqlDataSource dataSource,
        TenantContext tenant, CancellationToken cancellationToken)
    {
        var validation = new Validation().OneOf("language", language, Validation.Languages, required: false).Range("limit", limit, 1, 200);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var take = limit ?? 50;
        language ??= (await db.Merchants.AsNoTracking().FirstAsync(m => m.Id == tenant.MerchantId, cancellationToken)).DefaultLanguage;
        await using var command = dataSource.CreateCommand("""
            SELECT p.sku, coalesce(t.name, f.name), coalesce(t.description, f.description), coalesce(t.language, f.language),
                   p.category, p.price, p.currency, p.stock, p.image_url, p.attributes::text, p.updated_at
            FROM products p
            LEFT JOIN product_translations t ON t.product_id = p.id AND t.language = @lang
            LEFT JOIN LATERAL (SELECT name, description, language FROM product_translations x WHERE x.product_id = p.id ORDER BY x.language LIMIT 1) f ON true
            WHERE p.merchant_id = @m AND p.active
              AND (@category::text IS NULL OR p.category = @category)
              AND (@cursor::text IS NULL OR p.sku > @cursor)
              AND (@q::text IS NULL OR EXISTS (SELECT 1 FROM product_translations s WHERE s.product_id = p.id
                   AND agents_fold(s.name || ' ' || s.description) LIKE '%' || agents_fold(@q) || '%'))
            ORDER BY p.sku COLLATE "C"
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("m", tenant.MerchantId!.Value);
        command.Parameters.AddWithValue("lang", language);
        command.Parameters.AddWithValue("category", (object?)category ?? DBNull.Value);
        command.Parameters.AddWithValue("cursor", (object?)cursor ?? DBNull.Value);
        command.Parameters.AddWithValue("q", string.IsNullOrWhiteSpace(q) ? DBNull.Value : q.Trim());
        command.Parameters.AddWithValue("limit", take + 1);
        var items = new List<ProductDto>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(new ProductDto(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetDecimal(5), reader.GetString(6), reader.GetInt32(7), reader.IsDBNull(8) ? null : reader.GetString(8),
                    JsonDocument.Parse(reader.GetString(9)).RootElement, reader.GetFieldValue<DateTimeOffset>(10)));
            }
        }

        return TypedResults.Ok(items.Count > take ? new ProductPage(items[..take], items[take - 1].Sku) : new ProductPage(items, null));
    }

    public static async Task<Results<Ok<ProductDetailDto>, NotFound>> GetProduct(string sku, AgentsDbContext db, CancellationToken cancellationToken)
    {
        var product = await db.Products.AsNoTracking().Include(p => p.Translations).FirstOrDefaultAsync(p => p.Sku == sku, cancellationToken);
        return product is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(new ProductDetailDto(product.Sku, product.Category, product.Price, product.Currency, product.Stock, product.ImageUrl,
                JsonDocument.Parse(product.Attributes).RootElement,
                product.Translations.ToDictionary(t => t.Language, t => new TranslationDto(t.Name, t.Description)), product.UpdatedAt));
    }

    public static async Task<Ok<List<CategoryDto>>> ListCategories(AgentsDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.Products.AsNoTracking().Where(p => p.Active).GroupBy(p => p.Category)
            .OrderBy(g => g.Key).Select(g => new CategoryDto(g.Key, g.Count())).ToListAsync(cancellationToken));

    private static string? Validate(ProductRequest item)
    {
        var validation = new Validation()
            .Required("sku", item.Sku, maxLength: 64)
            .Required("name", item.Name)
            .Required("description", item.Description, maxLength: 20_000)
            .Required("category", item.Category, maxLength: 100)
            .OneOf("language", item.Language, Validation.Languages, required: false);
        if (item.Price is not { } price || price < 0 || price > 1_000_000)
        {
            validation.Add("price", "'price' is required: a number from 0 to 1,000,000.");
        }

        if (item.Stock is not { } stock || stock < 0)
        {
            validation.Add("stock", "'stock' is required: a whole number ≥ 0.");
        }

        if (item.Currency is { } currency && (currency.Length != 3 || !currency.All(char.IsAsciiLetter)))
        {
            validation.Add("currency", "'currency' must be an ISO 4217 code such as EUR.");
        }

        if (item.ImageUrl is { } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")))
        {
            validation.Add("imageUrl", "'imageUrl' must be an absolute http(s) URL.");
        }

        if (item.Attributes is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) })
        {
            validation.Add("attributes", "'attributes' must be a JSON object.");
        }

        return validation.IsValid ? null : string.Join(" ", validation.Errors.SelectMany(e => e.Value));
    }
}
