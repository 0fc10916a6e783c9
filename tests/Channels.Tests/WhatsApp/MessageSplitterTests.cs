using System.Globalization;
using System.Text;
using Agents.Channels.WhatsApp;

namespace Agents.Channels.Tests.WhatsApp;

public sealed class MessageSplitterTests
{
    private static readonly string[] Sentences =
    [
        "Ciao Giulia! 👋 Grazie per averci scritto.",
        "Le nostre *tagliatelle all'uovo* sono fatte a mano ogni mattina nel laboratorio di Bologna 🇮🇹.",
        "Per una famiglia di quattro persone 👨‍👩‍👧‍👦 consigliamo la confezione da un chilo.",
        "La spedizione è gratuita sopra i 49 €, e arriva in 24–48 ore lavorative!",
        "Vuoi che aggiunga al carrello anche il ragù della casa? 🍝",
        "I clienti lo adorano 👍🏽 e si conserva in frigorifero per cinque giorni.",
        "Se hai allergie, scrivimelo pure: controllo subito gli ingredienti 🧑‍🍳.",
        "Il pagamento è sicuro… e puoi anche pagare alla consegna.",
        "Grazie ancora ❤️ a presto!",
    ];

    [Fact]
    public void Split_TextWithinLimit_ReturnsItWholeAndUnnumbered() =>
        Assert.Equal(["Ciao! 👋 Come posso aiutarti?"], MessageSplitter.Split("  Ciao! 👋 Come posso aiutarti?\n", 1600));

    [Fact]
    public void Split_ExactlyTheLimit_ReturnsOnePart()
    {
        var text = new string('a', 1600);

        Assert.Equal([text], MessageSplitter.Split(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \n\t ")]
    public void Split_EmptyText_ReturnsNoParts(string? text) =>
        Assert.Empty(MessageSplitter.Split(text));

    [Fact]
    public void Split_LimitBelowMinimum_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => MessageSplitter.Split("anything", MessageSplitter.MinimumLength - 1));

    [Fact]
    public void Split_ItalianAnswerOf5000CharactersWithEmoji_SplitsWithinLimitAndReassembles()
    {
        var text = ItalianAnswer(5000);

        var parts = MessageSplitter.Split(text);

        Assert.InRange(text.Length, 4990, 5000);
        Assert.Equal(4, parts.Count);
        Assert.All(parts, part => Assert.InRange(part.Length, 1, MessageSplitter.TwilioBodyLimit));
        AssertReassembles(text, parts);
        string[] sentenceOrLineEnds = [".", "!", "?", "🍝", "€", "🧀"];
        Assert.All(parts.SkipLast(1), part => Assert.Contains(sentenceOrLineEnds, end => part.EndsWith(end, StringComparison.Ordinal)));
    }

    [Fact]
    public void Split_Paragraphs_CutsBetweenParagraphs()
    {
        var first = Paragraph('a', 900);
        var second = Paragraph('b', 900);

        var parts = MessageSplitter.Split(first + "\n\n" + second);

        Assert.Equal(["(1/2) " + first, "(2/2) " + second], parts);
    }

    [Fact]
    public void Split_OneLongParagraph_CutsAfterASentence()
    {
        var text = string.Join(' ', Enumerable.Repeat("Questa è una frase di prova abbastanza lunga.", 60));

        var parts = MessageSplitter.Split(text);

        Assert.True(parts.Count > 1);
        Assert.All(parts, part => Assert.EndsWith("lunga.", part, StringComparison.Ordinal));
        AssertReassembles(text, parts);
    }

    [Fact]
    public void Split_ListItems_CutsBetweenLinesRatherThanInsideAnItem()
    {
        var text = string.Join('\n', Enumerable.Range(1, 80).Select(i => $"{i}. *Prodotto numero {i}*: 4,50 EUR. Disponibile."));

        var parts = MessageSplitter.Split(text, 500);

        AssertReassembles(text, parts);
        Assert.All(parts, part => Assert.Matches(@"^\(\d+/\d+\) \d+\. \*Prodotto", part));
        Assert.All(parts, part => Assert.EndsWith("Disponibile.", part, StringComparison.Ordinal));
    }

    [Fact]
    public void Split_NoSentences_CutsBetweenWords()
    {
        var text = string.Join(' ', Enumerable.Repeat("parola", 400));

        var parts = MessageSplitter.Split(text, 100);

        AssertReassembles(text, parts);
        Assert.All(parts, part => Assert.InRange(part.Length, 1, 100));
        Assert.All(parts, part => Assert.Matches(@"^\(\d+/\d+\) parola( parola)*$", part));
    }

    [Fact]
    public void Split_OverlongWord_HardSplitsOnlyThatWord()
    {
        var url = "https://shop.example/p?" + string.Concat(Enumerable.Range(0, 300).Select(i => $"k{i}=v&"));
        var text = $"Ecco il link: {url} grazie!";

        var parts = MessageSplitter.Split(text, 1600);

        AssertReassembles(text, parts);
        Assert.All(parts, part => Assert.InRange(part.Length, 1, 1600));
        Assert.Equal("(1/3) Ecco il link:", parts[0]);
        Assert.EndsWith(" grazie!", parts[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("👨‍👩‍👧‍👦")]
    [InlineData("🇮🇹")]
    [InlineData("👍🏽")]
    [InlineData("❤️")]
    [InlineData("e\u0301\u0300")]
    [InlineData("🧑🏻‍🍳")]
    public void Split_EmojiWithoutSpaces_NeverCutsACluster(string cluster)
    {
        var text = string.Concat(Enumerable.Repeat(cluster, 200));

        var parts = MessageSplitter.Split(text, 53);

        AssertReassembles(text, parts);
        Assert.All(parts, part => Assert.InRange(part.Length, 1, 53));
        Assert.All(parts, part => Assert.Matches($"^\\(\\d+/\\d+\\) (?:{cluster})+$", part));
    }

    [Fact]
    public void Split_MoreThanNineParts_WidensNumberingWithinTheLimit()
    {
        var text = string.Join(' ', Enumerable.Repeat("ciao", 120));

        var parts = MessageSplitter.Split(text, 30);

        Assert.True(parts.Count >= 10);
        Assert.All(parts, part => Assert.InRange(part.Length, 1, 30));
        Assert.StartsWith($"(10/{parts.Count}) ", parts[9], StringComparison.Ordinal);
        AssertReassembles(text, parts);
    }

    [Fact]
    public void Split_EarlyParagraphBreak_PrefersFullerSentenceCut()
    {
        var text = "Ciao!\n\n" + string.Join(' ', Enumerable.Repeat("Frase numero uno.", 150));

        var parts = MessageSplitter.Split(text);

        Assert.NotEqual("(1/2) Ciao!", parts[0]);
        Assert.InRange(parts[0].Length, 800, 1600);
        AssertReassembles(text, parts);
    }

    /// <summary>
    /// Each part, numbering removed, is the next stretch of the original after the whitespace at the
    /// cut, and every cut falls between two text elements (grapheme clusters).
    /// </summary>
    private static void AssertReassembles(string original, IReadOnlyList<string> parts)
    {
        var text = original.Trim();
        var boundaries = new HashSet<int>(StringInfo.ParseCombiningCharacters(text)) { text.Length };
        var position = 0;
        for (var i = 0; i < parts.Count; i++)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"({i + 1}/{parts.Count}) ");
            Assert.StartsWith(prefix, parts[i], StringComparison.Ordinal);
            var body = parts[i][prefix.Length..];
            Assert.Equal(body.Trim(), body);
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }

            Assert.Contains(position, boundaries);
            Assert.Equal(text.Substring(position, body.Length), body);
            position += body.Length;
            Assert.Contains(position, boundaries);
        }

        Assert.Equal(text.Length, position);
    }

    private static string ItalianAnswer(int length)
    {
        var text = new StringBuilder();
        for (var paragraph = 0; text.Length < length; paragraph++)
        {
            if (text.Length > 0)
            {
                text.Append("\n\n");
            }

            // Paragraphs of two to six sentences, and now and then a list.
            text.AppendJoin(' ', Enumerable.Range(0, 2 + paragraph % 5).Select(i => Sentences[(paragraph * 3 + i) % Sentences.Length]));
            if (paragraph % 4 == 3)
            {
                text.Append("\n- *Tagliatelle* 500 g: 4,50 € 🍝\n- *Ragù* 300 g: 6,90 €\n- *Parmigiano* 24 mesi: 12,00 € 🧀");
            }
        }

        // Cut back to whole text elements (a flag or a family must not be halved by the test itself).
        var elements = StringInfo.ParseCombiningCharacters(text.ToString());
        return text.ToString(0, elements.Last(e => e <= length)).TrimEnd();
    }

    private static string Paragraph(char letter, int length) =>
        string.Join(' ', Enumerable.Repeat(new string(letter, 9) + ".", length / 10)).TrimEnd();
}
