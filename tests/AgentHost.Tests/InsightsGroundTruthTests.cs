using Agents.AgentHost.Demo;
using Agents.Analytics.Insights;

namespace Agents.AgentHost.Tests;

/// <summary>
/// The insights models against what the demo generator planted: anomaly days, churners, stable segments.
/// Pure computation over the generated rows; no database. Floors are set below the measured values (see the
/// messages and /tmp/insights-report.md), so a change that degrades a model fails here.
/// </summary>
public sealed class InsightsGroundTruthTests
{
    private static readonly DateOnly Today = new(2026, 7, 1);
    private static readonly string[] Categories = ["citrus", "oil", "wine", "cheese", "pasta", "sweets", "honey", "preserves"];

    private static readonly List<DemoOrderGenerator.ProductRef> Products = Enumerable.Range(0, 40)
        .Select(i => new DemoOrderGenerator.ProductRef(new Guid(i + 1, 0, 0, new byte[8]), $"SKU-{i:000}", $"Product {i}", Categories[i % Categories.Length], 3m + i * 1.5m))
        .ToList();

    private static readonly DemoOrderGenerator Generator = new(Today);
    private static readonly DemoOrderGenerator.Dataset Data = Generator.Generate(Products);

    /// <summary>Counted orders as in decision 008: paid, shipped, delivered.</summary>
    private static readonly List<DemoOrderGenerator.OrderRow> Counted = Data.Orders.Where(o => o.Status is "paid" or "shipped" or "delivered").ToList();

    private static readonly List<CustomerOrder> Orders = Counted.Select(o => new CustomerOrder(o.CustomerId, Day(o), (double)o.Total)).ToList();
    private static readonly List<(Guid, DateOnly)> Customers = Data.Customers.Select(c => (c.Id, DateOnly.FromDateTime(c.CreatedAt.UtcDateTime))).ToList();

    private static DateOnly Day(DemoOrderGenerator.OrderRow order) => DateOnly.FromDateTime(order.CreatedAt.UtcDateTime);

    private static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    /// <summary>Every day of the generated range; days without a counted order are absent, as the detector documents.</summary>
    private static List<SeriesPoint> Daily(Func<IEnumerable<DemoOrderGenerator.OrderRow>, double> measure) =>
        Counted.GroupBy(Day).Select(g => new SeriesPoint(g.Key, measure(g))).ToList();

    private static (double Recall, double Precision, IReadOnlyList<AnomalyPoint> Found) Score(IReadOnlyList<SeriesPoint> series)
    {
        var injected = Data.Anomalies.Select(a => a.Date).ToHashSet();
        var found = AnomalyDetector.Detect(series);
        var hits = found.Count(a => injected.Contains(a.Date));
        return (hits / (double)injected.Count, found.Count == 0 ? 0 : hits / (double)found.Count, found);
    }

    [Fact]
    public void OrdersSeries_EveryInjectedDayFound_FewFalseAlarms()
    {
        var (recall, precision, found) = Score(Daily(g => g.Count()));
        Report($"orders: recall {recall:P0}, precision {precision:P0}: {string.Join(", ", found.Select(a => $"{a.Date} {a.Score:F1}"))}");

        Assert.Equal(1.0, recall);
        // Measured 1.0 here and 63/64 over 16 catalogues (the catalogue changes the random stream); worst 4 of 5.
        Assert.True(precision >= 0.8, $"precision {precision}");
    }

    [Fact]
    public void RevenueSeries_InjectedDaysFound_FewFalseAlarms()
    {
        var (recall, precision, found) = Score(Daily(g => (double)g.Sum(o => o.Total)));
        Report($"revenue: recall {recall:P0}, precision {precision:P0}: {string.Join(", ", found.Select(a => $"{a.Date} {a.Score:F1}"))}");

        // Baskets add noise: over 16 catalogues recall was 58/64 (never below 3 of 4) and precision 58/65 (worst 4 of 7).
        Assert.True(recall >= 0.75, $"recall {recall}");
        Assert.True(precision >= 0.5, $"precision {precision}");
    }

    [Fact]
    public void OrdersSeries_BlackFridayAndChristmas_AreSeasonNotAnomalies()
    {
        var found = AnomalyDetector.Detect(Daily(g => g.Count()));

        foreach (var year in (int[])[2024, 2025])
        {
            var blackFriday = DemoOrderGenerator.BlackFriday(year);
            Assert.DoesNotContain(found, a => a.Date >= blackFriday && a.Date <= new DateOnly(year, 12, 31));
        }
    }

    [Fact]
    public void Churn_HeldOutAuc_AtLeast075()
    {
        var dataset = ChurnDataset.Build(Orders, Customers, Today);

        var model = ChurnModel.Train(dataset.Features, dataset.Churned, seed: 42);
        Report($"churn: {dataset.Features.Count} customers, {dataset.Churned.Count(c => c)} churned; AUC held-out {model.Auc:F3}, train {model.TrainAuc:F3}; "
            + string.Join(", ", model.Coefficients.Select(c => $"{c.Key} {c.Value:F2}")));

        Assert.True(model.Auc >= 0.75, $"held-out AUC {model.Auc}");
        Assert.True(model.Coefficients["recency"] > 0, "a longer silence must raise the churn probability");
    }

    [Fact]
    public void Churn_ScoredToday_PlantedChurnersRankHigh()
    {
        var dataset = ChurnDataset.Build(Orders, Customers, Today);
        var model = ChurnModel.Train(dataset.Features, dataset.Churned, seed: 42);
        var churners = Data.Customers.Where(c => c.Churner).Select(c => c.Id).ToHashSet();

        var today = ChurnFeatureBuilder.Build(Orders, Customers, Today);
        var scores = today.Select(f => model.Predict(f)).ToList();
        var auc = Metrics.Auc(scores.Select(s => s.Probability).ToArray(), today.Select(f => churners.Contains(f.CustomerId)).ToArray());
        Report($"churn as of today: AUC against the planted churner flag {auc:F3} over {today.Count} customers");

        Assert.True(auc >= 0.8, $"AUC against planted churners {auc}");
        var stalest = scores.MaxBy(s => s.Probability)!;
        Assert.Equal("recency", stalest.Reasons[0].Feature);
    }

    [Fact]
    public void Rfm_SameSeedIdentical_OtherSeedSamePartition()
    {
        var inputs = ChurnFeatureBuilder.Build(Orders, Customers, Today)
            .Select(f => new RfmInput(f.CustomerId, f.RecencyDays, f.Frequency, f.Monetary))
            .ToList();

        var first = RfmSegmenter.Segment(inputs, seed: 42);
        var again = RfmSegmenter.Segment(inputs.AsEnumerable().Reverse().ToList(), seed: 42);
        var otherSeeds = Enumerable.Range(1, 10).Select(seed => RfmSegmenter.Segment(inputs, seed)).ToList();
        var aris = otherSeeds.Select(o => Metrics.AdjustedRandIndex(Clusters(first), Clusters(o))).ToList();
        Report($"rfm: {string.Join(", ", first.Segments.Select(s => $"{s.Segment} {s.Customers}"))}; ARI vs seeds 1..10 min {aris.Min():F3}");

        Assert.Equal(first.Customers, again.Customers);
        Assert.Equal(first.Segments, again.Segments);
        // Measured 1.000 for every seed (restarts with Hartigan transfers reach the same optimum).
        Assert.All(aris, ari => Assert.True(ari >= 0.9, $"ARI {ari}"));
    }

    private static int[] Clusters(RfmSegmentation segmentation) => segmentation.Customers.Select(c => c.Cluster).ToArray();
}
