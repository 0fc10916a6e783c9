using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Agents.AgentHost.Infrastructure;

/// <summary>
/// Streams the items of a bulk upload — NDJSON (one object per line) or a JSON array — with the
/// line each starts on, without holding the whole body in memory. A malformed NDJSON line is
/// reported and skipped; a malformed array ends the read at the error's line.
/// </summary>
public static class BulkReader
{
    public static async IAsyncEnumerable<(int Line, JsonElement Item, string? Error)> ReadAsync(
        Stream body, bool ndjson, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (ndjson)
        {
            using var reader = new StreamReader(body, new UTF8Encoding(false, throwOnInvalidBytes: true));
            var number = 0;
            while (true)
            {
                string? line;
                string? readError = null;
                try
                {
                    line = await reader.ReadLineAsync(cancellationToken);
                }
                catch (DecoderFallbackException)
                {
                    line = null;
                    readError = "The line is not valid UTF-8; reading stopped here.";
                }

                number++;
                if (readError is not null)
                {
                    yield return (number, default, readError);
                    yield break;
                }

                if (line is null)
                {
                    yield break;
                }

                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                JsonElement item = default;
                string? error = null;
                try
                {
                    using var document = JsonDocument.Parse(line);
                    item = document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : default;
                    error = item.ValueKind == JsonValueKind.Object ? null : "Each line must be a JSON object.";
                }
                catch (JsonException e)
                {
                    error = $"Not valid JSON: {e.Message.Split(" LineNumber:")[0]}";
                }

                yield return (number, item, error);
            }
        }

        await foreach (var item in ReadArrayAsync(body, cancellationToken))
        {
            yield return item;
        }
    }

    private static async IAsyncEnumerable<(int Line, JsonElement Item, string? Error)> ReadArrayAsync(
        Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Items are buffered one at a time: read into a growing window, parse complete items.
        var buffer = new byte[64 * 1024];
        var length = 0;
        var state = new JsonReaderState(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var started = false;
        var finished = false;
        var line = 1;
        var eof = false;
        while (!finished)
        {
            if (!eof)
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                eof = read == 0;
                length += read;
            }

            var (consumed, items, error, done, newState, lines) = Parse(buffer.AsSpan(0, length), eof, state, started, line);
            state = newState;
            started = true;
            foreach (var item in items)
            {
                yield return item;
            }

            line = lines;
            if (error is not null)
            {
                yield return (line, default, error);
                yield break;
            }

            finished = done;
            Buffer.BlockCopy(buffer, consumed, buffer, 0, length - consumed);
            length -= consumed;
            if (eof && !finished)
            {
                if (length > 0 || !done)
                {
                    yield return (line, default, started ? "The JSON array is not closed." : "Expected a JSON array or NDJSON.");
                }

                yield break;
            }
        }
    }

    private static (int Consumed, List<(int, JsonElement, string?)> Items, string? Error, bool Done, JsonReaderState State, int Line) Parse(
        ReadOnlySpan<byte> data, bool final, JsonReaderState state, bool started, int line)
    {
        var items = new List<(int, JsonElement, string?)>();
        var reader = new Utf8JsonReader(data, final, state);
        var consumed = 0;
        try
        {
            if (!started || reader.CurrentDepth == 0 && reader.TokenType == JsonTokenType.None)
            {
                if (!reader.Read())
                {
                    return (0, items, null, false, state, line);
                }

                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    return (0, items, "The body must be a JSON array of documents (or NDJSON with Content-Type application/x-ndjson).", true, reader.CurrentState, line);
                }

                consumed = (int)reader.BytesConsumed;
            }

            while (true)
            {
                var checkpoint = reader;
                if (!reader.Read())
                {
                    break;
                }

                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    return ((int)reader.BytesConsumed, items, null, true, reader.CurrentState, line + CountLines(data[consumed..(int)reader.BytesConsumed]));
                }

                var itemLine = line + CountLines(data[consumed..(int)reader.TokenStartIndex]);
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    if (!reader.TrySkip())
                    {
                        reader = checkpoint;
                        break;
                    }

                    items.Add((itemLine, default, "Each item must be a JSON object."));
                }
                else
                {
                    var start = (int)reader.TokenStartIndex;
                    if (!reader.TrySkip())
                    {
                        reader = checkpoint;
                        break;
                    }

                    using var document = JsonDocument.Parse(data[start..(int)reader.BytesConsumed].ToArray());
                    items.Add((itemLine, document.RootElement.Clone(), null));
                }

                line += CountLines(data[consumed..(int)reader.BytesConsumed]);
                consumed = (int)reader.BytesConsumed;
            }

            return (consumed, items, null, false, reader.CurrentState, line);
        }
        catch (JsonException e)
        {
            // JsonReaderState carries the reader's 0-based line number across buffers, so the
            // exception's line is counted from the start of the body.
            return (consumed, items, $"Not valid JSON at line {1 + e.LineNumber}: {e.Message.Split(" LineNumber:")[0]}", true, state, 1 + (int)(e.LineNumber ?? 0));
        }
    }

    private static int CountLines(ReadOnlySpan<byte> span) => span.Count((byte)'\n');
}
