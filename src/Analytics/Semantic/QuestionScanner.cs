namespace Agents.Analytics.Semantic;

/// <summary>
/// One pass over the tokens: at each position a period phrase, then the longest lexicon phrase,
/// then numbers and filter values. Every token is accounted for; what no list knows is kept as an
/// unknown word so that the question is refused instead of answered without it.
/// </summary>
internal static class QuestionScanner
{
    private static readonly HashSet<string> ValueDimensions = ["category", "product", "segment"];
    private static readonly HashSet<string> TimeDimensions = ["day", "week", "month", "quarter", "year"];

    public static bool IsTime(string dimension) => TimeDimensions.Contains(dimension);

    public static QuestionScan Scan(IReadOnlyList<Token> t, DateOnly today)
    {
        var scan = new QuestionScan();
        var upperWords = t.Count(x => x.IsWord && x.Upper);
        var mostlyUpper = upperWords * 2 > t.Count(x => x.IsWord);
        var afterMarker = false;
        var markerOpen = false;
        var lastMetricEnd = -1;
        var i = 0;
        while (i < t.Count)
        {
            var tok = t[i];
            switch (tok.Kind)
            {
                case TokenKind.Quoted:
                    // "wine" category: a quoted value before a category/segment/product word belongs to it.
                    if (Lexicon.Phrases.Match(t, i + 1) is { Item: { Kind: ItemKind.Dimension, Plural: false } qd } qm
                        && ValueDimensions.Contains(qd.Value) && qd.Strength != Strength.Explicit)
                    {
                        scan.AddFilter(qd.Value, tok.Original);
                        i += 1 + qm.Length;
                        continue;
                    }

                    scan.AddFilter("product", tok.Original);
                    i++;
                    continue;
                case TokenKind.Sku:
                    scan.AddFilter("product", tok.Original);
                    i++;
                    continue;
            }

            if (tok.IsWord && tok.Upper && !mostlyUpper && tok.Text.Length == 2 && Lexicon.CountryCodes.TryGetValue(tok.Text, out var code))
            {
                scan.AddFilter("country", code);
                i++;
                continue;
            }

            if (PeriodParser.TryParse(t, i, today, out var period, out var next))
            {
                scan.Periods.Add((period, afterMarker));
                afterMarker = false;
                markerOpen = false;
                i = next;
                continue;
            }

            if (Lexicon.Phrases.Match(t, i) is not { } m)
            {
                i = Unmatched(t, i, scan);
                continue;
            }

            var item = m.Item;
            var end = i + m.Length;

            // "vs" followed by something other than a period ("WhatsApp vs web") compares values, not periods.
            if (markerOpen && item.Kind is not (ItemKind.Filler or ItemKind.CompareMarker or ItemKind.Comparison))
            {
                markerOpen = afterMarker = false;
                scan.CompareMarker = false;
            }

            switch (item.Kind)
            {
                case ItemKind.Metric:
                    // "revenue and orders": two metrics asked at once.
                    if (lastMetricEnd == i - 1 && i > 0 && t[i - 1].Text is "and" or "e" or "ed" or "y" or "plus")
                    {
                        scan.MetricConjunction = true;
                    }

                    lastMetricEnd = end;
                    scan.Metrics.Add((item.Value, item.Strength, i));
                    if (item.Bottom is { } bottom)
                    {
                        scan.Rank = true;
                        scan.Bottom = bottom;
                    }

                    if (item.ImpliedDimension is { } implied)
                    {
                        scan.ImpliedDimensions.Add(implied);
                    }

                    break;
                case ItemKind.Dimension:
                    end = Dimension(t, end, item, scan, today, afterMarker: false);
                    break;
                case ItemKind.DimensionMarker:
                    end = Marker(t, end, item, scan, today);
                    break;
                case ItemKind.Channel:
                    scan.AddFilter("channel", item.Value);
                    break;
                case ItemKind.Country:
                    scan.AddFilter("country", item.Value);
                    break;
                case ItemKind.Comparison:
                    scan.ComparisonKind ??= item.Value;
                    break;
                case ItemKind.CompareMarker:
                    scan.CompareMarker = true;
                    afterMarker = markerOpen = true;
                    break;
                case ItemKind.Rank:
                    scan.Rank = true;
                    scan.StrongRank |= item.Value == "strong";
                    scan.Bottom = item.Bottom ?? false;
                    if (PeriodParser.TryCount(t, end, out var n) && !(t[end].IsNumber && t[end].Number >= 1990))
                    {
                        scan.TopN = n;
                        end++;
                    }

                    break;
                case ItemKind.Sell:
                    scan.Sell = true;
                    break;
                case ItemKind.CountHint:
                    scan.CountHint = true;
                    break;
                case ItemKind.AmountHint:
                    scan.AmountHint = true;
                    break;
                case ItemKind.Which:
                    scan.Which = true;
                    break;
                case ItemKind.Refuse:
                    scan.Refusals.Add(item.Value);
                    break;
            }

            i = end;
        }

        return scan;
    }

    private static int Unmatched(IReadOnlyList<Token> t, int i, QuestionScan scan)
    {
        var tok = t[i];
        if (tok.IsNumber || (tok.IsWord && PeriodParser.TryNumberWord(tok.Text, out _)))
        {
            scan.Numbers.Add(tok.Text);
            return i + 1;
        }

        // "the wine category", "vini categoria": a value just before a category/segment/product word.
        var (value, after) = Value(t, i);
        if (Lexicon.Phrases.Match(t, after) is { Item: { Kind: ItemKind.Dimension, Plural: false } d } dm
            && ValueDimensions.Contains(d.Value) && d.Strength != Strength.Explicit)
        {
            scan.AddFilter(d.Value, value);
            return after + dm.Length;
        }

        scan.UnknownWords.Add(tok.Original);
        return i + 1;
    }

    // A word value with its hyphenated parts: olive-oil.
    private static (string Value, int After) Value(IReadOnlyList<Token> t, int i)
    {
        var j = i + 1;
        while (j < t.Count && t[j].Joined && t[j].Kind is TokenKind.Word or TokenKind.Number)
        {
            j++;
        }

        return (string.Join('-', Enumerable.Range(i, j - i).Select(k => t[k].Original)), j);
    }

    private static bool IsFreeWord(IReadOnlyList<Token> t, int i, DateOnly today) =>
        i < t.Count && t[i].IsWord && Lexicon.Phrases.Match(t, i) is null && !PeriodParser.TryParse(t, i, today, out _, out _)
        && !PeriodParser.TryNumberWord(t[i].Text, out _) && !(t[i].Upper && Lexicon.CountryCodes.ContainsKey(t[i].Text));

    private static int Dimension(IReadOnlyList<Token> t, int end, Item item, QuestionScan scan, DateOnly today, bool afterMarker)
    {
        if (item.Strength == Strength.Explicit)
        {
            scan.Dimensions.Add((item.Value, item.Plural, true));
            return end;
        }

        if (!item.Plural && ValueDimensions.Contains(item.Value) && end < t.Count)
        {
            // category "olive oil", categoria vini, product SDS-WIN-001.
            var next = t[end];
            if (next.Kind is TokenKind.Quoted or TokenKind.Sku)
            {
                scan.AddFilter(item.Value, next.Original);
                return end + 1;
            }

            if (IsFreeWord(t, end, today))
            {
                var (value, after) = Value(t, end);
                scan.AddFilter(item.Value, value);
                return after;
            }
        }

        // "country IT", "paese Italia": the word only introduces the filter that follows.
        if (!item.Plural && item.Value == "country" && end < t.Count
            && (Lexicon.Phrases.Match(t, end) is { Item.Kind: ItemKind.Country } || (t[end].Upper && Lexicon.CountryCodes.ContainsKey(t[end].Text))))
        {
            return end;
        }

        scan.Dimensions.Add((item.Value, item.Plural, afterMarker));
        return end;
    }

    // After by / per / por: a dimension, a ranking metric ("by revenue"), or nothing (Italian
    // "per" is also "for"). An unknown word there is an unknown dimension: "revenue by employee".
    private static int Marker(IReadOnlyList<Token> t, int j, Item marker, QuestionScan scan, DateOnly today)
    {
        if (j >= t.Count || PeriodParser.TryParse(t, j, today, out _, out _))
        {
            return j;
        }

        var k = j;
        if (Lexicon.Phrases.Match(t, k) is { } hint && (hint.Item.Kind is ItemKind.CountHint or ItemKind.AmountHint
            || (hint.Item.Kind == ItemKind.Filler && t[k].Text is "total" or "totale" or "number" or "numero")))
        {
            k += hint.Length;
        }

        var m = Lexicon.Phrases.Match(t, k);
        if (m is { Item.Kind: ItemKind.Dimension } dim)
        {
            if (marker.TimeOnly && !IsTime(dim.Item.Value))
            {
                return j;
            }

            // "per categoria" is a dimension, "per categoria 'vini'" a filter.
            return Dimension(t, k + dim.Length, dim.Item, scan, today, afterMarker: true);
        }

        if (marker.TimeOnly)
        {
            return j;
        }

        if (m is { Item.Kind: ItemKind.Metric } metric && metric.Item.Strength != Strength.Implicit)
        {
            scan.ExplicitMetric ??= metric.Item.Value;
            scan.ExplicitMetricWord ??= string.Join(' ', Enumerable.Range(k, metric.Length).Select(x => t[x].Original));
            return k + metric.Length;
        }

        if (m is null && k == j && IsFreeWord(t, j, today))
        {
            scan.UnknownDimension ??= t[j].Original;
            return j + 1;
        }

        return j;
    }
}
