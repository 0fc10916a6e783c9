namespace Agents.Analytics.Insights;

/// <summary>Model-quality measures reported with every insights run.</summary>
public static class Metrics
{
    /// <summary>
    /// Area under the ROC curve as the Mann–Whitney statistic: the probability that a random positive
    /// scores above a random negative, tied scores counting ½ (average ranks).
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, or one class is empty (the AUC is undefined).</exception>
    public static double Auc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        if (scores.Count != labels.Count)
        {
            throw new ArgumentException($"{scores.Count} scores but {labels.Count} labels.", nameof(labels));
        }

        var order = Enumerable.Range(0, scores.Count).ToArray();
        Array.Sort(order, (a, b) => scores[a].CompareTo(scores[b]));
        double positives = 0, rankSum = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end < order.Length && scores[order[end]].CompareTo(scores[order[start]]) == 0)
            {
                end++;
            }

            var averageRank = (start + 1 + end) / 2.0;
            for (var i = start; i < end; i++)
            {
                if (labels[order[i]])
                {
                    positives++;
                    rankSum += averageRank;
                }
            }

            start = end;
        }

        var negatives = order.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            throw new ArgumentException("The AUC needs at least one positive and one negative label.", nameof(labels));
        }

        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    /// <summary>
    /// Adjusted Rand index of two labelings of the same items: 1 for the same partition (whatever the
    /// label numbers), about 0 for chance agreement. Two identical trivial partitions score 1.
    /// </summary>
    public static double AdjustedRandIndex(int[] a, int[] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"{a.Length} labels against {b.Length}.", nameof(b));
        }

        var pairs = new Dictionary<(int, int), long>();
        var rows = new Dictionary<int, long>();
        var columns = new Dictionary<int, long>();
        for (var i = 0; i < a.Length; i++)
        {
            pairs[(a[i], b[i])] = pairs.GetValueOrDefault((a[i], b[i])) + 1;
            rows[a[i]] = rows.GetValueOrDefault(a[i]) + 1;
            columns[b[i]] = columns.GetValueOrDefault(b[i]) + 1;
        }

        static double Pairs(long count) => count * (count - 1) / 2.0;
        var index = pairs.Values.Sum(Pairs);
        var rowPairs = rows.Values.Sum(Pairs);
        var columnPairs = columns.Values.Sum(Pairs);
        var expected = rowPairs * columnPairs / Math.Max(1, Pairs(a.Length));
        var maximum = (rowPairs + columnPairs) / 2;
        return maximum == expected ? 1.0 : (index - expected) / (maximum - expected);
    }
}
