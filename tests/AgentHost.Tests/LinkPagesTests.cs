using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Agents.Data;
using Agents.Data.Entities;
using Agents.Plugins;
using Agents.Plugins.Links;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Agents.AgentHost.Tests;

/// <summary>The host without the demo shop, seen from a browser at a fixed address (the in-memory server has no socket to take one from).</summary>
public sealed class LinkPagesFactory : AgentsApiFactory
{
    public static readonly IPAddress BrowserAddress = IPAddress.Parse("203.0.113.7");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddTransient<IStartupFilter, BrowserAddressFilter>());
    }

    private sealed class BrowserAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress ??= BrowserAddress;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>GET and POST /l/{token}: registration with consent, payment, the order page, export and erasure, and refused links.</summary>
public sealed partial class LinkPagesTests(LinkPagesFactory factory) : IClassFixture<LinkPagesFactory>
{
    private const string Browser = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) LinkPagesTests";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ShopperTexts Texts => factory.Services.GetRequiredService<ShopperTexts>();

    [Fact]
    public async Task Register_ItalianHappyPath_StoresCustomerAndConsentProofAndContinuesTheChat()
    {
        var shop = await ShopAsync();
        var (customerId, conversationId) = await CustomerAsync(shop, cartQuantity: 2);
        var path = await LinkAsync(shop, customerId, LinkPurpose.Register, conversationId: conversationId);
        var consentText = Texts.Get("it", "consent.text", ("merchant", shop.Name));
        var consentHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(consentText)));

        var form = await Browse().GetAsync(path, Ct);
        var formHtml = await form.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Equal("text/html", form.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html lang=\"it\">", formHtml, StringComparison.Ordinal);
        Assert.Contains("Crea il tuo account", formHtml, StringComparison.Ordinal);
        Assert.Contains(consentText, WebUtility.HtmlDecode(formHtml), StringComparison.Ordinal);
        Assert.Contains("2026-11-01", formHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("checked", ConsentBox().Match(formHtml).Value, StringComparison.Ordinal);
        Assert.Equal(consentHash, ConsentHashField().Match(formHtml).Groups[1].Value);
        Assert.DoesNotContain("<script", formHtml, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("no-store", form.Headers.CacheControl?.ToString());
        Assert.Contains("default-src 'none'", form.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        var posted = await Browse().PostAsync(path, Form(Registration("anna.bianchi@example.it") with { ConsentSha256 = consentHash }), Ct);
        var thanks = WebUtility.HtmlDecode(await posted.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains("Grazie, Anna Bianchi!", thanks, StringComparison.Ordinal);
        Assert.Contains("tornare in chat", thanks, StringComparison.Ordinal);
        var customer = await RowAsync($"SELECT name, email, address_line, postal_code, city, country, registered_at IS NOT NULL, consent_at IS NOT NULL FROM customers WHERE id = '{customerId}'");
        Assert.Equal(["Anna Bianchi", "anna.bianchi@example.it", "Via Roma 1", "90133", "Palermo", "IT", true, true], customer);
        var consent = await RowAsync($"SELECT purpose, version, language, text_sha256, host(ip), user_agent FROM customer_consents WHERE customer_id = '{customerId}'");
        Assert.Equal(["registration", "2026-11-01", "it", consentHash, LinkPagesFactory.BrowserAddress.ToString(), Browser], consent);
        Assert.Equal(true, await ScalarAsync($"SELECT used_at IS NOT NULL FROM secure_links WHERE customer_id = '{customerId}'"));
        var expected = Texts.Get("it", "chat.registered_cart", ("name", "Anna Bianchi"), ("items", 2), ("total", "25,80"), ("currency", "EUR"));
        Assert.Equal(["assistant", expected], await LastMessageAsync(conversationId));
    }

    [Fact]
    public async Task Register_WithoutConsent_Returns400StoresNothingAndTheLinkStillWorks()
    {
        var shop = await ShopAsync();
        var (customerId, conversationId) = await CustomerAsync(shop);
        var path = await LinkAsync(shop, customerId, LinkPurpose.Register, conversationId: conversationId, language: "en");

        var refused = await Browse().PostAsync(path, Form(Registration("anna@example.com") with { Consent = false }), Ct);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(Texts.Get("en", "page.errors.consent"), html, StringComparison.Ordinal);
        Assert.Contains("value=\"Anna Bianchi\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"anna@example.com\"", html, StringComparison.Ordinal);
        Assert.Equal([null, null, null], await RowAsync($"SELECT email, registered_at, consent_at FROM customers WHERE id = '{customerId}'"));
        Assert.Equal(0L, await ScalarAsync($"SELECT count(*) FROM customer_consents WHERE customer_id = '{customerId}'"));
        Assert.Equal(true, await ScalarAsync($"SELECT used_at IS NULL FROM secure_links WHERE customer_id = '{customerId}'"));
        Assert.Equal(["user", "Vorrei comprare"], await LastMessageAsync(conversationId));

        var accepted = await Browse().PostAsync(path, Form(Registration("anna@example.com")), Ct);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM customer_consents WHERE customer_id = '{customerId}'"));
    }

    [Fact]
    public async Task Register_InvalidEmail_Returns400WithTheErrorNextToTheFieldAndTheValuesEncoded()
    {
        var shop = await ShopAsync();
        var (customerId, _) = await CustomerAsync(shop);
        var path = await LinkAsync(shop, customerId, LinkPurpose.Register);

        var refused = await Browse().PostAsync(path, Form(Registration("anna@") with { Name = "<b>Anna</b>" }), Ct);
        var raw = await refused.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var emailField = FieldBlock("email").Match(raw).Value;
        Assert.Contains("aria-invalid=\"true\"", emailField, StringComparison.Ordinal);
        Assert.Contains(Texts.Get("it", "page.errors.email"), WebUtility.HtmlDecode(emailField), StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"error\"", FieldBlock("name").Match(raw).Value, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Anna</b>", raw, StringComparison.Ordinal);
        Assert.Contains("value=\"&lt;b&gt;Anna&lt;/b&gt;\"", raw, StringComparison.Ordinal);
        Assert.Equal([null, null], await RowAsync($"SELECT email, registered_at FROM customers WHERE id = '{customerId}'"));
    }

    [Fact]
    public async Task Register_EmailOfAnotherCustomerOfTheShop_Returns400AndStoresNothing()
    {
        var shop = await ShopAsync();
        var (otherId, _) = await CustomerAsync(shop);
        await factory.WithTenantAsync(shop.Id, async db =>
        {
            (await db.Customers.FindAsync([otherId], Ct))!.Email = "Taken@Example.com";
            await db.SaveChangesAsync(Ct);
        });
        var (customerId, _) = await CustomerAsync(shop);
        var path = await LinkAsync(shop, customerId, LinkPurpose.Register);

        var refused = await Browse().PostAsync(path, Form(Registration("taken@example.com")), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(Texts.Get("it", "page.errors.email_taken"), WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync($"SELECT count(*) FROM customer_consents WHERE customer_id = '{customerId}'"));
    }

    [Fact]
    public async Task Register_LinkUsedAlready_Returns410AndChangesNothing()
    {
        var shop = await ShopAsync();
        var (customerId, _) = await CustomerAsync(shop);
        var path = await LinkAsync(shop, customerId, LinkPurpose.Register);
        Assert.Equal(HttpStatusCode.OK, (await Browse().PostAsync(path, Form(Registration("first@example.com")), Ct)).StatusCode);

        var again = await Browse().PostAsync(path, Form(Registration("second@example.com") with { Name = "Someone Else" }), Ct);
        var reopened = await Browse().GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Contains(Texts.Get("it", "page.used.title"), WebUtility.HtmlDecode(await again.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, reopened.StatusCode);
        Assert.Equal(["Anna Bianchi", "first@example.com"], await RowAsync($"SELECT name, email FROM customers WHERE id = '{customerId}'"));
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM customer_consents WHERE customer_id = '{customerId}'"));
    }

    [Fact]
    public async Task ExpiredLink_Returns410ForGetAndPostAndChangesNothing()
    {
        var shop = await ShopAsync();
        var (customerId, _) = await CustomerAsync(shop);
        var path = await LinkAsync(shop, customerId, LinkPurpose.Register, language: "es");
        await ScalarAsync($"UPDATE secure_links SET expires_at = now() - interval '1 minute' WHERE customer_id = '{customerId}'");

        var shown = await Browse().GetAsync(path, Ct);
        var posted = await Browse().PostAsync(path, Form(Registration("late@example.com")), Ct);

        Assert.Equal((HttpStatusCode.Gone, HttpStatusCode.Gone), (shown.StatusCode, posted.StatusCode));
        var html = WebUtility.HtmlDecode(await shown.Content.ReadAsStringAsync(Ct));
        Assert.Contains("<html lang=\"es\">", html, StringComparison.Ordinal);
        Assert.Contains(Texts.Get("es", "page.expired.title"), html, StringComparison.Ordinal);
        Assert.Equal([null, null], await RowAsync($"SELECT email, registered_at FROM customers WHERE id = '{customerId}'"));
        Assert.Equal(true, await ScalarAsync($"SELECT used_at IS NULL FROM secure_links WHERE customer_id = '{customerId}'"));
    }

    [Fact]
    public async Task TamperedOrMalformedToken_Returns404InTheBrowsersLanguage()
    {
        var shop = await ShopAsync();
        var (customerId, _) = await CustomerAsync(shop);
        var path = await LinkAsync(shop, customerId, LinkPurpose.Register);
        var token = path[SecureLinks.PathPrefix.Length..];
        var tampered = SecureLinks.PathPrefix + (token[0] == 'A' ? 'B' : 'A') + token[1..];

        var client = Browse();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("es-ES,es;q=0.9,en;q=0.5");
        var changed = await client.GetAsync(tampered, Ct);
        var posted = await client.PostAsync(tampered, Form(Registration("x@example.com")), Ct);
        var malformed = await client.GetAsync(SecureLinks.PathPrefix + "not-a-token", Ct);

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (changed.StatusCode, posted.StatusCode, malformed.StatusCode));
        var html = WebUtility.HtmlDecode(await changed.Content.ReadAsStringAsync(Ct));
        Assert.Contains("<html lang=\"es\">", html, StringComparison.Ordinal);
        Assert.Contains(Texts.Get("es", "page.not_found.title"), html, StringComparison.Ordinal);
        Assert.Equal(true, await ScalarAsync($"SELECT used_at IS NULL FROM secure_links WHERE customer_id = '{customerId}'"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path, Ct)).StatusCode);
    }

    [Fact]
    public async Task SuspendedShop_Returns403AndChargesNothing()
    {
        var shop = await ShopAsync();
        var (customerId, conversationId) = await CustomerAsync(shop, registered: true);
        var order = await OrderAsync(shop, customerId, conversationId);
        var path = await LinkAsync(shop, customerId, LinkPurpose.Pay, order.Id, conversationId);
        await ScalarAsync($"UPDATE merchants SET status = 'suspended' WHERE id = '{shop.Id}'");

        var shown = await Browse().GetAsync(path, Ct);
        var posted = await Browse().PostAsync(path, Form(new Dictionary<string, string>()), Ct);

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (shown.StatusCode, posted.StatusCode));
        Assert.Contains(Texts.Get("it", "page.unavailable.title"), WebUtility.HtmlDecode(await shown.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        Assert.Equal(["pending_payment", 0L], await RowAsync($"SELECT status, (SELECT count(*) FROM payments WHERE order_id = '{order.Id}') FROM orders WHERE id = '{order.Id}'"));
        Assert.Equal(true, await ScalarAsync($"SELECT used_at IS NULL FROM secure_links WHERE order_id = '{order.Id}'"));
    }

    [Fact]
    public async Task Pay_ShowsTheFrozenOrder_PaysOnce_AndASecondPostIs410()
    {
        var shop = await ShopAsync();
        var (customerId, conversationId) = await CustomerAsync(shop, registered: true);
        var order = await OrderAsync(shop, customerId, conversationId);
        var path = await LinkAsync(shop, customerId, LinkPurpose.Pay, order.Id, conversationId);

        var page = await Browse().GetAsync(path, Ct);
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"Paga l'ordine {order.Number}", html, StringComparison.Ordinal);
        Assert.Contains("Crema di pistacchio", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">2</td>", html, StringComparison.Ordinal);
        Assert.Contains("12,90 EUR", html, StringComparison.Ordinal);
        Assert.Contains("37,80 EUR", html, StringComparison.Ordinal);
        Assert.Contains(Texts.Status("it", OrderStatus.PendingPayment), html, StringComparison.Ordinal);
        Assert.Contains("<button type=\"submit\">Paga 37,80 EUR</button>", html, StringComparison.Ordinal);

        var paid = await Browse().PostAsync(path, Form(new Dictionary<string, string>()), Ct);
        var done = WebUtility.HtmlDecode(await paid.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Contains(Texts.Get("it", "page.pay.done.body", ("order", order.Number), ("total", "37,80 EUR"), ("points", 37)), done, StringComparison.Ordinal);
        Assert.Equal(["paid", true, 37], await RowAsync($"SELECT o.status, o.paid_at IS NOT NULL, c.loyalty_points FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = '{order.Id}'"));
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM payments WHERE order_id = '{order.Id}'"));
        var expected = Texts.Get("it", "chat.paid", ("order", order.Number), ("total", "37,80"), ("currency", "EUR"), ("points", 37));
        Assert.Equal(["assistant", expected], await LastMessageAsync(conversationId));

        var again = await Browse().PostAsync(path, Form(new Dictionary<string, string>()), Ct);

        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Equal(37, await ScalarAsync($"SELECT loyalty_points FROM customers WHERE id = '{customerId}'"));
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM payments WHERE order_id = '{order.Id}'"));
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM loyalty_ledger WHERE customer_id = '{customerId}'"));
    }

    [Fact]
    public async Task Pay_TwoPostsAtOnce_ExactlyOneSucceedsAndPointsAreIssuedOnce()
    {
        var shop = await ShopAsync();
        var (customerId, conversationId) = await CustomerAsync(shop, registered: true);
        var order = await OrderAsync(shop, customerId, conversationId);
        var path = await LinkAsync(shop, customerId, LinkPurpose.Pay, order.Id, conversationId);

        var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Browse().PostAsync(path, Form(new Dictionary<string, string>()), Ct)));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Gone], responses.Select(r => r.StatusCode).Order());
        Assert.Equal(37, await ScalarAsync($"SELECT loyalty_points FROM customers WHERE id = '{customerId}'"));
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM payments WHERE order_id = '{order.Id}'"));
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM loyalty_ledger WHERE customer_id = '{customerId}'"));
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM messages WHERE conversation_id = '{conversationId}' AND role = 'assistant'"));
    }

    [Fact]
    public async Task Pay_TwoLinksOfOneOrderAtOnce_ChargeItOnce()
    {
        var shop = await ShopAsync();
        var (customerId, conversationId) = await CustomerAsync(shop, registered: true);
        var order = await OrderAsync(shop, customerId, conversationId);
        string[] paths = [await LinkAsync(shop, customerId, LinkPurpose.Pay, order.Id, conversationId), await LinkAsync(shop, customerId, LinkPurpose.Pay, order.Id, conversationId)];

        var responses = await Task.WhenAll(paths.Select(path => Browse().PostAsync(path, Form(new Dictionary<string, string>()), Ct)));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM payments WHERE order_id = '{order.Id}'"));
        Assert.Equal(37, await ScalarAsync($"SELECT loyalty_points FROM customers WHERE id = '{customerId}'"));
        Assert.Equal(1L, await ScalarAsync($"SELECT count(used_at) FROM secure_links WHERE order_id = '{order.Id}'"));
    }

    [Fact]
    public async Task Pay_OrderNoLongerPending_ShowsItsStatusWithoutAButtonAndChargesNothing()
    {
        var shop = await ShopAsync();
        var (customerId, conversationId) = await CustomerAsync(shop, registered: true);
        var order = await OrderAsync(shop, customerId, conversationId, OrderStatus.Cancelled);
        var path = await LinkAsync(shop, customerId, LinkPurpose.Pay, order.Id, conversationId, "en");

        var page = await Browse().GetAsync(path, Ct);
        var posted = await Browse().PostAsync(path, Form(new Dictionary<string, string>()), Ct);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Conflict), (page.StatusCode, posted.StatusCode));
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync(Ct));
        Assert.Contains("This order is cancelled: there is nothing to pay.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<button", html, StringComparison.Ordinal);
        Assert.Equal(["cancelled", 0], await RowAsync($"SELECT o.status, c.loyalty_points FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = '{order.Id}'"));
        Assert.Equal(0L, await ScalarAsync($"SELECT count(*) FROM payments WHERE order_id = '{order.Id}'"));
        Assert.Equal(true, await ScalarAsync($"SELECT used_at IS NULL FROM secure_links WHERE order_id = '{order.Id}'"));
    }

    [Fact]
    public async Task Order_ReadOnlyInvoicePage_ShowsDetailsAndAddressAndWorksMoreThanOnce()
    {
        var shop = await ShopAsync();
        var (customerId, _) = await CustomerAsync(shop, registered: true);
        var order = await OrderAsync(shop, customerId, null, OrderStatus.Paid);
        var path = await LinkAsync(shop, customerId, LinkPurpose.Order, order.Id);

        var first = await Browse().GetAsync(path, Ct);
        var second = await Browse().GetAsync(path, Ct);
        var posted = await Browse().PostAsync(path, Form(new Dictionary<string, string>()), Ct);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.MethodNotAllowed), (first.StatusCode, second.StatusCode, posted.StatusCode));
        var html = WebUtility.HtmlDecode(await second.Content.ReadAsStringAsync(Ct));
        Assert.Contains($"Ordine {order.Number}", html, StringComparison.Ordinal);
        Assert.Contains(shop.Name, html, StringComparison.Ordinal);
        Assert.Contains(Texts.Status("it", OrderStatus.Paid), html, StringComparison.Ordinal);
        Assert.Contains("Via Roma 1", html, StringComparison.Ordinal);
        Assert.Contains("90133 Palermo", html, StringComparison.Ordinal);
        Assert.Contains("37,80 EUR", html, StringComparison.Ordinal);
        Assert.Contains("@media print", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", html, StringComparison.Ordinal);
        Assert.Equal(true, await ScalarAsync($"SELECT used_at IS NULL FROM secure_links WHERE order_id = '{order.Id}'"));
    }

    [Fact]
    public async Task Profile_Export_DownloadsTheCustomersDataAsJson()
    {
        var shop = await ShopAsync();
        var (customerId, conversationId) = await CustomerAsync(shop, registered: true);
        var order = await OrderAsync(shop, customerId, conversationId, OrderStatus.Paid);
        var path = await LinkAsync(shop, customerId, LinkPurpose.Profile, conversationId: conversationId);

        var page = await Browse().GetAsync(path, Ct);
        var download = await Browse().PostAsync(path, Form(new Dictionary<string, string> { ["action"] = "export" }), Ct);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"registered-{customerId:N}@example.com", WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/json", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.EndsWith(".json", download.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        var export = JsonDocument.Parse(await download.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal($"registered-{customerId:N}@example.com", export.GetProperty("customer").GetProperty("email").GetString());
        Assert.Equal("registration", export.GetProperty("consents")[0].GetProperty("purpose").GetString());
        var exportedOrder = Assert.Single(export.GetProperty("orders").EnumerateArray());
        Assert.Equal((order.Number, 37.80m, 2), (exportedOrder.GetProperty("number").GetString(), exportedOrder.GetProperty("total").GetDecimal(),
            exportedOrder.GetProperty("items").GetArrayLength()));
        Assert.Equal("Vorrei comprare", export.GetProperty("conversations")[0].GetProperty("messages")[0].GetProperty("content").GetString());
    }

    [Fact]
    public async Task Profile_Erase_NeedsTheConfirmationThenAnonymisesAndKeepsTheBooks()
    {
        var shop = await ShopAsync();
        var (customerId, conversationId) = await CustomerAsync(shop, registered: true, cartQuantity: 1);
        var order = await OrderAsync(shop, customerId, conversationId, OrderStatus.Paid);
        var orderLink = await LinkAsync(shop, customerId, LinkPurpose.Order, order.Id);
        var path = await LinkAsync(shop, customerId, LinkPurpose.Profile, conversationId: conversationId);
        await ScalarAsync($"""
            INSERT INTO loyalty_ledger (id, merchant_id, customer_id, change, reason, order_id, idempotency_key, balance_after)
            VALUES (gen_random_uuid(), '{shop.Id}', '{customerId}', 37, 'order_paid', '{order.Id}', 'order:{order.Id}:earn', 37)
            """);

        var unconfirmed = await Browse().PostAsync(path, Form(new Dictionary<string, string> { ["action"] = "erase" }), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        Assert.Contains(Texts.Get("it", "page.errors.erase_confirm"), WebUtility.HtmlDecode(await unconfirmed.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        Assert.Equal([$"registered-{customerId:N}@example.com", null], await RowAsync($"SELECT email, erased_at FROM customers WHERE id = '{customerId}'"));

        var erased = await Browse().PostAsync(path, Form(new Dictionary<string, string> { ["action"] = "erase", ["confirm"] = "on" }), Ct);

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Contains(Texts.Get("it", "page.profile.erased.title"), WebUtility.HtmlDecode(await erased.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        Assert.Equal([null, null, null, null, null, null, null, true, true],
            await RowAsync($"SELECT name, email, phone, external_id, address_line, postal_code, city, erased_at IS NOT NULL, registered_at IS NOT NULL FROM customers WHERE id = '{customerId}'"));
        Assert.Equal([null, null], await RowAsync($"SELECT host(ip), user_agent FROM customer_consents WHERE customer_id = '{customerId}'"));
        Assert.Equal([37.80m, null], await RowAsync($"SELECT total, shipping_address FROM orders WHERE id = '{order.Id}'"));
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM loyalty_ledger WHERE customer_id = '{customerId}'"));
        Assert.Equal(0L, await ScalarAsync($"SELECT count(*) FROM cart_items WHERE customer_id = '{customerId}'"));
        Assert.Equal([1L, 1L], await RowAsync($"SELECT count(*), count(used_at) FROM secure_links WHERE customer_id = '{customerId}'"));
        Assert.Equal(["assistant", Texts.Get("it", "chat.erased")], await LastMessageAsync(conversationId));
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM messages WHERE conversation_id = '{conversationId}'"));
        Assert.Equal(HttpStatusCode.Gone, (await Browse().GetAsync(path, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Browse().GetAsync(orderLink, Ct)).StatusCode);
    }

    private sealed record Shop(Guid Id, string Name, Guid ProductId);

    private sealed record RegistrationFields(string Name, string Email, bool Consent = true, string? ConsentSha256 = null);

    private sealed record ArrangedOrder(Guid Id, string Number);

    private HttpClient Browse()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(Browser);
        return client;
    }

    private static RegistrationFields Registration(string email) => new("Anna Bianchi", email);

    private static FormUrlEncodedContent Form(RegistrationFields fields)
    {
        var values = new Dictionary<string, string>
        {
            ["name"] = fields.Name, ["email"] = fields.Email, ["addressLine"] = "Via Roma 1", ["postalCode"] = "90133", ["city"] = "Palermo", ["country"] = "it",
        };
        if (fields.Consent)
        {
            values["consent"] = "on";
        }

        if (fields.ConsentSha256 is { } hash)
        {
            values["consentSha256"] = hash;
        }

        return Form(values);
    }

    private static FormUrlEncodedContent Form(Dictionary<string, string> values) => new(values);

    /// <summary>A merchant of its own per test (Italian, EUR, one point per euro) with one product.</summary>
    private async Task<Shop> ShopAsync()
    {
        var created = await factory.CreateMerchantAsync(language: "it");
        var productId = Guid.CreateVersion7();
        var name = "";
        await factory.WithTenantAsync(created.MerchantId, async db =>
        {
            name = (await db.Merchants.FindAsync([created.MerchantId], Ct))!.Name;
            db.Products.Add(new Product
            {
                Id = productId, Sku = "PIS-001", Category = "creme", Price = 12.90m, Stock = 50,
                Translations = [new ProductTranslation { Language = "it", Name = "Crema di pistacchio", Description = "Crema spalmabile." }],
            });
            await db.SaveChangesAsync(Ct);
        });
        return new Shop(created.MerchantId, name, productId);
    }

    /// <summary>A shopper who wrote in the chat, optionally registered with a consent, optionally with the product in the cart.</summary>
    private async Task<(Guid CustomerId, Guid ConversationId)> CustomerAsync(Shop shop, bool registered = false, int cartQuantity = 0)
    {
        var customer = new Customer { ExternalId = $"ext-{Guid.NewGuid():N}", Phone = $"+39333{Random.Shared.Next(1_000_000, 9_999_999)}", Language = "it" };
        var conversation = new Conversation { CustomerId = customer.Id, SessionId = $"session-{Guid.NewGuid():N}", Channel = "api", Language = "it" };
        await factory.WithTenantAsync(shop.Id, async db =>
        {
            if (registered)
            {
                (customer.Name, customer.Email, customer.AddressLine, customer.PostalCode, customer.City, customer.Country) =
                    ("Anna Bianchi", $"registered-{customer.Id:N}@example.com", "Via Roma 1", "90133", "Palermo", "IT");
                customer.RegisteredAt = customer.ConsentAt = DateTimeOffset.UtcNow.AddDays(-30);
                db.CustomerConsents.Add(new CustomerConsent
                {
                    CustomerId = customer.Id, Purpose = "registration", Version = "2026-11-01", Language = "it", TextSha256 = new string('a', 64),
                    Ip = LinkPagesFactory.BrowserAddress, UserAgent = Browser, GrantedAt = customer.ConsentAt.Value,
                });
            }

            db.Customers.Add(customer);
            db.Conversations.Add(conversation);
            db.Messages.Add(new Message { ConversationId = conversation.Id, Role = "user", Content = "Vorrei comprare", Language = "it" });
            if (cartQuantity > 0)
            {
                db.CartItems.Add(new CartItem { CustomerId = customer.Id, ProductId = shop.ProductId, Quantity = cartQuantity });
            }

            await db.SaveChangesAsync(Ct);
        });
        return (customer.Id, conversation.Id);
    }

    /// <summary>An order as checkout freezes it: 2 × 12.90 + 1 × 12.00 = 37.80 EUR, shipped to Palermo.</summary>
    private async Task<ArrangedOrder> OrderAsync(Shop shop, Guid customerId, Guid? conversationId, string status = OrderStatus.PendingPayment)
    {
        var order = new Order
        {
            Number = $"TST-{Random.Shared.Next(100_000, 999_999)}", CustomerId = customerId, Status = status, Currency = "EUR", Subtotal = 37.80m, Total = 37.80m,
            ConversationId = conversationId,
            ShippingAddress = """{"name":"Anna Bianchi","addressLine":"Via Roma 1","postalCode":"90133","city":"Palermo","country":"IT"}""",
            PaidAt = status == OrderStatus.Paid ? DateTimeOffset.UtcNow : null,
            Items =
            [
                new OrderItem { ProductId = shop.ProductId, Sku = "PIS-001", Name = "Crema di pistacchio", Quantity = 2, UnitPrice = 12.90m },
                new OrderItem { Sku = "PES-002", Name = "Pesto di pistacchio", Variant = "190 g", Quantity = 1, UnitPrice = 12.00m },
            ],
        };
        await factory.WithTenantAsync(shop.Id, async db =>
        {
            db.Orders.Add(order);
            await db.SaveChangesAsync(Ct);
        });
        return new ArrangedOrder(order.Id, order.Number);
    }

    /// <summary>A link made as the chat's tools make it; the path is what the browser opens.</summary>
    private async Task<string> LinkAsync(Shop shop, Guid customerId, string purpose, Guid? orderId = null, Guid? conversationId = null, string language = "it")
    {
        await using var scope = factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(shop.Id);
        var link = await scope.ServiceProvider.GetRequiredService<SecureLinks>().CreateAsync(customerId, purpose, orderId, conversationId, language, Ct);
        return new Uri(link.Url).AbsolutePath;
    }

    private async Task<object?[]> LastMessageAsync(Guid conversationId) =>
        await RowAsync($"SELECT role, content FROM messages WHERE conversation_id = '{conversationId}' ORDER BY created_at DESC, id DESC LIMIT 1");

    private async Task<object?> ScalarAsync(string sql) => (await RowAsync(sql)).FirstOrDefault();

    private async Task<object?[]> RowAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        if (!await reader.ReadAsync(Ct))
        {
            return [];
        }

        var row = new object?[reader.FieldCount];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i) is string text ? text.TrimEnd() : reader.GetValue(i);
        }

        return row;
    }

    [GeneratedRegex("""<input type="checkbox" name="consent"[^>]*>""")]
    private static partial Regex ConsentBox();

    [GeneratedRegex("name=\"consentSha256\" value=\"([0-9a-f]{64})\"")]
    private static partial Regex ConsentHashField();

    private static Regex FieldBlock(string name) => new($"""<div class="field[^"]*">\s*<label for="{name}">.*?</div>""", RegexOptions.Singleline);
}
