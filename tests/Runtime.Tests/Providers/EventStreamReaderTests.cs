using System.Text;
using Agents.Runtime.Providers;

namespace Agents.Runtime.Tests.Providers;

public sealed class EventStreamReaderTests
{
    [Fact]
    public void Crc32_StandardCheckInput_GivesStandardCheckValue()
    {
        // The test frames' CRC32 is only as good as this: "123456789" → 0xCBF43926 for CRC-32/ISO-HDLC.
        Assert.Equal(0xCBF43926u, EventStreamFrames.Crc32("123456789"u8));
    }

    [Fact]
    public async Task ReadAsync_Frames_DecodesHeadersAndPayloadsInOrder()
    {
        var reader = Reader([
            .. EventStreamFrames.Event("messageStart", """{"role":"assistant"}"""),
            .. EventStreamFrames.Event("messageStop", """{"stopReason":"end_turn"}"""),
        ]);

        var start = await reader.ReadAsync(TestContext.Current.CancellationToken);
        var stop = await reader.ReadAsync(TestContext.Current.CancellationToken);
        var end = await reader.ReadAsync(TestContext.Current.CancellationToken);

        Assert.Equal("messageStart", start!.Headers[":event-type"].AsString());
        Assert.Equal("event", start.Headers[":message-type"].AsString());
        Assert.Equal("""{"role":"assistant"}""", Encoding.UTF8.GetString(start.Payload));
        Assert.Equal("messageStop", stop!.Headers[":event-type"].AsString());
        Assert.Null(end);
    }

    [Theory]
    [InlineData(8, true)] // the prelude's own CRC
    [InlineData(4, true)] // the headers length, covered by the prelude CRC
    [InlineData(-6, false)] // a payload byte
    [InlineData(-1, false)] // the message CRC
    public async Task ReadAsync_CorruptedByte_ThrowsCrcError(int position, bool inPrelude)
    {
        var frame = EventStreamFrames.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hello"}}""");
        frame[position < 0 ? frame.Length + position : position] ^= 0x01;

        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => Reader(frame).ReadAsync(TestContext.Current.CancellationToken));

        Assert.Contains("failed its CRC32 check", failure.Message, StringComparison.Ordinal);
        Assert.Equal(inPrelude, failure.Message.Contains("Prelude", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_StreamEndsInsideFrame_ThrowsTruncated()
    {
        var frame = EventStreamFrames.Event("messageStart", """{"role":"assistant"}""");

        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => Reader(frame[..^3]).ReadAsync(TestContext.Current.CancellationToken));

        Assert.Equal("The event stream ended in the middle of a frame.", failure.Message);
    }

    [Fact]
    public async Task ReadAsync_ImpossibleLength_ThrowsWithoutAllocatingIt()
    {
        var frame = EventStreamFrames.Event("messageStart", """{"role":"assistant"}""");
        frame[0] = 0x7F;

        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => Reader(frame).ReadAsync(TestContext.Current.CancellationToken));

        Assert.StartsWith("An event stream frame has an impossible length", failure.Message, StringComparison.Ordinal);
    }

    private static EventStreamReader Reader(byte[] bytes) => new(new MemoryStream(bytes));
}
