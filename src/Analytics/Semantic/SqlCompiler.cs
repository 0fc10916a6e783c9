using System.Text;

namespace Agents.Analytics.Semantic;

/// <summary>
/// Compiles an interpretation to one parameterised SELECT over the analytics.* views whose result
/// is exactly the answer's columns and rows (decision 008). Identifiers come from fixed tables;
/// every value (dates, filter values, top) travels as a parameter.
/// </summary>
internal static class SqlCompiler
{
    private sealed record Source(string Relation, string Alias, bool Items);

    private static readonly Source Orders = new("analytics.orders", "o", false);
    private static readonly Source Items = new("analytics.order_items", "i", true);
    private static readonly Source Loyalty = new("analytics.loyalty", "l", false);
    private static readonly Source Conversations = new("analytics.conversations", "v", false);

    private static readonly Dictionary<string, (string Trunc, string Step, string Format)> Buckets = new(StringComparer.Ordinal)
    {
        ["day"] = ("day", "1 day", "YYYY-MM-DD"),
        ["week"] = ("week", "1 week", "YYYY-MM-DD"),
        ["month"] = ("month", "1 month", "YYYY-MM"),
        ["quarter"] = ("quarter", "3 months", "YYYY-\"Q\"Q"),
        ["year"] = ("year", "1 year", "YYYY"),
    };

    public static CompiledQuery Compile(Interpretation q, string language)
    {
        var args = new List<SqlArgument> { new("from", q.Period.From), new("to", q.Period.To) };
        string sql;
        if (q.Metric == "top_questions")
        {
            args.Add(new SqlArgument("top", q.Top ?? 10));
            sql = """
                SELECT lower(trim(q.content)) AS question, count(*) AS count
                FROM analytics.questions q
                WHERE q.day >= @from AND q.day < @to
                GROUP BY lower(trim(q.content))
                ORDER BY count DESC, question
                LIMIT @top
                """;
            return new CompiledQuery(language, q, sql, args);
        }

        var spec = MetricCatalog.Get(q.Metric);
        var dimension = q.Dimensions.Count > 0 ? q.Dimensions[0] : null;
        var src = spec.Family switch
        {
            MetricFamily.Loyalty => Loyalty,
            MetricFamily.Conversations => Conversations,
            _ when q.Metric == "units" || dimension is "product" or "category" || q.Filters.ContainsKey("product") || q.Filters.ContainsKey("category") => Items,
            _ => Orders,
        };

        var ctx = new Context(q, spec, src, dimension);
        foreach (var (key, value) in q.Filters)
        {
            args.Add(new SqlArgument(key, value));
        }

        if (q.Comparison is not null && q.ComparedTo is { } previous)
        {
            args.Add(new SqlArgument("prev_from", previous.From));
            args.Add(new SqlArgument("prev_to", previous.To));
        }

        if (q.Top is { } top)
        {
            args.Add(new SqlArgument("top", top));
        }

        if (dimension is null)
        {
            if (q.Comparison is null)
            {
                sql = Scalar(ctx);
            }
            else
            {
                args.Add(new SqlArgument("period", Calendar.RangeKey(q.Period.From, q.Period.To)));
                args.Add(new SqlArgument("previous_period", Calendar.RangeKey(q.ComparedTo!.From, q.ComparedTo.To)));
                sql = ScalarComparison(ctx);
            }
        }
        else if (QuestionScanner.IsTime(dimension))
        {
            if (q.Comparison is not null)
            {
                var (months, days) = Calendar.Shift(q.Period.From, q.ComparedTo!.From);
                args.Add(months != 0 ? new SqlArgument("shift_months", months) : new SqlArgument("shift_days", days));
                ctx.ShiftMonths = months != 0;
            }

            sql = TimeSeries(ctx);
        }
        else
        {
            sql = q.Comparison is null ? Grouped(ctx) : GroupedComparison(ctx);
        }

        return new CompiledQuery(language, q, sql, args);
    }

    private sealed class Context(Interpretation q, MetricSpec spec, Source src, string? dimension)
    {
        public Interpretation Q { get; } = q;

        public MetricSpec Spec { get; } = spec;

        public Source Src { get; } = src;

        public string? Dimension { get; } = dimension;

        public string A => Src.Alias;

        public bool ShiftMonths { get; set; }

        public bool FirstOrders => Spec.Key is "new_customers" or "returning_customers";

        public bool Segment => Dimension == "segment" || Q.Filters.ContainsKey("segment");

        public string Metric => Spec.Key;

        public string Base => Spec.Key switch
        {
            "refunds" or "refunded_amount" => $"{A}.status = 'refunded'",
            "cancellations" => $"{A}.status = 'cancelled'",
            "points_issued" => "l.change > 0",
            "points_redeemed" => "l.change < 0",
            "conversations" => "",
            _ => $"{A}.counted",
        };

        public string From => $"{Src.Relation} {A}"
            + (FirstOrders ? $"\nJOIN first_orders f ON f.customer_id = {A}.customer_id" : "")
            + (Segment ? $"\nLEFT JOIN analytics.customers c ON c.customer_id = {A}.customer_id" : "");

        public IEnumerable<string> Filters => Q.Filters.Keys.Order(StringComparer.Ordinal).Select(key => key switch
        {
            "channel" => $"{A}.channel = @channel",
            "country" => $"{A}.country = @country",
            "category" => "lower(i.category) = lower(@category)",
            "product" => "(strpos(lower(i.product_name), lower(@product)) > 0 OR lower(i.sku) = lower(@product))",
            _ => "lower(coalesce(c.segment, 'Unscored')) = lower(@segment)",
        });

        public string Key => Dimension switch
        {
            "channel" => $"{A}.channel",
            "country" => $"coalesce({A}.country, 'unknown')",
            "product" => "i.product_name",
            "category" => "coalesce(i.category, 'unknown')",
            "segment" => "coalesce(c.segment, 'Unscored')",
            _ => throw new InvalidOperationException(Dimension),
        };

        /// <summary>The metric's aggregate; <paramref name="when"/> restricts it (FILTER), <paramref name="start"/> is where its period starts.</summary>
        public string Aggregate(string? when, string start)
        {
            string F(string expr, string? extra = null)
            {
                var conditions = new[] { when, extra }.Where(c => c is not null).ToList();
                return conditions.Count == 0 ? expr : $"{expr} FILTER (WHERE {string.Join(" AND ", conditions)})";
            }

            var orderCount = Src.Items ? "count(DISTINCT i.order_id)" : "count(o.order_id)";
            var amount = Src.Items ? "sum(i.line_total)" : "sum(o.total)";
            return Metric switch
            {
                "revenue" or "refunded_amount" => F(amount),
                "orders" or "refunds" or "cancellations" => F(orderCount),
                "aov" => $"{F(amount)} / nullif({F(orderCount)}, 0)",
                "units" => F("sum(i.quantity)"),
                "customers" => F($"count(DISTINCT {A}.customer_id)"),
                "new_customers" => F($"count(DISTINCT {A}.customer_id)", $"f.first_day >= {start}"),
                "returning_customers" => F($"count(DISTINCT {A}.customer_id)", $"f.first_day < {start}"),
                "points_issued" => F("sum(l.change)"),
                "points_redeemed" => $"-{F("sum(l.change)")}",
                "conversations" => F("count(v.conversation_id)"),
                _ => throw new InvalidOperationException(Metric),
            };
        }

        /// <summary>Rounds money and ratios to 2 decimals; empty sums become 0 (AOV stays null).</summary>
        public string Finish(string expr, bool nullable) => Spec.Kind switch
        {
            ValueKind.Money => $"round(coalesce({expr}, 0), 2)",
            ValueKind.Ratio => $"round({expr}, 2)",
            _ => nullable ? $"coalesce({expr}, 0)" : expr,
        };

        public bool AggregateNullable => Metric is "revenue" or "refunded_amount" or "units" or "points_issued" or "points_redeemed" or "aov";

        public string Where(string period)
        {
            var conditions = new List<string>();
            if (Base.Length > 0)
            {
                conditions.Add(Base);
            }

            conditions.Add(period);
            conditions.AddRange(Filters);
            return "WHERE " + string.Join("\n  AND ", conditions);
        }

        public string Order(string key) => Q.Bottom
            ? $"ORDER BY {Metric} ASC NULLS LAST, {key}"
            : $"ORDER BY {Metric} DESC NULLS LAST, {key}";

        public string Limit => Q.Top is null ? "" : "\nLIMIT @top";
    }

    private static string Period(Context c) => $"{c.A}.day >= @from AND {c.A}.day < @to";

    private static string With(Context c, params string[] ctes)
    {
        var all = new List<string>();
        if (c.FirstOrders)
        {
            all.Add("""
                first_orders AS (
                    SELECT customer_id, min(day) AS first_day
                    FROM analytics.orders
                    WHERE counted AND customer_id IS NOT NULL
                    GROUP BY customer_id
                )
                """);
        }

        all.AddRange(ctes);
        return all.Count == 0 ? "" : "WITH " + string.Join(",\n", all) + "\n";
    }

    private static string Indent(string text, int spaces) =>
        string.Join("\n", text.Split('\n').Select(line => line.Length == 0 ? line : new string(' ', spaces) + line));

    private static string Scalar(Context c) =>
        With(c) + $"""
            SELECT {c.Finish(c.Aggregate(null, "@from"), c.AggregateNullable)} AS {c.Metric}
            FROM {c.From}
            {c.Where(Period(c))}
            """;

    private static string ScalarComparison(Context c)
    {
        var periods = """
            periods (period, position, period_from, period_to) AS (
                VALUES (@period, 1, @from, @to),
                       (@previous_period, 2, @prev_from, @prev_to)
            )
            """;
        var from = c.FirstOrders || c.Segment ? $"({c.From.Replace("\n", " ", StringComparison.Ordinal)})" : c.From;
        var on = new List<string>();
        if (c.Base.Length > 0)
        {
            on.Add(c.Base);
        }

        on.Add($"{c.A}.day >= p.period_from AND {c.A}.day < p.period_to");
        on.AddRange(c.Filters);
        return With(c, periods) + $"""
            SELECT p.period, {c.Finish(c.Aggregate(null, "p.period_from"), c.AggregateNullable)} AS {c.Metric}
            FROM periods p
            LEFT JOIN {from}
                   ON {string.Join("\n      AND ", on)}
            GROUP BY p.period, p.position
            ORDER BY p.position
            """;
    }

    private static string Grouped(Context c) =>
        With(c) + $"""
            SELECT {c.Key} AS {c.Dimension}, {c.Finish(c.Aggregate(null, "@from"), c.AggregateNullable)} AS {c.Metric}
            FROM {c.From}
            {c.Where(Period(c))}
            GROUP BY {c.Key}
            {c.Order(c.Dimension!)}
            """ + c.Limit;

    private static string GroupedComparison(Context c)
    {
        var current = Period(c);
        var previous = $"{c.A}.day >= @prev_from AND {c.A}.day < @prev_to";
        return With(c) + $"""
            SELECT {c.Key} AS {c.Dimension},
                   {c.Finish(c.Aggregate(current, "@from"), c.AggregateNullable)} AS {c.Metric},
                   {c.Finish(c.Aggregate(previous, "@prev_from"), c.AggregateNullable)} AS {c.Metric}_previous
            FROM {c.From}
            {c.Where($"({current}\n       OR {previous})")}
            GROUP BY {c.Key}
            {c.Order(c.Dimension!)}
            """ + c.Limit;
    }

    private static string TimeSeries(Context c)
    {
        var dim = c.Dimension!;
        var (trunc, step, format) = Buckets[dim];

        var series = dim == "day"
            ? "generate_series(@from::timestamp, @to::timestamp - interval '1 day', interval '1 day')"
            : $"generate_series(date_trunc('{trunc}', @from::timestamp), @to::timestamp - interval '1 day', interval '{step}')";
        var buckets = $"""
            buckets AS (
                SELECT b::date AS bucket_start, to_char(b, '{format}') AS {dim}
                FROM {series} AS b
            )
            """;

        var name = $"{c.Metric}_by_{dim}";
        var currentBucket = dim == "day" ? $"{c.A}.day" : $"date_trunc('{trunc}', {c.A}.day::timestamp)::date";
        var current = $"""
            {name} AS (
                SELECT {currentBucket} AS bucket_start,
                       {c.Aggregate(null, $"greatest({currentBucket}, @from)")} AS {c.Metric}
                FROM {Indent(c.From, 4).TrimStart()}
                {Indent(c.Where(Period(c)), 4).TrimStart()}
                GROUP BY 1
            )
            """;

        var ctes = new List<string> { buckets, current };
        var select = $"SELECT b.{dim}, {c.Finish($"r.{c.Metric}", nullable: true)} AS {c.Metric}";
        var joins = $"LEFT JOIN {name} r ON r.bucket_start = b.bucket_start";
        if (c.Q.Comparison is not null)
        {
            // The previous range, moved forward onto the current buckets (by whole months when it lines up).
            var shift = c.ShiftMonths ? "make_interval(months => @shift_months)" : "@shift_days";
            var moved = c.ShiftMonths ? $"{c.A}.day + {shift}" : $"({c.A}.day + {shift})::timestamp";
            var movedBucket = dim == "day" ? $"({moved})::date" : $"date_trunc('{trunc}', {moved})::date";
            var periodStart = $"greatest(({movedBucket} - {shift})::date, @prev_from)";
            ctes.Add($"""
                previous_{name} AS (
                    SELECT {movedBucket} AS bucket_start,
                           {c.Aggregate(null, periodStart)} AS {c.Metric}
                    FROM {Indent(c.From, 4).TrimStart()}
                    {Indent(c.Where($"{c.A}.day >= @prev_from AND {c.A}.day < @prev_to"), 4).TrimStart()}
                    GROUP BY 1
                )
                """);
            select += $",\n       {c.Finish($"p.{c.Metric}", nullable: true)} AS {c.Metric}_previous";
            joins += $"\nLEFT JOIN previous_{name} p ON p.bucket_start = b.bucket_start";
        }

        var order = c.Q.Top is null ? "ORDER BY b.bucket_start" : c.Order("b.bucket_start");
        var sb = new StringBuilder(With(c, [.. ctes]));
        sb.Append(select).Append("\nFROM buckets b\n").Append(joins).Append('\n').Append(order).Append(c.Limit);
        return sb.ToString();
    }
}
