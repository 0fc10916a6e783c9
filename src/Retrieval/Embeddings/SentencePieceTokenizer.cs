using System.Text;
using System.Text.Json;

namespace Agents.Retrieval.Embeddings;

/// <summary>
/// The SentencePiece-style tokenizer of Universal Sentence Encoder lite, reproducing the TF.js
/// implementation (<c>@energetic-ai/embeddings</c>, a port of tfjs-models' tokenizer) id for id,
/// quirks included: NFKC, a leading "▁" with every space turned into "▁", a best-score lattice
/// over code points where ties go to the later candidate, and runs of unknown pieces collapsed to
/// one id 0. Immutable and safe to share between threads.
/// </summary>
public sealed class SentencePieceTokenizer
{
    private const char Separator = '\u2581';

    // The first entries of vocab.json (unknown, <s>, </s>, extra ids) never match input text.
    private const int ReservedSymbols = 6;

    private readonly TrieNode _root = new();

    // UTF-16 length of every piece: the JS walks back from the end by string length, not by
    // code points, so this (not the lattice's code-point length) decides the back-tracking.
    private readonly int[] _pieceLengths;

    /// <summary>Builds the tokenizer from (piece, score) pairs in vocabulary order; ids are indexes into the list.</summary>
    public SentencePieceTokenizer(IReadOnlyList<(string Piece, double Score)> vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (vocabulary.Count <= ReservedSymbols)
        {
            throw new ArgumentException($"A vocabulary needs more than the {ReservedSymbols} reserved symbols.", nameof(vocabulary));
        }

        _pieceLengths = new int[vocabulary.Count];
        for (var id = 0; id < vocabulary.Count; id++)
        {
            var (piece, score) = vocabulary[id];
            _pieceLengths[id] = piece.Length;
            if (id >= ReservedSymbols)
            {
                Insert(piece, score, id);
            }
        }
    }

    /// <summary>Number of pieces in the vocabulary (the largest id plus one).</summary>
    public int VocabularySize => _pieceLengths.Length;

    /// <summary>Reads vocab.json: an array of <c>[piece, score]</c> pairs (a null score counts as 0, as in JavaScript).</summary>
    public static async Task<SentencePieceTokenizer> LoadAsync(string vocabularyPath, CancellationToken cancellationToken = default)
    {
        await using var stream = File.OpenRead(vocabularyPath);
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        var vocabulary = new List<(string, double)>(document.RootElement.GetArrayLength());
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            var piece = entry[0].GetString() ?? throw new InvalidDataException($"{vocabularyPath}: entry {vocabulary.Count} has no piece.");
            var score = entry.GetArrayLength() > 1 && entry[1].ValueKind == JsonValueKind.Number ? entry[1].GetDouble() : 0d;
            vocabulary.Add((piece, score));
        }

        return new SentencePieceTokenizer(vocabulary);
    }

    /// <summary>Token ids of <paramref name="text"/>, untruncated; empty for empty text. Never throws on odd input.</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = NormalizeNfkc(text);
        if (normalized.Length == 0)
        {
            return [];
        }

        var symbols = ToSymbols(Separator + normalized.Replace(' ', Separator));
        var n = symbols.Length;
        var best = new double[n + 1];
        var words = new int[n + 1];

        // The JS fills the lattice per end position, visiting start positions in ascending order.
        // Pushing forward from each start in ascending order applies the same candidates to every
        // end in the same order, with best[start] already final, so the result is identical.
        for (var start = 0; start < n; start++)
        {
            var matched = false;
            var node = _root.Child(symbols[start]);
            for (var i = start; node is not null; )
            {
                if (node.End)
                {
                    matched = true;
                    Relax(best, words, i + 1, node.Score + best[start], node.Id);
                }

                i++;
                node = i < n ? node.Child(symbols[i]) : null;
            }

            if (!matched)
            {
                Relax(best, words, start + 1, best[start], 0); // unknown: score 0, one symbol
            }
        }

        var reversed = new List<int>(Math.Min(n, 1024));
        var previousUnknown = false;
        for (var position = n; position > 0; position -= _pieceLengths[words[position]])
        {
            var id = words[position];
            if (!(previousUnknown && id == 0))
            {
                reversed.Add(id);
            }

            previousUnknown = id == 0;
        }

        reversed.Reverse();
        return [.. reversed];
    }

    private static void Relax(double[] best, int[] words, int end, double score, int id)
    {
        // best == 0 doubles as "unset" in the JS, so a real total of 0 is overwritten too.
        if (best[end] == 0 || score >= best[end])
        {
            best[end] = score;
            words[end] = id;
        }
    }

    private void Insert(string piece, double score, int id)
    {
        var node = _root;
        var symbols = ToSymbols(piece);
        if (symbols.Length == 0)
        {
            return;
        }

        foreach (var symbol in symbols)
        {
            node = node.GetOrAddChild(symbol);
        }

        // A duplicate piece overwrites the earlier one, as the JS trie does.
        node.End = true;
        node.Score = score;
        node.Id = id;
    }

    /// <summary>Code points as JavaScript's string iterator yields them: pairs joined, lone surrogates kept as they are.</summary>
    private static int[] ToSymbols(string text)
    {
        var symbols = new int[text.Length];
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                symbols[count++] = char.ConvertToUtf32(c, text[i + 1]);
                i++;
            }
            else
            {
                symbols[count++] = c;
            }
        }

        return count == symbols.Length ? symbols : symbols[..count];
    }

    /// <summary>
    /// NFKC like JavaScript's <c>normalize("NFKC")</c>, which passes lone surrogates and the
    /// noncharacters U+FFFE/U+FFFF through where .NET throws: the runs between them are
    /// normalized and they are kept as they are (NFKC maps neither, nor composes across them).
    /// </summary>
    private static string NormalizeNfkc(string text)
    {
        if (Ascii.IsValid(text))
        {
            return text; // NFKC leaves ASCII as it is
        }

        StringBuilder? builder = null;
        var runStart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF')
            {
                builder ??= new StringBuilder(text.Length);
                builder.Append(Nfkc(text[runStart..i])).Append(c);
                runStart = i + 1;
            }
        }

        return builder is null ? Nfkc(text) : builder.Append(Nfkc(text[runStart..])).ToString();
    }

    private static string Nfkc(string run)
    {
        try
        {
            return run.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            return run; // a code point this runtime refuses: tokenizing it unnormalized beats failing the request
        }
    }

    private sealed class TrieNode
    {
        private Dictionary<int, TrieNode>? _children;

        public bool End { get; set; }
        public double Score { get; set; }
        public int Id { get; set; }

        public TrieNode? Child(int symbol) =>
            _children is not null && _children.TryGetValue(symbol, out var child) ? child : null;

        public TrieNode GetOrAddChild(int symbol)
        {
            _children ??= [];
            if (!_children.TryGetValue(symbol, out var child))
            {
                child = new TrieNode();
                _children.Add(symbol, child);
            }

            return child;
        }
    }
}
