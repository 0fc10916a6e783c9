using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Agents.Analytics.Insights;

// Insights benchmark: the time to build churn features, train and score the churn model, segment by RFM and
// detect anomalies, for 10k and 100k synthetic customers, next to a floor measured in the same run (one pass
// over the orders summing totals); then the detector's precision and recall on series with planted anomalies.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var sizes = Arg("--sizes", "10000,100000").Split(',').Select(int.Parse).ToArray();
var today = new DateOnly(2026, 7, 1);
var cpu = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim() : null;

Console.WriteLine($"# Insights benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z");
Console.WriteLine($"{Environment.ProcessorCount} cores{(cpu is null ? "" : $" ({cpu})")}, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, single-threaded code, median of 5 runs after a warm-up");
Console.WriteLine();
Console.WriteLine("Customers sign up over two years and place 5–30 orders each (a quarter stop early); times in ms, × floor in brackets, allocations per run.");
Console.WriteLine();
Console.WriteLine("| customers | orders | floor: sum pass | features as of today | churn dataset + train (2 fits, AUC) | churn scoring | RFM quintiles + k-means | anomalies, 730-day series | held-out AUC | RFM ARI seed 42 vs 7 |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");

var warmUp = Synthetic.Generate(2_000, today, seed: 1);
for (var i = 0; i < 5; i++)
{
    Run(warmUp, print: false); // until tiered JIT has promoted the hot loops
}
foreach (var size in sizes)
{
    Run(Synthetic.Generate(size, today, seed: size), print: true);
}

Console.WriteLine();
Console.WriteLine("## Detector on planted anomalies");
Console.WriteLine();
Console.WriteLine("200 two-year daily series per level: Poisson counts × weekly cycle × 30% growth × a four-day ×2.2 event in the same week of both years; 4 planted days each (×3, ×4, ×0.1 and ×0.2 on random days away from the event). A hit is a flagged planted day.");
Console.WriteLine();
Console.WriteLine("| orders/day | recall ×3 | recall ×4 | recall ×0.1 | recall ×0.2 | precision | false alarms / year | yearly event flagged |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var level in (double[])[10, 20, 40, 100])
{
    Console.WriteLine(PlantedAnomalies.Measure(level, runs: 200));
}

return;

void Run(Synthetic.Data data, bool print)
{
    var orders = data.Orders;
    var floor = Measure(() =>
    {
        var sum = 0.0;
        foreach (var order in orders)
        {
            sum += order.Total;
        }

        return sum;
    });
    var features = Measure(() => ChurnFeatureBuilder.Build(orders, data.Customers, today));
    ChurnModel? model = null;
    var training = Measure(() =>
    {
        var dataset = ChurnDataset.Build(orders, data.Customers, today);
        return model = ChurnModel.Train(dataset.Features, dataset.Churned, seed: 42);
    });
    var current = ChurnFeatureBuilder.Build(orders, data.Customers, today);
    var scoring = Measure(() => current.Select(f => model!.Predict(f)).ToList());
    var inputs = current.Select(f => new RfmInput(f.CustomerId, f.RecencyDays, f.Frequency, f.Monetary)).ToList();
    RfmSegmentation? segmentation = null;
    var rfm = Measure(() => segmentation = RfmSegmenter.Segment(inputs, seed: 42));
    var other = RfmSegmenter.Segment(inputs, seed: 7);
    var ari = Metrics.AdjustedRandIndex(segmentation!.Customers.Select(c => c.Cluster).ToArray(), other.Customers.Select(c => c.Cluster).ToArray());
    var revenue = orders.GroupBy(o => o.Day).Select(g => new SeriesPoint(g.Key, g.Sum(o => o.Total))).ToList();
    var anomalies = Measure(() => AnomalyDetector.Detect(revenue));
    if (print)
    {
        string Cell(Timing t) => $"{t.Milliseconds:F1} ({t.Milliseconds / floor.Milliseconds:N0}×), {t.Bytes / 1048576.0:F1} MB";
        Console.WriteLine($"| {data.Customers.Count:N0} | {orders.Length:N0} | {floor.Milliseconds:F2} | {Cell(features)} | {Cell(training)} | {Cell(scoring)} | {Cell(rfm)} | "
            + $"{anomalies.Milliseconds:F2}, {anomalies.Bytes / 1048576.0:F1} MB | {model!.Auc:F3} (train {model.TrainAuc:F3}) | {ari:F3} |");
    }
}

static Timing Measure<T>(Func<T> action)
{
    var runs = new List<Timing>();
    for (var i = 0; i < 5; i++)
    {
        GC.Collect();
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        GC.KeepAlive(action());
        runs.Add(new Timing(watch.Elapsed.TotalMilliseconds, GC.GetAllocatedBytesForCurrentThread() - bytes));
    }

    return runs.OrderBy(r => r.Milliseconds).ElementAt(runs.Count / 2);
}

string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

internal readonly record struct Timing(double Milliseconds, long Bytes);

internal static class Synthetic
{
    public sealed record Data(List<(Guid CustomerId, DateOnly Since)> Customers, CustomerOrder[] Orders);

    /// <summary>
    /// Customers signing up over two years, each with 5–30 orders spread over their active days; a quarter stop
    /// ordering at a random day after a month. Baskets are log-normal around a per-customer typical basket.
    /// </summary>
    public static Data Generate(int count, DateOnly today, int seed)
    {
        var random = new Random(seed);
        var first = today.AddDays(-730);
        var customers = new List<(Guid, DateOnly)>(count);
        var orders = new List<CustomerOrder>(count * 18);
        Span<byte> bytes = stackalloc byte[16];
        for (var c = 0; c < count; c++)
        {
            random.NextBytes(bytes);
            var id = new Guid(bytes);
            var signup = random.Next(0, 700);
            var last = random.NextDouble() < 0.25 ? random.Next(Math.Min(signup + 30, 729), 730) : 730;
            var basket = 20 + 60 * random.NextDouble();
            customers.Add((id, first.AddDays(signup)));
            for (int k = 0, n = random.Next(5, 31); k < n; k++)
            {
                var day = first.AddDays(signup + random.Next(0, Math.Max(1, last - signup)));
                orders.Add(new CustomerOrder(id, day, Math.Round(basket * Math.Exp(0.4 * Normal(random)), 2)));
            }
        }

        return new Data(customers, [.. orders]);
    }

    public static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

internal static class PlantedAnomalies
{
    private static readonly double[] Weekly = [0.85, 0.9, 0.95, 1.0, 1.1, 1.25, 1.3];
    private static readonly double[] Factors = [3, 4, 0.1, 0.2];

    public static string Measure(double level, int runs)
    {
        var start = new DateOnly(2024, 7, 1);
        var hits = new int[Factors.Length];
        int found = 0, falseAlarms = 0, eventFlags = 0;
        for (var run = 0; run < runs; run++)
        {
            var random = new Random(run);
            var eventStart = random.Next(100, 300);
            var days = new Dictionary<int, int>();
            for (var f = 0; f < Factors.Length; f++)
            {
                int day;
                do
                {
                    day = random.Next(7, 723);
                }
                while (Math.Abs(day - eventStart) < 10 || Math.Abs(day - eventStart - 364) < 10 || days.Keys.Any(d => Math.Abs(d - day) < 3));

                days[day] = f;
            }

            var series = new List<SeriesPoint>(730);
            for (var d = 0; d < 730; d++)
            {
                var inEvent = d - eventStart is >= 0 and < 4 || d - eventStart - 364 is >= 0 and < 4;
                var lambda = level * Weekly[d % 7] * (1 + 0.3 * d / 730) * (inEvent ? 2.2 : 1) * (days.TryGetValue(d, out var f) ? Factors[f] : 1);
                series.Add(new SeriesPoint(start.AddDays(d), Poisson(random, lambda)));
            }

            foreach (var anomaly in AnomalyDetector.Detect(series))
            {
                var d = anomaly.Date.DayNumber - start.DayNumber;
                found++;
                if (days.TryGetValue(d, out var f))
                {
                    hits[f]++;
                }
                else if (d - eventStart is >= 0 and < 4 || d - eventStart - 364 is >= 0 and < 4)
                {
                    eventFlags++;
                }
                else
                {
                    falseAlarms++;
                }
            }
        }

        var recall = hits.Select(h => $"{h / (double)runs:P0}");
        return $"| {level} | {string.Join(" | ", recall)} | {hits.Sum() / (double)Math.Max(1, found):P1} | {falseAlarms / (runs * 2.0):F2} | {eventFlags} of {runs * 8} days |";
    }

    private static int Poisson(Random random, double lambda)
    {
        if (lambda > 60)
        {
            return Math.Max(0, (int)Math.Round(lambda + Math.Sqrt(lambda) * Synthetic.Normal(random)));
        }

        var limit = Math.Exp(-lambda);
        var k = 0;
        for (var p = random.NextDouble(); p > limit; p *= random.NextDouble())
        {
            k++;
        }

        return k;
    }
}
