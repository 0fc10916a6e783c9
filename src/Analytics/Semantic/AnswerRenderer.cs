using System.Globalization;
using System.Text;

namespace Agents.Analytics.Semantic;

/// <summary>
/// Writes the answer sentence for a query's rows in the question's language, picks the headline
/// value and a chart (decision 008). It reads only the compiled query and the rows, so it works on
/// a query that was stored and loaded again.
/// </summary>
internal static class AnswerRenderer
{
    private const int Listed = 5;

    public static RenderedAnswer Render(CompiledQuery query, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows, string currency)
    {
        var q = query.Interpretation;
        var lang = Phrasebook.Lang(query.Language);
        var f = new Writer(q, lang, currency, columns);
        return q.Metric == "top_questions" ? f.Questions(rows)
            : q.Dimensions.Count == 0 ? (q.Comparison is null ? f.Single(rows) : f.Compared(rows))
            : QuestionScanner.IsTime(q.Dimensions[0]) && q.Top is null ? f.Series(rows)
            : f.Ranking(rows);
    }

    private sealed class Writer(Interpretation q, string lang, string currency, IReadOnlyList<string> columns)
    {
        private readonly MetricSpec _spec = MetricCatalog.Get(q.Metric);
        private readonly int _value = Index(columns, q.Metric, columns.Count - 1);
        private readonly int _previous = Index(columns, q.Metric + "_previous", -1);

        private static int Index(IReadOnlyList<string> columns, string name, int fallback)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                if (string.Equals(columns[i], name, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            return fallback;
        }

        private string Attr => Phrasebook.Range(q.Period.From, q.Period.To, lang, RangeForm.Attribute);

        private string Subject
        {
            get
            {
                var name = Phrasebook.MetricName(q.Metric, lang);
                if (q.Filters.Count == 0)
                {
                    return name;
                }

                var filters = q.Filters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{FilterName(p.Key)}: {p.Value}");
                return $"{name} ({string.Join(", ", filters)})";
            }
        }

        private string FilterName(string key) => key == "product"
            ? lang switch { "it" => "prodotto", "es" => "producto", _ => "product" }
            : Phrasebook.DimensionName(key, lang);

        private string By(string dimension) => lang switch
        {
            "it" => $"per {Phrasebook.DimensionName(dimension, lang)}",
            "es" => $"por {Phrasebook.DimensionName(dimension, lang)}",
            _ => $"by {dimension}",
        };

        private string NoData => lang switch
        {
            "it" => "nessun dato nel periodo",
            "es" => "no hay datos en ese periodo",
            _ => "no data in that period",
        };

        private string Format(decimal? v) => v is not { } x ? "–"
            : _spec.Kind == ValueKind.Count ? Formats.Number(x, lang, 0)
            : Formats.Money(x, currency, lang);

        public RenderedAnswer Single(IReadOnlyList<object?[]> rows)
        {
            var v = rows.Count > 0 ? Number(rows[0][_value]) : null;
            var text = v is null or 0 ? $"{Subject} {Attr}: {NoData}." : $"{Subject} {Attr}: {Format(v)}.";
            return new RenderedAnswer(text, v, null);
        }

        public RenderedAnswer Compared(IReadOnlyList<object?[]> rows)
        {
            var v = rows.Count > 0 ? Number(rows[0][_value]) : null;
            var p = rows.Count > 1 ? Number(rows[1][_value]) : null;
            var chart = new ChartSpec("bar", "period", q.Metric, null);
            if (v is null || (v == 0 && p is null or 0))
            {
                return new RenderedAnswer($"{Subject} {Attr}: {NoData}.", v, chart);
            }

            return new RenderedAnswer($"{Subject} {Attr}: {Format(v)}, {Change(v.Value, p)}.", v, chart);
        }

        /// <summary>"up 8.2% from April 2026 (€11,410.00)", "in crescita dell'8,2% rispetto ad aprile 2026 (11.410,00 €)".</summary>
        private string Change(decimal v, decimal? p)
        {
            var range = q.ComparedTo!;
            if (p is null || p == 0)
            {
                var attr = Phrasebook.Range(range.From, range.To, lang, RangeForm.Attribute);
                return (lang, p) switch
                {
                    ("it", null) => $"senza dati {attr}",
                    ("es", null) => $"sin datos {attr}",
                    (_, null) => $"with no data {attr}",
                    ("it", _) => $"contro {Format(p)} {attr}",
                    ("es", _) => $"frente a {Format(p)} {attr}",
                    _ => $"against {Format(p)} {attr}",
                };
            }

            var pct = Math.Round((v - p.Value) / Math.Abs(p.Value) * 100, 1, MidpointRounding.AwayFromZero);
            var noun = Phrasebook.Range(range.From, range.To, lang, RangeForm.Noun);
            var versus = Phrasebook.Range(range.From, range.To, lang, RangeForm.Versus);
            var abs = Formats.Percent(Math.Abs(pct), lang);
            var before = Format(p);
            return lang switch
            {
                "it" when pct == 0 => $"invariato rispetto {versus} ({before})",
                "it" => $"in {(pct > 0 ? "crescita" : "calo")} {(Formats.ItalianPercentVowel(pct) ? "dell'" : "del ")}{abs} rispetto {versus} ({before})",
                "es" when pct == 0 => $"igual que {versus} ({before})",
                "es" => $"un {abs} {(pct > 0 ? "más" : "menos")} que {versus} ({before})",
                _ when pct == 0 => $"unchanged from {noun} ({before})",
                _ => $"{(pct > 0 ? "up" : "down")} {abs} from {noun} ({before})",
            };
        }

        public RenderedAnswer Series(IReadOnlyList<object?[]> rows)
        {
            var dimension = q.Dimensions[0];
            var chart = new ChartSpec("line", dimension, q.Metric, _previous >= 0 ? columns[_previous] : null);
            var values = rows.Select(r => (Key: Convert.ToString(r[0], CultureInfo.InvariantCulture) ?? "", Value: Number(r[_value]),
                Previous: _previous >= 0 ? Number(r[_previous]) : null)).ToList();
            var head = $"{Subject} {By(dimension)} {Attr}";
            if (values.All(x => x.Value is null or 0))
            {
                return new RenderedAnswer($"{head}: {NoData}.", null, chart);
            }

            var present = values.Where(x => x.Value is not null).ToList();
            var high = present.MaxBy(x => x.Value!.Value);
            var low = present.MinBy(x => x.Value!.Value);
            var sb = new StringBuilder(head).Append(": ");
            if (_spec.Additive)
            {
                var total = present.Sum(x => x.Value!.Value);
                sb.Append(lang switch { "it" => "totale ", "es" => "total ", _ => "total " }).Append(Format(total));
                if (q.Comparison is not null)
                {
                    sb.Append(", ").Append(Change(total, values.Sum(x => x.Previous ?? 0)));
                }

                sb.Append(lang switch
                {
                    "it" => $"; valore più alto {Bucket(dimension, high.Key, inForm: true)} ({Format(high.Value)})",
                    "es" => $"; máximo {Bucket(dimension, high.Key, inForm: true)} ({Format(high.Value)})",
                    _ => $"; highest {Bucket(dimension, high.Key, inForm: true)} ({Format(high.Value)})",
                });
            }
            else
            {
                sb.Append(lang switch
                {
                    "it" => $"valore più alto {Bucket(dimension, high.Key, true)} ({Format(high.Value)}), più basso {Bucket(dimension, low.Key, true)} ({Format(low.Value)})",
                    "es" => $"máximo {Bucket(dimension, high.Key, true)} ({Format(high.Value)}), mínimo {Bucket(dimension, low.Key, true)} ({Format(low.Value)})",
                    _ => $"highest {Bucket(dimension, high.Key, true)} ({Format(high.Value)}), lowest {Bucket(dimension, low.Key, true)} ({Format(low.Value)})",
                });
            }

            return new RenderedAnswer(sb.Append('.').ToString(), null, chart);
        }

        public RenderedAnswer Ranking(IReadOnlyList<object?[]> rows)
        {
            var dimension = q.Dimensions[0];
            var time = QuestionScanner.IsTime(dimension);
            var shares = dimension is "channel" or "country" or "segment" && rows.Count is > 0 and <= 6 && _spec.Additive
                && q.Comparison is null && q.Top is null;
            var chart = new ChartSpec(shares ? "pie" : "bar", dimension, q.Metric, _previous >= 0 ? columns[_previous] : null);
            var value = q.Top == 1 && rows.Count > 0 ? Number(rows[0][_value]) : null;
            var suffix = q.Top is not { } n ? "" : (lang, q.Bottom, n) switch
            {
                ("it", false, 1) => " (il primo)",
                ("it", true, 1) => " (l'ultimo)",
                ("es", false, 1) => " (el primero)",
                ("es", true, 1) => " (el último)",
                (_, false, 1) => " (top)",
                (_, true, 1) => " (bottom)",
                ("it", false, _) => $" (primi {n})",
                ("it", true, _) => $" (ultimi {n})",
                ("es", false, _) => $" (los {n} primeros)",
                ("es", true, _) => $" (los {n} últimos)",
                (_, false, _) => $" (top {n})",
                _ => $" (bottom {n})",
            };
            var head = $"{Subject} {By(dimension)} {Attr}{suffix}";
            if (rows.Count == 0 || rows.All(r => Number(r[_value]) is null or 0))
            {
                return new RenderedAnswer($"{head}: {NoData}.", value, chart);
            }

            var entries = rows.Take(Listed).Select((r, i) =>
            {
                var key = Convert.ToString(r[0], CultureInfo.InvariantCulture) ?? "";
                var name = time ? Bucket(dimension, key, inForm: false) : key;
                var v = Number(r[_value]);
                var p = _previous >= 0 ? Number(r[_previous]) : null;
                var delta = v is { } cur && p is { } prev && prev != 0
                    ? ", " + Signed(Math.Round((cur - prev) / Math.Abs(prev) * 100, 1, MidpointRounding.AwayFromZero))
                    : "";
                return rows.Count == 1 ? $"{name} ({Format(v)}{delta})" : $"{i + 1}. {name} ({Format(v)}{delta})";
            });
            var more = rows.Count > Listed ? lang switch
            {
                "it" => $" e altri {rows.Count - Listed}",
                "es" => $" y {rows.Count - Listed} más",
                _ => $" and {rows.Count - Listed} more",
            } : "";
            return new RenderedAnswer($"{head}: {string.Join(", ", entries)}{more}.", value, chart);
        }

        private string Signed(decimal pct) => (pct > 0 ? "+" : pct < 0 ? "−" : "±") + Formats.Percent(Math.Abs(pct), lang);

        public RenderedAnswer Questions(IReadOnlyList<object?[]> rows)
        {
            var chart = new ChartSpec("bar", "question", "count", null);
            var head = $"{Phrasebook.MetricName(q.Metric, lang)} {Attr}";
            if (rows.Count == 0)
            {
                return new RenderedAnswer($"{head}: {NoData}.", null, chart);
            }

            var entries = rows.Take(Listed).Select(r => $"“{r[0]}” ({Formats.Number(Number(r[1]) ?? 0, lang, 0)})");
            return new RenderedAnswer($"{head}: {string.Join(", ", entries)}.", null, chart);
        }

        /// <summary>A bucket key (2026-06, 2026-Q2, 2026-06-29) as words; inForm adds the preposition: "in June 2026".</summary>
        private string Bucket(string dimension, string key, bool inForm)
        {
            var (text, kind) = dimension switch
            {
                "day" when DateOnly.TryParseExact(key, "yyyy-MM-dd", out var d) => (Formats.Date(d, lang), "day"),
                "week" when DateOnly.TryParseExact(key, "yyyy-MM-dd", out var d) => (lang switch
                {
                    "it" => "settimana " + Formats.ItalianBeforeNumber("di", d.Day) + Formats.Date(d, lang),
                    "es" => "semana del " + Formats.Date(d, lang),
                    _ => "week of " + Formats.Date(d, lang),
                }, "week"),
                "month" when key.Length == 7 && int.TryParse(key[..4], out var y) && int.TryParse(key[5..], out var m) && m is >= 1 and <= 12 =>
                    (Formats.Month(y, m, lang), "month"),
                "quarter" when key.Length == 7 && int.TryParse(key[..4], out var y) && key[6] is >= '1' and <= '4' =>
                    (Formats.Quarter(y, key[6] - '0', lang), "quarter"),
                _ => (key, "other"),
            };
            if (!inForm)
            {
                return text;
            }

            var day = kind == "day" && DateOnly.TryParseExact(key, "yyyy-MM-dd", out var dd) ? dd.Day : 0;
            return (lang, kind) switch
            {
                ("it", "day") => Formats.ItalianBeforeNumber("il", day) + text,
                ("it", "week") => "nella " + text,
                ("it", "month") => Formats.ItalianBeforeMonth("a", text) + text,
                ("it", _) => "nel " + text,
                ("es", "day") => "el " + text,
                ("es", "week") => "en la " + text,
                ("es", "quarter") => "en el " + text,
                ("es", _) => "en " + text,
                ("en", "day") => "on " + text,
                ("en", "week") => "in the " + text,
                _ => "in " + text,
            };
        }
    }

    private static decimal? Number(object? value) => value switch
    {
        null or DBNull => null,
        decimal d => d,
        long l => l,
        int i => i,
        short s => s,
        double d => (decimal)d,
        float f => (decimal)f,
        string s when decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) => d,
        IConvertible c => c.ToDecimal(CultureInfo.InvariantCulture),
        _ => null,
    };
}
