using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Agents.AgentHost.Apis;
using Agents.AgentHost.Chat;
using Agents.Data;
using Agents.Data.Entities;
using Agents.Plugins.Cart;
using Agents.Plugins.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Agents.AgentHost.Tests;

/// <summary>
/// The commerce tools end to end: whole conversations through POST /chat with the local model
/// (discovery → cart → registration page → order → payment page → status → points) in three
/// languages, the races that must not double-count, the order API's lifecycle, and tenancy.
/// </summary>
public sealed class CommerceTests(DemoFactory factory) : IClassFixture<DemoFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Client => factory.ClientWithKey(DemoFactory.SecretKey);

    public static TheoryData<string, string[]> Scripts => new()
    {
        { "it", ["Avete la crema di pistacchio?", "aggiungi 2 del primo al carrello", "completa l'ordine", "a che punto è l'ordine {0}?", "quanti punti ho?"] },
        { "en", ["Do you have pistachio cream?", "add 2 of the first one to my cart", "place the order", "where is my order {0}?", "how many loyalty points do I have?"] },
        { "es", ["¿Tenéis crema de pistacho?", "añade 2 del primero al carrito", "completa el pedido", "¿dónde está mi pedido {0}?", "¿cuántos puntos tengo?"] },
    };

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Conversation_DiscoveryToPoints_OrdersPaysAndEarnsOnce(string language, string[] script)
    {
        var session = $"buy-{language}-{Guid.NewGuid():N}";
        var customer = new { externalId = $"ext-{session}", language };

        var found = await SayAsync(script[0], session, customer);
        var first = Assert.Single(found.ToolCalls, c => c.Name == "search_products").Result.GetProperty("items")[0];
        var sku = first.GetProperty("sku").GetString()!;
        var stockBefore = await ScalarAsync<int>($"SELECT stock FROM products WHERE sku = '{sku}'");

        var added = await SayAsync(script[1], session);
        var add = Assert.Single(added.ToolCalls, c => c.Name == "add_to_cart");
        Assert.Equal((sku, 2), (add.Arguments.GetProperty("product").GetString(), add.Arguments.GetProperty("quantity").GetInt32()));
        var cart = await Client.GetFromJsonAsync<CartDto>($"/api/customers/{customer.externalId}/cart", Ct);
        Assert.Equal((sku, 2, first.GetProperty("price").GetDecimal() * 2), (cart!.Lines[0].Sku, cart.Lines[0].Quantity, cart.Total));

        // Not registered yet: the order waits for the registration page, which continues the chat.
        var needsAccount = await SayAsync(script[2], session);
        Assert.True(Assert.Single(needsAccount.ToolCalls).Result.GetProperty("needsRegistration").GetBoolean());
        var register = Assert.Single(needsAccount.Links);
        Assert.Equal("register", register.Purpose);
        Assert.Contains(register.Url, needsAccount.Reply, StringComparison.Ordinal);
        Assert.Equal(0, await ScalarAsync<long>($"SELECT count(*) FROM orders WHERE customer_id = (SELECT id FROM customers WHERE external_id = '{customer.externalId}')"));
        var registered = await PostFormAsync(register.Url, new()
        {
            ["name"] = "Anna Bianchi", ["email"] = $"{session}@example.com", ["addressLine"] = "Via Roma 1",
            ["postalCode"] = "90100", ["city"] = "Palermo", ["country"] = "IT", ["consent"] = "on",
        });
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        var history = await Client.GetFromJsonAsync<ChatHistory>($"/chat/sessions/{session}/history", Ct);
        Assert.Contains("Anna Bianchi", history!.Messages[^1].Text, StringComparison.Ordinal);

        var placed = await SayAsync(script[2], session);
        var order = Assert.Single(placed.ToolCalls).Result;
        var number = order.GetProperty("orderNumber").GetString()!;
        var total = order.GetProperty("total").GetDecimal();
        Assert.Equal(("pending_payment", first.GetProperty("price").GetDecimal() * 2), (order.GetProperty("status").GetString(), total));
        var pay = Assert.Single(placed.Links);
        Assert.Equal("pay", pay.Purpose);
        Assert.Contains(pay.Url, placed.Reply, StringComparison.Ordinal);
        Assert.Equal(stockBefore - 2, await ScalarAsync<int>($"SELECT stock FROM products WHERE sku = '{sku}'"));
        Assert.Empty((await Client.GetFromJsonAsync<CartDto>($"/api/customers/{customer.externalId}/cart", Ct))!.Lines);

        Assert.Equal(HttpStatusCode.OK, (await PostFormAsync(pay.Url, [])).StatusCode);

        var status = await SayAsync(string.Format(CultureInfo.InvariantCulture, script[3], number), session);
        var statusResult = Assert.Single(status.ToolCalls, c => c.Name == "order_status").Result;
        Assert.Equal("paid", statusResult.GetProperty("status").GetString());
        Assert.Contains(statusResult.GetProperty("statusLabel").GetString()!, status.Reply, StringComparison.Ordinal);
        Assert.Contains(number, status.Reply, StringComparison.Ordinal);

        var points = await SayAsync(script[4], session);
        var balance = Assert.Single(points.ToolCalls, c => c.Name == "loyalty_balance").Result;
        var expected = (int)Math.Floor(total);
        Assert.Equal(expected, balance.GetProperty("points").GetInt32());
        Assert.Contains($"*{expected}", points.Reply, StringComparison.Ordinal);
        Assert.Equal(number, balance.GetProperty("recent")[0].GetProperty("orderNumber").GetString());

        var stored = await Client.GetFromJsonAsync<OrderDto>($"/api/orders/{number}", Ct);
        Assert.Equal(["pending_payment", "paid"], stored!.Events.Select(e => e.To));
        Assert.Equal("Palermo", stored.ShippingAddress!.Value.GetProperty("city").GetString());
        Assert.Equal(total, Assert.Single(stored.Payments).Amount);
    }

    [Fact]
    public async Task AddToCart_MoreThanStock_SaysHowManyAndChangesNothing()
    {
        var session = $"stock-{Guid.NewGuid():N}";
        await SetStockAsync("SDS-PIS-002", 3);

        var reply = await SayAsync("add 5 Bronte pistachio pesto to my cart", session, new { externalId = $"ext-{session}", language = "en" });

        var result = Assert.Single(reply.ToolCalls).Result;
        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.Equal((5, 3), (result.GetProperty("insufficientStock").GetProperty("requested").GetInt32(), result.GetProperty("insufficientStock").GetProperty("available").GetInt32()));
        Assert.Contains("only have 3", reply.Reply, StringComparison.Ordinal);
        Assert.Empty((await Client.GetFromJsonAsync<CartDto>($"/api/customers/ext-{session}/cart", Ct))!.Lines);
        Assert.Equal(3, await ScalarAsync<int>("SELECT stock FROM products WHERE sku = 'SDS-PIS-002'"));
    }

    [Fact]
    public async Task AddToCart_TwoSessionsOfOneCustomerAtOnce_BothCount()
    {
        var externalId = $"ext-race-{Guid.NewGuid():N}";
        await SetStockAsync("SDS-PIS-001", 100);

        var replies = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            SayAsync("add 1 SDS-PIS-001 to my cart", $"race-{i}-{externalId}", new { externalId, language = "en" })));

        Assert.All(replies, r => Assert.True(Assert.Single(r.ToolCalls).Result.GetProperty("ok").GetBoolean()));
        var cart = await Client.GetFromJsonAsync<CartDto>($"/api/customers/{externalId}/cart", Ct);
        Assert.Equal(4, Assert.Single(cart!.Lines).Quantity);
    }

    [Fact]
    public async Task PlaceOrder_TwoCustomersForTheLastUnit_OneOrderAndStockNeverNegative()
    {
        await SetStockAsync("SDS-SWE-001", 5);
        var customers = new[] { await RegisteredCustomerAsync(), await RegisteredCustomerAsync() };
        foreach (var externalId in customers)
        {
            await SayAsync("add 1 SDS-SWE-001 to my cart", $"s-{externalId}", new { externalId, language = "en" });
        }

        await SetStockAsync("SDS-SWE-001", 1);
        var replies = await Task.WhenAll(customers.Select(externalId => SayAsync("place the order", $"s-{externalId}")));

        var results = replies.Select(r => Assert.Single(r.ToolCalls).Result).ToList();
        Assert.Single(results, r => r.GetProperty("placed").GetBoolean());
        var refused = Assert.Single(results, r => !r.GetProperty("placed").GetBoolean());
        Assert.Equal(0, refused.GetProperty("insufficientStock")[0].GetProperty("available").GetInt32());
        Assert.Equal(0, await ScalarAsync<int>("SELECT stock FROM products WHERE sku = 'SDS-SWE-001'"));
        Assert.Contains(replies, r => r.Reply.Contains("no longer available", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PaymentConfirmedTwiceAndReportedByApi_PaidOnceAndPointsOnce()
    {
        var (number, total, externalId) = await PlaceOrderAsync("SDS-PIS-001", 3);

        var confirmations = Enumerable.Range(0, 3).Select(i => WithOrdersAsync(async (orders, _) =>
        {
            var order = (await orders.FindAsync(number, Ct))!;
            await orders.ConfirmPaymentAsync(order, "test", i < 2 ? "test_same_reference" : "test_other_reference", order.Total, Ct);
        }));
        var reported = Client.PostAsJsonAsync($"/api/orders/{number}/status", new { status = "paid" }, Ct);
        await Task.WhenAll([.. confirmations, reported]);

        var order = await Client.GetFromJsonAsync<OrderDto>($"/api/orders/{number}", Ct);
        Assert.Equal("paid", order!.Status);
        Assert.Single(order.Events, e => e.To == "paid");
        Assert.Equal(["test_other_reference", "test_same_reference"], order.Payments.Select(p => p.Reference).Order());
        var loyalty = await Client.GetFromJsonAsync<LoyaltyDto>($"/api/customers/{externalId}/loyalty", Ct);
        Assert.Equal((int)Math.Floor(total), loyalty!.Points);
        Assert.Single(loyalty.Recent);
    }

    [Fact]
    public async Task OrderStatusApi_FollowsTheLifecycle()
    {
        var (number, total, externalId) = await PlaceOrderAsync("SDS-PIS-001", 2);

        var early = await Client.PostAsJsonAsync($"/api/orders/{number}/status", new { status = "shipped" }, Ct);
        Assert.Contains("cannot become shipped", (await early.AssertProblemAsync(HttpStatusCode.Conflict)).Detail(), StringComparison.Ordinal);
        var unknown = await Client.PostAsJsonAsync($"/api/orders/{number}/status", new { status = "lost" }, Ct);
        Assert.True((await unknown.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("status", out _));

        foreach (var next in new[] { "paid", "shipped", "delivered" })
        {
            var moved = await Client.PostAsJsonAsync($"/api/orders/{number}/status", new { status = next }, Ct);
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
            Assert.Equal(next, (await moved.Content.ReadFromJsonAsync<OrderDto>(Ct))!.Status);
        }

        Assert.Equal(HttpStatusCode.Conflict, (await Client.PostAsJsonAsync($"/api/orders/{number}/status", new { status = "cancelled" }, Ct)).StatusCode);
        Assert.Equal((int)Math.Floor(total), (await Client.GetFromJsonAsync<LoyaltyDto>($"/api/customers/{externalId}/loyalty", Ct))!.Points);

        // A refund takes the order's points back; the ledger keeps both entries.
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync($"/api/orders/{number}/status", new { status = "refunded" }, Ct)).StatusCode);
        var loyalty = await Client.GetFromJsonAsync<LoyaltyDto>($"/api/customers/{externalId}/loyalty", Ct);
        Assert.Equal(0, loyalty!.Points);
        Assert.Equal([-(int)Math.Floor(total), (int)Math.Floor(total)], loyalty.Recent.Select(r => r.Change));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/orders/SDS-999999999", Ct)).StatusCode);
    }

    [Fact]
    public async Task CancellingAPendingOrder_ReturnsTheStock()
    {
        var (number, _, _) = await PlaceOrderAsync("SDS-PIS-003", 4);
        Assert.Equal(96, await ScalarAsync<int>("SELECT stock FROM products WHERE sku = 'SDS-PIS-003'"));

        var cancelled = await Client.PostAsJsonAsync($"/api/orders/{number}/status", new { status = "cancelled" }, Ct);

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal(100, await ScalarAsync<int>("SELECT stock FROM products WHERE sku = 'SDS-PIS-003'"));
        Assert.Equal(HttpStatusCode.Conflict, (await Client.PostAsJsonAsync($"/api/orders/{number}/status", new { status = "paid" }, Ct)).StatusCode);
    }

    [Fact]
    public async Task LoyaltyLedger_IsAppendOnly()
    {
        var (number, _, _) = await PlaceOrderAsync("SDS-PIS-001", 1);
        (await Client.PostAsJsonAsync($"/api/orders/{number}/status", new { status = "paid" }, Ct)).EnsureSuccessStatusCode();

        await using var dataSource = NpgsqlDataSource.Create(factory.ConnectionString);
        var update = await Assert.ThrowsAsync<PostgresException>(async () => await dataSource.CreateCommand("UPDATE loyalty_ledger SET change = 1000").ExecuteNonQueryAsync(Ct));
        var delete = await Assert.ThrowsAsync<PostgresException>(async () => await dataSource.CreateCommand("DELETE FROM loyalty_ledger").ExecuteNonQueryAsync(Ct));
        var negative = await Assert.ThrowsAsync<PostgresException>(async () => await dataSource.CreateCommand("UPDATE customers SET loyalty_points = -1").ExecuteNonQueryAsync(Ct));

        Assert.All([update, delete], e => Assert.Contains("append-only", e.MessageText, StringComparison.Ordinal));
        Assert.Equal(PostgresErrorCodes.CheckViolation, negative.SqlState);
    }

    [Fact]
    public async Task AnotherMerchant_CannotReachThisShopsOrdersCartsOrProducts()
    {
        var (number, _, externalId) = await PlaceOrderAsync("SDS-PIS-001", 1);
        var other = await factory.CreateMerchantAsync(language: "en");
        var client = factory.ClientWithKey(other.SecretKey);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/orders/{number}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync($"/api/orders/{number}/status", new { status = "cancelled" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/customers/{externalId}/cart", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/customers/{externalId}/loyalty", Ct)).StatusCode);

        // The same customer id at the other shop is another customer: no order, no product of ours.
        async Task<JsonElement> AskAsync(string message)
        {
            var response = await client.PostAsJsonAsync("/chat", new { sessionId = $"b-{externalId}", message, customer = new { externalId, language = "en" } }, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return Assert.Single((await response.Content.ReadFromJsonAsync<ChatReply>(Ct))!.ToolCalls).Result;
        }

        Assert.False((await AskAsync($"where is my order {number}?")).GetProperty("found").GetBoolean());
        Assert.Equal("SDS-PIS-001", (await AskAsync("add 1 SDS-PIS-001 to my cart")).GetProperty("notFound").GetProperty("product").GetString());
        Assert.Equal("pending_payment", (await Client.GetFromJsonAsync<OrderDto>($"/api/orders/{number}", Ct))!.Status);

        // Nor a link to it: the other shop's customer asking to pay this order gets no link.
        await using var scope = factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(other.MerchantId);
        var context = scope.ServiceProvider.GetRequiredService<Agents.Plugins.ToolContext>();
        context.CustomerId = await scope.ServiceProvider.GetRequiredService<AgentsDbContext>().Customers.Where(c => c.ExternalId == externalId).Select(c => c.Id).FirstAsync(Ct);
        context.Language = "en";
        var link = await scope.ServiceProvider.GetRequiredService<Agents.Plugins.Links.LinksPlugin>().CreateSecureLinkAsync("pay", number, Ct);
        Assert.Equal((true, null), (link.OrderNotFound, link.Url));
    }

    private async Task<ChatReply> SayAsync(string message, string session, object? customer = null)
    {
        var response = await Client.PostAsJsonAsync("/chat", new { sessionId = session, message, customer }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ChatReply>(Ct))!;
    }

    private async Task<HttpResponseMessage> PostFormAsync(string url, Dictionary<string, string> fields)
    {
        var path = new Uri(url).PathAndQuery;
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(path, Ct)).StatusCode);
        return await factory.CreateClient().PostAsync(path, new FormUrlEncodedContent(fields), Ct);
    }

    /// <summary>A customer who registered (with consent), for flows that start at checkout.</summary>
    private async Task<string> RegisteredCustomerAsync()
    {
        var externalId = $"ext-reg-{Guid.NewGuid():N}";
        await WithDemoAsync(async (db, _) =>
        {
            db.Customers.Add(new Customer { ExternalId = externalId, Name = "Luca Verdi", Email = $"{externalId}@example.com", Language = "en",
                AddressLine = "Via Etnea 10", PostalCode = "95100", City = "Catania", Country = "IT", RegisteredAt = DateTimeOffset.UtcNow, ConsentAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(Ct);
        });
        return externalId;
    }

    /// <summary>An order of a registered customer, placed through the cart as the tools do.</summary>
    private async Task<(string Number, decimal Total, string ExternalId)> PlaceOrderAsync(string sku, int quantity)
    {
        var externalId = await RegisteredCustomerAsync();
        await SetStockAsync(sku, 100);
        Order? order = null;
        await WithDemoAsync(async (db, services) =>
        {
            var customer = await db.Customers.FirstAsync(c => c.ExternalId == externalId, Ct);
            Assert.True((await services.GetRequiredService<Carts>().PutAsync(customer.Id, sku, quantity, null, false, "en", Ct)).Ok);
            var placed = await services.GetRequiredService<OrderService>().PlaceAsync(customer.Id, null, "api", Ct);
            Assert.Equal(PlaceOutcome.Placed, placed.Outcome);
            order = placed.Order;
        });
        return (order!.Number, order.Total, externalId);
    }

    private Task WithOrdersAsync(Func<OrderService, AgentsDbContext, Task> work) =>
        WithDemoAsync((db, services) => work(services.GetRequiredService<OrderService>(), db));

    private async Task WithDemoAsync(Func<AgentsDbContext, IServiceProvider, Task> work)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var merchantId = await ScalarAsync<Guid>("SELECT id FROM merchants WHERE slug = 'sapori-di-sicilia'");
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(merchantId);
        await work(scope.ServiceProvider.GetRequiredService<AgentsDbContext>(), scope.ServiceProvider);
    }

    private async Task SetStockAsync(string sku, int stock)
    {
        await using var dataSource = NpgsqlDataSource.Create(factory.ConnectionString);
        await using var command = dataSource.CreateCommand("UPDATE products SET stock = $1 WHERE sku = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = stock });
        command.Parameters.Add(new NpgsqlParameter { Value = sku });
        Assert.Equal(1, await command.ExecuteNonQueryAsync(Ct));
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(factory.ConnectionString);
        return (T)(await dataSource.CreateCommand(sql).ExecuteScalarAsync(Ct))!;
    }
}
