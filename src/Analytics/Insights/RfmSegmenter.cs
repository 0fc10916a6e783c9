namespace Agents.Analytics.Insights;

/// <summary>A customer's recency (days since the last order), order count and total spend.</summary>
public sealed record RfmInput(Guid CustomerId, int RecencyDays, int Frequency, double Monetary);

/// <summary>Quintile scores 1..5 (R = 5 most recent, F and M = 5 highest), the k-means cluster and its segment name.</summary>
public sealed record RfmResult(Guid CustomerId, int R, int F, int M, int Cluster, string Segment);

/// <summary>Size and averages of one named segment (all clusters that received the name).</summary>
public sealed record RfmSegmentSummary(string Segment, int Customers, double AvgR, double AvgF, double AvgM, double AvgRecencyDays, double AvgFrequency, double AvgMonetary);

/// <summary>Every customer (ordered by id) and the segments present, in <see cref="RfmSegmenter.SegmentNames"/> order.</summary>
public sealed record RfmSegmentation(IReadOnlyList<RfmResult> Customers, IReadOnlyList<RfmSegmentSummary> Segments);

/// <summary>RFM quintile scores, k-means++ clusters on them, and a human name per cluster.</summary>
/// <remarks>
/// <para><b>Quintiles by rank.</b> A value's score is 1 + ⌊5 · midrank / n⌋ (capped at 5), where the midrank
/// of a group of equal values is the middle of the positions they occupy once sorted. Equal values therefore
/// always share a score — the many one-order customers all get F = 1 instead of being split at random —
/// and with distinct values each score holds a fifth of the customers. R is 6 − the score of the recency days.</para>
/// <para><b>Clusters.</b> k-means on the (R, F, M) scores: already on one 1..5 scale, so no further
/// standardisation, and the centroids read directly as average scores for naming. See <see cref="WeightedKMeans"/>
/// for seeding, restarts and empty clusters. Clusters are numbered by centroid (R, then F, then M, highest first).</para>
/// <para><b>Determinism.</b> Customers are sorted by id first and nothing else depends on input order, so the same
/// customers and seed give the same result however they arrive.</para>
/// <para><b>Names</b> come from each centroid by <see cref="Name"/> and are not forced unique: two clusters with the
/// same profile (say two kinds of loyal customer) share the name, and the summaries merge them, because a
/// merchant acts on "Loyal", not on cluster 3.</para>
/// </remarks>
public static class RfmSegmenter
{
    public static readonly IReadOnlyList<string> SegmentNames = ["Champions", "Loyal", "Potential", "New", "At risk", "Hibernating", "Lost"];

    private const int Dimensions = 3;

    /// <exception cref="ArgumentException">A customer id appears twice, or <paramref name="k"/> &lt; 1.</exception>
    public static RfmSegmentation Segment(IReadOnlyList<RfmInput> customers, int seed = 42, int k = 6)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var sorted = customers.OrderBy(c => c.CustomerId).ToArray();
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i].CustomerId == sorted[i - 1].CustomerId)
            {
                throw new ArgumentException($"Customer {sorted[i].CustomerId} appears more than once.", nameof(customers));
            }
        }

        if (sorted.Length == 0)
        {
            return new RfmSegmentation([], []);
        }

        var recency = Quintiles(sorted.Select(c => (double)c.RecencyDays).ToArray());
        var frequency = Quintiles(sorted.Select(c => (double)c.Frequency).ToArray());
        var monetary = Quintiles(sorted.Select(c => c.Monetary).ToArray());
        var cells = sorted.Select((_, i) => Cell(6 - recency[i], frequency[i], monetary[i])).ToArray();

        var distinct = cells.Distinct().Order().ToArray();
        var points = distinct.SelectMany(cell => new double[] { cell / 100, cell / 10 % 10, cell % 10 }).ToArray();
        var counts = cells.CountBy(c => c).ToDictionary();
        var weights = distinct.Select(cell => (double)counts[cell]).ToArray();
        var (centroids, assignment) = WeightedKMeans.Fit(points, weights, Dimensions, Math.Min(k, distinct.Length), seed);

        var clusters = centroids.Length / Dimensions;
        var byCentroid = Enumerable.Range(0, clusters)
            .OrderByDescending(c => centroids[c * Dimensions])
            .ThenByDescending(c => centroids[c * Dimensions + 1])
            .ThenByDescending(c => centroids[c * Dimensions + 2])
            .ToArray();
        var number = new int[clusters];
        for (var rank = 0; rank < clusters; rank++)
        {
            number[byCentroid[rank]] = rank;
        }

        var names = Enumerable.Range(0, clusters)
            .Select(c => Name(centroids[c * Dimensions], centroids[c * Dimensions + 1], centroids[c * Dimensions + 2]))
            .ToArray();
        var clusterOfCell = distinct.Select((cell, i) => (cell, cluster: assignment[i])).ToDictionary(x => x.cell, x => x.cluster);
        var results = sorted.Select((c, i) =>
        {
            var cluster = clusterOfCell[cells[i]];
            return new RfmResult(c.CustomerId, 6 - recency[i], frequency[i], monetary[i], number[cluster], names[cluster]);
        }).ToArray();

        var summaries = results.Select((r, i) => (Result: r, Input: sorted[i]))
            .GroupBy(x => x.Result.Segment)
            .OrderBy(g => IndexOf(g.Key))
            .Select(g => new RfmSegmentSummary(g.Key, g.Count(),
                g.Average(x => x.Result.R), g.Average(x => x.Result.F), g.Average(x => x.Result.M),
                g.Average(x => x.Input.RecencyDays), g.Average(x => x.Input.Frequency), g.Average(x => x.Input.Monetary)))
            .ToArray();
        return new RfmSegmentation(results, summaries);
    }

    /// <summary>
    /// The segment for a cluster's average scores, with fm = (f + m) / 2, first rule that matches:
    /// <list type="table">
    /// <item><term>Champions</term><description>r ≥ 4 and fm ≥ 4: bought recently, often, a lot.</description></item>
    /// <item><term>Loyal</term><description>r ≥ 3 and fm ≥ 3.</description></item>
    /// <item><term>New</term><description>r ≥ 4 and fm &lt; 2: recent, but one small basket so far.</description></item>
    /// <item><term>Potential</term><description>r ≥ 3: recent with modest history, could become loyal.</description></item>
    /// <item><term>At risk</term><description>fm ≥ 3: valuable customers who have not been back for a while.</description></item>
    /// <item><term>Lost</term><description>r &lt; 2 and fm &lt; 2.</description></item>
    /// <item><term>Hibernating</term><description>everyone else: lapsing, low value.</description></item>
    /// </list>
    /// Frequency and monetary are averaged because they move together (spend grows with orders) and the
    /// classic RFM grid is drawn on R against FM.
    /// </summary>
    public static string Name(double r, double f, double m)
    {
        var fm = (f + m) / 2;
        return (r, fm) switch
        {
            ( >= 4, >= 4) => "Champions",
            ( >= 3, >= 3) => "Loyal",
            ( >= 4, < 2) => "New",
            ( >= 3, _) => "Potential",
            (_, >= 3) => "At risk",
            ( < 2, < 2) => "Lost",
            _ => "Hibernating",
        };
    }

    /// <summary>Scores 1..5 by midrank (see remarks); equal values share a score.</summary>
    internal static int[] Quintiles(double[] values)
    {
        var n = values.Length;
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (a, b) => values[a].CompareTo(values[b]));
        var scores = new int[n];
        for (var start = 0; start < n;)
        {
            var end = start;
            while (end < n && values[order[end]].CompareTo(values[order[start]]) == 0)
            {
                end++;
            }

            var score = Math.Min(5, 1 + (int)Math.Floor(5 * ((start + end) / 2.0) / n));
            for (var i = start; i < end; i++)
            {
                scores[order[i]] = score;
            }

            start = end;
        }

        return scores;
    }

    private static int Cell(int r, int f, int m) => r * 100 + f * 10 + m;

    private static int IndexOf(string segment)
    {
        for (var i = 0; i < SegmentNames.Count; i++)
        {
            if (SegmentNames[i] == segment)
            {
                return i;
            }
        }

        return SegmentNames.Count;
    }
}
