using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Agents.AgentHost.Apis;
using Agents.AgentHost.Commerce;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Agents.AgentHost.Tests;

/// <summary>POST /api/orders/bulk: formats, per-line errors, upserts in place, customers, tenancy, a large streamed upload.</summary>
public sealed class OrdersBulkTests(AgentsApiFactory factory) : IClassFixture<AgentsApiFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object Item(string sku = "CAN-1", decimal unitPrice = 4.5m, int quantity = 2, string? name = "Cannoli") => new { sku, name, quantity, unitPrice };

    private static object Order(string externalId, string status = "paid", object? customer = null, object[]? items = null, string currency = "EUR",
        string? channel = null, string createdAt = "2025-03-14T09:30:00+01:00") =>
        new { externalId, customer = customer ?? new { externalId = "cust-1" }, createdAt, status, currency, channel, items = items ?? [Item()] };

    private static string Ndjson(params object[] lines) =>
        string.Join('\n', lines.Select(l => l as string ?? JsonSerializer.Serialize(l, JsonSerializerOptions.Web)));

    private async Task<(HttpClient Client, Guid MerchantId)> MerchantAsync()
    {
        var merchant = await factory.CreateMerchantAsync();
        return (factory.ClientWithKey(merchant.SecretKey), merchant.MerchantId);
    }

    private static async Task<OrdersBulkResult> UploadAsync(HttpClient client, HttpContent content)
    {
        var response = await client.PostAsync("/api/orders/bulk", content, Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<OrdersBulkResult>(Ct))!;
    }

    private static Task<OrdersBulkResult> UploadAsync(HttpClient client, string ndjson) =>
        UploadAsync(client, new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson"));

    private async Task<T> ScalarAsync<T>(string sql, Guid merchantId)
    {
        await using var dataSource = NpgsqlDataSource.Create(factory.ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("m", merchantId);
        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }

    [Fact]
    public async Task Ndjson_BadLines_ReportedWithTheirNumbersAndValidOnesKept()
    {
        var (client, merchantId) = await MerchantAsync();
        var body = Ndjson(
            Order("1001", items: [Item("CAN-1", 4.5m, 2), Item("PIS-1", 12m, 1, name: null)]),
            """{"externalId":"1002","customer":""",
            Order("1003", status: "done"),
            "",
            Order("1005", currency: "usd"),
            Order("1006", items: [Item(quantity: 0), Item(unitPrice: 1.234m)]),
            Order("1007", status: "SHIPPED", channel: "WhatsApp", createdAt: "2025-03-15T10:00:00"),
            Order("1008", status: "Shipped", channel: "whatsapp", customer: new { externalId = "cust-2", phone = "+39 333 123 4567" }));

        var result = await UploadAsync(client, body);

        Assert.Equal((7, 2, 0, 5, false), (result.Received, result.Inserted, result.Updated, result.Failed, result.ErrorsTruncated));
        Assert.Equal([2, 3, 5, 6, 7], result.Errors.Select(e => e.Line));
        Assert.StartsWith("Not valid JSON", result.Errors[0].Error);
        Assert.Contains("pending_payment, paid, shipped, delivered, cancelled, refunded; got 'done'", result.Errors[1].Error);
        Assert.Contains("shop's currency, EUR; got 'USD'", result.Errors[2].Error);
        Assert.Contains("items[0].quantity", result.Errors[3].Error);
        Assert.Contains("items[1].unitPrice' must have at most 2 decimals", result.Errors[3].Error);
        Assert.Contains("createdAt", result.Errors[4].Error);

        var order = (await client.GetFromJsonAsync<OrderDto>("/api/orders/1001", Ct))!;
        Assert.Equal(("paid", "EUR", "web", 21m, 21m), (order.Status, order.Currency, order.Channel, order.Subtotal, order.Total));
        Assert.Equal([("CAN-1", "Cannoli", 2), ("PIS-1", "PIS-1", 1)], order.Items.Select(i => (i.Sku, i.Name, i.Quantity)).Order());
        Assert.Equal(DateTimeOffset.Parse("2025-03-14T08:30:00Z", System.Globalization.CultureInfo.InvariantCulture), order.CreatedAt);
        Assert.Equal("cust-1", order.Customer!.ExternalId);
        var shipped = (await client.GetFromJsonAsync<OrderDto>("/api/orders/1008", Ct))!;
        Assert.Equal(("shipped", "whatsapp"), (shipped.Status, shipped.Channel));
        Assert.Equal("+393331234567", await ScalarAsync<string>("SELECT phone FROM customers WHERE merchant_id = @m AND external_id = 'cust-2'", merchantId));
    }

    [Fact]
    public async Task JsonArray_ErrorsNameTheElementIndex()
    {
        var (client, _) = await MerchantAsync();
        var body = $$"""
            [
              {{JsonSerializer.Serialize(Order("A-1"), JsonSerializerOptions.Web)}},
              {"externalId": "A 2", "customer": {"externalId": "c"}, "createdAt": "2025-01-01T00:00:00Z", "status": "paid", "currency": "EUR", "items": []},
              42,
              {"externalId": "A-4", "customer": {"externalId": "c"}, "createdAt": "2025-01-01T00:00:00Z", "status": "paid", "currency": "EUR",
               "items": [{"sku": "X", "quantity": "3", "unitPrice": "2.50"}]},
              {{JsonSerializer.Serialize(Order("A-5", createdAt: "2999-01-01T00:00:00Z"), JsonSerializerOptions.Web)}}
            ]
            """;

        var result = await UploadAsync(client, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal((5, 2, 0, 3), (result.Received, result.Inserted, result.Updated, result.Failed));
        Assert.Equal([2, 3, 5], result.Errors.Select(e => e.Line));
        Assert.Contains("'externalId' may hold only", result.Errors[0].Error);
        Assert.Contains("'items' must hold at least one item", result.Errors[0].Error);
        Assert.Contains("future", result.Errors[2].Error);
        Assert.Equal(7.5m, (await client.GetFromJsonAsync<OrderDto>("/api/orders/a-4", Ct))!.Total);
    }

    [Fact]
    public async Task SecondUpload_UpdatesTheOrderInPlaceAndReplacesItsItems()
    {
        var (client, merchantId) = await MerchantAsync();
        Assert.Equal(1, (await UploadAsync(client, Ndjson(Order("SYNC-1", status: "paid", items: [Item("CAN-1", 4.5m, 2)])))).Inserted);
        var id = await ScalarAsync<Guid>("SELECT id FROM orders WHERE merchant_id = @m AND external_id = 'SYNC-1'", merchantId);
        await ScalarAsync<int>($"INSERT INTO payments (id, merchant_id, order_id, provider, reference, amount, currency) VALUES ('{Guid.CreateVersion7()}', @m, '{id}', 'stripe', 'pi_1', 9, 'EUR') RETURNING 1", merchantId);

        var result = await UploadAsync(client, Ndjson(Order("SYNC-1", status: "shipped", channel: "api", items: [Item("BIS-1", 10m, 1), Item("OIL-1", 1.25m, 3)])));

        Assert.Equal((1, 0, 1, 0), (result.Received, result.Inserted, result.Updated, result.Failed));
        var order = (await client.GetFromJsonAsync<OrderDto>("/api/orders/SYNC-1", Ct))!;
        Assert.Equal(("shipped", "api", 13.75m), (order.Status, order.Channel, order.Total));
        Assert.Equal(["BIS-1", "OIL-1"], order.Items.Select(i => i.Sku).Order());
        Assert.Equal([(null, "paid"), ("paid", "shipped")], order.Events.Select(e => (e.From, e.To)));
        Assert.Single(order.Payments);
        Assert.Equal(id, await ScalarAsync<Guid>("SELECT id FROM orders WHERE merchant_id = @m", merchantId));
        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM order_items WHERE merchant_id = @m", merchantId));
    }

    [Fact]
    public async Task SameExternalIdTwice_LastWinsAndBothCount()
    {
        var (client, merchantId) = await MerchantAsync();

        var result = await UploadAsync(client, Ndjson(Order("D-1", status: "pending_payment"), Order("D-2"), Order("D-1", status: "cancelled")));

        Assert.Equal((3, 2, 1, 0), (result.Received, result.Inserted, result.Updated, result.Failed));
        Assert.Equal("cancelled", (await client.GetFromJsonAsync<OrderDto>("/api/orders/D-1", Ct))!.Status);
        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM orders WHERE merchant_id = @m", merchantId));
    }

    [Fact]
    public async Task Customers_UpsertedByExternalId_GivenFieldsUpdated()
    {
        var (client, merchantId) = await MerchantAsync();
        await UploadAsync(client, Ndjson(Order("C-1", customer: new { externalId = "anna", email = "anna@example.com", name = "Anna" }, createdAt: "2024-05-01T10:00:00Z")));

        var result = await UploadAsync(client, Ndjson(
            Order("C-2", customer: new { externalId = "anna", phone = "0039 333 765 4321", name = "Anna Bianchi" }, createdAt: "2023-01-01T10:00:00Z"),
            Order("C-3", customer: new { externalId = "bruno" })));

        Assert.Equal((2, 0), (result.Inserted, result.Failed));
        await using var dataSource = NpgsqlDataSource.Create(factory.ConnectionString);
        await using var command = dataSource.CreateCommand("SELECT external_id, email, phone, name, created_at FROM customers WHERE merchant_id = @m ORDER BY external_id");
        command.Parameters.AddWithValue("m", merchantId);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        Assert.Equal(("anna", "anna@example.com", "+393337654321", "Anna Bianchi"), (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        Assert.Equal(new DateTime(2023, 1, 1, 10, 0, 0, DateTimeKind.Utc), reader.GetDateTime(4));
        Assert.True(await reader.ReadAsync(Ct));
        Assert.Equal("bruno", reader.GetString(0));
        Assert.False(await reader.ReadAsync(Ct));
    }

    [Fact]
    public async Task EmailOfAnotherCustomer_FailsOnlyItsLine()
    {
        var (client, _) = await MerchantAsync();
        (await client.PostAsJsonAsync("/api/customers", new { externalId = "holder", email = "anna@example.com" }, Ct)).EnsureSuccessStatusCode();

        var result = await UploadAsync(client, Ndjson(
            Order("E-1", customer: new { externalId = "other", email = "ANNA@example.com" }),
            Order("E-2", customer: new { externalId = "holder", email = "anna@example.com", name = "Anna" }),
            Order("E-3", customer: new { externalId = "c3", email = "x@example.com" }),
            Order("E-4", customer: new { externalId = "c4", email = "X@example.com" })));

        Assert.Equal((4, 2, 2), (result.Received, result.Inserted, result.Failed));
        Assert.Equal([1, 4], result.Errors.Select(e => e.Line));
        Assert.Contains("already belongs to another customer of this shop (externalId 'holder')", result.Errors[0].Error);
        Assert.Contains("also given for customer 'c3' on line 3", result.Errors[1].Error);
        Assert.Equal("holder", (await client.GetFromJsonAsync<OrderDto>("/api/orders/E-2", Ct))!.Customer!.ExternalId);
        await (await client.GetAsync("/api/orders/E-1", Ct)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DatabaseRefusal_RetriesTheBatchLineByLine()
    {
        var (client, merchantId) = await MerchantAsync();
        (await client.PostAsJsonAsync("/api/customers", new { externalId = "holder", email = "taken@example.com" }, Ct)).EnsureSuccessStatusCode();
        var importer = new OrderImporter(factory.Services.GetRequiredService<NpgsqlDataSource>(), NullLogger<OrderImporter>.Instance) { SkipPrechecks = true, BatchSize = 10 };
        ImportedOrder Imported(string externalId, string customer, string? email) => new(externalId, new ImportedCustomer(customer, email, null, null),
            DateTimeOffset.UtcNow.AddDays(-1), "paid", "EUR", "web", 3m, [new ImportedItem("CAN-1", null, null, 1, 3m)]);

        var result = await importer.ImportAsync(merchantId, new[]
        {
            new OrderImportLine(1, Imported("F-1", "a", null), null),
            new OrderImportLine(2, Imported("F-2", "b", "taken@example.com"), null),
            new OrderImportLine(3, null, "bad"),
            new OrderImportLine(4, Imported("F-4", "a", "a@example.com"), null),
        }.ToAsyncEnumerable(), Ct);

        Assert.Equal((4, 2, 0, 2), (result.Received, result.Inserted, result.Updated, result.Failed));
        Assert.Equal([(2, "customer.email already belongs to another customer of this shop."), (3, "bad")], result.Errors.Select(e => (e.Line, e.Error)));
        Assert.Equal("F-1,F-4", await ScalarAsync<string>("SELECT string_agg(external_id, ',' ORDER BY external_id) FROM orders WHERE merchant_id = @m", merchantId));
    }

    [Fact]
    public async Task Tenancy_AnotherShopsSameExternalIds_AreSeparateOrders()
    {
        var (shopA, a) = await MerchantAsync();
        var (shopB, b) = await MerchantAsync();
        await UploadAsync(shopA, Ndjson(Order("T-1", status: "delivered", customer: new { externalId = "same", email = "same@example.com" }), Order("T-2")));

        var result = await UploadAsync(shopB, Ndjson(Order("T-1", status: "pending_payment", customer: new { externalId = "same", email = "same@example.com" })));

        Assert.Equal((1, 0, 0), (result.Inserted, result.Updated, result.Failed));
        Assert.Equal("delivered", (await shopA.GetFromJsonAsync<OrderDto>("/api/orders/T-1", Ct))!.Status);
        Assert.Equal("pending_payment", (await shopB.GetFromJsonAsync<OrderDto>("/api/orders/T-1", Ct))!.Status);
        await (await shopB.GetAsync("/api/orders/T-2", Ct)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM orders WHERE merchant_id = @m", a));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM customers WHERE merchant_id = @m", b));
    }

    [Fact]
    public async Task Items_LinkToTheCatalogueProductOfTheSameSku()
    {
        var (client, merchantId) = await MerchantAsync();
        (await client.PutAsJsonAsync("/api/catalog/products", new[]
        {
            new { sku = "PIS-1", name = "Pistachio cream", description = "Spreadable, 40% Bronte pistachio.", category = "creams", price = 12.5m, currency = "EUR", stock = 5, language = "en" },
        }, Ct)).EnsureSuccessStatusCode();

        await UploadAsync(client, Ndjson(Order("P-1", items: [new { sku = "PIS-1", quantity = 1, unitPrice = 12.5m }, new { sku = "GONE-1", category = "old", quantity = 1, unitPrice = 1m }])));

        Assert.Equal("PIS-1|Pistachio cream|creams|True,GONE-1|GONE-1|old|False", await ScalarAsync<string>(
            "SELECT string_agg(sku || '|' || name || '|' || category || '|' || (product_id IS NOT NULL)::text, ',' ORDER BY unit_price DESC) FROM order_items WHERE merchant_id = @m",
            merchantId), ignoreCase: true);
        Assert.Equal(5, await ScalarAsync<int>("SELECT stock FROM products WHERE merchant_id = @m", merchantId));
    }

    [Fact]
    public async Task NativeLookingNumbers_MoveTheShopsCounterPastThem()
    {
        var (client, merchantId) = await MerchantAsync();
        await ScalarAsync<int>("INSERT INTO order_counters (merchant_id, last_number) VALUES (@m, 100010) RETURNING 1", merchantId);

        await UploadAsync(client, Ndjson(Order("shp-100500"), Order("SHP-100020-B")));

        Assert.Equal(100500L, await ScalarAsync<long>("SELECT last_number FROM order_counters WHERE merchant_id = @m", merchantId));
        var result = await UploadAsync(client, Ndjson(Order("Shp-100500", status: "refunded")));
        Assert.Contains("already taken by the order with externalId 'shp-100500'", Assert.Single(result.Errors).Error);
    }

    [Fact]
    public async Task LargeStreamedUpload_StoresEveryValidOrderAndCapsTheErrors()
    {
        var (client, merchantId) = await MerchantAsync();
        const int Lines = 20_000;
        var content = new GeneratedNdjson(Lines, i => JsonSerializer.Serialize(Order($"L-{i}", status: i % 13 == 0 ? "done" : "paid",
            customer: new { externalId = $"cust-{i % 500}", email = $"cust-{i % 500}@example.com" },
            items: [Item("CAN-1", 4.5m, 1 + i % 3), Item("PIS-1", 12m, 1)]), JsonSerializerOptions.Web));

        var result = await UploadAsync(client, content);

        const int Bad = Lines / 13;
        Assert.Equal((Lines, Lines - Bad, 0, Bad, true), (result.Received, result.Inserted, result.Updated, result.Failed, result.ErrorsTruncated));
        Assert.Equal(1000, result.Errors.Count);
        Assert.Equal(Enumerable.Range(1, 1000).Select(k => k * 13), result.Errors.Select(e => e.Line));
        Assert.Equal((long)Lines - Bad, await ScalarAsync<long>("SELECT count(*) FROM orders WHERE merchant_id = @m", merchantId));
        Assert.Equal(2L * (Lines - Bad), await ScalarAsync<long>("SELECT count(*) FROM order_items WHERE merchant_id = @m", merchantId));
        Assert.Equal(500L, await ScalarAsync<long>("SELECT count(*) FROM customers WHERE merchant_id = @m", merchantId));
    }

    [Fact]
    public async Task LineOverTheLimit_StopsTheReadThereAndKeepsWhatCameBefore()
    {
        var (client, _) = await MerchantAsync();
        var huge = JsonSerializer.Serialize(Order("H-2", customer: new { externalId = "c", name = new string('x', OrdersBulkApi.MaxLineBytes) }), JsonSerializerOptions.Web);

        var result = await UploadAsync(client, Ndjson(Order("H-1"), huge, Order("H-3")));

        Assert.Equal((2, 1, 1), (result.Received, result.Inserted, result.Failed));
        Assert.Equal(2, Assert.Single(result.Errors).Line);
        Assert.Contains("longer than", result.Errors[0].Error);
    }

    [Theory]
    [InlineData("text/plain", "{}", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json; charset=utf-16", "[]", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/x-ndjson", "", HttpStatusCode.BadRequest)]
    [InlineData("application/x-ndjson", " \n\n ", HttpStatusCode.BadRequest)]
    [InlineData("application/json", "  ", HttpStatusCode.BadRequest)]
    [InlineData("application/json", "{\"externalId\": \"1\"}", HttpStatusCode.BadRequest)]
    [InlineData("application/x-ndjson", "[{\"externalId\": \"1\"}]", HttpStatusCode.BadRequest)]
    public async Task WrongContentTypeOrEmptyBody_IsAProblem(string contentType, string body, HttpStatusCode status)
    {
        var (client, merchantId) = await MerchantAsync();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        var response = await client.PostAsync("/api/orders/bulk", content, Ct);

        var problem = await response.AssertProblemAsync(status);
        Assert.True(status == HttpStatusCode.UnsupportedMediaType || problem.Detail().Length > 0);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM orders WHERE merchant_id = @m", merchantId));
    }

    [Fact]
    public async Task EmptyJsonArray_ImportsNothing()
    {
        var (client, _) = await MerchantAsync();

        var result = await UploadAsync(client, new StringContent("[]", Encoding.UTF8, "application/json"));

        Assert.Equal((0, 0, 0, 0), (result.Received, result.Inserted, result.Updated, result.Failed));
    }

    [Fact]
    public async Task PublishableKey_IsRefused()
    {
        var merchant = await factory.CreateMerchantAsync();

        var response = await factory.ClientWithKey(merchant.PublishableKey).PostAsync("/api/orders/bulk", new StringContent(Ndjson(Order("K-1")), Encoding.UTF8, "application/x-ndjson"), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    /// <summary>NDJSON written line by line as the server reads it: the upload never exists as one string.</summary>
    private sealed class GeneratedNdjson : HttpContent
    {
        private readonly int _count;
        private readonly Func<int, string> _line;

        public GeneratedNdjson(int count, Func<int, string> line)
        {
            (_count, _line) = (count, line);
            Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 16 * 1024, leaveOpen: true);
            for (var i = 1; i <= _count; i++)
            {
                await writer.WriteAsync(_line(i));
                await writer.WriteAsync('\n');
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
