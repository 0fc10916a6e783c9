using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Agents.Data;
using Agents.Retrieval;
using Agents.Retrieval.Indexing;
using Agents.Retrieval.Language;
using Agents.Retrieval.Search;
using Microsoft.Extensions.Options;
using Npgsql;

// Usage: ChatBench --url http://127.0.0.1:5182 --key sk_test_… --connection "<npgsql>" [--levels 1,16,64] [--checkout-levels 1,8] [--seconds 20]
var url = Arg("--url", "http://127.0.0.1:5182");
var key = Arg("--key", "");
var connectionString = Arg("--connection", "");
var levels = Arg("--levels", "1,16,64").Split(',').Select(int.Parse).ToArray();
var seconds = int.Parse(Arg("--seconds", "20"), CultureInfo.InvariantCulture);
var checkoutLevels = Arg("--checkout-levels", "1,8").Split(',').Select(int.Parse).ToArray();
string[] messages =
[
    "Ciao!", "Avete la crema di pistacchio?", "Quanto costa la spedizione?", "Do you have vegan gifts under 30 euros?",
    "Hola, ¿qué categorías tenéis?", "¿Cuánto cuesta el envío a España?", "What is your return policy?", "Grazie mille!",
];

var report = new StringBuilder();
void Say(string line)
{
    Console.WriteLine(line);
    report.AppendLine(line);
}

// The floor: the turn's retrieval query (embedding included) + one insert, same concurrency.
var dataSource = NpgsqlDataSource.Create(connectionString);
var model = await LocalEmbeddingModel.LoadAsync(Path.Combine(DataExtensions.DefaultDataDirectory(Directory.GetCurrentDirectory()), "models"), Console.WriteLine, CancellationToken.None);
Guid merchant;
await using (var command = dataSource.CreateCommand("SELECT id FROM merchants WHERE slug = 'sapori-di-sicilia'"))
{
    merchant = (Guid)(await command.ExecuteScalarAsync())!;
}

await using (var create = dataSource.CreateCommand("CREATE TABLE IF NOT EXISTS bench_floor_rows (id uuid PRIMARY KEY, merchant_id uuid, content text, created_at timestamptz DEFAULT now())"))
{
    await create.ExecuteNonQueryAsync();
}

async Task FloorTurnAsync(HybridSearch floorSearch, NpgsqlDataSource floorSource, string text)
{
    await floorSearch.SearchAsync(merchant, new SearchQuery(text, K: 4), CancellationToken.None);
    await using var insert = floorSource.CreateCommand("INSERT INTO bench_floor_rows (id, merchant_id, content) VALUES (@id, @m, @c)");
    insert.Parameters.AddWithValue("id", Guid.CreateVersion7());
    insert.Parameters.AddWithValue("m", merchant);
    insert.Parameters.AddWithValue("c", text);
    await insert.ExecuteNonQueryAsync();
}

using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
http.DefaultRequestHeaders.Authorization = new("Bearer", key);
var failures = 0;
async Task ChatTurnAsync(string session, string text)
{
    using var response = await http.PostAsJsonAsync("/chat", new { sessionId = session, message = text });
    if (!response.IsSuccessStatusCode)
    {
        Interlocked.Increment(ref failures);
    }

    await response.Content.ReadAsByteArrayAsync();
}

Say($"# POST /chat, local model — {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z, {Environment.ProcessorCount} cores, {seconds} s per level");
Say("");
Say("| concurrent conversations | turns/s | p50 | p99 | floor turns/s | floor p50 | floor p99 | p50 / floor p50 | failed |");
Say("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var level in levels)
{
    await RunAsync(level, 3, (_, text) => ChatTurnAsync($"warm-{Guid.NewGuid():N}", text)); // warm-up
    // Its own small pool, closed afterwards, so the floor's idle connections do not crowd the host's.
    (double Rate, double P50, double P99) floor;
    await using (var floorSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = level + 2 }.ConnectionString))
    {
        var floorSearch = new HybridSearch(floorSource, model, new LanguageDetector(), Options.Create(new RetrievalOptions()));
        floor = await RunAsync(level, seconds, (_, text) => FloorTurnAsync(floorSearch, floorSource, text));
    }


    failures = 0;
    var chat = await RunAsync(level, seconds, (worker, text) => ChatTurnAsync($"bench-{level}-{worker}-{DateTime.UtcNow.Ticks}", text));
    Say($"| {level} | {chat.Rate:F0} | {chat.P50:F1} ms | {chat.P99:F1} ms | {floor.Rate:F0} | {floor.P50:F1} ms | {floor.P99:F1} ms | {chat.P50 / floor.P50:F2}× | {failures} |");
}

// Checkout: add to cart (chat) → place the order (chat) → pay (the secure page), by registered customers.
const string CheckoutSku = "SDS-SAL-001";
int stockBefore;
await using (var read = dataSource.CreateCommand($"SELECT stock FROM products WHERE merchant_id = '{merchant}' AND sku = '{CheckoutSku}'"))
{
    stockBefore = (int)(await read.ExecuteScalarAsync())!;
}

await using (var stock = dataSource.CreateCommand($"UPDATE products SET stock = 1000000 WHERE merchant_id = '{merchant}' AND sku = '{CheckoutSku}'"))
{
    await stock.ExecuteNonQueryAsync();
}

async Task<string> RegisteredCustomerAsync(string externalId)
{
    await using var insert = dataSource.CreateCommand("""
        INSERT INTO customers (id, merchant_id, external_id, name, email, language, address_line, postal_code, city, country, registered_at, consent_at)
        VALUES (@id, @m, @e, 'Bench Shopper', @e || '@bench.example', 'en', 'Via Bench 1', '90100', 'Palermo', 'IT', now(), now())
        """);
    insert.Parameters.AddWithValue("id", Guid.CreateVersion7());
    insert.Parameters.AddWithValue("m", merchant);
    insert.Parameters.AddWithValue("e", externalId);
    await insert.ExecuteNonQueryAsync();
    return externalId;
}

var steps = new ConcurrentDictionary<string, ConcurrentBag<double>>();
void Step(string name, long started) => steps.GetOrAdd(name, _ => []).Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);

async Task CheckoutAsync(string externalId)
{
    var session = "checkout-" + externalId;
    var started = Stopwatch.GetTimestamp();
    using var added = await http.PostAsJsonAsync("/chat", new { sessionId = session, message = $"add 1 {CheckoutSku} to my cart", customer = new { externalId, language = "en" } });
    Step("add_to_cart turn", started);
    started = Stopwatch.GetTimestamp();
    using var placed = await http.PostAsJsonAsync("/chat", new { sessionId = session, message = "place the order" });
    Step("place_order turn", started);
    started = Stopwatch.GetTimestamp();
    var reply = await placed.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
    if (!added.IsSuccessStatusCode || !reply.TryGetProperty("links", out var links) || links.GetArrayLength() == 0)
    {
        Interlocked.Increment(ref failures);
        return;
    }

    using var paid = await http.PostAsync(new Uri(links[0].GetProperty("url").GetString()!).PathAndQuery, new FormUrlEncodedContent([]));
    Step("pay page POST", started);
    if (!paid.IsSuccessStatusCode)
    {
        Interlocked.Increment(ref failures);
    }
}

// The floor: the same rows written straight with SQL in one transaction — cart line, stock,
// order with its item, cart emptied, points.
async Task FloorCheckoutAsync(NpgsqlDataSource floorSource, string externalId)
{
    await using var connection = await floorSource.OpenConnectionAsync();
    await using var transaction = await connection.BeginTransactionAsync();
    await using var batch = new NpgsqlBatch(connection, transaction)
    {
        BatchCommands =
        {
            new("""
                INSERT INTO cart_items (id, merchant_id, customer_id, product_id, quantity)
                SELECT gen_random_uuid(), c.merchant_id, c.id, p.id, 1 FROM customers c JOIN products p ON p.merchant_id = c.merchant_id AND p.sku = $2
                WHERE c.merchant_id = $1 AND c.external_id = $3 AND p.stock >= 1
                """),
            new("UPDATE products SET stock = stock - 1 WHERE merchant_id = $1 AND sku = $2 AND stock >= 1"),
            new("""
                WITH o AS (INSERT INTO orders (id, merchant_id, number, customer_id, status, total, subtotal)
                           SELECT gen_random_uuid(), $1, 'BENCH-' || gen_random_uuid(), id, 'paid', 5, 5 FROM customers WHERE merchant_id = $1 AND external_id = $3 RETURNING id)
                INSERT INTO order_items (id, merchant_id, order_id, sku, name, quantity, unit_price) SELECT gen_random_uuid(), $1, o.id, $2, 'x', 1, 5 FROM o
                """),
            new("DELETE FROM cart_items WHERE merchant_id = $1 AND customer_id = (SELECT id FROM customers WHERE merchant_id = $1 AND external_id = $3)"),
            new("UPDATE customers SET loyalty_points = loyalty_points + 5 WHERE merchant_id = $1 AND external_id = $3"),
        },
    };
    foreach (var command in batch.BatchCommands)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = merchant });
        command.Parameters.Add(new NpgsqlParameter { Value = CheckoutSku });
        command.Parameters.Add(new NpgsqlParameter { Value = externalId });
    }

    await batch.ExecuteNonQueryAsync();
    await transaction.CommitAsync();
}

var stepReport = new List<string>();
Say("");
Say("| checkout (add → order → pay), concurrent shoppers | checkouts/s | p50 | p99 | floor checkouts/s | floor p50 | floor p99 | p50 / floor p50 | failed |");
Say("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var level in checkoutLevels)
{
    var shoppers = await Task.WhenAll(Enumerable.Range(0, level).Select(w => RegisteredCustomerAsync($"bench-ck-{level}-{w}-{DateTime.UtcNow.Ticks}")));
    await RunAsync(level, 3, (worker, _) => CheckoutAsync(shoppers[worker])); // warm-up
    (double Rate, double P50, double P99) floor;
    await using (var floorSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = level + 2 }.ConnectionString))
    {
        floor = await RunAsync(level, seconds, (worker, _) => FloorCheckoutAsync(floorSource, shoppers[worker]));
    }

    failures = 0;
    steps.Clear();
    var checkout = await RunAsync(level, seconds, (worker, _) => CheckoutAsync(shoppers[worker]));
    Say($"| {level} | {checkout.Rate:F1} | {checkout.P50:F1} ms | {checkout.P99:F1} ms | {floor.Rate:F0} | {floor.P50:F1} ms | {floor.P99:F1} ms | {checkout.P50 / floor.P50:F2}× | {failures} |");
    stepReport.Add($"{level} shoppers: " + string.Join(", ", steps.OrderBy(s => s.Key, StringComparer.Ordinal)
        .Select(s => $"{s.Key} p50 {Percentile([.. s.Value.Order()], 50):F1} ms")));
}

Say("");
foreach (var line in stepReport)
{
    Say($"Checkout steps at {line}");
}

Directory.CreateDirectory(Path.Combine("bench", "results"));
await File.WriteAllTextAsync(Path.Combine("bench", "results", "chat.md"), report.ToString());
// Leave the demo shop as it was: its orders and conversations are the analytics' known data.
await using (var cleanup = dataSource.CreateCommand($"""
    DROP TABLE bench_floor_rows;
    DELETE FROM orders WHERE merchant_id = '{merchant}' AND (number LIKE 'BENCH-%'
        OR customer_id IN (SELECT id FROM customers WHERE merchant_id = '{merchant}' AND external_id LIKE 'bench-ck-%'));
    DELETE FROM conversations WHERE merchant_id = '{merchant}' AND (session_id LIKE 'bench-%' OR session_id LIKE 'warm-%' OR session_id LIKE 'checkout-bench-ck-%');
    DELETE FROM customers WHERE merchant_id = '{merchant}' AND (external_id LIKE 'bench-ck-%'
        OR (external_id IS NULL AND phone IS NULL AND email IS NULL AND NOT EXISTS (SELECT 1 FROM conversations c WHERE c.customer_id = customers.id)
            AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = customers.id)));
    UPDATE products SET stock = {stockBefore} WHERE merchant_id = '{merchant}' AND sku = '{CheckoutSku}';
    """))
{
    await cleanup.ExecuteNonQueryAsync();
}

return;

// Each worker is one conversation: it sends the next message as soon as the previous turn answered.
async Task<(double Rate, double P50, double P99)> RunAsync(int workers, int duration, Func<int, string, Task> turn)
{
    var latencies = new ConcurrentBag<double>();
    var stop = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
    {
        for (var i = worker; stop.Elapsed.TotalSeconds < duration; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await turn(worker, messages[i % messages.Length]);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    })));
    var sorted = latencies.Order().ToList();
    return (sorted.Count / stop.Elapsed.TotalSeconds, Percentile(sorted, 50), Percentile(sorted, 99));
}

static double Percentile(List<double> sorted, int p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];

string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
