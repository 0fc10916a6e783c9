using System.Buffers.Text;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Agents.AgentHost.Demo;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Agents.AgentHost.Widget;

/// <summary>
/// The embeddable chat widget: the script any page may load (built from widget/ into
/// wwwroot/widget/v1/widget.js), and a demo shop page that embeds it for the demo merchant.
/// </summary>
public static class WidgetApi
{
    public const string ScriptPath = "/widget/v1/widget.js";
    public const string ContentType = "text/javascript; charset=utf-8";
    private const string BundleFile = "widget/v1/widget.js";

    // An hour fresh, then revalidated by ETag; a stale copy may serve a day while that happens.
    private const string CacheControl = "public, max-age=3600, stale-while-revalidate=86400";

    private static volatile Bundle? cached;

    public static IEndpointRouteBuilder MapWidgetApi(this IEndpointRouteBuilder app)
    {
        var widget = app.MapGroup("/widget").AllowAnonymous().ExcludeFromDescription();
        widget.MapMethods("/v1/widget.js", [HttpMethods.Get, HttpMethods.Head], Script);
        widget.MapGet("/demo", DemoPage);
        return app;
    }

    public static Results<FileContentHttpResult, StatusCodeHttpResult, ProblemHttpResult> Script(HttpContext http, IWebHostEnvironment environment)
    {
        // The web root when the host runs from its project (dotnet run, tests) or is published; the
        // copy beside the binaries when bin/…/Agents.AgentHost.dll is started from anywhere else.
        var bundle = Load(environment.WebRootFileProvider) ?? Load(BesideBinaries);
        if (bundle is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found",
                detail: "The widget is not built: build AgentHost with Node.js 20 or later installed, or run 'npm ci && npm run build' in widget/.");
        }

        var headers = http.Response.Headers;
        headers.CacheControl = CacheControl;
        headers.ETag = bundle.ETag;
        headers.Vary = HeaderNames.AcceptEncoding;
        // Any page may load the script (the publishable key's origin check guards the chat itself).
        headers.AccessControlAllowOrigin = "*";
        headers["Cross-Origin-Resource-Policy"] = "cross-origin";
        headers.XContentTypeOptions = "nosniff";
        if (IsNotModified(http.Request, bundle.ETag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var (encoding, body) = Accepts(http.Request, "br") ? ("br", bundle.Brotli)
            : Accepts(http.Request, "gzip") ? ("gzip", bundle.Gzip)
            : (null, bundle.Plain);
        if (encoding is not null)
        {
            headers.ContentEncoding = encoding;
        }

        return TypedResults.Bytes(body, ContentType);
    }

    /// <summary>A small shop page with the loader snippet and the publishable key the demo merchant got at start-up.</summary>
    public static ContentHttpResult DemoPage(HttpContext http, DemoKeys keys, string? lang = null)
    {
        var language = lang is "it" or "en" or "es" ? lang : "it";
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        http.Response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; img-src 'self' https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        http.Response.Headers.CacheControl = "no-store";
        var widget = keys.PublishableKey is { } key
            ? $$"""
                <script nonce="{{nonce}}">
                  (function (w, d, s, u) {
                    w.ra = w.ra || function () { (w.ra.q = w.ra.q || []).push(arguments); };
                    var j = d.createElement(s); j.async = true; j.src = u; d.head.appendChild(j);
                  })(window, document, 'script', '{{ScriptPath}}');
                  ra('init', { merchantId: {{JsonSerializer.Serialize(DemoSeeder.Slug)}}, apiKey: {{JsonSerializer.Serialize(key)}}, theme: { primaryColor: '#b4441e', position: 'bottom-right' } });
                </script>
                """
            : """
                <p class="note">The demo merchant has no publishable key in this run: start the host in Development with
                <code>Demo__Enabled=true</code> and without <code>Demo__SecretKey</code>, so that it issues one at start-up.</p>
                """;
        var html = $$"""
            <!doctype html>
            <html lang="{{language}}">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>Sapori di Sicilia · widget demo</title>
              <style nonce="{{nonce}}">
                body { margin: 0; font: 16px/1.5 Georgia, serif; color: #2b2118; background: #fbf6ee; }
                header { padding: 28px 24px; background: #b4441e; color: #fff; }
                header h1 { margin: 0; font-size: 28px; }
                main { max-width: 880px; margin: 0 auto; padding: 24px; }
                .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 16px; }
                .tile { padding: 16px; background: #fff; border: 1px solid #ecdccb; border-radius: 12px; }
                .note { padding: 12px 16px; background: #fff3cd; border-radius: 8px; }
                nav a { margin-right: 12px; color: #b4441e; }
              </style>
            </head>
            <body>
              <header><h1>Sapori di Sicilia</h1><p>Pistacchio di Bronte, cannoli, passito di Pantelleria.</p></header>
              <main>
                <nav aria-label="Language"><a href="?lang=it">Italiano</a><a href="?lang=en">English</a><a href="?lang=es">Español</a></nav>
                <p>This page embeds the chat widget the way a merchant's site does. Open the chat in the corner and try
                  “Avete la crema di pistacchio?”, “Do you have pistachio cream?” or “¿Tenéis cannoli?”.</p>
                <div class="grid">
                  <div class="tile"><strong>Crema di pistacchio</strong><p>Spreadable cream with Bronte pistachios.</p></div>
                  <div class="tile"><strong>Cannoli siciliani</strong><p>Crisp shells, sheep's ricotta filled to order.</p></div>
                  <div class="tile"><strong>Passito di Pantelleria</strong><p>A sweet wine for dessert.</p></div>
                </div>
                {{widget}}
              </main>
            </body>
            </html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    private sealed record Bundle(DateTimeOffset Modified, long Length, string ETag, byte[] Plain, byte[] Gzip, byte[] Brotli);

    /// <summary>
    /// The built bundle, compressed once: re-read only when the file changes (npm run build while
    /// the host runs). The cache is static because it depends on nothing but the file's content.
    /// </summary>
    private static readonly PhysicalFileProvider BesideBinaries = new(Path.Combine(AppContext.BaseDirectory, "wwwroot"), Microsoft.Extensions.FileProviders.Physical.ExclusionFilters.None);

    private static Bundle? Load(IFileProvider files)
    {
        var file = files.GetFileInfo(BundleFile);
        if (!file.Exists)
        {
            return null;
        }

        if (cached is { } hit && hit.Modified == file.LastModified && hit.Length == file.Length)
        {
            return hit;
        }

        using var stream = file.CreateReadStream();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var plain = buffer.ToArray();
        var etag = $"W/\"{Base64Url.EncodeToString(SHA256.HashData(plain))[..22]}\"";
        var bundle = new Bundle(file.LastModified, file.Length, etag, plain,
            Compress(plain, s => new GZipStream(s, CompressionLevel.SmallestSize)),
            Compress(plain, s => new BrotliStream(s, CompressionLevel.SmallestSize)));
        cached = bundle;
        return bundle;
    }

    private static byte[] Compress(byte[] plain, Func<Stream, Stream> compressor)
    {
        using var output = new MemoryStream();
        using (var compressed = compressor(output))
        {
            compressed.Write(plain);
        }

        return output.ToArray();
    }

    /// <summary>Whether Accept-Encoding allows the coding, by name or by "*" (q=0 refuses it).</summary>
    private static bool Accepts(HttpRequest request, string coding)
    {
        var accepted = request.GetTypedHeaders().AcceptEncoding;
        var match = accepted.FirstOrDefault(e => e.Value.Equals(coding, StringComparison.OrdinalIgnoreCase))
            ?? accepted.FirstOrDefault(e => e.Value.Equals("*", StringComparison.Ordinal));
        return match is not null && match.Quality is not 0;
    }

    private static bool IsNotModified(HttpRequest request, string etag)
    {
        var tag = EntityTagHeaderValue.Parse(etag);
        return request.GetTypedHeaders().IfNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(tag, useStrongComparison: false));
    }
}
