using Agents.Retrieval.Embeddings;

namespace Agents.Retrieval.Tests.Embeddings;

public sealed class SentencePieceTokenizerTests
{
    private static readonly string TenThousandChars = string.Concat(Enumerable.Repeat(
        "Olio extra vergine 🫒, ¿envío gratis? Доставка 3–5 дней. 配送料は無料です。 الشحن مجاني ✔️ 👍🏽 ", 200))[..10_000];

    [Fact]
    public async Task Ids_match_tfjs_for_every_reference_text()
    {
        var tokenizer = (await UseLiteFixture.EncoderAsync()).Tokenizer;

        Assert.NotEmpty(UseLiteFixture.Reference);
        foreach (var item in UseLiteFixture.Reference)
        {
            Assert.True(item.Ids.SequenceEqual(tokenizer.Encode(item.Text)), $"ids differ for '{item}'");
        }
    }

    [Fact]
    public async Task Empty_and_blank_input()
    {
        var tokenizer = (await UseLiteFixture.EncoderAsync()).Tokenizer;

        Assert.Empty(tokenizer.Encode(""));
        Assert.NotEmpty(tokenizer.Encode(" ")); // "▁▁": spaces are pieces too, as in TF.js
    }

    [Fact]
    public async Task Unknown_runs_collapse_to_one_id()
    {
        var tokenizer = (await UseLiteFixture.EncoderAsync()).Tokenizer;

        // "▁" then seven CJK characters the vocabulary lacks: one unknown id, not seven.
        Assert.Equal([30, 0], tokenizer.Encode("日本語テキスト"));
    }

    [Fact]
    public async Task Odd_input_does_not_throw_and_is_deterministic()
    {
        var tokenizer = (await UseLiteFixture.EncoderAsync()).Tokenizer;
        string[] inputs =
        [
            "",
            "   ",
            "🍋😍👍🏽👨‍👩‍👧",
            "\uD83D lone high surrogate",
            "lone low \uDC4D surrogate\uD800",
            "\0\t\r\n\u200B\u200F\uFEFF",
            "\uFFFE\uFFFF \U0010FFFF \uE000 private use",
            "e\u0301\u0302\u0303 ﬁ ½ ㎏ Ｆｕｌｌ",
            "Привет мир, 你好世界, مرحبا بالعالم, שלום, नमस्ते, hello",
            TenThousandChars,
            new string('a', 10_000),
            string.Concat(Enumerable.Repeat("😀", 5_000)),
        ];

        foreach (var input in inputs)
        {
            var first = tokenizer.Encode(input);
            var second = tokenizer.Encode(input);
            Assert.Equal(first, second);
            Assert.All(first, id => Assert.InRange(id, 0, tokenizer.VocabularySize - 1));
            Assert.Equal(input.Length == 0, first.Length == 0);
        }
    }

    [Fact]
    public async Task Ten_thousand_characters_tokenize_fully()
    {
        var encoder = await UseLiteFixture.EncoderAsync();

        // CountTokens does not clip: callers use it to keep chunks within the model's window.
        Assert.True(encoder.CountTokens(TenThousandChars) > encoder.MaxSequenceLength);
        Assert.Equal(128, encoder.MaxSequenceLength);
    }
}
