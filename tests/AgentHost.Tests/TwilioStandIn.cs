using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Agents.AgentHost.Tests;

/// <summary>A message the stand-in accepted, as Twilio's Messages API received it.</summary>
public sealed record TwilioRequest(string AccountSid, string Authorization, IReadOnlyDictionary<string, string[]> Form)
{
    public string? this[string field] => Form.TryGetValue(field, out var values) ? values[0] : null;
}

/// <summary>
/// A local HTTP server standing in for Twilio's Messages API (POST /2010-04-01/Accounts/{sid}/Messages.json,
/// form-encoded, Basic auth), answering with the documented JSON. It records what it accepted and
/// can fail on demand with the status codes Twilio uses.
/// </summary>
public sealed class TwilioStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _failures = new();
    private int _sid;

    private TwilioStandIn(WebApplication app) => _app = app;

    public ConcurrentQueue<TwilioRequest> Accepted { get; } = new();

    private int _refused;

    public int Refused => _refused;

    public string BaseUrl => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>Fails the next requests, one status code each (e.g. 500, 429).</summary>
    public void FailNext(params int[] statusCodes)
    {
        foreach (var status in statusCodes)
        {
            _failures.Enqueue(status);
        }
    }

    /// <summary>Fails every request with 503 until <see cref="Recover"/>.</summary>
    public bool Down { get; set; }

    public void Recover()
    {
        Down = false;
        _failures.Clear();
    }

    public static async Task<TwilioStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new TwilioStandIn(app);
        app.MapPost("/2010-04-01/Accounts/{accountSid}/Messages.json", standIn.HandleAsync);
        await app.StartAsync();
        return standIn;
    }

    public async Task<IReadOnlyList<TwilioRequest>> WaitForAsync(Func<TwilioRequest, bool> match, int count = 1, int timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline)
        {
            var found = Accepted.Where(match).ToList();
            if (found.Count >= count)
            {
                return found;
            }

            await Task.Delay(50);
        }

        return Accepted.Where(match).ToList();
    }

    private async Task<IResult> HandleAsync(string accountSid, HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var failure = 0;
        if (Down || _failures.TryDequeue(out failure))
        {
            Interlocked.Increment(ref _refused);
            var status = Down ? 503 : failure;
            return Results.Json(new { code = 20500, message = "Internal server error", more_info = "https://www.twilio.com/docs/errors/20500", status }, statusCode: status);
        }

        var fields = form.ToDictionary(f => f.Key, f => f.Value.Select(v => v ?? "").ToArray());
        Accepted.Enqueue(new TwilioRequest(accountSid, request.Headers.Authorization.ToString(), fields));
        var sid = $"SM{Interlocked.Increment(ref _sid):x32}";
        return Results.Json(new
        {
            account_sid = accountSid,
            api_version = "2010-04-01",
            body = fields.GetValueOrDefault("Body")?[0],
            date_created = DateTime.UtcNow.ToString("R"),
            direction = "outbound-api",
            from = fields.GetValueOrDefault("From")?[0],
            messaging_service_sid = fields.GetValueOrDefault("MessagingServiceSid")?[0],
            num_media = "0",
            num_segments = "1",
            sid,
            status = "queued",
            to = fields["To"][0],
            uri = $"/2010-04-01/Accounts/{accountSid}/Messages/{sid}.json",
        }, statusCode: StatusCodes.Status201Created);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>
    /// Signs a request the way Twilio does (written here from Twilio's documentation, not with the
    /// code under test): Base64(HMAC-SHA1(token, url + every POST parameter sorted by name, name then value)).
    /// </summary>
    public static string Sign(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in form.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

#pragma warning disable CA5350 // SHA-1 is what Twilio signs with; the test must do the same
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
#pragma warning restore CA5350
    }
}
