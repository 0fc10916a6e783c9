namespace Agents.Analytics.Semantic;

internal enum ItemKind
{
    /// <summary>Words that carry no meaning for the query (articles, "show me", "please").</summary>
    Filler,
    Metric,
    /// <summary>A dimension word: month, products, canale. Singular words can introduce a filter value.</summary>
    Dimension,
    /// <summary>by / per / por / each / ogni / cada: a dimension or a ranking metric follows.</summary>
    DimensionMarker,
    Channel,
    Country,
    /// <summary>An explicit comparison: year over year, vs the previous period.</summary>
    Comparison,
    /// <summary>vs / compared to / rispetto a / frente a: the next period is the one compared with.</summary>
    CompareMarker,
    Rank,
    /// <summary>sold / venduto / vendido: a sales verb without a metric noun.</summary>
    Sell,
    /// <summary>how many / quanti / cuántos.</summary>
    CountHint,
    /// <summary>how much / quanto / importo.</summary>
    AmountHint,
    /// <summary>which / quale / cuál.</summary>
    Which,
    Refuse,
}

internal enum Strength { Implicit, Weak, Strong, Explicit }

/// <summary>What a phrase means. Extra effects (a ranking, an implied dimension) ride along.</summary>
internal sealed record Item(ItemKind Kind, string Value = "", Strength Strength = Strength.Strong, bool Plural = false, bool TimeOnly = false)
{
    public bool? Bottom { get; init; }

    public string? ImpliedDimension { get; init; }
}

/// <summary>Multi-word phrases over tokens, longest match first, indexed by the first word.</summary>
internal sealed class PhraseTable
{
    private readonly Dictionary<string, List<(string[] Words, Item Item)>> _byFirst = new(StringComparer.Ordinal);

    public void Add(string phrase, Item item)
    {
        var words = phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (!_byFirst.TryGetValue(words[0], out var list))
        {
            _byFirst[words[0]] = list = [];
        }

        list.RemoveAll(e => e.Words.AsSpan().SequenceEqual(words));
        list.Add((words, item));
        list.Sort((a, b) => b.Words.Length.CompareTo(a.Words.Length));
    }

    public void AddAll(Item item, params string[] phrases)
    {
        foreach (var phrase in phrases)
        {
            Add(phrase, item);
        }
    }

    public bool Contains(string word) => _byFirst.ContainsKey(word);

    /// <summary>The longest phrase starting at <paramref name="start"/>, or null.</summary>
    public (Item Item, int Length)? Match(IReadOnlyList<Token> tokens, int start)
    {
        if (start >= tokens.Count || !tokens[start].IsWord || !_byFirst.TryGetValue(tokens[start].Text, out var candidates))
        {
            return null;
        }

        foreach (var (words, item) in candidates)
        {
            if (start + words.Length > tokens.Count)
            {
                continue;
            }

            var ok = true;
            for (var k = 1; k < words.Length && ok; k++)
            {
                var t = tokens[start + k];
                ok = t.IsWord && t.Text == words[k];
            }

            if (ok)
            {
                return (item, words.Length);
            }
        }

        return null;
    }
}
