using Agents.Retrieval.Embeddings;
using Microsoft.Extensions.AI;

namespace Agents.Retrieval.Tests.Embeddings;

public sealed class UniversalSentenceEncoderTests
{
    private const float Tolerance = 1e-4f;

    [Fact]
    public async Task Vectors_match_tfjs_for_every_reference_text()
    {
        var encoder = await UseLiteFixture.EncoderAsync();
        var reference = UseLiteFixture.Reference;

        var vectors = encoder.Embed([.. reference.Select(r => r.Text)], TestContext.Current.CancellationToken);

        var worst = 0f;
        for (var i = 0; i < reference.Count; i++)
        {
            Assert.Equal(reference[i].Vector.Length, vectors[i].Length);
            var diff = MaxAbsDiff(reference[i].Vector, vectors[i]);
            Assert.True(diff < Tolerance, $"'{reference[i]}' differs from TF.js by {diff:E2}");
            worst = Math.Max(worst, diff);
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"max |C# − TF.js| over {reference.Count} texts × 512: {worst:E2}");
    }

    [Fact]
    public async Task A_batch_gives_the_same_vectors_as_one_text_at_a_time()
    {
        var encoder = await UseLiteFixture.EncoderAsync();
        var texts = UseLiteFixture.Reference.Select(r => r.Text).ToArray();

        var batched = encoder.Embed(texts, TestContext.Current.CancellationToken);

        for (var i = 0; i < texts.Length; i++)
        {
            var single = encoder.Embed([texts[i]], TestContext.Current.CancellationToken)[0];
            Assert.True(MaxAbsDiff(single, batched[i]) < 1e-6f, $"batching changed '{texts[i]}'");
        }
    }

    [Fact]
    public async Task Empty_texts_alone_get_the_vector_of_an_empty_row_in_a_tfjs_batch()
    {
        var encoder = await UseLiteFixture.EncoderAsync();
        var empty = UseLiteFixture.Reference.Single(r => r.Text.Length == 0);

        var vectors = encoder.Embed(["", ""], TestContext.Current.CancellationToken);

        Assert.All(vectors, v => Assert.True(MaxAbsDiff(empty.Vector, v) < Tolerance));
    }

    [Fact]
    public async Task A_paraphrase_scores_higher_than_an_unrelated_sentence()
    {
        var encoder = await UseLiteFixture.EncoderAsync();

        var v = encoder.Embed(["Where is my package?", "Has my parcel been shipped yet?", "I like blue wool sweaters."], TestContext.Current.CancellationToken);

        var paraphrase = UseLiteFixture.Cosine(v[0], v[1]);
        var unrelated = UseLiteFixture.Cosine(v[0], v[2]);
        Assert.True(paraphrase > unrelated + 0.1, $"paraphrase {paraphrase:F3} vs unrelated {unrelated:F3}");
    }

    [Fact]
    public async Task GenerateAsync_returns_unit_vectors_with_model_id_and_usage()
    {
        var generator = await UseLiteFixture.EncoderAsync();

        var result = await generator.GenerateAsync(["hi", "", "Do you ship to Germany?"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(3, result.Count);
        Assert.All(result, e =>
        {
            Assert.Equal(UniversalSentenceEncoder.ModelName, e.ModelId);
            Assert.Equal(512, e.Vector.Length);
            Assert.InRange(System.Numerics.Tensors.TensorPrimitives.Norm(e.Vector.Span), 0.999f, 1.001f);
        });
        Assert.Equal(1 + 0 + 6, result.Usage?.InputTokenCount);
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
        Assert.Equal(UniversalSentenceEncoder.ModelName, metadata?.DefaultModelId);
        Assert.Equal(512, metadata?.DefaultModelDimensions);
    }

    [Fact]
    public async Task Tokens_past_the_window_are_ignored_like_tfjs()
    {
        var encoder = await UseLiteFixture.EncoderAsync();
        var longItem = UseLiteFixture.Reference.First(r => r.Ids.Length > 2 * encoder.MaxSequenceLength);
        var longer = longItem.Text + " And one more sentence that the model will never see.";

        var v = encoder.Embed([longItem.Text, longer], TestContext.Current.CancellationToken);

        Assert.True(encoder.CountTokens(longer) > encoder.CountTokens(longItem.Text));
        Assert.Equal(v[0], v[1]);
    }

    [Fact]
    public async Task Concurrent_calls_give_identical_vectors()
    {
        var encoder = await UseLiteFixture.EncoderAsync();
        var texts = UseLiteFixture.Reference.Select(r => r.Text).Take(12).ToArray();
        var expected = encoder.Embed(texts, TestContext.Current.CancellationToken);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Task.Run(() => encoder.Embed(texts, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken)));

        foreach (var result in results)
        {
            for (var i = 0; i < texts.Length; i++)
            {
                Assert.Equal(expected[i], result[i]);
            }
        }
    }

    private static float MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var max = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }
}
