using System.Buffers.Binary;
using Amazon.Runtime.EventStreams;

namespace Agents.Runtime.Providers;

/// <summary>
/// Cuts an <c>application/vnd.amazon.eventstream</c> body into messages. Each frame is a prelude
/// (total length, headers length, CRC32 of those 8 bytes), the headers, the payload and a CRC32 of
/// everything before it; AWSSDK.Core decodes a whole frame and checks both CRCs.
/// </summary>
internal sealed class EventStreamReader(Stream stream)
{
    private const int PreludeLength = 12;
    private const int ChecksumLength = 4;

    // AWS caps a message at 16 MB; anything bigger is a corrupted prelude, not a reason to allocate.
    private const int MaxFrameLength = 16 * 1024 * 1024 + PreludeLength + ChecksumLength;

    /// <summary>The next message, or null at the end of the stream.</summary>
    /// <exception cref="InvalidDataException">A frame is truncated, oversized or fails its CRC check.</exception>
    public async Task<EventStreamMessage?> ReadAsync(CancellationToken cancellationToken)
    {
        var prelude = new byte[PreludeLength];
        var read = await stream.ReadAtLeastAsync(prelude, PreludeLength, throwOnEndOfStream: false, cancellationToken);
        if (read == 0)
        {
            return null;
        }

        if (read < PreludeLength)
        {
            throw Truncated();
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(prelude);
        if (length is < PreludeLength + ChecksumLength or > MaxFrameLength)
        {
            throw new InvalidDataException($"An event stream frame has an impossible length ({length} bytes).");
        }

        var frame = new byte[length];
        prelude.CopyTo(frame, 0);
        if (await stream.ReadAtLeastAsync(frame.AsMemory(PreludeLength), length - PreludeLength, throwOnEndOfStream: false, cancellationToken) < length - PreludeLength)
        {
            throw Truncated();
        }

        try
        {
            return EventStreamMessage.FromBuffer(frame, 0, length);
        }
        catch (EventStreamChecksumFailureException exception)
        {
            throw new InvalidDataException($"An event stream frame failed its CRC32 check ({exception.Message}).", exception);
        }
        catch (EventStreamParseException exception)
        {
            throw new InvalidDataException($"An event stream frame could not be decoded ({exception.Message}).", exception);
        }
    }

    private static InvalidDataException Truncated() => new("The event stream ended in the middle of a frame.");
}
