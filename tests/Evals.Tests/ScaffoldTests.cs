using Agents.Evals.Running;

namespace Agents.Evals.Tests;

public class LatencyStatsTests
{
    [Fact]
    public void Of_Values_NearestRankPercentiles()
    {
        var stats = LatencyStats.Of([5, 1, 4, 2, 3, 10, 9, 8, 7, 6]);
        Assert.Equal(5, stats.P50);
        Assert.Equal(10, stats.P95);
        Assert.Equal(1, stats.Min);
        Assert.Equal(5.5, stats.Mean);
    }
}
