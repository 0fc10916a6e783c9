using Agents.Retrieval.Safety;
using System.ComponentModel;
using System.Text.Json;
using Agents.Data;
using Agents.Data.Entities;
using Agents.Retrieval.Indexing;
using Agents.Retrieval.Search;
using Microsoft.EntityFrameworkCore;

namespace Agents.Plugins.Products;

public sealed record ProductHit(string Sku, string Name, decimal Price, string Currency, string Category, bool InStock, string Snippet, Guid? DocumentId, string? ImageUrl = null);

public sealed record ProductSearchResult(string Query, IReadOnlyList<ProductHit> Items);

public sealed record ProductDetail(string Sku, string Name, string Description, decimal Price, string Currency, string Category, int Stock,
    JsonElement Attributes, string? ImageUrl, IReadOnlyList<string>? AllergenLabels = null);

public sealed record ProductLookup(bool Found, ProductDetail? Product, Guid? DocumentId);

public sealed record CategoryCount(string Name, int Count);

public sealed record CategoryList(IReadOnlyList<CategoryCount> Categories);

/// <summary>Products of the merchant: discovery with constraints, details, categories.</summary>
public sealed class ProductsPlugin(AgentsDbContext db, HybridSearch search, TenantContext tenant, ProductResolver resolver, ShopperTexts texts, ToolContext context)
{
    private const int MaxItems = 5;
    private static readonly string[] DietaryFlags = ["vegan", "vegetarian", "glutenFree", "lactoseFree"];

    [Tool("search_products")]
    [Description("Finds products of this shop matching what the shopper describes, optionally within a category, a budget and dietary needs. Returns up to 5 products with price and availability.")]
    public async Task<ProductSearchResult> SearchProductsAsync(
        [Description("What the shopper is looking for, in their own words (e.g. 'pistachio cream', 'a sweet wine for dessert').")] string query,
        [Description("A category name or id to stay within, if the shopper named one.")] string? category = null,
        [Description("The highest unit price the shopper accepts, in the shop's currency.")] decimal? maxPrice = null,
        [Description("Dietary needs the products must meet: any of vegan, vegetarian, glutenFree, lactoseFree.")] string[]? dietary = null,
        CancellationToken cancellationToken = default)
    {
        var needs = (dietary ?? []).Select(d => DietaryFlags.FirstOrDefault(f => string.Equals(f, d, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown dietary need '{d}': use vegan, vegetarian, glutenFree or lactoseFree.")).ToList();
        var categories = await db.Products.AsNoTracking().Where(p => p.Active).Select(p => p.Category).Distinct().ToListAsync(cancellationToken);
        var categoryId = category is null ? null : categories.FirstOrDefault(c => string.Equals(c, category.Trim(), StringComparison.OrdinalIgnoreCase));
        var text = string.Join(' ', new[] { query, categoryId is null ? category : null }.Where(t => !string.IsNullOrWhiteSpace(t)));

        // Ranked by retrieval first; with constraints, products that meet them but did not rank come after, cheapest first.
        var ranked = new List<(string Sku, string Snippet, Guid DocumentId)>();
        if (text.Length > 0)
        {
            var found = await search.SearchAsync(tenant.MerchantId!.Value, new SearchQuery(text, K: 30, Type: DocumentTypes.Product), cancellationToken);
            ranked.AddRange(found.Hits.Where(h => h.SourceId is not null).Select(h => (h.SourceId!, h.Snippet, h.DocumentId)));
        }

        var products = db.Products.AsNoTracking().Include(p => p.Translations).Where(p => p.Active);
        if (categoryId is not null)
        {
            products = products.Where(p => p.Category == categoryId);
        }

        if (maxPrice is { } max)
        {
            products = products.Where(p => p.Price <= max);
        }

        var constrained = categoryId is not null || maxPrice is not null || needs.Count > 0;
        var skus = ranked.Select(r => r.Sku).ToList();
        var candidates = await (constrained ? products : products.Where(p => skus.Contains(p.Sku))).ToListAsync(cancellationToken);
        var items = candidates
            .Where(p => needs.All(n => Flag(p, n)))
            .OrderBy(p => skus.IndexOf(p.Sku) is var i && i >= 0 ? i : int.MaxValue)
            .ThenBy(p => p.Price)
            .Take(MaxItems)
            .Select(p =>
            {
                var hit = ranked.FirstOrDefault(r => r.Sku == p.Sku);
                var translation = Translation(p);
                return new ProductHit(p.Sku, translation.Name, p.Price, p.Currency, p.Category, p.Stock > 0,
                    hit.Snippet ?? Shorten(InjectedInstructions.Strip(translation.Description)), hit.Sku is null ? null : hit.DocumentId, p.ImageUrl);
            })
            .ToList();
        return new ProductSearchResult(query, items);
    }

    [Tool("get_product")]
    [Description("Gets one product's full details (description, price, stock, ingredients and dietary attributes) by its sku or its name.")]
    public async Task<ProductLookup> GetProductAsync(
        [Description("The product's sku (e.g. SDS-PIS-001) or its name as the shopper said it.")] string product,
        CancellationToken cancellationToken = default)
    {
        var match = await resolver.ResolveAsync(product, cancellationToken);
        if (match is null)
        {
            return new ProductLookup(false, null, null);
        }

        var translation = Translation(match);
        var documentId = await db.Documents.AsNoTracking()
            .Where(d => d.Type == DocumentTypes.Product && d.SourceId == match.Sku)
            .OrderByDescending(d => d.Language == translation.Language)
            .Select(d => (Guid?)d.Id).FirstOrDefaultAsync(cancellationToken);
        using var attributes = JsonDocument.Parse(match.Attributes);
        // Allergen codes stay in the attributes (facts); the labels are what the shopper reads, in their language.
        var allergens = attributes.RootElement.TryGetProperty("allergens", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => texts.Allergen(context.Language, a.GetString()!)).ToList()
            : null;
        return new ProductLookup(true, new ProductDetail(match.Sku, translation.Name, InjectedInstructions.Strip(translation.Description), match.Price, match.Currency,
            match.Category, match.Stock, attributes.RootElement.Clone(), match.ImageUrl, allergens), documentId);
    }

    [Tool("list_categories")]
    [Description("Lists the shop's product categories with how many products each has.")]
    public async Task<CategoryList> ListCategoriesAsync(CancellationToken cancellationToken = default) =>
        new(await db.Products.AsNoTracking().Where(p => p.Active).GroupBy(p => p.Category).OrderBy(g => g.Key)
            .Select(g => new CategoryCount(g.Key, g.Count())).ToListAsync(cancellationToken));

    [Tool("list_products")]
    [Description("Lists the products of one category, cheapest first (up to 10), with price and availability.")]
    public async Task<ProductSearchResult> ListProductsAsync(
        [Description("The category name, as list_categories returns it (e.g. pasta, sweets).")] string category,
        CancellationToken cancellationToken = default)
    {
        var name = category.Trim();
        var products = await db.Products.AsNoTracking().Include(p => p.Translations)
            .Where(p => p.Active && EF.Functions.ILike(p.Category, ProductResolver.LikeEscaped(name), "\\"))
            .OrderBy(p => p.Price).ThenBy(p => p.Sku).Take(10).ToListAsync(cancellationToken);
        return new ProductSearchResult(name, [.. products.Select(p =>
        {
            var translation = Translation(p);
            return new ProductHit(p.Sku, translation.Name, p.Price, p.Currency, p.Category, p.Stock > 0, Shorten(translation.Description), null, p.ImageUrl);
        })]);
    }

    private ProductTranslation Translation(Product product) => resolver.Translation(product);

    private static bool Flag(Product product, string flag)
    {
        using var attributes = JsonDocument.Parse(product.Attributes);
        return attributes.RootElement.TryGetProperty(flag, out var value) && value.ValueKind == JsonValueKind.True;
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, text.LastIndexOf(' ', 200)), "…");
}
