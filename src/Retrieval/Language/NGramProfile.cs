using System.Collections.Frozen;
using System.Runtime.InteropServices;

namespace Agents.Retrieval.Language;

/// <summary>
/// A Cavnar–Trenkle language fingerprint: the most frequent 1–5-grams of a language, ranked by
/// frequency, as libexttextcat stores them in its <c>.lm</c> files (one n-gram per line, most
/// frequent first, '_' marking word boundaries). Immutable, so one instance serves every thread.
/// </summary>
internal sealed class NGramProfile
{
    internal const int MaxNGrams = 400;
    internal const int MaxNGramLength = 5;

    /// <summary>Penalty for an n-gram the language does not rank at all (libtextcat's MAXOUTOFPLACE).</summary>
    internal const int MaxOutOfPlace = 400;

    internal const char Boundary = '_';

    private readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _ranks;

    private NGramProfile(string language, FrozenDictionary<string, int> ranks)
    {
        Language = language;
        _ranks = ranks.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public string Language { get; }

    /// <summary>
    /// Reads a libexttextcat fingerprint. The files are case-sensitive, but the detector lowercases
    /// its input, so n-grams are folded to lowercase here and a folded duplicate keeps the better
    /// (lower) rank; ranks stay the line numbers, so the distances mean what they mean upstream.
    /// </summary>
    public static NGramProfile Load(string language, TextReader reader)
    {
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
        var rank = 0;
        for (var line = reader.ReadLine(); line is not null && rank < MaxNGrams; line = reader.ReadLine())
        {
            var end = line.AsSpan().IndexOfAny(' ', '\t');
            var ngram = (end < 0 ? line : line[..end]).Trim();
            if (ngram.Length == 0)
            {
                continue;
            }

            ranks.TryAdd(ngram.ToLowerInvariant(), rank);
            rank++;
        }

        if (ranks.Count == 0)
        {
            throw new InvalidDataException($"The '{language}' fingerprint holds no n-grams.");
        }

        return new NGramProfile(language, ranks.ToFrozenDictionary(StringComparer.Ordinal));
    }

    public bool Contains(string ngram) => _ranks.ContainsKey(ngram);

    /// <summary>
    /// The out-of-place distance of a document's ranked n-grams from this language: the sum of
    /// rank differences, <see cref="MaxOutOfPlace"/> for each n-gram the language lacks.
    /// </summary>
    public int Distance(IReadOnlyList<string> rankedDocumentNGrams)
    {
        var sum = 0;
        for (var rank = 0; rank < rankedDocumentNGrams.Count; rank++)
        {
            sum += _ranks.TryGetValue(rankedDocumentNGrams[rank], out var languageRank)
                ? Math.Abs(languageRank - rank)
                : MaxOutOfPlace;
        }

        return sum;
    }

    /// <summary>
    /// The document side of TextCat: every n-gram of 1–5 characters of a buffer that already has
    /// '_' between words, where '_' may only open or close an n-gram (libtextcat's
    /// <c>createngramtable</c>), ranked by frequency and cut at <see cref="MaxNGrams"/>.
    /// libtextcat breaks frequency ties arbitrarily; here shorter n-grams go first (they are the
    /// more frequent ones in every fingerprint, so short texts are not penalised for tie order),
    /// then the first seen, so results are deterministic.
    /// </summary>
    public static IReadOnlyList<string> RankNGrams(string buffer)
    {
        var counts = new Dictionary<string, (int Count, int First)>(StringComparer.Ordinal);
        var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        var span = buffer.AsSpan();
        var seen = 0;
        for (var start = 0; start < span.Length; start++)
        {
            for (var length = 1; length <= MaxNGramLength && start + length <= span.Length; length++)
            {
                ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(lookup, span.Slice(start, length), out var exists);
                entry = exists ? (entry.Count + 1, entry.First) : (1, seen++);

                if (length > 1 && span[start + length - 1] == Boundary)
                {
                    break;
                }
            }
        }

        return counts
            .OrderByDescending(pair => pair.Value.Count)
            .ThenBy(pair => pair.Key.Length)
            .ThenBy(pair => pair.Value.First)
            .Take(MaxNGrams)
            .Select(pair => pair.Key)
            .ToList();
    }
}
