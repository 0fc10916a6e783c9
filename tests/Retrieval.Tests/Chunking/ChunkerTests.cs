using Agents.Retrieval.Chunking;

namespace Agents.Retrieval.Tests.Chunking;

/// <summary>Chunking against a whitespace tokenizer: one token per word, so budgets are easy to read.</summary>
public sealed class ChunkerTests
{
    private static int Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    private static string Sentence(int i, int words = 10) => string.Join(' ', Enumerable.Range(0, words - 1).Select(w => $"w{i}x{w}")) + $" end{i}.";

    [Fact]
    public void Split_ShortText_IsOneChunk()
    {
        var chunks = new Chunker(Words, maxTokens: 128).Split("Spedizione gratuita sopra i 59 euro.");

        Assert.Equal("Spedizione gratuita sopra i 59 euro.", Assert.Single(chunks).Text);
    }

    [Fact]
    public void Split_Paragraphs_PackedUpToTheBudget()
    {
        var text = string.Join("\n\n", Enumerable.Range(0, 6).Select(i => Sentence(i, 20)));

        var chunks = new Chunker(Words, maxTokens: 50, overlapTokens: 0).Split(text);

        Assert.Equal(3, chunks.Count);
        Assert.All(chunks, c => Assert.True(Words(c.Text) <= 50));
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Ordinal));
    }

    [Fact]
    public void Split_LongParagraph_BreaksAtSentencesWithOverlap()
    {
        var text = string.Join(' ', Enumerable.Range(0, 30).Select(i => Sentence(i)));

        var chunks = new Chunker(Words, maxTokens: 40, overlapTokens: 10).Split(text);

        Assert.All(chunks, c => Assert.True(Words(c.Text) <= 40, $"{Words(c.Text)} tokens"));
        Assert.All(chunks, c => Assert.EndsWith(".", c.Text));
        for (var i = 1; i < chunks.Count; i++)
        {
            var lastSentenceOfPrevious = chunks[i - 1].Text[(chunks[i - 1].Text.LastIndexOf(". ", StringComparison.Ordinal) + 2)..];
            Assert.StartsWith(lastSentenceOfPrevious, chunks[i].Text);
        }

        Assert.All(Enumerable.Range(0, 30), i => Assert.Contains(chunks, c => c.Text.Contains($"end{i}.", StringComparison.Ordinal)));
    }

    [Fact]
    public void Split_OneHugeSentence_FallsBackToWords()
    {
        var text = string.Join(' ', Enumerable.Range(0, 500).Select(i => $"parola{i}"));

        var chunks = new Chunker(Words, maxTokens: 64, overlapTokens: 8).Split(text);

        Assert.All(chunks, c => Assert.True(Words(c.Text) <= 64));
        Assert.Contains(chunks, c => c.Text.Contains("parola499", StringComparison.Ordinal));
    }

    [Fact]
    public void Split_ReservedTokensForTheTitle_ShrinkTheBudget()
    {
        var text = string.Join(' ', Enumerable.Range(0, 12).Select(i => Sentence(i)));

        var chunks = new Chunker(Words, maxTokens: 60, overlapTokens: 0).Split(text, reservedTokens: 20);

        Assert.All(chunks, c => Assert.True(Words(c.Text) <= 40));
    }

    [Fact]
    public void Split_WordLongerThanBudget_IsCutWithoutBreakingSurrogatePairs()
    {
        var tokens = (string s) => (s.Length + 9) / 10; // 10 characters a token
        var word = string.Concat(Enumerable.Repeat("🍋", 200));

        var chunks = new Chunker(tokens, maxTokens: 16, overlapTokens: 0).Split(word);

        Assert.True(chunks.Count > 1);
        Assert.All(chunks, c => Assert.False(char.IsLowSurrogate(c.Text[0]) || char.IsHighSurrogate(c.Text[^1])));
        Assert.Equal(word, string.Concat(chunks.Select(c => c.Text.Replace(" ", "", StringComparison.Ordinal))));
    }

    [Fact]
    public void Split_EmptyOrWhitespace_NoChunks()
    {
        Assert.Empty(new Chunker(Words).Split("   \n\n  "));
    }
}
