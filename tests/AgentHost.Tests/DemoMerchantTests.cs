using System.Net.Http.Json;
using Agents.AgentHost.Apis;
using Agents.AgentHost.Demo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Agents.AgentHost.Tests;

public sealed class DemoFactory : AgentsApiFactory
{
    public const string SecretKey = "sk_test_DemoDemoDemoDemoDemoDemoDemoDemoDemoDemoDem";
    public static readonly DateOnly EndDate = new(2026, 7, 1);

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Demo:Enabled"] = "true",
        ["Demo:SecretKey"] = SecretKey,
        ["Demo:OrdersEndDate"] = EndDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    };
}

public sealed class DemoMerchantTests(DemoFactory factory) : IClassFixture<DemoFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConfiguredSecretKey_OpensTheDemoMerchant()
    {
        var me = await factory.ClientWithKey(DemoFactory.SecretKey).GetFromJsonAsync<MerchantDto>("/api/merchant", Ct);

        Assert.Equal(("sapori-di-sicilia", "Sapori di Sicilia", "it", "active", "EUR"), (me!.Slug, me.Name, me.DefaultLanguage, me.Status, me.Currency));
    }

    [Fact]
    public async Task Seed_Catalogue_HasFortyProductsInThreeLanguagesAndPolicies()
    {
        Assert.Equal(40L, await ScalarAsync("SELECT count(*) FROM products"));
        Assert.Equal(120L, await ScalarAsync("SELECT count(*) FROM product_translations WHERE length(name) > 0 AND length(description) > 100"));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM products WHERE price <= 0 OR image_url NOT LIKE 'https://%'"));
        Assert.True((long)(await ScalarAsync("SELECT count(DISTINCT category) FROM products"))! >= 10);
        foreach (var policy in new[] { "shipping", "returns", "payment", "allergens", "privacy" })
        {
            Assert.Equal(3L, await ScalarAsync($"SELECT count(DISTINCT language) FROM documents WHERE type = 'policy' AND source_id = '{policy}'"));
        }

        Assert.Equal(30L, await ScalarAsync("SELECT count(*) FROM documents WHERE type = 'faq'"));
    }

    [Fact]
    public async Task Seed_History_IsTheGeneratorsTwoYears()
    {
        Assert.Equal(400L, await ScalarAsync("SELECT count(*) FROM customers"));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM customers WHERE phone !~ '^\\+[1-9][0-9]{6,14}$'"));
        var products = await ScalarAsync("SELECT count(*) FROM products");
        var expected = new DemoOrderGenerator(DemoFactory.EndDate).Generate(await ProductRefsAsync());
        Assert.Equal((long)expected.Orders.Count, await ScalarAsync("SELECT count(*) FROM orders"));
        Assert.Equal(expected.Orders.Sum(o => o.Total), await ScalarAsync("SELECT sum(total) FROM orders"));
        Assert.InRange((DateOnly)(await ScalarAsync("SELECT min(created_at)::date FROM orders"))!, new DateOnly(2024, 7, 1), new DateOnly(2024, 7, 7));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.created_at < c.created_at"));
        Assert.Equal(new DateOnly(2026, 6, 30), await ScalarAsync("SELECT max(created_at)::date FROM orders"));
        // Totals are the items plus the shipping fee below the free-shipping threshold.
        Assert.Equal(0L, await ScalarAsync("""
            SELECT count(*) FROM orders o
            WHERE o.total <> (SELECT sum(quantity * unit_price) FROM order_items i WHERE i.order_id = o.id)
                             + CASE WHEN o.subtotal >= 59 THEN 0 ELSE 7.90 END
            """));
        Assert.Equal(40L, products);
    }

    [Fact]
    public async Task Seed_RunAgain_ChangesNothing()
    {
        var before = await CountsAsync();
        var seeder = factory.Services.GetServices<IHostedService>().OfType<DemoSeeder>().Single();

        await seeder.SeedAsync(Ct);

        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Seed_AfterSeedFilesChange_UpsertsWithoutDuplicates()
    {
        var before = await CountsAsync();
        await ScalarAsync("UPDATE seed_state SET checksum = 'older seed files'");
        await ScalarAsync("UPDATE product_translations SET name = 'stale' WHERE language = 'es'");
        var seeder = factory.Services.GetServices<IHostedService>().OfType<DemoSeeder>().Single();

        await seeder.SeedAsync(Ct);

        Assert.Equal(before, await CountsAsync());
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM product_translations WHERE name = 'stale'"));
        Assert.NotEqual("older seed files", await ScalarAsync("SELECT checksum FROM seed_state"));
    }

    private async Task<string> CountsAsync() =>
        string.Join(",", await Task.WhenAll(new[] { "merchants", "products", "product_translations", "documents", "customers", "orders", "order_items" }
            .Select(async t => $"{t}={await ScalarAsync($"SELECT count(*) FROM {t}")}")))
        + $",keys={await ScalarAsync("SELECT count(*) FROM api_keys WHERE revoked_at IS NULL")}";

    private Task<List<DemoOrderGenerator.ProductRef>> ProductRefsAsync() => DemoProducts(factory);

    /// <summary>The catalogue as the seeder hands it to the order generator.</summary>
    internal static Task<List<DemoOrderGenerator.ProductRef>> DemoProducts(AgentsApiFactory factory) => factory.QueryAsync("""
        SELECT p.id, p.sku, t.name, p.category, p.price FROM products p
        JOIN product_translations t ON t.product_id = p.id AND t.language = 'it' ORDER BY p.sku COLLATE "C"
        """, r => new DemoOrderGenerator.ProductRef(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetDecimal(4)));

    private Task<object?> ScalarAsync(string sql) => factory.ScalarAsync(sql);
}
