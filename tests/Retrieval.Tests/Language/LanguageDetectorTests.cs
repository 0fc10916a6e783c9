using System.Globalization;
using System.Text;
using Agents.Retrieval.Language;

namespace Agents.Retrieval.Tests.Language;

public sealed class LanguageDetectorTests
{
    // One instance for the class, as in production: it is built once and shared across threads.
    private static readonly LanguageDetector Detector = new();

    [Fact]
    public void ShortMessages_AtLeast90PercentRightPerLanguage_AndBetterThanPlainTextCat()
    {
        var messages = LabelledMessages.Short;
        var report = new StringBuilder();
        var misses = new List<string>();
        foreach (var language in LanguageDetector.Languages)
        {
            var ofLanguage = messages.Where(m => m.Language == language).ToList();
            Assert.True(ofLanguage.Count >= 30, $"{language}: only {ofLanguage.Count} labelled messages");

            var plain = ofLanguage.Count(m => Detector.DetectWithTextCatOnly(m.Text).Language == language);
            var final = 0;
            foreach (var message in ofLanguage)
            {
                var guess = Detector.Detect(message.Text);
                if (guess.Language == language)
                {
                    final++;
                }
                else
                {
                    misses.Add($"[{language}] '{message.Text}' -> {guess}");
                }
            }

            report.AppendLine(CultureInfo.InvariantCulture,
                $"{language}: plain TextCat {plain}/{ofLanguage.Count}, with short-message rules {final}/{ofLanguage.Count}");
            Assert.True(final >= 0.9 * ofLanguage.Count, $"{language}: {final}/{ofLanguage.Count}\n{string.Join('\n', misses)}");
            Assert.True(final >= plain, $"{language}: the rules lose to plain TextCat ({final} < {plain})");
        }

        TestContext.Current.TestOutputHelper?.WriteLine(report.ToString() + string.Join('\n', misses));
    }

    [Fact]
    public void Paragraphs_AllRight_ByTextCat()
    {
        var paragraphs = LabelledMessages.Paragraphs;
        Assert.True(paragraphs.Count >= 6);
        Assert.All(LanguageDetector.Languages, l => Assert.True(paragraphs.Count(p => p.Language == l) >= 2));

        Assert.All(paragraphs, p =>
        {
            var guess = Detector.Detect(p.Text);
            Assert.Equal(p.Language, guess.Language);
            Assert.Equal("textcat", guess.Method);
            Assert.True(guess.Confidence >= 0.5, $"{guess} for '{p.Text[..40]}…'");
        });
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t ")]
    [InlineData("😀👍🙏")]
    [InlineData("❤️🇮🇹")]
    [InlineData("12345")]
    [InlineData("+39 333 123 4567")]
    [InlineData("€ 25,90 x2 = 51,80")]
    [InlineData("???!!!")]
    [InlineData("https://saporidisicilia.it/prodotti/crema-pistacchio?id=42")]
    [InlineData("info@saporidisicilia.it")]
    [InlineData("www.saporidisicilia.it 2024")]
    [InlineData("你好")]
    public void NothingToGoOn_IsUndetermined(string text)
    {
        var guess = Detector.Detect(text);

        Assert.Equal(new LanguageGuess(LanguageDetector.Undetermined, 0, "none"), guess);
    }

    [Fact]
    public void Null_IsUndetermined() => Assert.Equal(LanguageDetector.Undetermined, Detector.Detect(null!).Language);

    [Theory]
    [InlineData("ok", "en")]
    [InlineData("OK!", "en")]
    [InlineData("grazie", "it")]
    [InlineData("Grazie!!", "it")]
    [InlineData("gracias", "es")]
    [InlineData("thanks", "en")]
    [InlineData("ciao", "it")]
    [InlineData("hola", "es")]
    [InlineData("hello", "en")]
    [InlineData("sí", "es")]
    [InlineData("sì", "it")]
    [InlineData("si grazie", "it")]
    [InlineData("più", "it")]
    [InlineData("¿y?", "es")]
    [InlineData("niño", "es")]
    [InlineData("perché?", "it")]
    [InlineData("quanto costa il pecorino?", "it")]
    [InlineData("hola, tenéis envío a Madrid?", "es")]
    [InlineData("do you ship to Ireland?", "en")]
    [InlineData("grazie 🙏 https://saporidisicilia.it", "it")]
    [InlineData("info@saporidisicilia.it thank you", "en")]
    public void OneWordsAndTypicalMessages(string text, string expected) =>
        Assert.Equal(expected, Detector.Detect(text).Language);

    [Theory]
    [InlineData("niño", "es")]
    [InlineData("así", "es")]
    [InlineData("¡vamos!", "es")]
    [InlineData("città", "it")]
    [InlineData("cioè", "it")]
    public void Accents_SettleShortMessages_WithoutKnownWords(string text, string expected)
    {
        var guess = Detector.Detect(text);

        Assert.Equal((expected, "characters"), (guess.Language, guess.Method));
    }

    /// <summary>
    /// The rule for mixed messages: every known word votes, greetings included, so the language
    /// of the request outvotes a greeting in another language.
    /// </summary>
    [Theory]
    [InlineData("Ciao! Do you ship to Spain?", "en")]
    [InlineData("Hola! Do you have cannoli?", "en")]
    [InlineData("Hi! Avete la crema di pistacchio?", "it")]
    [InlineData("Ciao, ¿tenéis envíos a Valencia?", "es")]
    [InlineData("Thanks! Il pacco è arrivato oggi, tutto perfetto.", "it")]
    public void MixedMessages_GoToTheLanguageThatCarriesMostWords(string text, string expected) =>
        Assert.Equal(expected, Detector.Detect(text).Language);

    [Fact]
    public void LongMixedDocument_GoesToTheDominantLanguage()
    {
        var italian = LabelledMessages.Paragraphs.Where(p => p.Language == "it").Select(p => p.Text);
        var text = string.Join("\n\n", italian) + "\n\nThanks a lot, best regards.";

        Assert.Equal("it", Detector.Detect(text).Language);
    }

    [Fact]
    public void Confidence_IsInRange_AndHigherForLongText()
    {
        var all = LabelledMessages.All.Select(m => Detector.Detect(m.Text)).ToList();
        Assert.All(all, g => Assert.InRange(g.Confidence, 0, 1));

        var paragraph = LabelledMessages.Paragraphs.First(p => p.Language == "en").Text;
        Assert.True(Detector.Detect(paragraph).Confidence > Detector.Detect("the pecorino").Confidence);
        Assert.True(Detector.Detect("grazie mille, tutto perfetto").Confidence > Detector.Detect("grazie").Confidence);
    }

    [Fact]
    public void CaseAndUnicodeForm_DoNotMatter()
    {
        const string text = "Il Nero d'Avola è disponibile? Perché lo vorrei già domani.";
        var nfc = Detector.Detect(text);

        Assert.Equal(nfc, Detector.Detect(text.Normalize(NormalizationForm.FormD)));
        Assert.Equal(nfc, Detector.Detect(text.ToUpperInvariant()));
        Assert.Equal(nfc, Detector.Detect(text.Replace('\'', '\u2019')));
    }

    [Fact]
    public void NumbersUrlsAndEmoji_DoNotChangeTheScore()
    {
        var plain = Detector.Detect("do you ship cannoli to Dublin");
        var noisy = Detector.Detect("do you ship 12 cannoli 🍰🍰 to Dublin 😀 https://saporidisicilia.it/cannoli info@saporidisicilia.it");

        Assert.Equal(plain, noisy);
    }

    [Fact]
    public void HugeDocument_IsReadFromItsBeginning_Quickly()
    {
        var spanish = LabelledMessages.Paragraphs.First(p => p.Language == "es").Text;
        var text = string.Join(' ', Enumerable.Repeat(spanish, 5_000));

        var started = DateTime.UtcNow;
        var guess = Detector.Detect(text);

        Assert.Equal("es", guess.Language);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2), "a 2 MB document took too long");
    }

    [Fact]
    public void ConcurrentCalls_GiveTheSameAnswers()
    {
        var texts = LabelledMessages.All.Select(m => m.Text).ToList();
        var expected = texts.Select(Detector.Detect).ToList();

        var results = new LanguageGuess[8][];
        Parallel.For(0, results.Length, i => results[i] = texts.Select(Detector.Detect).ToArray());

        Assert.All(results, r => Assert.Equal(expected, r));
    }
}
