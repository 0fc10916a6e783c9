using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Agents.AgentHost.Tests;

/// <summary>The real host on Kestrel at 127.0.0.1 and a free port: a browser needs TCP, not the in-memory TestServer.</summary>
public sealed class KestrelAgentsFactory : AgentsApiFactory
{
    public KestrelAgentsFactory() => UseKestrel(o => o.Listen(IPAddress.Loopback, 0));

    /// <summary>http://127.0.0.1:port, where the widget script and /chat are served.</summary>
    public string Address { get; private set; } = "";

    public override async ValueTask InitializeAsync()
    {
        try
        {
            // Creates the database; the base then starts the in-memory TestServer, which Kestrel mode refuses.
            await base.InitializeAsync();
        }
        catch (NotSupportedException) when (ConnectionString.Length > 0)
        {
        }

        StartServer();
        Address = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
    }
}

/// <summary>
/// Headless Chromium (Debian's /usr/bin/chromium, driven by Playwright), the host on Kestrel, and a
/// second small web server whose two ports are two more origins: the merchant's shop pages, one
/// allowed by the merchant and one not.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>The loader snippet as the README gives it to merchants.</summary>
    public const string LoaderSnippet = """
        (function (w, d, s, u) {
          w.ra = w.ra || function () { (w.ra.q = w.ra.q || []).push(arguments); };
          var j = d.createElement(s); j.async = true; j.src = u; d.head.appendChild(j);
        })(window, document, 'script', '{SCRIPT}');
        """;

    private readonly ConcurrentDictionary<string, (string ContentType, string Body)> pages = new();
    private WebApplication? shop;
    private IPlaywright? playwright;
    private IBrowser? browser;

    public KestrelAgentsFactory Host { get; } = new();

    /// <summary>The shop origin the test merchant allows.</summary>
    public string AllowedOrigin { get; private set; } = "";

    /// <summary>Another shop origin, which the merchant does not allow.</summary>
    public string OtherOrigin { get; private set; } = "";

    public IBrowser Browser => browser ?? throw new InvalidOperationException("The browser has not started.");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Headless Chromium is missing: the widget tests drive {ChromiumPath} (Debian package 'chromium'). Run 'bash eng/install-chromium.sh' (as root) and run the tests again.");
        }

        await Host.InitializeAsync();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.Listen(IPAddress.Loopback, 0);
        });
        shop = builder.Build();
        shop.MapGet("/{**path}", (string path) => pages.TryGetValue(path, out var page)
            ? Results.Text(page.Body, page.ContentType)
            : Results.NotFound());
        await shop.StartAsync();
        var origins = shop.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.ToList();
        (AllowedOrigin, OtherOrigin) = (origins[0], origins[1]);

        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true });
    }

    /// <summary>A merchant that allows <see cref="AllowedOrigin"/>, with three products whose images the shop server serves.</summary>
    public async Task<CreatedShop> CreateShopAsync()
    {
        var merchant = await Host.CreateMerchantAsync(language: "en");
        var owner = Host.ClientWithKey(merchant.SecretKey);
        (await owner.PatchAsJsonAsync("/api/merchant", new { allowedOrigins = new[] { AllowedOrigin } })).EnsureSuccessStatusCode();
        object Product(string sku, string name, string description, string category, decimal price, int stock)
        {
            Serve($"images/{sku}.svg", "image/svg+xml", $"""
                <svg xmlns="http://www.w3.org/2000/svg" width="300" height="200" viewBox="0 0 300 200">
                  <rect width="300" height="200" fill="#93c572"/><circle cx="150" cy="100" r="60" fill="#5a8f3c"/>
                </svg>
                """);
            return new { sku, name, description, category, price, currency = "EUR", stock, imageUrl = $"{AllowedOrigin}/images/{sku}.svg" };
        }

        (await owner.PutAsJsonAsync("/api/catalog/products", new[]
        {
            Product("TST-PIS-001", "Pistachio cream", "Spreadable cream with 40% Bronte pistachios, sweet and smooth.", "pistachio", 12.5m, 10),
            Product("TST-PIS-002", "Pistachio pesto", "Savoury pesto of Bronte pistachios and olive oil for pasta.", "pistachio", 9.9m, 10),
            Product("TST-CAN-001", "Cannoli kit", "Crisp cannoli shells with sheep's ricotta cream to fill at home.", "sweets", 18m, 10),
        })).EnsureSuccessStatusCode();
        return new CreatedShop(merchant.MerchantId, merchant.SecretKey, merchant.PublishableKey);
    }

    /// <summary>Serves a shop page that embeds the widget with the loader snippet; returns its URL on <paramref name="origin"/>.</summary>
    public string ShopPage(string origin, CreatedShop shop, string language = "en", string primaryColor = "#7c3aed")
    {
        var name = $"shop-{Guid.NewGuid():N}.html";
        Serve(name, "text/html; charset=utf-8", $$"""
            <!doctype html>
            <html lang="{{language}}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Test shop</title></head>
            <body style="font-family: sans-serif; margin: 40px; background: #fafafa">
              <h1>Test shop</h1>
              <p>A merchant's page with the chat widget.</p>
              <script>
                {{LoaderSnippet.Replace("{SCRIPT}", Host.Address + "/widget/v1/widget.js", StringComparison.Ordinal)}}
                ra('init', { merchantId: '{{shop.MerchantId}}', apiKey: '{{shop.PublishableKey}}', theme: { primaryColor: '{{primaryColor}}', position: 'bottom-right' } });
              </script>
            </body>
            </html>
            """);
        return $"{origin}/{name}";
    }

    /// <summary>TestResults/ at the repository root, where CI collects artifacts.</summary>
    public static string ArtifactPath(string file)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Agents.sln")))
        {
            directory = directory.Parent;
        }

        var results = Path.Combine(directory?.FullName ?? AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(results);
        return Path.Combine(results, file);
    }

    private void Serve(string path, string contentType, string body) => pages[path] = (contentType, body);

    public async ValueTask DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (shop is not null)
        {
            await shop.DisposeAsync();
        }

        await Host.DisposeAsync();
    }
}

public sealed record CreatedShop(Guid MerchantId, string SecretKey, string PublishableKey);
