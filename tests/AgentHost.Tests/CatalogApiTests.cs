using System.Net;
using System.Net.Http.Json;
using Agents.AgentHost.Apis;

namespace Agents.AgentHost.Tests;

public sealed class CatalogApiTests(AgentsApiFactory factory) : IClassFixture<AgentsApiFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object Product(string sku, string name, string description, string category = "sweets", decimal price = 12.5m, string? language = null) =>
        new { sku, name, description, category, price, currency = "EUR", stock = 10, imageUrl = $"https://cdn.example.com/{sku}.jpg", language, attributes = new { vegan = true } };

    [Fact]
    public async Task Upsert_ValidAndInvalidItems_KeepsTheValidAndNamesTheInvalid()
    {
        var client = factory.ClientWithKey((await factory.CreateMerchantAsync(language: "it")).SecretKey);

        var response = await client.PutAsJsonAsync("/api/catalog/products", new object[]
        {
            Product("CAN-1", "Cannoli siciliani", "Cialde croccanti e ricotta di pecora, da farcire al momento."),
            Product("PIS-1", "Crema di pistacchio", "Crema spalmabile con il 40% di pistacchio di Bronte.", category: "pistachio"),
            new { sku = "BAD-1", name = "Senza prezzo", description = "x", category = "sweets", price = -1, stock = 1 },
        }, Ct);

        var result = (await response.Content.ReadFromJsonAsync<CatalogUpsertResult>(Ct))!;
        Assert.Equal((2, 0, 1), (result.Created, result.Updated, result.Failed));
        Assert.Equal((2, "BAD-1"), (result.Errors[0].Index, result.Errors[0].Sku));
        Assert.Contains("price", result.Errors[0].Error);
        var product = await client.GetFromJsonAsync<ProductDetailDto>("/api/catalog/products/PIS-1", Ct);
        Assert.Equal("Crema di pistacchio", product!.Translations["it"].Name);
        Assert.True(product.Attributes.GetProperty("vegan").GetBoolean());
        var categories = await client.GetFromJsonAsync<List<CategoryDto>>("/api/catalog/categories", Ct);
        Assert.Equal([new CategoryDto("pistachio", 1), new CategoryDto("sweets", 1)], categories);
        await (await client.GetAsync("/api/catalog/products/BAD-1", Ct)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Upsert_IndexesEachLanguage_AndReplacesChunksOnChange()
    {
        var client = factory.ClientWithKey((await factory.CreateMerchantAsync(language: "en")).SecretKey);
        await client.PutAsJsonAsync("/api/catalog/products", new[] { Product("OIL-1", "Nocellara olive oil", "Green, grassy extra-virgin oil from Castelvetrano.", "olive-oil") }, Ct);
        await client.PutAsJsonAsync("/api/catalog/products", new[] { Product("OIL-1", "Aceite de oliva Nocellara", "Aceite virgen extra verde y herbáceo de Castelvetrano.", "olive-oil", language: "es") }, Ct);

        await client.PutAsJsonAsync("/api/catalog/products", new[] { Product("OIL-1", "Nocellara olive oil", "Fruity extra-virgin oil with notes of tomato leaf.", "olive-oil") }, Ct);

        // The language versions of one product are one hit, shown in the query's language.
        var english = await client.GetFromJsonAsync<SearchResponse>("/api/documents/search?q=olive%20oil&type=product&k=10", Ct);
        var spanish = await client.GetFromJsonAsync<SearchResponse>("/api/documents/search?q=aceite%20de%20oliva%20virgen&type=product&k=10", Ct);
        var onlySpanish = await client.GetFromJsonAsync<SearchResponse>("/api/documents/search?q=olive%20oil&type=product&language=es", Ct);
        Assert.Equal(("OIL-1", "en"), (Assert.Single(english!.Results).SourceId, english.Results[0].Language));
        Assert.Equal(("OIL-1", "es", "es"), (Assert.Single(spanish!.Results).SourceId, spanish.Results[0].Language, spanish.QueryLanguage));
        Assert.Equal("es", Assert.Single(onlySpanish!.Results).Language);
        var grassy = await client.GetFromJsonAsync<SearchResponse>("/api/documents/search?q=grassy&mode=text&language=en", Ct);
        Assert.Empty(grassy!.Results);
        var list = await client.GetFromJsonAsync<ProductPage>("/api/catalog/products?language=es", Ct);
        Assert.Equal("Aceite de oliva Nocellara", Assert.Single(list!.Items).Name);
    }

    [Fact]
    public async Task List_FiltersByCategoryAndAccentInsensitiveText_PagesByCursor()
    {
        var client = factory.ClientWithKey((await factory.CreateMerchantAsync(language: "it")).SecretKey);
        await client.PutAsJsonAsync("/api/catalog/products", Enumerable.Range(1, 5)
            .Select(i => Product($"SKU-{i}", $"Prodotto {i}", i == 3 ? "Dolce tipico: la cassata più famosa." : "Un classico.", i % 2 == 0 ? "pasta" : "sweets")).ToArray(), Ct);

        var sweets = await client.GetFromJsonAsync<ProductPage>("/api/catalog/products?category=sweets", Ct);
        var text = await client.GetFromJsonAsync<ProductPage>("/api/catalog/products?q=PIU%20FAMOSA", Ct);
        var first = await client.GetFromJsonAsync<ProductPage>("/api/catalog/products?limit=2", Ct);
        var second = await client.GetFromJsonAsync<ProductPage>($"/api/catalog/products?limit=2&cursor={first!.NextCursor}", Ct);

        Assert.Equal(["SKU-1", "SKU-3", "SKU-5"], sweets!.Items.Select(p => p.Sku));
        Assert.Equal("SKU-3", Assert.Single(text!.Items).Sku);
        Assert.Equal(["SKU-1", "SKU-2", "SKU-3", "SKU-4"], first.Items.Concat(second!.Items).Select(p => p.Sku));
    }

    [Fact]
    public async Task OtherMerchant_GetsNotFoundForTheSameSku()
    {
        var a = factory.ClientWithKey((await factory.CreateMerchantAsync()).SecretKey);
        var b = factory.ClientWithKey((await factory.CreateMerchantAsync()).SecretKey);
        await a.PutAsJsonAsync("/api/catalog/products", new[] { Product("ONLY-A", "Marsala", "Fortified wine.", "wine") }, Ct);

        await (await b.GetAsync("/api/catalog/products/ONLY-A", Ct)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await b.GetFromJsonAsync<ProductPage>("/api/catalog/products", Ct))!.Items);
        Assert.Empty((await b.GetFromJsonAsync<List<CategoryDto>>("/api/catalog/categories", Ct))!);
    }
}
