namespace Agents.Analytics.Semantic;

/// <summary>
/// What the semantic layer understood from a question (docs/decisions/008-analytics.md). It is
/// returned to the caller as <c>interpretation</c>, so a merchant can see why a number is what it is.
/// <see cref="Comparison"/> is <c>previous_period</c>, <c>same_period_last_year</c> or <c>custom</c>, and
/// <see cref="ComparedTo"/> is then the range compared with; <see cref="Bottom"/> ranks smallest first.
/// </summary>
public sealed record Interpretation(
    string Metric,
    IReadOnlyList<string> Dimensions,
    PeriodRange Period,
    string? Comparison,
    IReadOnlyDictionary<string, string> Filters,
    int? Top,
    string Engine = "semantic",
    PeriodRange? ComparedTo = null,
    bool Bottom = false);

/// <summary>A half-open range of UTC days [From, To) and how the question named it.</summary>
public sealed record PeriodRange(DateOnly From, DateOnly To, string Label);

/// <summary>A parameter of compiled SQL: the name without '@' and a value Npgsql can send (DateOnly, string, int, decimal).</summary>
public sealed record SqlArgument(string Name, object Value);

/// <summary>The outcome of planning a question: either SQL to run, or a refusal.</summary>
public abstract record SemanticPlan(string Language);

/// <summary>
/// Parameterised SQL over the analytics.* views whose result set is exactly the answer's
/// <c>columns</c> and <c>rows</c>. It never embeds a value from the question as text.
/// </summary>
public sealed record CompiledQuery(string Language, Interpretation Interpretation, string Sql, IReadOnlyList<SqlArgument> Arguments)
    : SemanticPlan(Language);

/// <summary>A question outside the layer: a sentence in the question's language and questions it can answer instead.</summary>
public sealed record Refusal(string Language, string Reason, string Message, IReadOnlyList<string> Suggestions) : SemanticPlan(Language);

/// <summary>A chart the answer suggests: line for time series, bar for rankings/comparisons, pie for shares.</summary>
public sealed record ChartSpec(string Type, string X, string Y, string? Series);

/// <summary>The rendered answer for a query's result.</summary>
public sealed record RenderedAnswer(string Answer, decimal? Value, ChartSpec? Chart);
