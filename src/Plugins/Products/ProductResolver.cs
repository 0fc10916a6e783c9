using Agents.Data;
using Agents.Data.Entities;
using Agents.Retrieval.Indexing;
using Agents.Retrieval.Search;
using Microsoft.EntityFrameworkCore;

namespace Agents.Plugins.Products;

/// <summary>Finds the one product a shopper (or a model) means: by sku, by exact name in any language, else the best search hit.</summary>
public sealed class ProductResolver(AgentsDbContext db, HybridSearch search, TenantContext tenant, ToolContext context)
{
    /// <param name="prefer">Skus to prefer among search hits (the cart's, when removing), so "the pesto" means the pesto in the cart.</param>
    public async Task<Product?> ResolveAsync(string reference, CancellationToken cancellationToken, IReadOnlyCollection<string>? prefer = null)
    {
        reference = reference.Trim();
        if (reference.Length == 0)
        {
            return null;
        }

        var products = db.Products.AsNoTracking().Include(p => p.Translations).Where(p => p.Active);
        var match = await products.FirstOrDefaultAsync(p => EF.Functions.ILike(p.Sku, LikeEscaped(reference), "\\"), cancellationToken)
            ?? await products.FirstOrDefaultAsync(p => p.Translations.Any(t => EF.Functions.ILike(t.Name, LikeEscaped(reference), "\\")), cancellationToken);
        if (match is null)
        {
            var found = await search.SearchAsync(tenant.MerchantId!.Value, new SearchQuery(reference, K: prefer is { Count: > 0 } ? 10 : 1, Type: DocumentTypes.Product), cancellationToken);
            var hits = found.Hits.Where(h => h.SourceId is not null).Select(h => h.SourceId!).ToList();
            if (((prefer is null ? null : hits.FirstOrDefault(prefer.Contains)) ?? hits.FirstOrDefault()) is { } sku)
            {
                match = await products.FirstOrDefaultAsync(p => p.Sku == sku, cancellationToken);
            }
        }

        return match;
    }

    /// <summary>The product's name and description in the turn's language, else any.</summary>
    public ProductTranslation Translation(Product product) => Translation(product, context.Language);

    public static ProductTranslation Translation(Product product, string language) =>
        product.Translations.FirstOrDefault(t => t.Language == language)
        ?? product.Translations.OrderBy(t => t.Language, StringComparer.Ordinal).First();

    internal static string LikeEscaped(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
