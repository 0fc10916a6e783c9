using Agents.Analytics.Insights;

namespace Agents.Analytics.Tests.Insights;

public sealed class AnomalyDetectorTests
{
    private static readonly DateOnly Start = new(2025, 1, 6);
    private static readonly double[] Weekly = [0.8, 0.9, 0.95, 1.0, 1.1, 1.35, 1.4];

    /// <summary>Daily Poisson counts around 20 × a weekly factor × <paramref name="factor"/>(day).</summary>
    private static List<SeriesPoint> Series(int days, int seed, Func<int, double>? factor = null)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, days)
            .Select(d => new SeriesPoint(Start.AddDays(d), Poisson(random, 20 * Weekly[d % 7] * (factor?.Invoke(d) ?? 1))))
            .ToList();
    }

    private static int Poisson(Random random, double lambda)
    {
        var limit = Math.Exp(-lambda);
        var k = 0;
        for (var p = random.NextDouble(); p > limit; p *= random.NextDouble())
        {
            k++;
        }

        return k;
    }

    [Fact]
    public void Detect_WeeklyPoissonWithPlantedSpikeAndDrop_FindsExactlyThem()
    {
        var series = Series(365, seed: 1, d => d switch { 150 => 4, 250 => 0.1, _ => 1 });

        var anomalies = AnomalyDetector.Detect(series);

        Assert.Equal([Start.AddDays(150), Start.AddDays(250)], anomalies.Select(a => a.Date));
        Assert.Equal(["spike", "drop"], anomalies.Select(a => a.Direction));
        Assert.All(anomalies, a => Assert.InRange(a.Expected, 10, 40));
    }

    [Fact]
    public void Detect_WeeklyCycleOnly_FlagsNothing()
    {
        foreach (var seed in Enumerable.Range(10, 5))
        {
            Assert.Empty(AnomalyDetector.Detect(Series(365, seed)));
        }
    }

    [Fact]
    public void Detect_EventRecurringInTheSameWeekOfTheOtherYear_IsSeasonNotAnomaly()
    {
        // A four-day sale ×2.5 in both years (364 days apart keeps the weekday), plus a one-off ×2.5.
        var series = Series(730, seed: 3, d => d is >= 300 and < 304 or >= 664 and < 668 or 500 ? 2.5 : 1);

        var flagged = AnomalyDetector.Detect(series).Select(a => a.Date).ToList();

        Assert.Contains(Start.AddDays(500), flagged);
        Assert.DoesNotContain(flagged, date => date >= Start.AddDays(300) && date < Start.AddDays(304));
        Assert.DoesNotContain(flagged, date => date >= Start.AddDays(664) && date < Start.AddDays(668));
    }

    [Fact]
    public void Detect_EventInOneYearOnly_IsReported()
    {
        var series = Series(730, seed: 3, d => d is >= 300 and < 304 ? 2.5 : 1);

        var flagged = AnomalyDetector.Detect(series).Select(a => a.Date).ToList();

        Assert.Contains(Start.AddDays(300), flagged);
    }

    [Fact]
    public void Detect_MissingDayInsideTheRange_CountsAsZero()
    {
        var series = Series(120, seed: 4);
        series.RemoveAt(60);

        var anomaly = AnomalyDetector.Detect(series)[0];

        Assert.Equal((Start.AddDays(60), 0.0, "drop", "high"), (anomaly.Date, anomaly.Actual, anomaly.Direction, anomaly.Severity));
    }

    [Fact]
    public void Detect_SeverityFollowsTheScore()
    {
        var series = Series(365, seed: 5, d => d switch { 100 => 1.9, 200 => 2.6, 300 => 5, _ => 1 });

        var anomalies = AnomalyDetector.Detect(series);

        Assert.All(anomalies, a => Assert.Equal(
            Math.Abs(a.Score) >= AnomalyDetector.HighThreshold ? "high" : Math.Abs(a.Score) >= AnomalyDetector.MediumThreshold ? "medium" : "low",
            a.Severity));
        Assert.Equal("high", anomalies.Single(a => a.Date == Start.AddDays(300)).Severity);
        Assert.Contains(anomalies, a => a.Date == Start.AddDays(200));
    }

    [Fact]
    public void Detect_SignedSeries_UsesAdditiveComponents()
    {
        var random = new Random(6);
        var series = Enumerable.Range(0, 200)
            .Select(d => new SeriesPoint(Start.AddDays(d), 5 * Math.Sin(2 * Math.PI * d / 7) + random.NextDouble() - 0.5 + (d == 120 ? -8 : 0)))
            .ToList();

        var anomaly = Assert.Single(AnomalyDetector.Detect(series, period: 7));

        Assert.Equal((Start.AddDays(120), "drop"), (anomaly.Date, anomaly.Direction));
    }

    [Fact]
    public void DetectPeriod_WeeklyPoisson_Finds7()
    {
        foreach (var seed in Enumerable.Range(20, 5))
        {
            Assert.Equal(7, AnomalyDetector.DetectPeriod(Series(365, seed).Select(p => p.Value).ToArray()));
        }
    }

    [Fact]
    public void DetectPeriod_WhiteNoise_AlmostNeverFindsOne()
    {
        // The significance bar is 3σ over 30 lags: a few percent of noise series still show a cycle.
        var found = Enumerable.Range(0, 100).Count(seed =>
        {
            var random = new Random(seed);
            return AnomalyDetector.DetectPeriod(Enumerable.Range(0, 365).Select(_ => (double)Poisson(random, 20)).ToArray()) is not null;
        });

        Assert.InRange(found, 0, 3);
    }

    [Fact]
    public void Detect_TooShort_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => AnomalyDetector.Detect(Series(13, seed: 8)));
        Assert.Contains("at least 14", error.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => AnomalyDetector.Detect(Series(30, seed: 8), period: 16));
        Assert.Throws<ArgumentException>(() => AnomalyDetector.Detect([]));
    }

    [Fact]
    public void Detect_BadValuesOrDates_Throws()
    {
        var withNaN = Series(30, seed: 9);
        withNaN[3] = withNaN[3] with { Value = double.NaN };
        var duplicated = Series(30, seed: 9);
        duplicated.Add(duplicated[5]);

        Assert.Throws<ArgumentException>(() => AnomalyDetector.Detect(withNaN));
        Assert.Throws<ArgumentException>(() => AnomalyDetector.Detect(duplicated));
        Assert.Throws<ArgumentException>(() => AnomalyDetector.Detect(Series(30, seed: 9), period: 0));
    }

    [Fact]
    public void Detect_InputOrder_DoesNotMatter()
    {
        var series = Series(200, seed: 11, d => d == 77 ? 3.5 : 1);
        var shuffled = series.ToArray();
        new Random(1).Shuffle(shuffled);

        Assert.Equal(AnomalyDetector.Detect(series), AnomalyDetector.Detect(shuffled));
    }
}
