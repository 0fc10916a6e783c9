namespace Agents.Retrieval.Embeddings;

/// <summary>The weights and constants of the USE-lite graph, checked against the node list they come from.</summary>
internal sealed class UseLiteWeights
{
    private const string Kona = "module_apply_default/Encoder_en/KonaTransformer/";
    private const string Stack = Kona + "Encode/TransformerStack/";

    public required int VocabularyRows { get; init; }
    public required int EmbeddingWidth { get; init; }
    public required int OutputWidth { get; init; }
    public required int MaxSequenceLength { get; init; }
    public required float LayerNormEpsilon { get; init; }
    public required float L2Epsilon { get; init; }
    public required float[] Embeddings { get; init; }
    public required float[] InverseTimescales { get; init; }
    public required TransformerLayerWeights[] Layers { get; init; }
    public required DenseWeights Tanh { get; init; }

    public static UseLiteWeights From(TfjsGraphModel graph)
    {
        CheckStructure(graph);
        var width = graph.ShapeOf(Kona + "Encode/Layer_0/TransformerLayer/layer_prepostprocess/layer_norm/layer_norm_scale/ConcatPartitions/concat")[0];
        var hidden = graph.ShapeOf(Kona + "Encode/Layer_1/TransformerLayer/layer_prepostprocess/layer_norm/layer_norm_scale/ConcatPartitions/concat")[0];
        var heads = graph.IntScalar(Stack + "Layer_1/TransformerLayer/MultiheadAttention/split_heads/split_last_dimension/Reshape/shape/2");
        var rows = graph.ShapeOf("module/Embeddings_en")[0];
        return new UseLiteWeights
        {
            VocabularyRows = rows,
            EmbeddingWidth = width,
            OutputWidth = hidden,
            MaxSequenceLength = graph.IntScalar(Kona + "ClipToMaxLength/Less/y"),
            LayerNormEpsilon = graph.FloatScalar(Stack + "Layer_1/TransformerLayer/FFN/layer_prepostprocess/layer_norm/Cast/x"),
            L2Epsilon = graph.FloatScalar("module_apply_default/Encoder_en/hidden_layers/l2_normalize/Maximum/y"),
            Embeddings = graph.Floats("module/Embeddings_en", rows, width),
            InverseTimescales = graph.Floats(Stack + "Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1", 1, width / 2),
            Layers = [Layer(graph, 0, width, hidden, heads), Layer(graph, 1, hidden, hidden, heads)],
            Tanh = new DenseWeights(graph.Floats("module/Encoder_en/hidden_layers/tanh_layer_0/weights", hidden, hidden), hidden, hidden,
                graph.Floats("module/Encoder_en/hidden_layers/tanh_layer_0/bias", hidden)),
        };
    }

    private static TransformerLayerWeights Layer(TfjsGraphModel graph, int index, int input, int hidden, int heads)
    {
        var layer = $"{Kona}Encode/Layer_{index}/TransformerLayer/";
        var stacked = $"{Stack}Layer_{index}/TransformerLayer/";
        var kernel = $"module/Encoder_en/KonaTransformer/Encode/Layer_{index}/TransformerLayer/MultiheadAttention/";
        const string Concat = "/ConcatPartitions/concat";
        var ffn = graph.ShapeOf($"{layer}FFN/conv1/bias{Concat}")[0];
        return new TransformerLayerWeights
        {
            InputWidth = input,
            Heads = heads,
            QueryScale = graph.FloatScalar($"{stacked}MultiheadAttention/mul/y"),
            AttentionNormScale = graph.Floats($"{layer}layer_prepostprocess/layer_norm/layer_norm_scale{Concat}", input),
            AttentionNormBias = graph.Floats($"{layer}layer_prepostprocess/layer_norm/layer_norm_bias{Concat}", input),
            Residual = input == hidden ? null
                : new DenseWeights(graph.Floats($"{layer}dense/kernel{Concat}", input, hidden), input, hidden, graph.Floats($"{layer}dense/bias{Concat}", hidden)),
            Qkv = new DenseWeights(graph.Floats($"{kernel}qkv_transform_single/kernel/part_0", 1, 1, input, 3 * input), input, 3 * input,
                graph.Floats($"{layer}MultiheadAttention/qkv_transform_single/bias{Concat}", 3 * input)),
            Output = new DenseWeights(graph.Floats($"{kernel}output_transform_single/kernel/part_0", 1, 1, input, hidden), input, hidden,
                graph.Floats($"{layer}MultiheadAttention/output_transform_single/bias{Concat}", hidden)),
            FfnNormScale = graph.Floats($"{layer}FFN/layer_prepostprocess/layer_norm/layer_norm_scale{Concat}", hidden),
            FfnNormBias = graph.Floats($"{layer}FFN/layer_prepostprocess/layer_norm/layer_norm_bias{Concat}", hidden),
            FfnInner = new DenseWeights(graph.Floats($"{stacked}FFN/conv1/Tensordot/Reshape_1", hidden, ffn), hidden, ffn, graph.Floats($"{layer}FFN/conv1/bias{Concat}", ffn)),
            FfnOuter = new DenseWeights(graph.Floats($"{stacked}FFN/conv2/Tensordot/Reshape_1", ffn, hidden), ffn, hidden, graph.Floats($"{layer}FFN/conv2/bias{Concat}", hidden)),
        };
    }

    /// <summary>
    /// The wiring this port hard-codes, checked on the graph so a different export fails loudly
    /// instead of giving subtly wrong vectors.
    /// </summary>
    private static void CheckStructure(TfjsGraphModel graph)
    {
        // Positions at or past the limit are filtered out of the sparse input.
        graph.Expect(Kona + "ClipToMaxLength/Less", "Less", Kona + "ClipToMaxLength/strided_slice", Kona + "ClipToMaxLength/Less/y");

        // The layer-0 input is embedding + (embedding + timing signal): the graph scatters the
        // timed embeddings and then adds the plain embeddings once more.
        graph.Expect(Stack + "Layer_0/AddTimingSignal/add", "Add",
            Stack + "Layer_0/AddTimingSignal/Gather/GatherNd", Stack + "Layer_0/AddTimingSignal/TimingSignal/concat");
        graph.Expect(Stack + "Layer_0/add", "Add", Kona + "Encode/Scatter/ScatterNd", Stack + "Layer_0/AddTimingSignal/Scatter/ScatterNd");
        graph.Expect(Stack + "Layer_0/AddTimingSignal/TimingSignal/concat", "ConcatV2",
            Stack + "Layer_0/AddTimingSignal/TimingSignal/Sin", Stack + "Layer_0/AddTimingSignal/TimingSignal/Cos",
            Stack + "Layer_1/TransformerLayer/MultiheadAttention/DotProductAttention/attention_bias_ignore_padding/ExpandDims/dim");

        // Pre-norm blocks; layer 0 projects its residual from 256 to 512, layer 1 adds it as is.
        graph.Expect(Stack + "Layer_0/TransformerLayer/layer_postprocess/add", "Add",
            Stack + "Layer_0/TransformerLayer/MultiheadAttention/Squeeze_1", Stack + "Layer_0/TransformerLayer/AdjustResidualInput/Scatter/ScatterNd");
        graph.Expect(Stack + "Layer_1/TransformerLayer/layer_postprocess/add", "Add",
            Stack + "Layer_1/TransformerLayer/MultiheadAttention/Squeeze_1", Stack + "Layer_0/TransformerLayer/FFN/layer_postprocess/add");
        graph.Expect(Stack + "Layer_1/TransformerLayer/FFN/layer_postprocess/add", "Add",
            Stack + "Layer_1/TransformerLayer/FFN/Scatter/ScatterNd", Stack + "Layer_1/TransformerLayer/layer_postprocess/add");
        graph.Expect(Stack + "Layer_1/TransformerLayer/FFN/conv1/Relu", "Relu", Stack + "Layer_1/TransformerLayer/FFN/conv1/BiasAdd");

        // Masked mean over the tokens, then tanh and L2 normalisation.
        graph.Expect(Kona + "div", "RealDiv", Kona + "Sum", Kona + "ExpandDims_1");
        graph.Expect("module_apply_default/Encoder_en/hidden_layers/tanh_layer_0/MatMul", "MatMul",
            Kona + "div", "module/Encoder_en/hidden_layers/tanh_layer_0/weights");
        graph.Expect("module_apply_default/Encoder_en/hidden_layers/l2_normalize", "Mul",
            "module_apply_default/Encoder_en/hidden_layers/tanh_layer_0/Tanh", "module_apply_default/Encoder_en/hidden_layers/l2_normalize/Rsqrt");
    }
}

internal sealed class TransformerLayerWeights
{
    public required int InputWidth { get; init; }
    public required int Heads { get; init; }
    public required float QueryScale { get; init; }
    public required float[] AttentionNormScale { get; init; }
    public required float[] AttentionNormBias { get; init; }
    public required DenseWeights? Residual { get; init; }
    public required DenseWeights Qkv { get; init; }
    public required DenseWeights Output { get; init; }
    public required float[] FfnNormScale { get; init; }
    public required float[] FfnNormBias { get; init; }
    public required DenseWeights FfnInner { get; init; }
    public required DenseWeights FfnOuter { get; init; }

    public int FfnWidth => FfnInner.Outputs;
}
