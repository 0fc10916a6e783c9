using System.Buffers;
using System.Numerics.Tensors;

namespace Agents.Retrieval.Embeddings;

/// <summary>
/// The forward pass of the USE-lite graph for a batch of token sequences. The graph pads the
/// batch to a dense [batch, length] grid, but every op either works per token or masks the
/// padding (attention adds -1e9 to padded keys, whose softmax weight is then exactly 0; the
/// pooling multiplies padding by 0), so computing only the real tokens gives the same numbers.
/// Tokens of all sequences are stacked into one matrix so each weight matrix is streamed once
/// per chunk; attention and pooling then run per sequence.
/// </summary>
internal static class UseLiteForward
{
    public static void Run(UseLiteWeights model, ReadOnlySpan<int[]> sequences, Span<float[]> outputs)
    {
        var rows = 0;
        var longest = 1;
        foreach (var sequence in sequences)
        {
            rows += sequence.Length;
            longest = Math.Max(longest, sequence.Length);
        }

        var hidden = model.OutputWidth;
        var widest = model.Layers.Max(l => Math.Max(3 * l.InputWidth, l.FfnWidth));
        using var state = new Buffer(rows * hidden);
        using var normed = new Buffer(rows * hidden);
        using var wide = new Buffer(rows * widest);
        using var attended = new Buffer(rows * hidden);
        using var residual = new Buffer(rows * hidden);
        using var scores = new Buffer(longest);
        using var query = new Buffer(hidden);
        using var pooled = new Buffer(2 * sequences.Length * hidden);

        var width = model.EmbeddingWidth;
        Embed(model, sequences, state.Span[..(rows * width)]);

        foreach (var layer in model.Layers)
        {
            var input = layer.InputWidth;
            var x = state.Span[..(rows * input)];
            var ln = normed.Span[..(rows * input)];
            LayerNorm(x, input, layer.AttentionNormScale, layer.AttentionNormBias, model.LayerNormEpsilon, ln);

            // Residual branch: layer 0 projects its 256-wide input to 512 with a dense layer.
            var skip = residual.Span[..(rows * hidden)];
            if (layer.Residual is { } projection)
            {
                Gemm.Multiply(x, rows, projection, skip);
            }
            else
            {
                x.CopyTo(skip);
            }

            var qkv = wide.Span[..(rows * 3 * input)];
            Gemm.Multiply(ln, rows, layer.Qkv, qkv);
            var att = attended.Span[..(rows * input)];
            var offset = 0;
            foreach (var sequence in sequences)
            {
                Attention(qkv, offset, sequence.Length, input, layer.Heads, layer.QueryScale, scores.Span, query.Span, att);
                offset += sequence.Length;
            }

            var h = state.Span[..(rows * hidden)];
            Gemm.Multiply(att, rows, layer.Output, h);
            TensorPrimitives.Add(h, skip, h);

            // Feed-forward block: h += W2·relu(W1·LN(h) + b1) + b2.
            var ln2 = normed.Span[..(rows * hidden)];
            LayerNorm(h, hidden, layer.FfnNormScale, layer.FfnNormBias, model.LayerNormEpsilon, ln2);
            var inner = wide.Span[..(rows * layer.FfnWidth)];
            Gemm.Multiply(ln2, rows, layer.FfnInner, inner);
            TensorPrimitives.Max(inner, 0f, inner);
            var ffn = residual.Span[..(rows * hidden)];
            Gemm.Multiply(inner, rows, layer.FfnOuter, ffn);
            TensorPrimitives.Add(h, ffn, h);
        }

        // Mean over each sequence's tokens; RealDiv by max(length, 1), so an empty sequence pools
        // to zeros as the empty row of a TF.js batch does.
        var final = state.Span[..(rows * hidden)];
        var means = pooled.Span[..(sequences.Length * hidden)];
        means.Clear();
        var start = 0;
        for (var s = 0; s < sequences.Length; s++)
        {
            var length = sequences[s].Length;
            var mean = means.Slice(s * hidden, hidden);
            for (var t = 0; t < length; t++)
            {
                TensorPrimitives.Add(mean, final.Slice((start + t) * hidden, hidden), mean);
            }

            TensorPrimitives.Divide(mean, (float)Math.Max(length, 1), mean);
            start += length;
        }

        // tanh(mean·W + b), then x · rsqrt(max(Σx², ε)).
        var projected = pooled.Span[(sequences.Length * hidden)..];
        Gemm.Multiply(means, sequences.Length, model.Tanh, projected);
        for (var s = 0; s < sequences.Length; s++)
        {
            var output = new float[hidden];
            TensorPrimitives.Tanh(projected.Slice(s * hidden, hidden), output);
            var scale = 1f / MathF.Sqrt(Math.Max(TensorPrimitives.SumOfSquares(output), model.L2Epsilon));
            TensorPrimitives.Multiply(output, scale, output);
            outputs[s] = output;
        }
    }

    /// <summary>Rows of embedding + (embedding + [sin(t·f), cos(t·f)]), in the graph's order of additions.</summary>
    private static void Embed(UseLiteWeights model, ReadOnlySpan<int[]> sequences, Span<float> destination)
    {
        var width = model.EmbeddingWidth;
        var half = width / 2;
        var frequencies = model.InverseTimescales;
        var row = 0;
        foreach (var sequence in sequences)
        {
            for (var t = 0; t < sequence.Length; t++, row++)
            {
                var embedding = model.Embeddings.AsSpan(sequence[t] * width, width);
                var target = destination.Slice(row * width, width);
                for (var j = 0; j < half; j++)
                {
                    var angle = t * frequencies[j];
                    target[j] = embedding[j] + (embedding[j] + MathF.Sin(angle));
                    target[half + j] = embedding[half + j] + (embedding[half + j] + MathF.Cos(angle));
                }
            }
        }
    }

    private static void LayerNorm(ReadOnlySpan<float> x, int width, float[] scale, float[] bias, float epsilon, Span<float> destination)
    {
        Span<float> gain = stackalloc float[width];
        for (var offset = 0; offset < x.Length; offset += width)
        {
            var row = x.Slice(offset, width);
            var target = destination.Slice(offset, width);
            var mean = TensorPrimitives.Sum(row) / width;
            TensorPrimitives.Subtract(row, mean, target);
            var variance = TensorPrimitives.SumOfSquares(target) / width;
            var inverse = 1f / MathF.Sqrt(variance + epsilon);

            // (scale · rsqrt) · (x − mean) + bias, the graph's association.
            TensorPrimitives.Multiply(scale, inverse, gain);
            TensorPrimitives.MultiplyAdd(gain, target, bias, target);
        }
    }

    /// <summary>Scaled dot-product attention of one sequence (rows [first, first+length)) over itself, all heads.</summary>
    private static void Attention(ReadOnlySpan<float> qkv, int first, int length, int width, int heads, float queryScale,
        Span<float> scoreBuffer, Span<float> queryBuffer, Span<float> destination)
    {
        var depth = width / heads;
        var stride = 3 * width;
        var scores = scoreBuffer[..length];
        var scaled = queryBuffer[..depth];
        for (var head = 0; head < heads; head++)
        {
            var column = head * depth;
            for (var t = 0; t < length; t++)
            {
                TensorPrimitives.Multiply(qkv.Slice((first + t) * stride + column, depth), queryScale, scaled);
                for (var s = 0; s < length; s++)
                {
                    scores[s] = TensorPrimitives.Dot(scaled, qkv.Slice((first + s) * stride + width + column, depth));
                }

                // Softmax with the maximum subtracted, as TF.js does (TensorPrimitives.SoftMax does not).
                var max = TensorPrimitives.Max(scores);
                TensorPrimitives.Subtract(scores, max, scores);
                TensorPrimitives.Exp(scores, scores);
                TensorPrimitives.Divide(scores, TensorPrimitives.Sum(scores), scores);

                var target = destination.Slice((first + t) * width + column, depth);
                target.Clear();
                for (var s = 0; s < length; s++)
                {
                    TensorPrimitives.MultiplyAdd(qkv.Slice((first + s) * stride + 2 * width + column, depth), scores[s], target, target);
                }
            }
        }
    }

    private readonly struct Buffer(int length) : IDisposable
    {
        private readonly float[] _array = ArrayPool<float>.Shared.Rent(Math.Max(length, 1));

        public Span<float> Span => _array.AsSpan(0, length);

        public void Dispose() => ArrayPool<float>.Shared.Return(_array);
    }
}
