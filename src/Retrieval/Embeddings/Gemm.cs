using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Agents.Retrieval.Embeddings;

/// <summary>
/// A dense layer's kernel (inputs × outputs, row-major as TF stores MatMul and 1×1 Conv2D
/// kernels) and bias, with the kernel repacked at load time into strips of 16 output columns so
/// the multiply below reads it strictly sequentially.
/// </summary>
internal sealed class DenseWeights
{
    public const int Strip = 16;

    public DenseWeights(float[] kernel, int inputs, int outputs, float[] bias)
    {
        if (kernel.Length != inputs * outputs || bias.Length != outputs)
        {
            throw new ArgumentException("Kernel and bias sizes do not match.");
        }

        Inputs = inputs;
        Outputs = outputs;
        Bias = bias;
        IsPacked = Vector256.IsHardwareAccelerated && outputs % Strip == 0;
        if (!IsPacked)
        {
            Kernel = kernel;
            return;
        }

        Kernel = new float[kernel.Length];
        for (var strip = 0; strip < outputs / Strip; strip++)
        {
            for (var p = 0; p < inputs; p++)
            {
                kernel.AsSpan(p * outputs + strip * Strip, Strip).CopyTo(Kernel.AsSpan((strip * inputs + p) * Strip, Strip));
            }
        }
    }

    public int Inputs { get; }
    public int Outputs { get; }
    public float[] Bias { get; }

    /// <summary>Strip-major when <see cref="IsPacked"/>, else the original row-major kernel.</summary>
    public float[] Kernel { get; }

    public bool IsPacked { get; }
}

/// <summary>
/// destination[m×outputs] = a[m×inputs] · kernel + bias. Register-blocked: a 4×16 tile of the
/// output stays in registers for the whole inner dimension, so each kernel value loaded feeds 4
/// rows and the output is stored once; row by row (TensorPrimitives.MultiplyAdd) every
/// multiply-add would also load and store the output, about half the speed.
/// </summary>
internal static class Gemm
{
    private const int TileRows = 4;

    // Fully optimized from the first call: at tier 0 the vector tiles are not inlined and run
    // many times slower, and a host embeds its first queries long before tiering catches up.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(ReadOnlySpan<float> a, int m, DenseWeights weights, Span<float> destination)
    {
        var k = weights.Inputs;
        var n = weights.Outputs;
        if (a.Length < m * k || destination.Length < m * n)
        {
            throw new ArgumentException("Matrix sizes do not match.");
        }

        if (!weights.IsPacked)
        {
            MultiplyByRows(a, m, weights, destination);
            return;
        }

        ref var aRef = ref MemoryMarshal.GetReference(a);
        ref var cRef = ref MemoryMarshal.GetReference(destination);
        ref var kernel = ref MemoryMarshal.GetArrayDataReference(weights.Kernel);
        ref var bias = ref MemoryMarshal.GetArrayDataReference(weights.Bias);

        // Strips outermost: one strip (inputs × 16 floats, ≤ 96 KB) stays in cache for all rows.
        for (var column = 0; column < n; column += DenseWeights.Strip)
        {
            ref var strip = ref Unsafe.Add(ref kernel, column * k);
            var i = 0;
            for (; i + TileRows <= m; i += TileRows)
            {
                Tile4(ref Unsafe.Add(ref aRef, i * k), k, ref strip, ref Unsafe.Add(ref bias, column), ref Unsafe.Add(ref cRef, i * n + column), n);
            }

            for (; i < m; i++)
            {
                Tile1(ref Unsafe.Add(ref aRef, i * k), k, ref strip, ref Unsafe.Add(ref bias, column), ref Unsafe.Add(ref cRef, i * n + column));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4(ref float a0, int k, ref float strip, ref float bias, ref float c0, int n)
    {
        var c00 = Vector256.LoadUnsafe(ref bias);
        var c01 = Vector256.LoadUnsafe(ref bias, 8);
        var (c10, c11, c20, c21, c30, c31) = (c00, c01, c00, c01, c00, c01);
        ref var a1 = ref Unsafe.Add(ref a0, k);
        ref var a2 = ref Unsafe.Add(ref a1, k);
        ref var a3 = ref Unsafe.Add(ref a2, k);
        for (var p = 0; p < k; p++)
        {
            ref var row = ref Unsafe.Add(ref strip, p * DenseWeights.Strip);
            var b0 = Vector256.LoadUnsafe(ref row);
            var b1 = Vector256.LoadUnsafe(ref row, 8);
            var x = Vector256.Create(Unsafe.Add(ref a0, p));
            c00 = Vector256.MultiplyAddEstimate(x, b0, c00);
            c01 = Vector256.MultiplyAddEstimate(x, b1, c01);
            x = Vector256.Create(Unsafe.Add(ref a1, p));
            c10 = Vector256.MultiplyAddEstimate(x, b0, c10);
            c11 = Vector256.MultiplyAddEstimate(x, b1, c11);
            x = Vector256.Create(Unsafe.Add(ref a2, p));
            c20 = Vector256.MultiplyAddEstimate(x, b0, c20);
            c21 = Vector256.MultiplyAddEstimate(x, b1, c21);
            x = Vector256.Create(Unsafe.Add(ref a3, p));
            c30 = Vector256.MultiplyAddEstimate(x, b0, c30);
            c31 = Vector256.MultiplyAddEstimate(x, b1, c31);
        }

        c00.StoreUnsafe(ref c0);
        c01.StoreUnsafe(ref c0, 8);
        ref var c1 = ref Unsafe.Add(ref c0, n);
        c10.StoreUnsafe(ref c1);
        c11.StoreUnsafe(ref c1, 8);
        ref var c2 = ref Unsafe.Add(ref c1, n);
        c20.StoreUnsafe(ref c2);
        c21.StoreUnsafe(ref c2, 8);
        ref var c3 = ref Unsafe.Add(ref c2, n);
        c30.StoreUnsafe(ref c3);
        c31.StoreUnsafe(ref c3, 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile1(ref float a0, int k, ref float strip, ref float bias, ref float c0)
    {
        var c00 = Vector256.LoadUnsafe(ref bias);
        var c01 = Vector256.LoadUnsafe(ref bias, 8);
        for (var p = 0; p < k; p++)
        {
            ref var row = ref Unsafe.Add(ref strip, p * DenseWeights.Strip);
            var x = Vector256.Create(Unsafe.Add(ref a0, p));
            c00 = Vector256.MultiplyAddEstimate(x, Vector256.LoadUnsafe(ref row), c00);
            c01 = Vector256.MultiplyAddEstimate(x, Vector256.LoadUnsafe(ref row, 8), c01);
        }

        c00.StoreUnsafe(ref c0);
        c01.StoreUnsafe(ref c0, 8);
    }

    /// <summary>Portable path: one TensorPrimitives multiply-add per (row, input), skipping zeros (ReLU leaves many).</summary>
    private static void MultiplyByRows(ReadOnlySpan<float> a, int m, DenseWeights weights, Span<float> destination)
    {
        var k = weights.Inputs;
        var n = weights.Outputs;
        for (var i = 0; i < m; i++)
        {
            var row = a.Slice(i * k, k);
            var target = destination.Slice(i * n, n);
            weights.Bias.CopyTo(target);
            for (var p = 0; p < k; p++)
            {
                if (row[p] != 0f)
                {
                    TensorPrimitives.MultiplyAdd(weights.Kernel.AsSpan(p * n, n), row[p], target, target);
                }
            }
        }
    }
}
