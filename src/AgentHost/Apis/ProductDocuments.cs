using System.Globalization;
using System.Text.Json;
using Agents.Data.Entities;
using Agents.Retrieval.Indexing;

namespace Agents.AgentHost.Apis;

/// <summary>
/// The searchable text of a product in one language: its description plus its category and
/// dietary facts in that language's words, so "vegan", "senza glutine" or "sin lactosa" find it.
/// </summary>
public static class ProductDocuments
{
    private static readonly Dictionary<string, Dictionary<string, string>> Facts = new()
    {
        ["en"] = new() { ["category"] = "Category", ["vegan"] = "vegan", ["vegetarian"] = "vegetarian", ["glutenFree"] = "gluten-free", ["lactoseFree"] = "lactose-free", ["allergens"] = "Allergens", ["price"] = "Price" },
        ["it"] = new() { ["category"] = "Categoria", ["vegan"] = "vegano", ["vegetarian"] = "vegetariano", ["glutenFree"] = "senza glutine", ["lactoseFree"] = "senza lattosio", ["allergens"] = "Allergeni", ["price"] = "Prezzo" },
        ["es"] = new() { ["category"] = "Categoría", ["vegan"] = "vegano", ["vegetarian"] = "vegetariano", ["glutenFree"] = "sin gluten", ["lactoseFree"] = "sin lactosa", ["allergens"] = "Alérgenos", ["price"] = "Precio" },
    };

    private static readonly string[] Flags = ["vegan", "vegetarian", "glutenFree", "lactoseFree"];

    public static DocumentInput For(Product product, string language)
    {
        var translation = product.Translations.First(t => t.Language == language);
        var words = Facts[language];
        using var attributes = JsonDocument.Parse(product.Attributes);
        var flags = Flags
            .Where(f => attributes.RootElement.TryGetProperty(f, out var v) && v.ValueKind == JsonValueKind.True)
            .Select(f => words[f]);
        var allergens = attributes.RootElement.TryGetProperty("allergens", out var list) && list.ValueKind == JsonValueKind.Array
            ? string.Join(", ", list.EnumerateArray().Select(a => a.GetString()))
            : "";
        var facts = $"{words["category"]}: {product.Category}. {string.Join(", ", flags)}{(flags.Any() ? ". " : "")}" +
                    $"{(allergens.Length > 0 ? $"{words["allergens"]}: {allergens}. " : "")}{words["price"]}: {product.Price.ToString("0.00", CultureInfo.InvariantCulture)} {product.Currency}.";
        var metadata = JsonSerializer.Serialize(new { sku = product.Sku, category = product.Category, price = product.Price, currency = product.Currency, stock = product.Stock, imageUrl = product.ImageUrl });
        return new DocumentInput(DocumentTypes.Product, translation.Name, $"{translation.Description}\n\n{facts}", language, metadata, product.Sku);
    }
}
