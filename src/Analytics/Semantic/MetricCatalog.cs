namespace Agents.Analytics.Semantic;

internal enum ValueKind { Money, Count, Ratio }

internal enum MetricFamily { Orders, Loyalty, Conversations, Questions }

/// <summary>A metric of decision 008: how its value reads, whether bucket values add up, where it comes from.</summary>
internal sealed record MetricSpec(string Key, ValueKind Kind, bool Additive, MetricFamily Family);

internal static class MetricCatalog
{
    private static readonly Dictionary<string, MetricSpec> Specs = new MetricSpec[]
    {
        new("revenue", ValueKind.Money, true, MetricFamily.Orders),
        new("orders", ValueKind.Count, true, MetricFamily.Orders),
        new("aov", ValueKind.Ratio, false, MetricFamily.Orders),
        new("units", ValueKind.Count, true, MetricFamily.Orders),
        new("customers", ValueKind.Count, false, MetricFamily.Orders),
        new("new_customers", ValueKind.Count, true, MetricFamily.Orders),
        new("returning_customers", ValueKind.Count, false, MetricFamily.Orders),
        new("refunds", ValueKind.Count, true, MetricFamily.Orders),
        new("refunded_amount", ValueKind.Money, true, MetricFamily.Orders),
        new("cancellations", ValueKind.Count, true, MetricFamily.Orders),
        new("points_issued", ValueKind.Count, true, MetricFamily.Loyalty),
        new("points_redeemed", ValueKind.Count, true, MetricFamily.Loyalty),
        new("conversations", ValueKind.Count, true, MetricFamily.Conversations),
        new("top_questions", ValueKind.Count, true, MetricFamily.Questions),
    }.ToDictionary(m => m.Key, StringComparer.Ordinal);

    public static MetricSpec Get(string key) => Specs[key];

    /// <summary>What the views cannot answer for this metric ("metric_dimension", "metric_filter", "comparison"), or null.</summary>
    public static string? Check(string metric, string? dimension, IEnumerable<string> filters, string? comparison)
    {
        var family = Specs[metric].Family;
        var timeOrNone = dimension is null || QuestionScanner.IsTime(dimension);
        return family switch
        {
            MetricFamily.Questions when dimension is not null => "metric_dimension",
            MetricFamily.Questions when filters.Any() => "metric_filter",
            MetricFamily.Questions when comparison is not null => "comparison",
            MetricFamily.Loyalty when !timeOrNone => "metric_dimension",
            MetricFamily.Loyalty when filters.Any() => "metric_filter",
            MetricFamily.Conversations when !timeOrNone && dimension != "channel" => "metric_dimension",
            MetricFamily.Conversations when filters.Any(f => f != "channel") => "metric_filter",
            _ => null,
        };
    }
}
