namespace Agents.Retrieval.Language;

/// <summary>
/// Tells Italian, English and Spanish apart, from a one-word chat message to a whole document.
/// <list type="bullet">
/// <item>Texts of more than <see cref="ChatWords"/> words: TextCat alone (Cavnar–Trenkle
/// out-of-place ranking of 1–5-grams against libexttextcat's fingerprints, restricted to the
/// three languages).</item>
/// <item>Short messages (at most <see cref="ShortWords"/> words or <see cref="ShortLetters"/>
/// letters) have too few n-grams for that: known words and deciding characters vote first, and
/// TextCat only breaks a tie among the languages that tied.</item>
/// <item>Chat-length messages in between: TextCat, overruled only when the known words clearly
/// favour another language.</item>
/// </list>
/// Mixed messages ("Ciao! Do you ship to Spain?") go to the language that carries most of the
/// evidence: every known word votes once, greetings included, so the request outvotes a
/// greeting in another language; in longer texts the n-gram mass decides the same way.
/// Construct once and share: the fingerprints are read at construction and never change.
/// </summary>
public sealed class LanguageDetector
{
    public const string Undetermined = "und";

    /// <summary>A message is short when it has at most this many words…</summary>
    internal const int ShortWords = 3;

    /// <summary>…or at most this many letters.</summary>
    internal const int ShortLetters = 20;

    /// <summary>
    /// The relative distance gap at which confidence is 0.5: libexttextcat reports every language
    /// within 3 % of the best (THRESHOLDVALUE 1.03) as an equal candidate.
    /// </summary>
    private const double TextCatHalfGap = 0.03;

    /// <summary>Document n-grams from which TextCat's distance gap is taken at face value.</summary>
    private const int TrustedNGrams = 100;

    /// <summary>The vote gap at which confidence is 0.5; one clear word gives 0.6.</summary>
    private const double LexiconHalfGap = 0.75;

    /// <summary>
    /// Up to this many words a text is a chat message and known words may overrule TextCat;
    /// longer texts have n-grams enough for TextCat alone.
    /// </summary>
    internal const int ChatWords = 30;

    /// <summary>The least vote gap by which known words overrule TextCat (and a fifth of the words).</summary>
    private const double MinOverridingGap = 2;

    private const string Boundary = "_";

    private static readonly LanguageGuess Nothing = new(Undetermined, 0, "none");

    private static readonly bool[] All = [true, true, true];

    // Indexed like ShortMessageLexicon.Italian/English/Spanish.
    private static readonly string[] Codes = ["it", "en", "es"];

    private readonly NGramProfile[] _profiles;

    /// <exception cref="InvalidOperationException">The fingerprints are not embedded in the assembly.</exception>
    public LanguageDetector()
    {
        _profiles = Codes.Select(LoadEmbedded).ToArray();
    }

    /// <summary>The languages this detector can answer, besides <see cref="Undetermined"/>.</summary>
    public static IReadOnlyList<string> Languages { get; } = Array.AsReadOnly(Codes);

    public LanguageGuess Detect(string text) => Detect(text, shortMessageRules: true);

    /// <summary>Plain TextCat over the same preparation, kept to measure what the short-message rules add.</summary>
    internal LanguageGuess DetectWithTextCatOnly(string text) => Detect(text, shortMessageRules: false);

    private LanguageGuess Detect(string? text, bool shortMessageRules)
    {
        var prepared = PreparedText.From(text);
        if (!prepared.HasLetters)
        {
            return Nothing;
        }

        var ranked = NGramProfile.RankNGrams(prepared.Buffer);

        // Letters of another script share only the word boundary with the fingerprints.
        if (!ranked.Any(g => g != Boundary && _profiles.Any(p => p.Contains(g))))
        {
            return Nothing;
        }

        var distances = _profiles.Select(p => (double)p.Distance(ranked)).ToArray();
        var textCat = TextCat(distances, ranked.Count, All);
        if (!shortMessageRules || prepared.Words.Count > ChatWords)
        {
            return new LanguageGuess(Codes[textCat.Language], textCat.Confidence, "textcat");
        }

        var words = ShortMessageLexicon.WordVotes(prepared.Words);
        var characters = ShortMessageLexicon.CharacterVotes(prepared.Cues);
        var votes = words.Zip(characters, (w, c) => w + c).ToArray();
        var (best, second) = TopTwo(votes, All);
        var lexicon = HalfLife(votes[best] - votes[second], LexiconHalfGap);

        if (prepared.Words.Count <= ShortWords || prepared.LetterCount <= ShortLetters)
        {
            if (votes[best] > votes[second])
            {
                var wordsAlone = TopTwo(words, All);
                var method = wordsAlone.Best == best && words[best] > words[wordsAlone.Second] ? "lexicon" : "characters";
                return new LanguageGuess(Codes[best], Combine(lexicon, textCat, best), method);
            }

            // A tie (often no known word at all): TextCat chooses among the tied languages only.
            var tied = votes.Select(v => v == votes[best]).ToArray();
            var among = TextCat(distances, ranked.Count, tied);
            return new LanguageGuess(Codes[among.Language], among.Confidence, votes[best] > 0 ? "textcat+lexicon" : "textcat");
        }

        // A chat-length message: TextCat, unless the known words clearly disagree. Italian product
        // names (cannoli, Nero d'Avola, pecorino) pull TextCat to Italian in messages written in
        // English or Spanish, while they cast no vote here.
        var clearly = Math.Max(MinOverridingGap, prepared.Words.Count / 5.0);
        if (best != textCat.Language && votes[best] - votes[second] >= clearly)
        {
            return new LanguageGuess(Codes[best], Combine(lexicon, textCat, best), "lexicon");
        }

        return best == textCat.Language && votes[best] > votes[second]
            ? new LanguageGuess(Codes[best], Combine(textCat.Confidence, (best, lexicon), best), "textcat+lexicon")
            : new LanguageGuess(Codes[textCat.Language], textCat.Confidence, "textcat");
    }

    /// <summary>
    /// TextCat among the candidate languages, with a confidence from the relative distance gap.
    /// On a few dozen n-grams (one word gives about fifteen) a single n-gram one language happens
    /// to rank swings the gap, so the gap counts fully only from <see cref="TrustedNGrams"/> on.
    /// </summary>
    private static (int Language, double Confidence) TextCat(double[] distances, int ngrams, bool[] candidates)
    {
        // Lower distance is better: rank the negated distances.
        var (best, second) = TopTwo(distances.Select(d => -d).ToArray(), candidates);
        var gap = distances[second] <= 0 ? 0 : (distances[second] - distances[best]) / distances[second];
        var evidence = Math.Min(1, (double)ngrams / TrustedNGrams);
        return (best, Math.Round(HalfLife(gap, TextCatHalfGap) * evidence, 3));
    }

    /// <summary>
    /// The deciding evidence's confidence, raised when the other kind of evidence agrees
    /// (noisy-or) and lowered when it points elsewhere.
    /// </summary>
    private static double Combine(double deciding, (int Language, double Confidence) other, int decided) =>
        Math.Round(other.Language == decided
            ? 1 - (1 - deciding) * (1 - other.Confidence)
            : deciding * (1 - other.Confidence), 3);

    /// <summary>Maps a gap to [0, 1): 0 for no gap, 0.5 at <paramref name="halfGap"/>, near 1 well beyond.</summary>
    private static double HalfLife(double gap, double halfGap) => 1 - Math.Pow(2, -gap / halfGap);

    /// <summary>The best and second-best candidate by score; the earlier language wins exact ties.</summary>
    private static (int Best, int Second) TopTwo(double[] scores, bool[] candidates)
    {
        var order = Enumerable.Range(0, scores.Length)
            .Where(i => candidates[i])
            .OrderByDescending(i => scores[i])
            .ToList();
        return (order[0], order.Count > 1 ? order[1] : order[0]);
    }

    private static NGramProfile LoadEmbedded(string language)
    {
        var name = $"{typeof(LanguageDetector).Namespace}.Fingerprints.{language}.lm";
        using var stream = typeof(LanguageDetector).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException(
                $"The language fingerprint '{name}' is not embedded in {typeof(LanguageDetector).Assembly.GetName().Name}: " +
                "Retrieval.csproj needs <EmbeddedResource Include=\"Language\\Fingerprints\\*.lm\" " +
                "LogicalName=\"Agents.Retrieval.Language.Fingerprints.%(Filename)%(Extension)\" />.");
        using var reader = new StreamReader(stream);
        return NGramProfile.Load(language, reader);
    }
}
