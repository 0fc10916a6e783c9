using System.Runtime.InteropServices;
using System.Text.Json;

namespace Agents.Retrieval.Embeddings;

/// <summary>A TF.js graph model as stored on disk: the node list of model.json and its weights read from the shards.</summary>
internal sealed class TfjsGraphModel
{
    private readonly Dictionary<string, GraphNode> _nodes;
    private readonly Dictionary<string, Tensor> _weights;

    private TfjsGraphModel(Dictionary<string, GraphNode> nodes, Dictionary<string, Tensor> weights)
    {
        _nodes = nodes;
        _weights = weights;
    }

    public static async Task<TfjsGraphModel> LoadAsync(string modelJsonPath, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(modelJsonPath))!;
        JsonDocument document;
        await using (var stream = File.OpenRead(modelJsonPath))
        {
            document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        }

        using (document)
        {
            var root = document.RootElement;
            var nodes = new Dictionary<string, GraphNode>(StringComparer.Ordinal);
            foreach (var node in root.GetProperty("modelTopology").GetProperty("node").EnumerateArray())
            {
                var name = node.GetProperty("name").GetString()!;
                var inputs = node.TryGetProperty("input", out var input)
                    ? input.EnumerateArray().Select(i => i.GetString()!).ToArray()
                    : [];
                nodes[name] = new GraphNode(name, node.GetProperty("op").GetString()!, inputs);
            }

            var weights = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var group in root.GetProperty("weightsManifest").EnumerateArray())
            {
                var bytes = await ReadShardsAsync(directory, group.GetProperty("paths"), cancellationToken);
                var offset = 0;
                foreach (var spec in group.GetProperty("weights").EnumerateArray())
                {
                    var name = spec.GetProperty("name").GetString()!;
                    var dtype = spec.GetProperty("dtype").GetString();
                    var shape = spec.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
                    if (spec.TryGetProperty("quantization", out _))
                    {
                        throw new NotSupportedException($"{modelJsonPath}: weight '{name}' is quantized; only float32/int32 weights are supported.");
                    }

                    if (dtype is not ("float32" or "int32"))
                    {
                        throw new NotSupportedException($"{modelJsonPath}: weight '{name}' has dtype {dtype}; only float32/int32 are supported.");
                    }

                    var count = shape.Aggregate(1, (a, b) => checked(a * b));
                    var size = checked(count * 4);
                    if (offset + size > bytes.Length)
                    {
                        throw new InvalidDataException($"{modelJsonPath}: the shards end before weight '{name}'.");
                    }

                    var data = new float[count];
                    bytes.AsSpan(offset, size).CopyTo(MemoryMarshal.AsBytes(data.AsSpan()));
                    weights[name] = new Tensor(shape, data, dtype == "int32");
                    offset += size;
                }

                if (offset != bytes.Length)
                {
                    throw new InvalidDataException($"{modelJsonPath}: the shards hold {bytes.Length} bytes but the manifest describes {offset}.");
                }
            }

            if (!BitConverter.IsLittleEndian)
            {
                throw new PlatformNotSupportedException("TF.js weight shards are little-endian.");
            }

            return new TfjsGraphModel(nodes, weights);
        }
    }

    public GraphNode Node(string name) =>
        _nodes.TryGetValue(name, out var node) ? node : throw Mismatch($"has no node '{name}'");

    /// <summary>A float weight of exactly the given shape.</summary>
    public float[] Floats(string name, params int[] shape)
    {
        var tensor = Weight(name);
        if (tensor.IsInt32 || !tensor.Shape.SequenceEqual(shape))
        {
            throw Mismatch($"weight '{name}' is {(tensor.IsInt32 ? "int32" : "float32")}[{string.Join(',', tensor.Shape)}], expected float32[{string.Join(',', shape)}]");
        }

        return tensor.Data;
    }

    public int[] ShapeOf(string name) => [.. Weight(name).Shape];

    public float FloatScalar(string name) => Floats(name)[0];

    public int IntScalar(string name)
    {
        var tensor = Weight(name);
        if (!tensor.IsInt32 || tensor.Data.Length != 1)
        {
            throw Mismatch($"weight '{name}' is not an int32 scalar");
        }

        return BitConverter.SingleToInt32Bits(tensor.Data[0]);
    }

    /// <summary>Fails unless <paramref name="name"/> is an <paramref name="op"/> node whose inputs are exactly <paramref name="inputs"/>.</summary>
    public void Expect(string name, string op, params string[] inputs)
    {
        var node = Node(name);
        if (node.Op != op || !node.Inputs.SequenceEqual(inputs))
        {
            throw Mismatch($"node '{name}' is {node.Op}({string.Join(", ", node.Inputs)}), expected {op}({string.Join(", ", inputs)})");
        }
    }

    private Tensor Weight(string name) =>
        _weights.TryGetValue(name, out var tensor) ? tensor : throw Mismatch($"has no weight '{name}'");

    private static InvalidDataException Mismatch(string what) =>
        new($"model.json is not the Universal Sentence Encoder lite graph this port implements: it {what}.");

    private static async Task<byte[]> ReadShardsAsync(string directory, JsonElement paths, CancellationToken cancellationToken)
    {
        var files = paths.EnumerateArray().Select(p => Path.Combine(directory, p.GetString()!)).ToArray();
        var total = files.Sum(f => new FileInfo(f).Length);
        var bytes = new byte[total];
        var offset = 0;
        foreach (var file in files)
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            while (true)
            {
                var read = await stream.ReadAsync(bytes.AsMemory(offset), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                offset += read;
            }
        }

        return offset == total ? bytes : throw new InvalidDataException($"{directory}: a weight shard changed while it was read.");
    }

    internal sealed record GraphNode(string Name, string Op, string[] Inputs);

    // int32 weights keep their bits in the float array; only scalars of them are ever read.
    private sealed record Tensor(int[] Shape, float[] Data, bool IsInt32);
}
