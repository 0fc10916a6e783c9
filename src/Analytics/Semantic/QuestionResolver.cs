namespace Agents.Analytics.Semantic;

/// <summary>The outcome of resolving a scan: an interpretation, or why the question is refused.</summary>
internal sealed record Resolution(Interpretation? Interpretation, string? Reason = null, string? Detail = null);

/// <summary>
/// Turns what the scanner found into one interpretation of decision 008: one metric, at most one
/// dimension, a period and an optional comparison, filters and a ranking, or a refusal.
/// </summary>
internal static class QuestionResolver
{
    public static Resolution Resolve(QuestionScan s, DateOnly today, string language)
    {
        foreach (var reason in Lexicon.RefusalOrder)
        {
            if (s.Refusals.Contains(reason))
            {
                return Refuse(reason);
            }
        }

        if (s.UnknownDimension is { } unknownDimension)
        {
            return Refuse("unknown_dimension", unknownDimension);
        }

        if (s.UnknownWords.Count > 0)
        {
            return s.HasSignal ? Refuse("unknown_term", s.UnknownWords[0]) : Refuse("not_a_question");
        }

        if (!s.HasSignal && !s.Rank)
        {
            return Refuse("not_a_question");
        }

        if (s.MetricConjunction)
        {
            return Refuse("unsupported", "metrics");
        }

        var dimensions = s.Dimensions.ToList();
        if (dimensions.Count == 0 && (s.Rank || s.Which) && s.ImpliedDimensions.Count > 0)
        {
            dimensions.Add((s.ImpliedDimensions[0], true, false));
        }

        if (ResolveMetric(s, dimensions) is not { } metric)
        {
            return s.ExplicitMetricWord is { } word && s.Metrics.Count > 0 ? Refuse("unknown_dimension", word)
                : s.Metrics.Select(m => m.Key).Distinct().Count() > 1 ? Refuse("unsupported", "metrics")
                : Refuse("unknown_metric");
        }

        // "How many products did we sell": products is what is counted, not a dimension.
        if (metric == "units" && s.CountHint && !s.Rank)
        {
            dimensions.RemoveAll(d => d.Key == "product" && !d.Explicit);
        }

        var periods = s.Periods.ToList();
        var chosen = new List<string>();
        foreach (var d in dimensions)
        {
            // A bare singular time word: "best month" ranks months, "fatturato del mese" means this month.
            if (QuestionScanner.IsTime(d.Key) && !d.Explicit && !d.Plural && !s.Rank && !s.Which)
            {
                if (periods.Count == 0)
                {
                    periods.Add((BareUnitPeriod(d.Key, today), false));
                }

                continue;
            }

            if (!chosen.Contains(d.Key))
            {
                chosen.Add(d.Key);
            }
        }

        var filters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, values) in s.Filters)
        {
            if (values.Count == 1)
            {
                filters[key] = values[0];
            }
            else if (key is "channel" or "country" && !chosen.Contains(key))
            {
                // "WhatsApp vs web": every channel side by side.
                chosen.Add(key);
            }
            else
            {
                return Refuse("unsupported", "filters");
            }
        }

        if (chosen.Count > 1)
        {
            return Refuse("unsupported", "dimensions");
        }

        var dimension = chosen.FirstOrDefault();
        if (ResolvePeriods(s, periods, dimension, today) is not var (primary, comparison, comparedTo))
        {
            return Refuse("unsupported", "periods");
        }

        if (primary.From > today)
        {
            return Refuse("forecast");
        }

        var label = Phrasebook.PeriodLabel(primary, language);

        // Nothing can have happened after today: a period reaching into the future stops there.
        if (primary.To > today.AddDays(1))
        {
            primary = primary with { To = today.AddDays(1) };
            if (comparison == "previous_period")
            {
                comparedTo = Calendar.Previous(primary);
            }
            else if (comparison == "same_period_last_year")
            {
                comparedTo = Calendar.YearBefore(primary);
            }
        }

        int? top = null;
        var numbers = s.Numbers.ToList();
        if (metric == "top_questions")
        {
            top = s.TopN ?? TakeNumber(numbers) ?? 10;
        }
        else if (dimension is not null && (s.Rank || s.TopN is not null || numbers.Count > 0))
        {
            var plural = s.Dimensions.FirstOrDefault(d => d.Key == dimension).Plural;
            var explicitOnly = s.Dimensions.Where(d => d.Key == dimension).All(d => d.Explicit);
            top = s.TopN ?? TakeNumber(numbers) ?? (plural || explicitOnly || !s.Rank ? 10 : 1);
        }
        else if (s.TopN is not null || (dimension is null && s.StrongRank))
        {
            return Refuse("unsupported", "top");
        }

        if (numbers.Count > 0)
        {
            return Refuse("unknown_term", numbers[0]);
        }

        if (top is < 1 or > 100)
        {
            return Refuse("unsupported", "top");
        }

        if (MetricCatalog.Check(metric, dimension, filters.Keys, comparison) is { } unsupported)
        {
            return Refuse("unsupported", unsupported);
        }

        var interpretation = new Interpretation(
            metric,
            dimension is null ? [] : [dimension],
            new PeriodRange(primary.From, primary.To, label),
            comparison,
            filters,
            top,
            ComparedTo: comparedTo is var (f, t) && comparison is not null
                ? new PeriodRange(f, t, Phrasebook.RangeLabel(f, t, language))
                : null,
            Bottom: top is not null && s.Bottom);
        return new Resolution(interpretation);
    }

    private static Resolution Refuse(string reason, string? detail = null) => new(null, reason, detail);

    private static int? TakeNumber(List<string> numbers)
    {
        if (numbers.Count == 0)
        {
            return null;
        }

        var text = numbers[0];
        numbers.RemoveAt(0);
        return int.TryParse(text, out var n) ? n : PeriodParser.TryNumberWord(text, out n) ? n : null;
    }

    private static string? ResolveMetric(QuestionScan s, List<(string Key, bool Plural, bool Explicit)> dimensions)
    {
        string Map(string key) => key switch
        {
            "sales" => s.CountHint ? "orders" : "revenue",
            "refunds" when s.AmountHint => "refunded_amount",
            _ => key,
        };

        var strong = s.Metrics.Where(m => m.Strength == Strength.Strong).Select(m => Map(m.Key)).Distinct().ToList();
        if (s.ExplicitMetric is { } named)
        {
            named = Map(named);
            var ranking = dimensions.Count > 0 || s.Rank || s.Filters.Values.Any(v => v.Count > 1);
            if (ranking || strong.Count == 0 || strong.SequenceEqual([named]))
            {
                return named;
            }

            return null;
        }

        if (strong.Count == 1)
        {
            return strong[0];
        }

        if (strong.Count > 1)
        {
            return strong.Count == 2 && strong.Contains("refunds") && strong.Contains("refunded_amount") ? "refunded_amount" : null;
        }

        if (s.Metrics.Where(m => m.Strength == Strength.Weak).OrderBy(m => m.Position).Select(m => m.Key).FirstOrDefault() is { } weak)
        {
            return weak;
        }

        if (s.Metrics.FirstOrDefault(m => m.Strength == Strength.Implicit) is { Key: { } implicitKey })
        {
            return implicitKey;
        }

        if (s.Sell)
        {
            return s.Rank || s.CountHint ? "units" : "revenue";
        }

        // "Top products", "best month": a ranking without a measure ranks by revenue.
        return s.Rank && dimensions.Count > 0 ? "revenue" : null;
    }

    private static Period BareUnitPeriod(string dimension, DateOnly today) => dimension switch
    {
        "day" => new Period(today, today.AddDays(1), Unit.Day, 1, LabelKind.Today),
        "week" => Calendar.Current(Unit.Week, today, LabelKind.ThisWeek),
        "month" => Calendar.Current(Unit.Month, today, LabelKind.ThisMonth),
        "quarter" => Calendar.Current(Unit.Quarter, today, LabelKind.ThisQuarter),
        _ => Calendar.Current(Unit.Year, today, LabelKind.ThisYear),
    };

    /// <summary>The default period of decision 008 when the question names none.</summary>
    public static Period DefaultPeriod(string? dimension, DateOnly today) => dimension switch
    {
        "month" => Calendar.LastFull(Unit.Month, 12, today, LabelKind.LastMonths),
        "week" => Calendar.LastFull(Unit.Week, 12, today, LabelKind.LastWeeks),
        "quarter" => Calendar.LastFull(Unit.Quarter, 4, today, LabelKind.LastQuarters),
        "year" => new Period(new DateOnly(today.Year - 2, 1, 1), today.AddDays(1), Unit.Year, 3, LabelKind.LastYears),
        _ => Calendar.LastFull(Unit.Day, 30, today, LabelKind.LastDays),
    };

    private static (Period Primary, string? Comparison, (DateOnly, DateOnly)? ComparedTo)? ResolvePeriods(
        QuestionScan s, List<(Period Period, bool AfterMarker)> periods, string? dimension, DateOnly today)
    {
        if (periods.Count > 2)
        {
            return null;
        }

        Period? primary = null;
        Period? second = null;
        if (periods.Count == 2)
        {
            (primary, second) = periods[0].AfterMarker && !periods[1].AfterMarker
                ? (periods[1].Period, periods[0].Period)
                : (periods[0].Period, periods[1].Period);
        }
        else if (periods.Count == 1)
        {
            var only = periods[0].Period;
            if (periods[0].AfterMarker || (only.RelativeToPrimary && (s.CompareMarker || s.ComparisonKind is not null)))
            {
                // "Revenue vs last month": this month against the one named.
                second = only;
                primary = only.Unit is Unit.Week or Unit.Month or Unit.Quarter or Unit.Year
                    ? Calendar.Current(only.Unit, today, CurrentKind(only.Unit))
                    : DefaultPeriod(dimension, today);
            }
            else
            {
                primary = only with { RelativeToPrimary = false };
            }
        }

        primary ??= DefaultPeriod(dimension, today);
        if (second is null)
        {
            var kind = s.ComparisonKind ?? (s.CompareMarker ? "previous_period" : null);
            return kind switch
            {
                "previous_period" => (primary, kind, Calendar.Previous(primary)),
                "same_period_last_year" => (primary, kind, Calendar.YearBefore(primary)),
                _ => (primary, null, null),
            };
        }

        if (second.RelativeToPrimary)
        {
            if (second.Unit == primary.Unit)
            {
                return (primary, "previous_period", Calendar.Previous(primary));
            }

            var start = Calendar.UnitStart(second.Unit, primary.From);
            return (primary, "custom", (Calendar.Add(second.Unit, start, -1), start));
        }

        if (second.Kind is LabelKind.LastWeek or LabelKind.LastMonth or LabelKind.LastQuarter or LabelKind.LastYear or LabelKind.Yesterday
            && second.Unit == primary.Unit && primary.Kind is not (LabelKind.LastWeek or LabelKind.LastMonth or LabelKind.LastQuarter or LabelKind.LastYear))
        {
            return (primary, "previous_period", Calendar.Previous(primary));
        }

        if (second.Kind == LabelKind.LastYear && primary.Unit != Unit.Year)
        {
            return (primary, "same_period_last_year", Calendar.YearBefore(primary));
        }

        var range = (second.From, second.To);
        return range == Calendar.Previous(primary) ? (primary, "previous_period", range)
            : range == Calendar.YearBefore(primary) ? (primary, "same_period_last_year", range)
            : (primary, "custom", range);
    }

    private static LabelKind CurrentKind(Unit unit) => unit switch
    {
        Unit.Week => LabelKind.ThisWeek,
        Unit.Month => LabelKind.ThisMonth,
        Unit.Quarter => LabelKind.ThisQuarter,
        _ => LabelKind.ThisYear,
    };
}
