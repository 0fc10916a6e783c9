using Agents.Analytics.Insights;

namespace Agents.Analytics.Tests.Insights;

public sealed class ChurnModelTests
{
    /// <summary>
    /// Customers whose churn log-odds are known: +2 per standard deviation of log recency, −1 per standard
    /// deviation of log frequency, nothing from the other features.
    /// </summary>
    private static (List<ChurnFeatures> Features, List<bool> Churned) Synthetic(int count, int seed)
    {
        var random = new Random(seed);
        var features = new List<ChurnFeatures>();
        var churned = new List<bool>();
        for (var i = 0; i < count; i++)
        {
            var recency = (int)Math.Exp(random.NextDouble() * 5.5) + 1;
            var frequency = (int)Math.Exp(random.NextDouble() * 3.5) + 1;
            var tenure = recency + random.Next(30, 700);
            var zRecency = (Math.Log(1 + recency) - 3.3) / 1.5;
            var zFrequency = (Math.Log(1 + frequency) - 2.1) / 1.0;
            var logOdds = 2 * zRecency - zFrequency;
            features.Add(new ChurnFeatures(new Guid(i, 0, 0, new byte[8]), recency, frequency, frequency * random.Next(20, 80), tenure,
                random.Next(-3, 4), (tenure - recency) / (double)frequency));
            churned.Add(random.NextDouble() < 1 / (1 + Math.Exp(-logOdds)));
        }

        return (features, churned);
    }

    [Fact]
    public void Train_KnownCoefficients_HighAucAndRightSigns()
    {
        var (features, churned) = Synthetic(3000, seed: 1);

        var model = ChurnModel.Train(features, churned, seed: 7);

        Assert.True(model.Auc > 0.8, $"held-out AUC {model.Auc}");
        Assert.Equal((2250, 750), (model.TrainCount, model.TestCount));
        Assert.InRange(model.Coefficients["recency"], 1.5, 2.6);
        Assert.InRange(model.Coefficients["frequency"], -1.6, -0.4);
        Assert.Equal("recency", model.Coefficients.MaxBy(c => Math.Abs(c.Value)).Key);
    }

    [Fact]
    public void Train_SeparableProblem_AucAbove09AndFiniteWeights()
    {
        var features = Enumerable.Range(0, 400)
            .Select(i => new ChurnFeatures(new Guid(i, 0, 0, new byte[8]), 5 + i, 3, 90, 800, 0, 40))
            .ToList();
        var churned = features.Select(f => f.RecencyDays > 200).ToList();

        var model = ChurnModel.Train(features, churned);

        Assert.True(model.Auc > 0.9, $"held-out AUC {model.Auc}");
        Assert.All(model.Coefficients.Values, c => Assert.True(double.IsFinite(c)));
    }

    [Fact]
    public void Train_SameDataShuffled_SameModel()
    {
        var (features, churned) = Synthetic(800, seed: 2);
        var order = Enumerable.Range(0, features.Count).ToArray();
        new Random(3).Shuffle(order);

        var a = ChurnModel.Train(features, churned, seed: 5);
        var b = ChurnModel.Train(order.Select(i => features[i]).ToList(), order.Select(i => churned[i]).ToList(), seed: 5);

        Assert.Equal(a.Auc, b.Auc);
        Assert.Equal(a.Coefficients, b.Coefficients);
        Assert.Equal(a.Predict(features[0]), b.Predict(features[0]), new ScoreComparer());
    }

    [Fact]
    public void Predict_LongSilentInfrequentCustomer_RecencyFirstReason()
    {
        var (features, churned) = Synthetic(2000, seed: 4);
        var model = ChurnModel.Train(features, churned);

        var stale = model.Predict(new ChurnFeatures(Guid.Empty, 200, 1, 30, 400, 0, 200), maxReasons: 2);
        var active = model.Predict(new ChurnFeatures(Guid.Empty, 2, 30, 1500, 400, 2, 12));

        Assert.True(stale.Probability > 0.8, $"stale {stale.Probability}");
        Assert.True(active.Probability < 0.2, $"active {active.Probability}");
        Assert.Equal(("recency", 200.0), (stale.Reasons[0].Feature, stale.Reasons[0].Value));
        Assert.InRange(stale.Reasons.Count, 1, 2);
        Assert.All(stale.Reasons, r => Assert.True(r.Contribution > 0));
    }

    [Fact]
    public void Train_OneClass_Throws()
    {
        var (features, _) = Synthetic(50, seed: 6);

        Assert.Throws<ArgumentException>(() => ChurnModel.Train(features, features.Select(_ => true).ToList()));
    }

    private sealed class ScoreComparer : IEqualityComparer<ChurnScore>
    {
        public bool Equals(ChurnScore? x, ChurnScore? y) =>
            x is not null && y is not null && x.Probability == y.Probability && x.Reasons.SequenceEqual(y.Reasons);

        public int GetHashCode(ChurnScore obj) => obj.Probability.GetHashCode();
    }
}
