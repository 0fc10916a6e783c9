using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

internal sealed record FloorCustomer(string ExternalId, string? Email, string? Phone, string? Name);

internal sealed record FloorItem(string Sku, string? Name, string? Category, int Quantity, decimal UnitPrice);

internal sealed record FloorOrder(string ExternalId, FloorCustomer Customer, string CreatedAt, string Status, string Currency, string? Channel, List<FloorItem> Items);

/// <summary>Deterministic orders: 20,000 customers, 1–4 items from 90 skus, two years of dates, the usual statuses.</summary>
internal sealed class Generator(int count, string prefix)
{
    public const int Skus = 90;
    private static readonly string[] Statuses = ["delivered", "delivered", "delivered", "shipped", "paid", "pending_payment", "cancelled", "refunded"];
    private static readonly string[] Channels = ["web", "web", "whatsapp", "api"];
    private static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static string Sku(int k) => $"SKU-{k:000}";

    public static decimal Price(int k) => 3.5m + k % 40 * 1.25m;

    public static double ItemsPerOrderAverage(int count) => Enumerable.Range(0, count).Average(i => (double)(1 + Mix(i) % 4));

    public IEnumerable<FloorOrder> Orders()
    {
        for (var i = 0; i < count; i++)
        {
            var h = Mix(i);
            var customer = (int)(h % 20_000);
            var items = new List<FloorItem>();
            for (var line = 0; line <= (int)(h % 4); line++)
            {
                var sku = (int)((h >> (8 + line * 6)) % Skus);
                items.Add(new FloorItem(Sku(sku), sku % 3 == 0 ? null : $"Articolo {sku}", sku % 3 == 0 ? null : $"cat-{sku % 7}", 1 + line % 3, Price(sku)));
            }

            yield return new FloorOrder($"{prefix}-{i + 1}",
                new FloorCustomer($"cust-{customer}", $"cust-{customer}@example.com", customer % 2 == 0 ? $"+39333{customer:0000000}" : null, $"Cliente {customer}"),
                Start.AddMinutes(h % (730 * 24 * 60)).ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture).Replace("+00:00", "Z", StringComparison.Ordinal),
                Statuses[h % (ulong)Statuses.Length], "EUR", Channels[(h >> 3) % (ulong)Channels.Length], items);
        }
    }

    private static ulong Mix(int i)
    {
        var z = (ulong)i + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>The generator's orders written as NDJSON while the request is sent: the upload never exists in memory.</summary>
internal sealed class GeneratedNdjson : HttpContent
{
    private readonly Generator _generator;

    public GeneratedNdjson(Generator generator)
    {
        _generator = generator;
        Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var newline = "\n"u8.ToArray();
        var buffer = new BufferedStream(stream, 64 * 1024);
        foreach (var order in _generator.Orders())
        {
            await JsonSerializer.SerializeAsync(buffer, order, JsonSerializerOptions.Web);
            await buffer.WriteAsync(newline);
        }

        await buffer.FlushAsync();
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}

internal sealed class CountingStream : Stream
{
    private long _length;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;
    public override long Position { get => _length; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => _length += count;
    public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _length += buffer.Length;
        return ValueTask.CompletedTask;
    }
}
