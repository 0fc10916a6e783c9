using Agents.Retrieval.Language;

namespace Agents.Retrieval.Tests.Language;

public sealed class NGramProfileTests
{
    [Fact]
    public void RankNGrams_UnderscoresOnlyAtBorders_MostFrequentThenShortestFirst()
    {
        var ranked = NGramProfile.RankNGrams("_ab_");

        Assert.Equal(["_", "a", "b", "_a", "ab", "b_", "_ab", "ab_", "_ab_"], ranked);
    }

    [Fact]
    public void RankNGrams_NoLongerThanFive_CutAt400()
    {
        var ranked = NGramProfile.RankNGrams("_" + string.Join('_', Enumerable.Range(0, 2000).Select(i => $"w{i:x}ord")) + "_");

        Assert.Equal(NGramProfile.MaxNGrams, ranked.Count);
        Assert.All(ranked, g => Assert.InRange(g.Length, 1, NGramProfile.MaxNGramLength));
        Assert.All(ranked, g => Assert.DoesNotContain('_', g.Trim('_')));
    }

    [Fact]
    public void Load_FoldsCase_KeepingTheBetterRank()
    {
        var profile = NGramProfile.Load("xx", new StringReader("_\t 10\nT\t 9\na\t 8\nt\t 7\n"));

        // 't' keeps the rank of 'T' (1), 'a' its line number (2): |2 - 1| + |1 - 2|.
        Assert.Equal(0, profile.Distance(["_"]));
        Assert.Equal(2, profile.Distance(["_", "a", "t"]));
        Assert.Equal(NGramProfile.MaxOutOfPlace, profile.Distance(["?"]));
    }

    [Fact]
    public void EmbeddedFingerprints_AreTheThreeLanguages()
    {
        var assembly = typeof(LanguageDetector).Assembly;
        foreach (var language in LanguageDetector.Languages)
        {
            using var stream = assembly.GetManifestResourceStream($"Agents.Retrieval.Language.Fingerprints.{language}.lm");
            Assert.NotNull(stream);
            using var reader = new StreamReader(stream);
            var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(400, lines.Length);
        }
    }
}
