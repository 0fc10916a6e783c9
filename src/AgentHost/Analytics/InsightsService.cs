using System.Globalization;
using System.Text.Json;
using Agents.Analytics.Insights;
using Npgsql;
using NpgsqlTypes;

namespace Agents.AgentHost.Analytics;

public sealed record DriverDto(string Dimension, string Key, double Actual, double Expected, double ShareOfChange);

public sealed record AnomalyDto(string Metric, string Date, double Expected, double Actual, double Score, string Severity, string Direction,
    string Explanation, DriverDto? Driver);

public sealed record AnomaliesResponse(InsightRunDto? Run, IReadOnlyList<AnomalyDto> Anomalies);

public sealed record DetectedPoint(string Date, double Expected, double Actual, double Score, string Severity, string Direction);

public sealed record DetectResponse(int? Period, IReadOnlyList<DetectedPoint> Anomalies);

public sealed record ChurnReasonDto(string Feature, double Value, string Text);

public sealed record ChurnCustomerDto(Guid CustomerId, string? ExternalId, string? Name, double Probability, IReadOnlyList<ChurnReasonDto> Reasons);

public sealed record ChurnResponse(InsightRunDto? Run, IReadOnlyList<ChurnCustomerDto> Customers);

public sealed record SegmentDto(string Name, int Size, double Share, double AvgRecencyDays, double AvgFrequency, double AvgMonetary);

public sealed record RfmMemberDto(Guid CustomerId, string? ExternalId, string? Name, int RecencyDays, int Frequency, decimal Monetary, int R, int F, int M, string Segment);

public sealed record RfmResponse(InsightRunDto? Run, IReadOnlyList<SegmentDto> Segments, string? Segment, IReadOnlyList<RfmMemberDto> Members, int? NextOffset);

/// <summary>
/// Runs the insight models (src/Analytics/Insights) on a merchant's orders and keeps their
/// latest results: anomalies in daily revenue, orders and AOV with the category or channel that
/// drove each; churn probabilities with reasons, and the model's held-out AUC; RFM segments.
/// Reads compute on first use, so a merchant never sees "no data yet" while orders exist.
/// </summary>
public sealed class InsightsService(InsightsStore store, TimeProvider clock, ILogger<InsightsService> logger)
{
    public static readonly IReadOnlyList<string> Kinds = ["anomalies", "churn", "rfm"];
    public static readonly IReadOnlyList<string> Metrics = ["revenue", "orders", "aov"];
    public const int Seed = 42;
    private const int MinimumOrdersForAov = 5;

    /// <summary>Advisory lock namespace of insight runs ('INSI').</summary>
    private const int LockNamespace = 0x494E5349;

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public async Task<IReadOnlyList<InsightRunDto>> RunAsync(Guid merchantId, IReadOnlyList<string> kinds, string trigger, DateOnly? asOf,
        CancellationToken cancellationToken)
    {
        var today = asOf ?? Today;
        var runs = new List<InsightRunDto>();
        // One run per merchant at a time, across hosts: a nightly job and an import or an API call
        // never compute the same merchant's insights side by side.
        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@ns, hashtext(@m::text))", connection))
        {
            take.Parameters.AddWithValue("ns", LockNamespace);
            take.Parameters.AddWithValue("m", merchantId);
            take.CommandTimeout = 0;
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        // Churn and RFM learn from the same orders: read them once per run, when the first needs them.
        var orders = new Lazy<Task<List<InsightsStore.OrderRow>>>(() => store.OrdersAsync(merchantId, today, cancellationToken));
        foreach (var kind in Kinds.Where(kinds.Contains))
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var runId = await store.StartRunAsync(merchantId, kind, trigger, cancellationToken);
            try
            {
                switch (kind)
                {
                    case "anomalies":
                        await DetectAnomaliesAsync(merchantId, runId, today, cancellationToken);
                        break;
                    case "churn":
                        await ScoreChurnAsync(merchantId, runId, today, await orders.Value, cancellationToken);
                        break;
                    default:
                        await SegmentAsync(merchantId, runId, today, await orders.Value, cancellationToken);
                        break;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Insight run {Kind} failed for merchant {MerchantId}", kind, merchantId);
                await store.FailRunAsync(runId, e.Message);
            }

            logger.LogInformation("Insights {Kind} for merchant {MerchantId} ({Trigger}) in {Elapsed:F0} ms", kind, merchantId, trigger,
                System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            runs.Add((await store.RunAsync(runId, cancellationToken))!);
        }

        await using (var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@ns, hashtext(@m::text))", connection))
        {
            release.Parameters.AddWithValue("ns", LockNamespace);
            release.Parameters.AddWithValue("m", merchantId);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }

        return runs;
    }

    // ---- anomalies -------------------------------------------------------------------------

    /// <summary>The detector on a caller's series; the period is found once (when not given) and reported.</summary>
    /// <exception cref="ArgumentException">The series is too short or otherwise unusable; the message says why.</exception>
    public static DetectResponse Detect(IReadOnlyList<(DateOnly Date, double Value)> points, int? period)
    {
        var series = points.OrderBy(p => p.Date).Select(p => new SeriesPoint(p.Date, p.Value)).ToList();
        period ??= AnomalyDetector.DetectPeriod(Dense(series));
        var found = AnomalyDetector.Detect(series, period);
        return new DetectResponse(period,
            [.. found.Select(a => new DetectedPoint(Iso(a.Date), Math.Round(a.Expected, 2), a.Actual, Math.Round(a.Score, 2), a.Severity, a.Direction))]);
    }

    private static double[] Dense(List<SeriesPoint> series)
    {
        if (series.Count == 0)
        {
            return [];
        }

        var values = new double[series[^1].Date.DayNumber - series[0].Date.DayNumber + 1];
        foreach (var point in series)
        {
            values[point.Date.DayNumber - series[0].Date.DayNumber] = point.Value;
        }

        return values;
    }

    private async Task DetectAnomaliesAsync(Guid merchantId, Guid runId, DateOnly today, CancellationToken cancellationToken)
    {
        var daily = await store.DailyAsync(merchantId, today, cancellationToken);
        var found = new List<(string Metric, AnomalyPoint Point)>();
        if (daily.Count > 0)
        {
            // Every day from the first order to yesterday; days without orders are zeros, AOV is
            // carried from the day before (an order-less day has no average, not an average of 0).
            var first = daily[0].Day;
            var byDay = daily.ToDictionary(d => d.Day);
            var days = Enumerable.Range(0, today.DayNumber - first.DayNumber).Select(first.AddDays).ToList();
            var revenue = days.Select(d => new SeriesPoint(d, (double)(byDay.GetValueOrDefault(d)?.Revenue ?? 0))).ToList();
            var orders = days.Select(d => new SeriesPoint(d, byDay.GetValueOrDefault(d)?.Orders ?? 0)).ToList();
            var aov = new List<SeriesPoint>(days.Count);
            var last = 0.0;
            foreach (var d in days)
            {
                last = byDay.GetValueOrDefault(d) is { Orders: > 0 } row ? (double)(row.Revenue / row.Orders) : last;
                aov.Add(new SeriesPoint(d, last));
            }

            if (days.Count >= 28)
            {
                found.AddRange(AnomalyDetector.Detect(revenue, 7).Select(a => ("revenue", a)));
                found.AddRange(AnomalyDetector.Detect(orders, 7).Select(a => ("orders", a)));
                // An average of one or two orders is noise, and on a day whose order count is itself
                // anomalous the count is the story: AOV anomalies are kept only outside both.
                var unusualVolume = found.Where(f => f.Metric == "orders").Select(f => f.Point.Date).ToHashSet();
                found.AddRange(AnomalyDetector.Detect(aov, 7)
                    .Where(a => (byDay.GetValueOrDefault(a.Date)?.Orders ?? 0) >= MinimumOrdersForAov && !unusualVolume.Contains(a.Date))
                    .Select(a => ("aov", a)));
            }
        }

        var drivers = await DriversAsync(merchantId, found, cancellationToken);
        await store.ReplaceAsync(merchantId, runId, "insight_anomalies",
            "merchant_id, metric, day, expected, actual, score, severity, direction, explanation, run_id", importer =>
            {
                foreach (var (metric, point) in found)
                {
                    importer.StartRow();
                    importer.Write(merchantId, NpgsqlDbType.Uuid);
                    importer.Write(metric, NpgsqlDbType.Text);
                    importer.Write(point.Date, NpgsqlDbType.Date);
                    importer.Write(point.Expected, NpgsqlDbType.Double);
                    importer.Write(point.Actual, NpgsqlDbType.Double);
                    importer.Write(point.Score, NpgsqlDbType.Double);
                    importer.Write(point.Severity, NpgsqlDbType.Text);
                    importer.Write(point.Direction, NpgsqlDbType.Text);
                    importer.Write(JsonSerializer.Serialize(drivers.GetValueOrDefault((metric, point.Date)), JsonSerializerOptions.Web), NpgsqlDbType.Jsonb);
                    importer.Write(runId, NpgsqlDbType.Uuid);
                }
            },
            new { anomalies = found.Count, byMetric = found.GroupBy(f => f.Metric).ToDictionary(g => g.Key, g => g.Count()), days = daily.Count }, cancellationToken);
    }

    /// <summary>
    /// For each anomalous day, which category or channel moved most: each key's value that day
    /// against its median on the same weekday of the four weeks before.
    /// </summary>
    private async Task<Dictionary<(string, DateOnly), DriverDto>> DriversAsync(Guid merchantId, List<(string Metric, AnomalyPoint Point)> found,
        CancellationToken cancellationToken)
    {
        var drivers = new Dictionary<(string, DateOnly), DriverDto>();
        if (found.Count == 0)
        {
            return drivers;
        }

        var days = found.Select(f => f.Point.Date).Distinct().ToList();
        var needed = days.SelectMany(d => Enumerable.Range(0, 5).Select(w => d.AddDays(-7 * w))).Distinct().ToList();
        var rows = await store.BreakdownAsync(merchantId, needed, cancellationToken);
        var lookup = rows.ToLookup(r => (r.Dimension, r.Day));
        foreach (var (metric, point) in found.Where(f => f.Metric != "aov"))
        {
            var byDimension = new Dictionary<string, IReadOnlyList<Contribution>>();
            foreach (var dimension in new[] { "category", "channel" })
            {
                var today = lookup[(dimension, point.Date)].ToDictionary(r => r.Key, r => Value(metric, r.Revenue, r.Orders));
                var before = Enumerable.Range(1, 4).Select(w => lookup[(dimension, point.Date.AddDays(-7 * w))].ToDictionary(r => r.Key, r => Value(metric, r.Revenue, r.Orders))).ToList();
                var keys = today.Keys.Union(before.SelectMany(b => b.Keys)).Order(StringComparer.Ordinal);
                byDimension[dimension] = [.. keys.Select(k => new Contribution(k, today.GetValueOrDefault(k), Median(before.Select(b => b.GetValueOrDefault(k)))))];
            }

            if (AnomalyExplainer.Explain(byDimension) is { } driver)
            {
                drivers[(metric, point.Date)] = new DriverDto(driver.Dimension, driver.Key, Math.Round(driver.Actual, 2), Math.Round(driver.Expected, 2),
                    Math.Round(driver.ShareOfChange, 3));
            }
        }

        return drivers;

        static double Value(string metric, decimal revenue, int orders) => metric == "revenue" ? (double)revenue : orders;
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }

    public async Task<AnomaliesResponse> AnomaliesAsync(Guid merchantId, string? metric, DateOnly? from, DateOnly? to, string? language,
        CancellationToken cancellationToken)
    {
        var run = await EnsureAsync(merchantId, "anomalies", cancellationToken);
        language ??= await LanguageAsync(merchantId, cancellationToken);
        await using var command = store.DataSource.CreateCommand("""
            SELECT metric, day, expected, actual, score, severity, direction, explanation::text FROM insight_anomalies
            WHERE merchant_id = @m AND (@metric::text IS NULL OR metric = @metric) AND (@from::date IS NULL OR day >= @from) AND (@to::date IS NULL OR day <= @to)
            ORDER BY day DESC, metric
            """);
        command.Parameters.AddWithValue("m", merchantId);
        command.Parameters.Add(new NpgsqlParameter("metric", NpgsqlDbType.Text) { Value = (object?)metric ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.Date) { Value = (object?)from ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.Date) { Value = (object?)to ?? DBNull.Value });
        var anomalies = new List<AnomalyDto>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var driver = JsonSerializer.Deserialize<DriverDto>(reader.GetString(7), JsonSerializerOptions.Web);
            var (m, expected, actual, direction) = (reader.GetString(0), reader.GetDouble(2), reader.GetDouble(3), reader.GetString(6));
            anomalies.Add(new AnomalyDto(m, Iso(reader.GetFieldValue<DateOnly>(1)), Math.Round(expected, 2), Math.Round(actual, 2), Math.Round(reader.GetDouble(4), 2),
                reader.GetString(5), direction, InsightTexts.Anomaly(language, m, expected, actual, direction, driver), driver));
        }

        return new AnomaliesResponse(run, anomalies);
    }

    // ---- churn -----------------------------------------------------------------------------

    private async Task ScoreChurnAsync(Guid merchantId, Guid runId, DateOnly today, List<InsightsStore.OrderRow> history, CancellationToken cancellationToken)
    {
        var orders = history.Select(o => new CustomerOrder(o.CustomerId, o.Day, (double)o.Total)).ToList();
        var customers = (await store.CustomersAsync(merchantId, cancellationToken)).Select(c => (c.CustomerId, c.Since)).ToList();
        var dataset = ChurnDataset.Build(orders, customers, today);
        var model = ChurnModel.Train(dataset.Features, dataset.Churned, Seed);
        var current = ChurnFeatureBuilder.Build(orders, customers, today);
        await store.ReplaceAsync(merchantId, runId, "insight_churn", "merchant_id, customer_id, probability, reasons, features, run_id", importer =>
        {
            foreach (var features in current)
            {
                var score = model.Predict(features);
                importer.StartRow();
                importer.Write(merchantId, NpgsqlDbType.Uuid);
                importer.Write(features.CustomerId, NpgsqlDbType.Uuid);
                importer.Write(score.Probability, NpgsqlDbType.Double);
                importer.Write(JsonSerializer.Serialize(score.Reasons, JsonSerializerOptions.Web), NpgsqlDbType.Jsonb);
                importer.Write(JsonSerializer.Serialize(features, JsonSerializerOptions.Web), NpgsqlDbType.Jsonb);
                importer.Write(runId, NpgsqlDbType.Uuid);
            }
        }, new
        {
            auc = Math.Round(model.Auc, 4), trainAuc = Math.Round(model.TrainAuc, 4), trainCount = model.TrainCount, testCount = model.TestCount,
            cutoff = Iso(dataset.Cutoff), horizonDays = 90, churnRate = Math.Round(dataset.Churned.Count(c => c) / (double)Math.Max(1, dataset.Churned.Count), 4),
            scored = current.Count, coefficients = model.Coefficients.ToDictionary(c => c.Key, c => Math.Round(c.Value, 4)),
        }, cancellationToken);
    }

    public async Task<ChurnResponse> ChurnAsync(Guid merchantId, int top, string? language, CancellationToken cancellationToken)
    {
        var run = await EnsureAsync(merchantId, "churn", cancellationToken);
        language ??= await LanguageAsync(merchantId, cancellationToken);
        await using var command = store.DataSource.CreateCommand("""
            SELECT c.id, c.external_id, c.name, s.probability, s.reasons::text FROM insight_churn s JOIN customers c ON c.id = s.customer_id
            WHERE s.merchant_id = @m AND c.merchant_id = @m ORDER BY s.probability DESC, c.id LIMIT @top
            """);
        command.Parameters.AddWithValue("m", merchantId);
        command.Parameters.AddWithValue("top", top);
        var customers = new List<ChurnCustomerDto>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var reasons = JsonSerializer.Deserialize<List<ChurnReason>>(reader.GetString(4), JsonSerializerOptions.Web) ?? [];
            customers.Add(new ChurnCustomerDto(reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                Math.Round(reader.GetDouble(3), 4), [.. reasons.Select(r => new ChurnReasonDto(r.Feature, Math.Round(r.Value, 2), InsightTexts.Reason(language, r.Feature, r.Value)))]));
        }

        return new ChurnResponse(run, customers);
    }

    // ---- RFM -------------------------------------------------------------------------------

    private async Task SegmentAsync(Guid merchantId, Guid runId, DateOnly today, List<InsightsStore.OrderRow> history, CancellationToken cancellationToken)
    {
        var inputs = history
            .GroupBy(o => o.CustomerId)
            .Select(g => new RfmInput(g.Key, today.DayNumber - g.Max(o => o.Day).DayNumber, g.Count(), (double)g.Sum(o => o.Total)))
            .ToList();
        var segmentation = RfmSegmenter.Segment(inputs, Seed);
        var byCustomer = inputs.ToDictionary(i => i.CustomerId);
        await store.ReplaceAsync(merchantId, runId, "insight_rfm",
            "merchant_id, customer_id, recency_days, frequency, monetary, r, f, m, cluster, segment, run_id", importer =>
            {
                foreach (var result in segmentation.Customers)
                {
                    var input = byCustomer[result.CustomerId];
                    importer.StartRow();
                    importer.Write(merchantId, NpgsqlDbType.Uuid);
                    importer.Write(result.CustomerId, NpgsqlDbType.Uuid);
                    importer.Write(input.RecencyDays, NpgsqlDbType.Integer);
                    importer.Write(input.Frequency, NpgsqlDbType.Integer);
                    importer.Write(Math.Round((decimal)input.Monetary, 2), NpgsqlDbType.Numeric);
                    importer.Write((short)result.R, NpgsqlDbType.Smallint);
                    importer.Write((short)result.F, NpgsqlDbType.Smallint);
                    importer.Write((short)result.M, NpgsqlDbType.Smallint);
                    importer.Write((short)result.Cluster, NpgsqlDbType.Smallint);
                    importer.Write(result.Segment, NpgsqlDbType.Text);
                    importer.Write(runId, NpgsqlDbType.Uuid);
                }
            },
            new { customers = inputs.Count, segments = segmentation.Customers.GroupBy(c => c.Segment).ToDictionary(g => g.Key, g => g.Count()), seed = Seed },
            cancellationToken);
    }

    public async Task<RfmResponse> RfmAsync(Guid merchantId, string? segment, int limit, int offset, CancellationToken cancellationToken)
    {
        var run = await EnsureAsync(merchantId, "rfm", cancellationToken);
        var segments = new List<SegmentDto>();
        await using (var command = store.DataSource.CreateCommand("""
            SELECT segment, count(*)::int, avg(recency_days)::float8, avg(frequency)::float8, avg(monetary)::float8, sum(count(*)) OVER ()::float8
            FROM insight_rfm WHERE merchant_id = @m GROUP BY segment ORDER BY avg(monetary) DESC
            """))
        {
            command.Parameters.AddWithValue("m", merchantId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                segments.Add(new SegmentDto(reader.GetString(0), reader.GetInt32(1), Math.Round(reader.GetInt32(1) / reader.GetDouble(5), 4),
                    Math.Round(reader.GetDouble(2), 1), Math.Round(reader.GetDouble(3), 2), Math.Round(reader.GetDouble(4), 2)));
            }
        }

        var members = new List<RfmMemberDto>();
        await using (var command = store.DataSource.CreateCommand("""
            SELECT c.id, c.external_id, c.name, r.recency_days, r.frequency, r.monetary, r.r, r.f, r.m, r.segment
            FROM insight_rfm r JOIN customers c ON c.id = r.customer_id
            WHERE r.merchant_id = @m AND c.merchant_id = @m AND (@segment::text IS NULL OR r.segment = @segment)
            ORDER BY r.monetary DESC, c.id LIMIT @limit OFFSET @offset
            """))
        {
            command.Parameters.AddWithValue("m", merchantId);
            command.Parameters.Add(new NpgsqlParameter("segment", NpgsqlDbType.Text) { Value = (object?)segment ?? DBNull.Value });
            command.Parameters.AddWithValue("limit", limit + 1);
            command.Parameters.AddWithValue("offset", offset);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                members.Add(new RfmMemberDto(reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetInt32(3), reader.GetInt32(4), reader.GetDecimal(5), reader.GetInt16(6), reader.GetInt16(7), reader.GetInt16(8), reader.GetString(9)));
            }
        }

        var more = members.Count > limit;
        return new RfmResponse(run, segments, segment, [.. members.Take(limit)], more ? offset + limit : null);
    }

    // ---- shared ----------------------------------------------------------------------------

    /// <summary>The latest successful run of a kind, computing one first when there is none yet.</summary>
    private async Task<InsightRunDto?> EnsureAsync(Guid merchantId, string kind, CancellationToken cancellationToken) =>
        await store.LatestRunAsync(merchantId, kind, cancellationToken)
        ?? (await RunAsync(merchantId, [kind], "on_demand", null, cancellationToken)).FirstOrDefault(r => r.Status == "succeeded");

    private async Task<string> LanguageAsync(Guid merchantId, CancellationToken cancellationToken)
    {
        await using var command = store.DataSource.CreateCommand("SELECT default_language FROM merchants WHERE id = @m");
        command.Parameters.AddWithValue("m", merchantId);
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
