using System.Text;
using Agents.AgentHost.Infrastructure;

namespace Agents.AgentHost.Tests;

public sealed class BulkReaderTests
{
    private static async Task<List<(int Line, string? Title, string? Error)>> ReadAsync(string body, bool ndjson, int chunk = 7)
    {
        // A stream that hands out a few bytes at a time, as a slow network would.
        var stream = new TrickleStream(Encoding.UTF8.GetBytes(body), chunk);
        var items = new List<(int, string?, string?)>();
        await foreach (var (line, item, error) in BulkReader.ReadAsync(stream, ndjson, TestContext.Current.CancellationToken))
        {
            items.Add((line, error is null ? item.GetProperty("title").GetString() : null, error));
        }

        return items;
    }

    [Fact]
    public async Task Ndjson_BadLines_ReportedWithTheirNumbers()
    {
        var body = "{\"title\":\"a\"}\n\n{\"title\":\n[1,2]\n{\"title\":\"d\"}\n";

        var items = await ReadAsync(body, ndjson: true);

        Assert.Equal((1, "a", null), items[0]);
        Assert.Equal(3, items[1].Line);
        Assert.StartsWith("Not valid JSON", items[1].Error);
        Assert.Equal((4, null, "Each line must be a JSON object."), items[2]);
        Assert.Equal((5, "d", null), items[3]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Array_Items_ComeWithTheLineTheyStartOn(int chunk)
    {
        var body = "[\n  {\"title\": \"a\"},\n  {\n    \"title\": \"b\"\n  },\n  42,\n  {\"title\": \"ü ñ 🍋\"}\n]";

        var items = await ReadAsync(body, ndjson: false, chunk);

        Assert.Equal([(2, "a", null), (3, "b", null), (6, null, "Each item must be a JSON object."), (7, "ü ñ 🍋", null)], items);
    }

    [Fact]
    public async Task Array_SyntaxError_StopsAtItsLineAfterKeepingEarlierItems()
    {
        var body = "[\n{\"title\": \"a\"},\n{\"title\": \"b\" \"oops\": 1},\n{\"title\": \"c\"}\n]";

        var items = await ReadAsync(body, ndjson: false);

        Assert.Equal((2, "a", null), items[0]);
        Assert.Equal(2, items.Count);
        Assert.Equal(3, items[1].Line);
        Assert.StartsWith("Not valid JSON", items[1].Error);
    }

    [Fact]
    public async Task NotAnArray_IsOneClearError()
    {
        var items = await ReadAsync("{\"title\": \"a\"}", ndjson: false);

        Assert.Contains("JSON array", Assert.Single(items).Error);
    }

    private sealed class TrickleStream(byte[] data, int chunk) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => data.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, chunk), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
