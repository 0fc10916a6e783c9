using Agents.Analytics.Insights;

namespace Agents.Analytics.Tests.Insights;

public sealed class MetricsTests
{
    [Fact]
    public void Auc_PerfectReversedAndTied_AreOneZeroAndHalf()
    {
        bool[] labels = [false, false, true, true];

        Assert.Equal(1.0, Metrics.Auc([0.1, 0.2, 0.8, 0.9], labels));
        Assert.Equal(0.0, Metrics.Auc([0.9, 0.8, 0.2, 0.1], labels));
        Assert.Equal(0.5, Metrics.Auc([0.5, 0.5, 0.5, 0.5], labels));
    }

    [Fact]
    public void Auc_HandComputedCases()
    {
        // Positives 0.35, 0.8 against negatives 0.1, 0.4: 3 of 4 pairs ordered.
        Assert.Equal(0.75, Metrics.Auc([0.1, 0.4, 0.35, 0.8], [false, false, true, true]));
        // Positives 0.5, 0.9 against negatives 0.5, 0.2: one tie (½) and three ordered pairs.
        Assert.Equal(0.875, Metrics.Auc([0.5, 0.5, 0.2, 0.9], [true, false, false, true]));
    }

    [Fact]
    public void Auc_OneClassOrLengthMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => Metrics.Auc([0.1, 0.2], [true, true]));
        Assert.Throws<ArgumentException>(() => Metrics.Auc([0.1, 0.2], [true]));
    }

    [Fact]
    public void AdjustedRandIndex_SamePartitionRelabelled_IsOne()
    {
        Assert.Equal(1.0, Metrics.AdjustedRandIndex([0, 0, 1, 1, 2, 2], [5, 5, 3, 3, 9, 9]));
        Assert.Equal(1.0, Metrics.AdjustedRandIndex([1, 1, 1], [0, 0, 0]));
    }

    [Fact]
    public void AdjustedRandIndex_TextbookExamples()
    {
        // Values from the scikit-learn adjusted_rand_score documentation.
        Assert.Equal(0.5714285714285715, Metrics.AdjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2]), 12);
        Assert.Equal(8.0 / 33, Metrics.AdjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]), 12);
        Assert.Equal(-0.5, Metrics.AdjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]), 12);
    }
}
