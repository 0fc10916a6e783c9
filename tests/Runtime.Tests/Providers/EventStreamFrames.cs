using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Agents.Runtime.Tests.Providers;

/// <summary>
/// Builds <c>application/vnd.amazon.eventstream</c> frames as Bedrock sends them: prelude (total
/// length, headers length, CRC32 of those 8 bytes), string headers, payload, CRC32 of all before it.
/// The CRC32 is computed here, independently of AWSSDK.Core, which the code under test uses.
/// </summary>
public static class EventStreamFrames
{
    private const byte StringHeader = 7;

    /// <summary>The frames for a file of <c>[{"event": "...", "payload": {...}}]</c>, one after another.</summary>
    public static byte[] FromFile(string name)
    {
        using var events = JsonDocument.Parse(TestFiles.Read(name));
        return [.. events.RootElement.EnumerateArray()
            .SelectMany(e => Event(e.GetProperty("event").GetString()!, e.GetProperty("payload").GetRawText()))];
    }

    public static byte[] Event(string eventType, string payloadJson) =>
        Frame([(":event-type", eventType), (":content-type", "application/json"), (":message-type", "event")], payloadJson);

    public static byte[] Exception(string exceptionType, string message) =>
        Frame([(":exception-type", exceptionType), (":content-type", "application/json"), (":message-type", "exception")],
            JsonSerializer.Serialize(new { message }));

    public static byte[] Frame(IEnumerable<(string Name, string Value)> headers, string payload)
    {
        var headerBytes = new List<byte>();
        foreach (var (name, value) in headers)
        {
            var nameBytes = Encoding.UTF8.GetBytes(name);
            var valueBytes = Encoding.UTF8.GetBytes(value);
            headerBytes.Add((byte)nameBytes.Length);
            headerBytes.AddRange(nameBytes);
            headerBytes.Add(StringHeader);
            headerBytes.Add((byte)(valueBytes.Length >> 8));
            headerBytes.Add((byte)valueBytes.Length);
            headerBytes.AddRange(valueBytes);
        }

        var payloadBytes = Encoding.UTF8.GetBytes(payload);
        var frame = new byte[12 + headerBytes.Count + payloadBytes.Length + 4];
        BinaryPrimitives.WriteInt32BigEndian(frame, frame.Length);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), headerBytes.Count);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), Crc32(frame.AsSpan(0, 8)));
        headerBytes.CopyTo(frame, 12);
        payloadBytes.CopyTo(frame, 12 + headerBytes.Count);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(frame.Length - 4), Crc32(frame.AsSpan(0, frame.Length - 4)));
        return frame;
    }

    /// <summary>CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), bit by bit.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
