using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Agents.Channels.Twilio;
using Npgsql;

// Usage: WhatsAppBench --url http://127.0.0.1:5184 --floor http://127.0.0.1:5185 --admin <key> --twilio-port 5186 --connection "<npgsql>" [--seconds 10] [--outbox 2000]
var url = Arg("--url", "http://127.0.0.1:5184");
var floorUrl = Arg("--floor", "http://127.0.0.1:5185");
var admin = Arg("--admin", "");
var twilioPort = int.Parse(Arg("--twilio-port", "5186"), CultureInfo.InvariantCulture);
var connectionString = Arg("--connection", "");
var seconds = int.Parse(Arg("--seconds", "10"), CultureInfo.InvariantCulture);
var outboxCount = int.Parse(Arg("--outbox", "2000"), CultureInfo.InvariantCulture);
const string Token = "bench0123456789abcdef0123456789ab";

var report = new StringBuilder();
void Say(string line)
{
    Console.WriteLine(line);
    report.AppendLine(line);
}

// The Twilio stand-in: accepts every message, remembers when.
var received = new ConcurrentQueue<(string To, long At)>();
var standIn = WebApplication.CreateSlimBuilder();
standIn.WebHost.UseUrls($"http://127.0.0.1:{twilioPort}");
standIn.Logging.ClearProviders();
var twilio = standIn.Build();
var sids = 0;
twilio.MapPost("/2010-04-01/Accounts/{account}/Messages.json", async (string account, HttpRequest request) =>
{
    var form = await request.ReadFormAsync();
    received.Enqueue((form["To"].ToString(), Stopwatch.GetTimestamp()));
    return Results.Json(new { sid = $"SM{Interlocked.Increment(ref sids):x32}", status = "queued", to = form["To"].ToString() }, statusCode: 201);
});
await twilio.StartAsync();

using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
var merchant = await (await Authorized(http, admin).PostAsJsonAsync("/api/admin/merchants", new { name = "WhatsApp bench", slug = $"wa-bench-{DateTime.UtcNow:HHmmss}", defaultLanguage = "it" }))
    .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
var secret = merchant.GetProperty("secretKey").GetString()!;
var merchantId = merchant.GetProperty("merchantId").GetGuid();
var accountSid = "AC" + Guid.NewGuid().ToString("N");
const string From = "whatsapp:+390600000001";
(await Authorized(new HttpClient { BaseAddress = new Uri(url) }, secret).PutAsJsonAsync("/api/channels/whatsapp", new { accountSid, authToken = Token, from = From })).EnsureSuccessStatusCode();

Say($"# WhatsApp — {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z, {Environment.ProcessorCount} cores, {seconds} s per level");
Say("");
Say("| concurrent webhooks | ack p50 | ack p99 | acks/s | floor p50 | floor p99 | floor/s | p99 / floor p99 |");
Say("|---:|---:|---:|---:|---:|---:|---:|---:|");
var acknowledged = 0;
foreach (var level in new[] { 1, 16 })
{
    var floor = await RunAsync(level, seconds, (worker, i) => PostAsync(new Uri(new Uri(floorUrl), "/twiml"), worker, i, sign: false));
    var acks = await RunAsync(level, seconds, async (worker, i) =>
    {
        await PostAsync(new Uri(new Uri(url), "/channels/twilio/whatsapp"), worker + (level * 1000), i, sign: true);
        Interlocked.Increment(ref acknowledged);
    });
    Say($"| {level} | {acks.P50:F1} ms | {acks.P99:F1} ms | {acks.Rate:F0} | {floor.P50:F1} ms | {floor.P99:F1} ms | {floor.Rate:F0} | {acks.P99 / floor.P99:F2}× |");
}

// Every acknowledged message gets its reply: how long the turns and the outbox take to drain.
var drainStart = Stopwatch.GetTimestamp();
while (received.Count < acknowledged && Stopwatch.GetElapsedTime(drainStart).TotalSeconds < 600)
{
    await Task.Delay(100);
}

Say("");
Say($"Replies delivered: {received.Count} of {acknowledged} acknowledged messages; the queue drained {Stopwatch.GetElapsedTime(drainStart).TotalSeconds:F1} s after the last acknowledgement.");

// The outbox alone: notifications written straight to the table, delivered to the stand-in.
await using var dataSource = NpgsqlDataSource.Create(connectionString);
await using (var insert = dataSource.CreateCommand("""
    WITH c AS (
        INSERT INTO customers (id, merchant_id, phone, last_inbound_at)
        SELECT gen_random_uuid(), $1, '+3935' || lpad(n::text, 8, '0'), now() FROM generate_series(1, $2) n RETURNING id, phone)
    INSERT INTO outbox_messages (id, merchant_id, channel, customer_id, to_address, kind, body, idempotency_key)
    SELECT gen_random_uuid(), $1, 'whatsapp', c.id, 'whatsapp:' || c.phone, 'notification', 'Il tuo ordine è stato spedito ✅', 'bench-' || c.phone FROM c
    """))
{
    insert.Parameters.Add(new NpgsqlParameter { Value = merchantId });
    insert.Parameters.Add(new NpgsqlParameter { Value = outboxCount });
    var before = received.Count;
    var started = Stopwatch.GetTimestamp();
    await insert.ExecuteNonQueryAsync();
    while (received.Count < before + outboxCount && Stopwatch.GetElapsedTime(started).TotalSeconds < 600)
    {
        await Task.Delay(20);
    }

    var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
    // Floor: the irreducible work per message, one after another — post it to the stand-in and
    // record the answer with one UPDATE — without claiming, leases, ordering or templates.
    using var direct = new HttpClient();
    await using var floorConnection = await dataSource.OpenConnectionAsync();
    await using (var table = new NpgsqlCommand($"CREATE TABLE IF NOT EXISTS bench_sent (id int PRIMARY KEY, sid text); TRUNCATE bench_sent; INSERT INTO bench_sent SELECT n, NULL FROM generate_series(0, {outboxCount}) n", floorConnection))
    {
        await table.ExecuteNonQueryAsync();
    }

    var floorStarted = Stopwatch.GetTimestamp();
    for (var i = 0; i < outboxCount; i++)
    {
        using var response = await direct.PostAsync($"http://127.0.0.1:{twilioPort}/2010-04-01/Accounts/{accountSid}/Messages.json",
            new FormUrlEncodedContent([new("To", $"whatsapp:+3936{i:D8}"), new("From", From), new("Body", "Il tuo ordine è stato spedito ✅")]));
        await using var record = new NpgsqlCommand("UPDATE bench_sent SET sid = $2 WHERE id = $1", floorConnection);
        record.Parameters.Add(new NpgsqlParameter { Value = i });
        record.Parameters.Add(new NpgsqlParameter { Value = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("sid").GetString() });
        await record.ExecuteNonQueryAsync();
    }

    var floorElapsed = Stopwatch.GetElapsedTime(floorStarted).TotalSeconds;
    Say("");
    Say("| outbox | messages | seconds | messages/s | floor messages/s | × floor |");
    Say("|---|---:|---:|---:|---:|---:|");
    Say($"| notifications written to the table → accepted by the stand-in | {outboxCount} | {elapsed:F1} | {outboxCount / elapsed:F0} | {outboxCount / floorElapsed:F0} | {(outboxCount / elapsed) / (outboxCount / floorElapsed):F2} |");
}

// The bench merchant and everything it wrote go away with it (cascades).
await using (var dropTable = dataSource.CreateCommand("DROP TABLE IF EXISTS bench_sent"))
{
    await dropTable.ExecuteNonQueryAsync();
}

await using (var drop = dataSource.CreateCommand("DELETE FROM merchants WHERE id = $1"))
{
    drop.Parameters.Add(new NpgsqlParameter { Value = merchantId });
    await drop.ExecuteNonQueryAsync();
}

Directory.CreateDirectory(Path.Combine("bench", "results"));
await File.WriteAllTextAsync(Path.Combine("bench", "results", "whatsapp.md"), report.ToString());
await twilio.StopAsync();
return;

async Task PostAsync(Uri target, int worker, int i, bool sign)
{
    var sid = $"SM{Guid.NewGuid():N}";
    var form = new List<KeyValuePair<string, string>>
    {
        new("SmsMessageSid", sid), new("NumMedia", "0"), new("ProfileName", "Bench"), new("MessageType", "text"), new("SmsSid", sid),
        new("WaId", $"3934{worker:D8}"), new("SmsStatus", "received"), new("Body", i % 2 == 0 ? "Ciao!" : "Grazie mille!"), new("To", From),
        new("NumSegments", "1"), new("MessageSid", sid), new("AccountSid", accountSid), new("From", $"whatsapp:+3934{worker:D8}"), new("ApiVersion", "2010-04-01"),
    };
    using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new FormUrlEncodedContent(form) };
    if (sign)
    {
        request.Headers.Add("X-Twilio-Signature", TwilioSignature.Compute(Token, target.ToString(), form));
    }

    using var response = await http.SendAsync(request);
    response.EnsureSuccessStatusCode();
}

async Task<(double Rate, double P50, double P99)> RunAsync(int workers, int duration, Func<int, int, Task> call)
{
    var latencies = new ConcurrentBag<double>();
    var stop = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
    {
        for (var i = 0; stop.Elapsed.TotalSeconds < duration; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await call(worker, i);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    })));
    var sorted = latencies.Order().ToList();
    return (sorted.Count / stop.Elapsed.TotalSeconds, Percentile(sorted, 50), Percentile(sorted, 99));
}

static double Percentile(List<double> sorted, int p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];

static HttpClient Authorized(HttpClient client, string key)
{
    client.DefaultRequestHeaders.Authorization = new("Bearer", key);
    return client;
}

string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
