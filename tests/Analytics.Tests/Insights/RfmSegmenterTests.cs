using Agents.Analytics.Insights;

namespace Agents.Analytics.Tests.Insights;

public sealed class RfmSegmenterTests
{
    private static List<RfmInput> Customers(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(i =>
            {
                var frequency = 1 + (int)Math.Exp(random.NextDouble() * 3);
                return new RfmInput(new Guid(i, 0, 0, new byte[8]), random.Next(1, 720), frequency, Math.Round(frequency * (20 + random.NextDouble() * 60), 2));
            })
            .ToList();
    }

    [Fact]
    public void Quintiles_HandCase_TiesShareTheMidrankScore()
    {
        // Sorted positions 0..9; the two 20s occupy positions 1–2, midrank 2 → ⌊5·2/10⌋ + 1 = 2.
        var scores = RfmSegmenter.Quintiles([90, 20, 10, 30, 20, 40, 50, 60, 70, 80]);

        Assert.Equal([5, 2, 1, 2, 2, 3, 3, 4, 4, 5], scores);
        Assert.Equal([3, 3, 3], RfmSegmenter.Quintiles([7, 7, 7]));
        Assert.Equal([1, 2, 3, 4, 5], RfmSegmenter.Quintiles([1, 2, 3, 4, 5]));
    }

    [Fact]
    public void Segment_RecencyScoresReversed_MostRecentIsFive()
    {
        var customers = Enumerable.Range(0, 5).Select(i => new RfmInput(new Guid(i, 0, 0, new byte[8]), 10 * (i + 1), 5 - i, 100.0 * (5 - i))).ToList();

        var result = RfmSegmenter.Segment(customers, k: 2);

        Assert.Equal([5, 4, 3, 2, 1], result.Customers.Select(c => c.R));
        Assert.Equal([5, 4, 3, 2, 1], result.Customers.Select(c => c.F));
        Assert.Equal("Champions", result.Customers[0].Segment);
        Assert.Equal(0, result.Customers[0].Cluster);
    }

    [Fact]
    public void Segment_PermutedInput_IdenticalResult()
    {
        var customers = Customers(3000, seed: 1);
        var shuffled = customers.ToArray();
        new Random(2).Shuffle(shuffled);

        var a = RfmSegmenter.Segment(customers, seed: 42);
        var b = RfmSegmenter.Segment(shuffled, seed: 42);

        Assert.Equal(a.Customers, b.Customers);
        Assert.Equal(a.Segments, b.Segments);
        Assert.Equal(customers.Count, a.Segments.Sum(s => s.Customers));
    }

    [Fact]
    public void Segment_OtherSeed_SamePartition()
    {
        var customers = Customers(3000, seed: 3);

        var a = RfmSegmenter.Segment(customers, seed: 1).Customers.Select(c => c.Cluster).ToArray();
        var b = RfmSegmenter.Segment(customers, seed: 2).Customers.Select(c => c.Cluster).ToArray();

        Assert.True(Metrics.AdjustedRandIndex(a, b) > 0.9);
    }

    [Fact]
    public void Segment_FewerDistinctProfilesThanClusters_OneClusterEach()
    {
        var customers = Enumerable.Range(0, 10).Select(i => new RfmInput(new Guid(i, 0, 0, new byte[8]), i < 5 ? 3 : 300, 2, 50)).ToList();

        var result = RfmSegmenter.Segment(customers, k: 6);

        Assert.Equal(2, result.Customers.Select(c => c.Cluster).Distinct().Count());
    }

    [Fact]
    public void Segment_DuplicateCustomer_Throws()
    {
        var customers = Customers(5, seed: 4);
        customers.Add(customers[0]);

        Assert.Throws<ArgumentException>(() => RfmSegmenter.Segment(customers));
    }

    [Theory]
    [InlineData(4.6, 4.5, 4.4, "Champions")]
    [InlineData(3.2, 4.0, 3.8, "Loyal")]
    [InlineData(4.7, 1.0, 1.5, "New")]
    [InlineData(4.0, 2.5, 2.5, "Potential")]
    [InlineData(1.8, 4.2, 4.0, "At risk")]
    [InlineData(2.4, 2.0, 2.2, "Hibernating")]
    [InlineData(1.2, 1.3, 1.4, "Lost")]
    public void Name_FollowsTheRfmGrid(double r, double f, double m, string expected)
    {
        Assert.Equal(expected, RfmSegmenter.Name(r, f, m));
    }
}
