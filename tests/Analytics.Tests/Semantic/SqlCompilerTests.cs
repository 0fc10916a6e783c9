using System.Text.RegularExpressions;
using Agents.Analytics.Semantic;

namespace Agents.Analytics.Tests.Semantic;

/// <summary>
/// The compiled SQL: one read-only statement over analytics.* views, a closed vocabulary (so no
/// text of a question can reach it), and every value as a parameter.
/// </summary>
public sealed partial class SqlCompilerTests
{
    private static readonly string[] Metrics =
    [
        "revenue", "orders", "aov", "units", "customers", "new_customers", "returning_customers", "refunds", "refunded_amount",
        "cancellations", "points_issued", "points_redeemed", "conversations",
    ];

    private static readonly string[] TimeDimensions = ["day", "week", "month", "quarter", "year"];

    // Every word compiled SQL may contain: keywords, functions, the views and their columns, fixed
    // aliases and literals, parameter names, and names made from metric and dimension keys.
    private static readonly HashSet<string> Vocabulary = BuildVocabulary();

    private static HashSet<string> BuildVocabulary()
    {
        var words = new HashSet<string>(StringComparer.Ordinal)
        {
            "AND", "AS", "ASC", "BY", "DESC", "DISTINCT", "FILTER", "FROM", "GROUP", "IS", "JOIN", "LAST", "LEFT", "LIMIT", "NOT", "NULL", "NULLS",
            "ON", "OR", "ORDER", "SELECT", "VALUES", "WHERE", "WITH", "YYYY", "MM", "DD", "Q", "Unscored", "unknown", "refunded", "cancelled",
            "coalesce", "count", "date", "date_trunc", "generate_series", "greatest", "interval", "lower", "make_interval", "min", "nullif", "round",
            "strpos", "sum", "timestamp", "to_char", "trim", "analytics", "order_items", "loyalty", "questions",
            "b", "c", "f", "i", "l", "o", "p", "q", "r", "v", "buckets", "first_orders", "periods", "bucket_start", "category", "change", "channel",
            "content", "conversation_id", "counted", "country", "customer_id", "first_day", "line_total", "order_id", "product_name", "quantity", "sku",
            "status", "total", "segment", "from", "to", "prev_from", "prev_to", "period", "previous_period", "shift_days", "shift_months", "top",
            "product", "months", "position", "period_from", "period_to", "question", "customers",
        };
        words.UnionWith(TimeDimensions);
        foreach (var metric in Metrics)
        {
            words.Add(metric);
            words.Add(metric + "_previous");
            foreach (var dimension in TimeDimensions)
            {
                words.Add($"{metric}_by_{dimension}");
                words.Add($"previous_{metric}_by_{dimension}");
            }
        }

        return words;
    }

    public static TheoryData<string, string> Questions() => SemanticLayerTests.Questions();

    private static CompiledQuery Compile(string language, string question) =>
        Assert.IsType<CompiledQuery>(new SemanticLayer().Plan(question, language, PlanCases.Today));

    [Theory]
    [MemberData(nameof(Questions))]
    public void Compile_LabelledQuestion_IsOneReadOnlySelectOverAnalyticsViews(string language, string question)
    {
        var sql = Compile(language, question).Sql;

        Assert.Matches("^(SELECT|WITH) ", sql);
        Assert.DoesNotContain(";", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("--", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("merchant", sql, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"(?i)\b(insert|update|delete|drop|alter|create|grant|truncate|copy|set_config|pg_\w+)\b", sql);

        var ctes = CteName().Matches(sql).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        foreach (Match m in Relation().Matches(sql))
        {
            var relation = m.Groups[1].Value;
            Assert.True(relation.StartsWith("analytics.", StringComparison.Ordinal) || ctes.Contains(relation), $"{relation} in\n{sql}");
        }
    }

    [Theory]
    [MemberData(nameof(Questions))]
    public void Compile_LabelledQuestion_UsesOnlyTheClosedVocabulary(string language, string question)
    {
        var sql = Compile(language, question).Sql;

        var strays = Word().Matches(sql).Select(m => m.Value).Where(w => !Vocabulary.Contains(w)).Distinct().ToList();

        Assert.True(strays.Count == 0, $"unexpected words {string.Join(", ", strays)} in\n{sql}");
    }

    [Theory]
    [MemberData(nameof(Questions))]
    public void Compile_LabelledQuestion_EveryParameterIsBoundAndEveryArgumentUsed(string language, string question)
    {
        var query = Compile(language, question);

        var used = Parameter().Matches(query.Sql).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var bound = query.Arguments.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(used.Order(), bound.Order());
        Assert.All(query.Arguments, a => Assert.True(a.Value is DateOnly or string or int, $"{a.Name}: {a.Value.GetType()}"));
        Assert.Equal(query.Interpretation.Period.From, query.Arguments.Single(a => a.Name == "from").Value);
        Assert.Equal(query.Interpretation.Period.To, query.Arguments.Single(a => a.Name == "to").Value);
    }

    [Theory]
    [InlineData("en", "revenue for product \"O'Brien's Special Ale\" last month", "product")]
    [InlineData("en", "orders in the \"Vini & Liquori (DOC)\" category this year", "category")]
    [InlineData("it", "pezzi venduti del prodotto \"Nero d'Avola\" nel 2025", "product")]
    [InlineData("es", "ingresos del segmento \"Champions\" el mes pasado", "segment")]
    public void Compile_FilterValue_TravelsAsAParameterOnly(string language, string question, string key)
    {
        var query = Compile(language, question);

        var value = Assert.IsType<string>(query.Arguments.Single(a => a.Name == key).Value);
        Assert.Equal(value, query.Interpretation.Filters[key]);
        Assert.DoesNotContain(value, query.Sql, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("@" + key, query.Sql, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("revenue by month this year", "month", "to_char(b, 'YYYY-MM')")]
    [InlineData("revenue by quarter in 2025", "quarter", "to_char(b, 'YYYY-\"Q\"Q')")]
    [InlineData("revenue by week in the last 8 weeks", "week", "date_trunc('week', @from::timestamp)")]
    [InlineData("revenue by day last week", "day", "generate_series(@from::timestamp")]
    [InlineData("revenue by year", "year", "to_char(b, 'YYYY')")]
    public void Compile_TimeDimension_GeneratesEveryBucketOfThePeriod(string question, string dimension, string fragment)
    {
        var sql = Compile("en", question).Sql;

        Assert.Contains("generate_series(", sql, StringComparison.Ordinal);
        Assert.Contains(fragment, sql, StringComparison.Ordinal);
        Assert.Contains($"SELECT b.{dimension}, round(coalesce(r.revenue, 0), 2) AS revenue", sql, StringComparison.Ordinal);
        Assert.EndsWith("ORDER BY b.bucket_start", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_Comparison_LabelsBothPeriodsAndShiftsTimeSeriesByWholeMonths()
    {
        var scalar = Compile("en", "revenue last month vs the month before");
        var series = Compile("en", "revenue by month in 2025 year over year");

        Assert.Equal("2026-06", scalar.Arguments.Single(a => a.Name == "period").Value);
        Assert.Equal("2026-05", scalar.Arguments.Single(a => a.Name == "previous_period").Value);
        Assert.Equal(12, series.Arguments.Single(a => a.Name == "shift_months").Value);
        Assert.Contains("revenue_previous", series.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_ProductOrCategory_UsesItemRevenue()
    {
        var byCategory = Compile("en", "revenue by category last month").Sql;
        var total = Compile("en", "revenue last month").Sql;

        Assert.Contains("sum(i.line_total)", byCategory, StringComparison.Ordinal);
        Assert.Contains("FROM analytics.order_items i", byCategory, StringComparison.Ordinal);
        Assert.Contains("sum(o.total)", total, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^(?:WITH )?([a-z_]+)(?: \([a-z_, ]+\))? AS \(", RegexOptions.Multiline)]
    private static partial Regex CteName();

    [GeneratedRegex(@"\b(?:FROM|JOIN)\s+\(?([a-z_][a-z_.]*)\b(?!\()")]
    private static partial Regex Relation();

    [GeneratedRegex(@"[A-Za-z_][A-Za-z_0-9]*")]
    private static partial Regex Word();

    [GeneratedRegex(@"@([a-z_]+)")]
    private static partial Regex Parameter();
}
