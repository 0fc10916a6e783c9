using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

// Usage: OrdersBulkBench --url http://127.0.0.1:5187 --admin <key> --host-pid <pid> --connection "<npgsql>" [--orders 100000] [--floor-port 5188] [--report file.md]
//        OrdersBulkBench create-database "<server npgsql>"  → prints the connection string of a new empty database
//        OrdersBulkBench drop-database "<npgsql>"
if (args is ["create-database", var server])
{
    var name = $"bench_orders_bulk_{DateTime.UtcNow:yyyyMMddHHmmss}";
    await using (var create = NpgsqlDataSource.Create(server).CreateCommand($"CREATE DATABASE \"{name}\""))
    {
        await create.ExecuteNonQueryAsync();
    }

    Console.WriteLine(new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString);
    return;
}

if (args is ["drop-database", var connection])
{
    var builder = new NpgsqlConnectionStringBuilder(connection);
    var name = builder.Database;
    builder.Database = "postgres";
    await using var drop = NpgsqlDataSource.Create(builder.ConnectionString).CreateCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    await drop.ExecuteNonQueryAsync();
    return;
}

var url = Arg("--url", "http://127.0.0.1:5187");
var admin = Arg("--admin", "");
var hostPid = int.Parse(Arg("--host-pid", "0"), CultureInfo.InvariantCulture);
var connectionString = Arg("--connection", "");
var count = int.Parse(Arg("--orders", "100000"), CultureInfo.InvariantCulture);
var floorPort = int.Parse(Arg("--floor-port", "5188"), CultureInfo.InvariantCulture);
var reportPath = Arg("--report", "");

var report = new StringBuilder();
void Say(string line)
{
    Console.WriteLine(line);
    report.AppendLine(line);
}

using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(30) };
var merchant = await (await Authorized(http, admin).PostAsJsonAsync("/api/admin/merchants",
        new { name = "Orders bulk bench", slug = $"orders-bench-{DateTime.UtcNow:HHmmss}", defaultLanguage = "it" }))
    .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
var merchantId = merchant.GetProperty("merchantId").GetGuid();
using var shop = Authorized(new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(30) }, merchant.GetProperty("secretKey").GetString()!);

// A third of the skus are in the catalogue, so items link to products (and take their names) as in a real shop.
(await shop.PutAsJsonAsync("/api/catalog/products", Enumerable.Range(0, Generator.Skus / 3).Select(k => new
{
    sku = Generator.Sku(k), name = $"Prodotto {k}", description = $"Descrizione del prodotto {k}.", category = $"cat-{k % 7}",
    price = Generator.Price(k), currency = "EUR", stock = 100, language = "it",
}).ToArray())).EnsureSuccessStatusCode();

// Warm the path (JIT, pools, plans) on orders the timed runs do not touch.
await UploadAsync(shop, new Generator(1_000, "W"));

var before = Memory(hostPid);
var (insert, insertPeak) = await TimedUploadAsync(shop, new Generator(count, "B"));
var (update, updatePeak) = await TimedUploadAsync(shop, new Generator(count, "B"));
var after = Memory(hostPid);

// Floor 1: an empty app reading and parsing the same NDJSON (network + JSON, nothing stored).
var floorApp = WebApplication.CreateSlimBuilder();
floorApp.WebHost.UseUrls($"http://127.0.0.1:{floorPort}");
floorApp.Logging.ClearProviders();
floorApp.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = null);
var floor = floorApp.Build();
floor.MapPost("/parse", async (HttpRequest request) =>
{
    using var reader = new StreamReader(request.Body, new UTF8Encoding(false));
    var parsed = 0;
    while (await reader.ReadLineAsync() is { } line)
    {
        using var document = JsonDocument.Parse(line);
        parsed += document.RootElement.Deserialize<FloorOrder>(JsonSerializerOptions.Web)!.Items.Count > 0 ? 1 : 0;
    }

    return Results.Ok(new { parsed });
});
await floor.StartAsync();
using var floorClient = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
var parseStarted = Stopwatch.GetTimestamp();
(await floorClient.PostAsync($"http://127.0.0.1:{floorPort}/parse", new GeneratedNdjson(new Generator(count, "B")))).EnsureSuccessStatusCode();
var parseSeconds = Stopwatch.GetElapsedTime(parseStarted).TotalSeconds;
await floor.StopAsync();

// Floor 2: the same rows binary-COPYed into bare temporary tables (no indexes, no constraints, no upsert).
var copySeconds = await CopyFloorAsync(connectionString, new Generator(count, "B"));

// Floor 3: the same rows binary-COPYed into the real tables (indexes, checks, foreign keys) for a
// second, empty shop — what plain inserts cost with this schema — then rolled back.
var floorShop = await (await Authorized(http, admin).PostAsJsonAsync("/api/admin/merchants",
        new { name = "Orders bulk floor", slug = $"orders-floor-{DateTime.UtcNow:HHmmss}", defaultLanguage = "it" }))
    .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
var floorMerchantId = floorShop.GetProperty("merchantId").GetGuid();
var schemaSeconds = await SchemaFloorAsync(connectionString, floorMerchantId, new Generator(count, "B"));

var bodyBytes = await MeasureAsync(new Generator(count, "B"));
Say($"# Orders bulk import — {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z, {Environment.ProcessorCount} cores, {count:N0} orders ({bodyBytes / 1048576.0:F1} MB of NDJSON, {Generator.ItemsPerOrderAverage(count):F2} items per order)");
Say("");
Say("| run | seconds | orders/s | × floor (parse) | host peak RSS during the run |");
Say("|---|---:|---:|---:|---:|");
Say($"| POST /api/orders/bulk, all new (insert) | {insert.Seconds:F1} | {count / insert.Seconds:N0} | {(count / insert.Seconds) / (count / parseSeconds):F2} | {insertPeak / 1024.0:F0} MB |");
Say($"| POST /api/orders/bulk, same upload again (all updates) | {update.Seconds:F1} | {count / update.Seconds:N0} | {(count / update.Seconds) / (count / parseSeconds):F2} | {updatePeak / 1024.0:F0} MB |");
Say($"| floor: empty app reading + parsing the same NDJSON | {parseSeconds:F1} | {count / parseSeconds:N0} | 1.00 | |");
Say($"| floor: binary COPY of the same rows into bare tables | {copySeconds:F1} | {count / copySeconds:N0} | {(count / copySeconds) / (count / parseSeconds):F2} | |");
Say($"| floor: binary COPY of the same rows into the real tables (indexes, FKs; plain inserts, no upsert, no checks) | {schemaSeconds:F1} | {count / schemaSeconds:N0} | {(count / schemaSeconds) / (count / parseSeconds):F2} | |");
Say("");
Say($"Host memory: RSS {before.Rss / 1024.0:F0} MB before the timed uploads, {after.Rss / 1024.0:F0} MB after; VmHWM (peak since start, start-up included) {before.Hwm / 1024.0:F0} MB before → {after.Hwm / 1024.0:F0} MB after.");
Say($"Results: insert {insert.Result}; update {update.Result}.");
if (reportPath.Length > 0)
{
    await File.WriteAllTextAsync(reportPath, report.ToString());
}

// The bench merchant and everything it wrote go away with it (cascades).
await using (var dataSource = NpgsqlDataSource.Create(connectionString))
await using (var drop = dataSource.CreateCommand("DELETE FROM merchants WHERE id = ANY($1)"))
{
    drop.CommandTimeout = 0;
    drop.Parameters.Add(new NpgsqlParameter { Value = new[] { merchantId, floorMerchantId } });
    await drop.ExecuteNonQueryAsync();
}

async Task<((double Seconds, string Result) Run, long PeakRssKb)> TimedUploadAsync(HttpClient client, Generator generator)
{
    using var sampling = new CancellationTokenSource();
    long peak = 0;
    var sampler = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested)
        {
            peak = Math.Max(peak, Memory(hostPid).Rss);
            await Task.Delay(20);
        }
    });
    var started = Stopwatch.GetTimestamp();
    var result = await UploadAsync(client, generator);
    var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
    await sampling.CancelAsync();
    await sampler;
    return ((seconds, result), peak);
}

static async Task<string> UploadAsync(HttpClient client, Generator generator)
{
    using var response = await client.PostAsync("/api/orders/bulk", new GeneratedNdjson(generator));
    var body = await response.Content.ReadAsStringAsync();
    if (response.StatusCode != HttpStatusCode.OK)
    {
        throw new InvalidOperationException($"{(int)response.StatusCode}: {body}");
    }

    var result = JsonDocument.Parse(body).RootElement;
    return $"received {result.GetProperty("received")}, inserted {result.GetProperty("inserted")}, updated {result.GetProperty("updated")}, failed {result.GetProperty("failed")}";
}

static async Task<double> CopyFloorAsync(string connectionString, Generator generator)
{
    await using var dataSource = NpgsqlDataSource.Create(connectionString);
    await using var connection = await dataSource.OpenConnectionAsync();
    await using (var create = new NpgsqlCommand("""
        CREATE TEMP TABLE floor_orders (id uuid, number text, external_id text, customer text, email text, status text, currency char(3),
                                        channel text, total numeric(12, 2), created_at timestamptz);
        CREATE TEMP TABLE floor_items (id uuid, external_id text, sku text, name text, quantity int, unit_price numeric(12, 2));
        """, connection))
    {
        await create.ExecuteNonQueryAsync();
    }

    var started = Stopwatch.GetTimestamp();
    await using (var orders = await connection.BeginBinaryImportAsync("COPY floor_orders FROM STDIN (FORMAT BINARY)"))
    {
        foreach (var o in generator.Orders())
        {
            await orders.StartRowAsync();
            await orders.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
            await orders.WriteAsync(o.ExternalId.ToUpperInvariant(), NpgsqlDbType.Text);
            await orders.WriteAsync(o.ExternalId, NpgsqlDbType.Text);
            await orders.WriteAsync(o.Customer.ExternalId, NpgsqlDbType.Text);
            await orders.WriteAsync(o.Customer.Email, NpgsqlDbType.Text);
            await orders.WriteAsync(o.Status, NpgsqlDbType.Text);
            await orders.WriteAsync(o.Currency, NpgsqlDbType.Char);
            await orders.WriteAsync(o.Channel, NpgsqlDbType.Text);
            await orders.WriteAsync(o.Items.Sum(i => i.Quantity * i.UnitPrice), NpgsqlDbType.Numeric);
            await orders.WriteAsync(DateTimeOffset.Parse(o.CreatedAt, CultureInfo.InvariantCulture).ToUniversalTime(), NpgsqlDbType.TimestampTz);
        }

        await orders.CompleteAsync();
    }

    await using (var items = await connection.BeginBinaryImportAsync("COPY floor_items FROM STDIN (FORMAT BINARY)"))
    {
        foreach (var o in generator.Orders())
        {
            foreach (var i in o.Items)
            {
                await items.StartRowAsync();
                await items.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                await items.WriteAsync(o.ExternalId, NpgsqlDbType.Text);
                await items.WriteAsync(i.Sku, NpgsqlDbType.Text);
                await items.WriteAsync(i.Name ?? i.Sku, NpgsqlDbType.Text);
                await items.WriteAsync(i.Quantity, NpgsqlDbType.Integer);
                await items.WriteAsync(i.UnitPrice, NpgsqlDbType.Numeric);
            }
        }

        await items.CompleteAsync();
    }

    return Stopwatch.GetElapsedTime(started).TotalSeconds;
}

static async Task<double> SchemaFloorAsync(string connectionString, Guid merchantId, Generator generator)
{
    await using var dataSource = NpgsqlDataSource.Create(connectionString);
    await using var connection = await dataSource.OpenConnectionAsync();
    await using var transaction = await connection.BeginTransactionAsync();
    var started = Stopwatch.GetTimestamp();
    var customers = new Dictionary<string, Guid>();
    await using (var copy = await connection.BeginBinaryImportAsync(
        "COPY customers (id, merchant_id, external_id, email, phone, name, created_at) FROM STDIN (FORMAT BINARY)"))
    {
        foreach (var o in generator.Orders())
        {
            if (customers.TryAdd(o.Customer.ExternalId, Guid.CreateVersion7()))
            {
                await copy.WriteRowAsync(default, customers[o.Customer.ExternalId], merchantId, o.Customer.ExternalId, o.Customer.Email,
                    (object?)o.Customer.Phone ?? DBNull.Value, (object?)o.Customer.Name ?? DBNull.Value, Utc(o.CreatedAt));
            }
        }

        await copy.CompleteAsync();
    }

    var orderIds = new List<Guid>();
    await using (var copy = await connection.BeginBinaryImportAsync(
        "COPY orders (id, merchant_id, number, external_id, customer_id, status, currency, channel, subtotal, total, created_at) FROM STDIN (FORMAT BINARY)"))
    {
        foreach (var o in generator.Orders())
        {
            orderIds.Add(Guid.CreateVersion7());
            var total = o.Items.Sum(i => i.Quantity * i.UnitPrice);
            await copy.WriteRowAsync(default, orderIds[^1], merchantId, o.ExternalId.ToUpperInvariant(), o.ExternalId, customers[o.Customer.ExternalId],
                o.Status, o.Currency, o.Channel ?? "web", total, total, Utc(o.CreatedAt));
        }

        await copy.CompleteAsync();
    }

    await using (var copy = await connection.BeginBinaryImportAsync(
        "COPY order_items (id, merchant_id, order_id, sku, name, category, quantity, unit_price) FROM STDIN (FORMAT BINARY)"))
    {
        var k = 0;
        foreach (var o in generator.Orders())
        {
            foreach (var i in o.Items)
            {
                await copy.WriteRowAsync(default, Guid.CreateVersion7(), merchantId, orderIds[k], i.Sku, i.Name ?? i.Sku, (object?)i.Category ?? DBNull.Value, i.Quantity, i.UnitPrice);
            }

            k++;
        }

        await copy.CompleteAsync();
    }

    await using (var copy = await connection.BeginBinaryImportAsync(
        "COPY order_events (id, merchant_id, order_id, to_status, source, created_at) FROM STDIN (FORMAT BINARY)"))
    {
        var k = 0;
        foreach (var o in generator.Orders())
        {
            await copy.WriteRowAsync(default, Guid.CreateVersion7(), merchantId, orderIds[k++], o.Status, "import", Utc(o.CreatedAt));
        }

        await copy.CompleteAsync();
    }

    var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
    await transaction.RollbackAsync();
    return seconds;
}

static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture).ToUniversalTime();

static async Task<long> MeasureAsync(Generator generator)
{
    var counter = new CountingStream();
    await new GeneratedNdjson(generator).CopyToAsync(counter);
    return counter.Length;
}

static (long Rss, long Hwm) Memory(int pid)
{
    if (pid <= 0 || !File.Exists($"/proc/{pid}/status"))
    {
        return (0, 0);
    }

    long Field(string[] lines, string name) =>
        long.Parse(lines.First(l => l.StartsWith(name, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    var status = File.ReadAllLines($"/proc/{pid}/status");
    return (Field(status, "VmRSS:"), Field(status, "VmHWM:"));
}

static HttpClient Authorized(HttpClient client, string key)
{
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    return client;
}

string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
