using Agents.Analytics.Semantic;

namespace Agents.Analytics;

/// <summary>
/// The answer to a merchant's question (<c>POST /api/analytics/ask</c>, the <c>ask_analytics</c>
/// tool): a sentence in the question's language, the headline number, the rows and the SQL that
/// produced them, a suggested chart, and what was understood. A refusal has no value and no rows.
/// </summary>
public sealed record AnalyticsAnswer(
    string Answer,
    decimal? Value,
    IReadOnlyList<string> Columns,
    IReadOnlyList<object?[]> Rows,
    string? Sql,
    ChartSpec? Chart,
    InterpretationDto? Interpretation,
    string Language,
    bool? Refused = null,
    string? Reason = null,
    IReadOnlyList<string>? Suggestions = null,
    bool? Truncated = null,
    double? QueryMs = null);

/// <summary>The interpretation as JSON shows it: dates as ISO days.</summary>
public sealed record InterpretationDto(
    string Metric,
    IReadOnlyList<string> Dimensions,
    PeriodDto? Period,
    string? Comparison,
    IReadOnlyDictionary<string, string> Filters,
    int? Top,
    string Engine)
{
    public static InterpretationDto From(Interpretation i) => new(i.Metric, i.Dimensions,
        new PeriodDto(i.Period.From.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            i.Period.To.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), i.Period.Label),
        i.Comparison, i.Filters, i.Top, i.Engine);
}

public sealed record PeriodDto(string From, string To, string Label);

/// <summary>Asks an analytics question for a merchant; the merchant comes from the caller's key or channel, never from the text.</summary>
public interface IAnalyticsAsker
{
    Task<AnalyticsAnswer> AskAsync(Guid merchantId, string question, string? language, DateOnly? asOf, CancellationToken cancellationToken);
}
