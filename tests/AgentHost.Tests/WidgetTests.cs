using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using Agents.AgentHost.Widget;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Agents.AgentHost.Tests;

/// <summary>
/// The embeddable widget in headless Chromium: a merchant's page on another origin loads it with the
/// loader snippet and a publishable key, and a shopper chats, adds to the cart and comes back.
/// </summary>
public sealed partial class WidgetTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    // A browser that stops answering fails its test instead of holding up the whole run.
    private const int TestTimeoutMs = 120_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    static WidgetTests() => SetDefaultExpectTimeout(20_000);

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Shopper_AsksAddsToCartAndReloads_SeesStreamedRepliesCardsAndTheSameConversation()
    {
        var shop = await fixture.CreateShopAsync();
        await using var context = await fixture.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 860 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(fixture.ShopPage(fixture.AllowedOrigin, shop));

        var launcher = page.GetByRole(AriaRole.Button, new() { Name = "Chat with us" });
        await launcher.ClickAsync();
        var input = page.GetByRole(AriaRole.Textbox, new() { Name = "Write a message…" });
        await Expect(input).ToBeFocusedAsync();
        await Expect(launcher).ToHaveAttributeAsync("aria-expanded", "true");

        // Count how often the assistant's bubble is redrawn while a reply streams in.
        await page.EvaluateAsync("""
            () => {
              window.redraws = 0;
              const log = document.querySelector('[data-agents-widget]').shadowRoot.querySelector('.ra-log');
              new MutationObserver(records => records.forEach(r => r.addedNodes.forEach(n => {
                if (n.classList && n.classList.contains('ra-assistant')) window.redraws++;
              }))).observe(log, { childList: true });
            }
            """);
        var search = await SendAsync(page, () => input.PressSequentiallyAsync("Do you have pistachio cream?\n"));
        Assert.Equal("text/event-stream", search.Headers["content-type"]);
        var events = await search.TextAsync();
        Assert.True(DeltaEvent().Count(events) > 1, "the reply should arrive as several delta events");
        Assert.Contains("\"name\":\"search_products\"", events, StringComparison.Ordinal);
        var log = page.Locator(".ra-log");
        await Expect(log.Locator(".ra-assistant").Last).ToContainTextAsync("Pistachio", new() { IgnoreCase = true });
        Assert.True(await page.EvaluateAsync<int>("() => window.redraws") > 2, "the bubble should grow while the reply streams");
        var card = log.Locator(".ra-card", new() { HasText = "Pistachio cream" }).Last;
        await Expect(card).ToContainTextAsync("€12.50");

        await SendAsync(page, () => input.PressSequentiallyAsync("How much is the first one?\n"));
        var detailed = log.Locator(".ra-cards").Last.Locator(".ra-card").First;
        await Expect(detailed).ToContainTextAsync("Pistachio cream");
        await Expect(detailed).ToContainTextAsync("€12.50");
        var image = detailed.Locator("img");
        await Expect(image).ToHaveAttributeAsync("src", $"{fixture.AllowedOrigin}/images/TST-PIS-001.svg");
        await Expect(image).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await image.EvaluateAsync<int>("img => img.naturalWidth") > 0, "the product image should load");

        var add = await SendAsync(page, () => detailed.GetByRole(AriaRole.Button, new() { Name = "Add to cart: Pistachio cream" }).ClickAsync());
        Assert.Contains("\"name\":\"add_to_cart\"", await add.TextAsync(), StringComparison.Ordinal);
        await Expect(log.Locator(".ra-user").Last).ToHaveTextAsync("You: add 1 TST-PIS-001 to my cart");
        var cartReply = log.Locator(".ra-assistant").Last;
        await Expect(cartReply).ToContainTextAsync("Pistachio cream");
        await Expect(page.Locator(".ra-panel [aria-live=polite] p").Last).ToHaveTextAsync((await cartReply.TextContentAsync())!);

        // Not registered yet: the reply carries the server's secure link, shown as a button instead of the bare URL.
        var order = await SendAsync(page, () => input.PressSequentiallyAsync("place the order\n"));
        var registerUrl = RegisterLink().Match(await order.TextAsync()).Groups["url"].Value;
        var register = log.Locator(".ra-assistant").Last.GetByRole(AriaRole.Link, new() { Name = "Create your account" });
        await Expect(register).ToHaveAttributeAsync("href", registerUrl);
        await Expect(register).ToHaveAttributeAsync("target", "_blank");
        await Expect(log.Locator(".ra-assistant").Last).Not.ToContainTextAsync(registerUrl);
        var before = await log.Locator(".ra-msg").AllInnerTextsAsync();

        await page.ReloadAsync();
        await Expect(page.Locator(".ra-panel")).ToBeVisibleAsync();
        await Expect(log.Locator(".ra-msg")).ToHaveCountAsync(before.Count);
        Assert.Equal(before, await log.Locator(".ra-msg").AllInnerTextsAsync());
        await Expect(log.Locator(".ra-card img").First).ToBeVisibleAsync();
        await Expect(log.Locator(".ra-msg").Last).ToBeInViewportAsync();
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ArtifactPath("widget.png") });

        await input.FocusAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator(".ra-panel")).ToBeHiddenAsync();
        await Expect(launcher).ToBeFocusedAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task PageOnAnOriginTheMerchantDoesNotAllow_IsRefusedAndTheWidgetSaysSoKindly()
    {
        var shop = await fixture.CreateShopAsync();
        await using var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(fixture.ShopPage(fixture.OtherOrigin, shop));

        await page.GetByRole(AriaRole.Button, new() { Name = "Chat with us" }).ClickAsync();
        var chat = await SendAsync(page, () => page.GetByRole(AriaRole.Textbox, new() { Name = "Write a message…" }).PressSequentiallyAsync("Hello\n"));

        Assert.Equal((int)HttpStatusCode.Forbidden, chat.Status);
        var error = page.GetByRole(AriaRole.Alert);
        await Expect(error).ToHaveTextAsync("Sorry, the chat is not available on this website.");
        await Expect(page.Locator(".ra-typing")).ToHaveCountAsync(0);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task ConnectionLost_ShowsAKindErrorAndRetrySendsTheMessageAgain()
    {
        var shop = await fixture.CreateShopAsync();
        await using var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(fixture.ShopPage(fixture.AllowedOrigin, shop));
        await page.RouteAsync($"{fixture.Host.Address}/chat", route => route.AbortAsync("connectionreset"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Chat with us" }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Write a message…" }).PressSequentiallyAsync("Do you have pistachio cream?\n");
        var error = page.GetByRole(AriaRole.Alert);
        await Expect(error).ToContainTextAsync("We could not reach the shop. Check your connection and try again.");
        await page.UnrouteAllAsync();
        await SendAsync(page, () => error.GetByRole(AriaRole.Button, new() { Name = "Try again" }).ClickAsync());

        await Expect(error).ToHaveCountAsync(0);
        await Expect(page.Locator(".ra-user")).ToHaveCountAsync(1);
        await Expect(page.Locator(".ra-card", new() { HasText = "Pistachio cream" })).ToHaveCountAsync(1);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task ItalianPageOnAPhone_FillsTheScreenSpeaksItalianAndClosesWithEscape()
    {
        var shop = await fixture.CreateShopAsync();
        await using var context = await fixture.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 390, Height = 780 }, IsMobile = true, HasTouch = true, Locale = "en-US" });
        var page = await context.NewPageAsync();
        await page.GotoAsync(fixture.ShopPage(fixture.AllowedOrigin, shop, language: "it", primaryColor: "#ffd54f"));

        var launcher = page.GetByRole(AriaRole.Button, new() { Name = "Scrivici" });
        await launcher.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var panel = page.GetByRole(AriaRole.Dialog, new() { Name = "Chat" });
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Scrivi un messaggio…" })).ToBeFocusedAsync();
        await Expect(panel).ToContainTextAsync("Ciao! Come posso aiutarti?");
        var box = await panel.BoundingBoxAsync();
        Assert.Equal((0f, 0f, 390f, 780f), (box!.X, box.Y, box.Width, box.Height));
        // A light brand colour gets dark text on it.
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Invia" })).ToHaveCSSAsync("color", "rgb(17, 17, 17)");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ArtifactPath("widget-mobile.png") });

        await page.Keyboard.PressAsync("Escape");
        await Expect(panel).ToBeHiddenAsync();
        await Expect(launcher).ToBeFocusedAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Script_IsSmallCompressedCacheableAndOpenToAnyPage()
    {
        using var client = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = new Uri(fixture.Host.Address) };
        using var plainRequest = new HttpRequestMessage(HttpMethod.Get, WidgetApi.ScriptPath);
        using var gzipRequest = new HttpRequestMessage(HttpMethod.Get, WidgetApi.ScriptPath) { Headers = { { "Accept-Encoding", "gzip" }, { "Origin", "https://any-shop.example" } } };
        using var brRequest = new HttpRequestMessage(HttpMethod.Get, WidgetApi.ScriptPath) { Headers = { { "Accept-Encoding", "gzip, br" } } };

        using var plain = await client.SendAsync(plainRequest, Ct);
        using var gzip = await client.SendAsync(gzipRequest, Ct);
        using var br = await client.SendAsync(brRequest, Ct);
        var script = await plain.Content.ReadAsByteArrayAsync(Ct);
        var gzipped = await gzip.Content.ReadAsByteArrayAsync(Ct);
        using var revalidateRequest = new HttpRequestMessage(HttpMethod.Get, WidgetApi.ScriptPath) { Headers = { { "If-None-Match", gzip.Headers.ETag!.ToString() } } };
        using var revalidated = await client.SendAsync(revalidateRequest, Ct);

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal("text/javascript; charset=utf-8", plain.Content.Headers.ContentType!.ToString());
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Equal("gzip", Assert.Single(gzip.Content.Headers.ContentEncoding));
        Assert.Equal("br", Assert.Single(br.Content.Headers.ContentEncoding));
        Assert.True(gzipped.Length <= 25 * 1024, $"widget.js is {gzipped.Length} bytes gzipped, over the 25 KB budget");
        Assert.Equal(script, Gunzip(gzipped));
        Assert.Contains("public", gzip.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.True(gzip.Headers.CacheControl.MaxAge >= TimeSpan.FromMinutes(5));
        Assert.Equal(plain.Headers.ETag, gzip.Headers.ETag);
        Assert.Contains("Accept-Encoding", gzip.Headers.Vary);
        Assert.Equal("*", gzip.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task DemoPage_WithoutADemoKey_ExplainsHowToGetOne()
    {
        using var client = new HttpClient { BaseAddress = new Uri(fixture.Host.Address) };

        using var response = await client.GetAsync("/widget/demo?lang=en", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("Demo__Enabled=true", html, StringComparison.Ordinal);
        Assert.DoesNotContain("ra('init'", html, StringComparison.Ordinal);
        Assert.Contains("script-src 'self' 'nonce-", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    /// <summary>Runs the action that sends a chat message and returns the POST /chat response.</summary>
    private static Task<IResponse> SendAsync(IPage page, Func<Task> action) =>
        page.RunAndWaitForResponseAsync(action, r => r.Request.Method == "POST" && r.Url.EndsWith("/chat", StringComparison.Ordinal));

    private static byte[] Gunzip(byte[] gzipped)
    {
        using var input = new GZipStream(new MemoryStream(gzipped), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    [GeneratedRegex("^event: delta$", RegexOptions.Multiline)]
    private static partial Regex DeltaEvent();

    [GeneratedRegex("\"purpose\":\"register\",\"url\":\"(?<url>[^\"]+)\"")]
    private static partial Regex RegisterLink();
}
