namespace Agents.Analytics.Semantic;

/// <summary>Everything one left-to-right pass over the tokens found, before it is resolved into an interpretation.</summary>
internal sealed class QuestionScan
{
    public List<(string Key, Strength Strength, int Position)> Metrics { get; } = [];

    /// <summary>A metric named after by/per/por ("top products by revenue"): the measure of a ranking.</summary>
    public string? ExplicitMetric { get; set; }

    public string? ExplicitMetricWord { get; set; }

    public List<(string Key, bool Plural, bool Explicit)> Dimensions { get; } = [];

    /// <summary>Dimensions a phrase implies ("best sellers": products), used only for a ranking without another dimension.</summary>
    public List<string> ImpliedDimensions { get; } = [];

    public List<(Period Period, bool AfterMarker)> Periods { get; } = [];

    public string? ComparisonKind { get; set; }

    public bool CompareMarker { get; set; }

    public bool Rank { get; set; }

    public bool Bottom { get; set; }

    /// <summary>A word that only ranks (top, best, worst), not a comparative (more, più, más).</summary>
    public bool StrongRank { get; set; }

    public int? TopN { get; set; }

    public List<string> Numbers { get; } = [];

    public Dictionary<string, List<string>> Filters { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Refusals { get; } = new(StringComparer.Ordinal);

    public List<string> UnknownWords { get; } = [];

    public string? UnknownDimension { get; set; }

    public bool Sell { get; set; }

    public bool CountHint { get; set; }

    public bool AmountHint { get; set; }

    public bool Which { get; set; }

    /// <summary>Two metrics joined by "and": "revenue and orders".</summary>
    public bool MetricConjunction { get; set; }

    public void AddFilter(string key, string value)
    {
        if (!Filters.TryGetValue(key, out var values))
        {
            Filters[key] = values = [];
        }

        if (!values.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            values.Add(value);
        }
    }

    /// <summary>Whether anything about this shop's data was recognised at all.</summary>
    public bool HasSignal => Metrics.Count > 0 || ExplicitMetric is not null || Dimensions.Count > 0 || Periods.Count > 0 || Filters.Count > 0 || Sell;
}
