namespace Agents.Analytics.Insights;

/// <summary>One key of a dimension on an anomalous day (e.g. category "citrus"): its actual and expected value.</summary>
public sealed record Contribution(string Key, double Actual, double Expected);

/// <summary>
/// The key that drove an anomaly. <paramref name="ShareOfChange"/> is its part (0..1] of the movement
/// in the anomaly's direction within its dimension; the host words the sentence in the shopper's language.
/// </summary>
public sealed record AnomalyDriver(string Dimension, string Key, double Actual, double Expected, double ShareOfChange);

/// <summary>Names the category, channel, … whose deviation explains most of an anomalous day.</summary>
public static class AnomalyExplainer
{
    /// <summary>
    /// The driver across all dimensions, or null when no dimension moved or none has two keys.
    /// </summary>
    /// <remarks>
    /// A key's share is its deviation divided by the sum of the deviations that point the same way as
    /// the dimension's total. Dividing by the net total instead would give shares above 100% whenever
    /// another key moved the opposite way, which no sentence can carry. A dimension with one key always
    /// explains everything and says nothing, so it is skipped. Ties: larger absolute deviation, then
    /// dimension and key in ordinal order, so the answer does not depend on dictionary order.
    /// </remarks>
    public static AnomalyDriver? Explain(IReadOnlyDictionary<string, IReadOnlyList<Contribution>> byDimension)
    {
        ArgumentNullException.ThrowIfNull(byDimension);
        AnomalyDriver? best = null;
        foreach (var (dimension, contributions) in byDimension.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            if (contributions.Count < 2)
            {
                continue;
            }

            var net = contributions.Sum(c => c.Actual - c.Expected);
            var sign = Math.Sign(net);
            var moved = contributions.Sum(c => Math.Max(0, sign * (c.Actual - c.Expected)));
            if (sign == 0 || !(moved > 0))
            {
                continue;
            }

            foreach (var contribution in contributions.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                var share = Math.Max(0, sign * (contribution.Actual - contribution.Expected)) / moved;
                var candidate = new AnomalyDriver(dimension, contribution.Key, contribution.Actual, contribution.Expected, share);
                if (best is null || IsBetter(candidate, best))
                {
                    best = candidate;
                }
            }
        }

        return best;
    }

    private static bool IsBetter(AnomalyDriver candidate, AnomalyDriver best) =>
        candidate.ShareOfChange > best.ShareOfChange
        || (candidate.ShareOfChange == best.ShareOfChange
            && Math.Abs(candidate.Actual - candidate.Expected) > Math.Abs(best.Actual - best.Expected));
}
