namespace Agents.Analytics.Semantic;

/// <summary>The points periods are made of: dates, months, quarters, years, Black Friday.</summary>
internal static partial class PeriodParser
{
    /// <summary>A date, month, quarter, year or Black Friday; a missing year means the latest one that has begun.</summary>
    private static bool TryPoint(IReadOnlyList<Token> t, int i, DateOnly today, out Point point, out int next)
    {
        point = null!;
        next = i;
        if (i >= t.Count)
        {
            return false;
        }

        var tok = t[i];
        if (tok.Kind == TokenKind.Date)
        {
            point = DayPoint(tok.Date, LabelKind.Day);
            next = i + 1;
            return true;
        }

        // 1 March 2025, 1st of March, 1 de marzo de 2025, primo marzo.
        var day = tok.IsNumber && tok.Number is >= 1 and <= 31 ? tok.Number : tok.Text == "primo" ? 1 : 0;
        if (day > 0)
        {
            var j = SkipConnectors(t, i + 1);
            if (Months.TryMonth(t, j, allowShort: true, out var month))
            {
                var k = SkipConnectors(t, j + 1);
                var year = Year(t, k);
                if (!IsValidDay(year ?? today.Year, month, day))
                {
                    return false;
                }

                var date = year is { } y ? new DateOnly(y, month, day) : Latest(today, m => new DateOnly(today.Year - m, month, Math.Min(day, DateTime.DaysInMonth(today.Year - m, month))));
                point = DayPoint(date, LabelKind.Day);
                next = year is null ? j + 1 : k + 1;
                return true;
            }
        }

        if (Months.TryMonth(t, i, allowShort: false, out var mo) || (Months.TryMonth(t, i, allowShort: true, out mo) && (Year(t, SkipConnectors(t, i + 1)) is not null || DayAfter(t, i + 1) > 0)))
        {
            // March 1 2025 / March 1st, 2025.
            if (DayAfter(t, i + 1) is var d and > 0)
            {
                var year = Year(t, i + 2);
                if (!IsValidDay(year ?? today.Year, mo, d))
                {
                    return false;
                }

                var date = year is { } y ? new DateOnly(y, mo, d) : Latest(today, m => new DateOnly(today.Year - m, mo, Math.Min(d, DateTime.DaysInMonth(today.Year - m, mo))));
                point = DayPoint(date, LabelKind.Day);
                next = year is null ? i + 2 : i + 3;
                return true;
            }

            var k = SkipConnectors(t, i + 1);
            if (Year(t, k) is { } yr)
            {
                var p = Calendar.Month(yr, mo);
                point = new Point(p.From, p.To, LabelKind.Month, Unit.Month);
                next = k + 1;
                return true;
            }

            var start = Latest(today, m => new DateOnly(today.Year - m, mo, 1));
            point = new Point(start, start.AddMonths(1), LabelKind.Month, Unit.Month);
            next = i + 1;
            return true;
        }

        if (TryQuarter(t, i, out var quarter, out var afterQuarter))
        {
            var k = SkipConnectors(t, afterQuarter);
            var year = Year(t, k);
            var start = year is { } y ? new DateOnly(y, ((quarter - 1) * 3) + 1, 1) : Latest(today, m => new DateOnly(today.Year - m, ((quarter - 1) * 3) + 1, 1));
            point = new Point(start, start.AddMonths(3), LabelKind.Quarter, Unit.Quarter);
            next = year is null ? afterQuarter : k + 1;
            return true;
        }

        if (Year(t, i) is { } justYear)
        {
            point = new Point(new DateOnly(justYear, 1, 1), new DateOnly(justYear + 1, 1, 1), LabelKind.Year, Unit.Year);
            next = i + 1;
            return true;
        }

        if (Word(t, i) is "year" or "anno" or "ano" && Year(t, i + 1) is { } namedYear)
        {
            point = new Point(new DateOnly(namedYear, 1, 1), new DateOnly(namedYear + 1, 1, 1), LabelKind.Year, Unit.Year);
            next = i + 2;
            return true;
        }

        if (Word(t, i) == "black" && Word(t, i + 1) == "friday")
        {
            var k = SkipConnectors(t, i + 2);
            var year = Year(t, k);
            var bf = year is { } y ? Calendar.BlackFriday(y) : Calendar.LatestBlackFriday(today);
            point = DayPoint(bf, LabelKind.BlackFriday);
            next = year is null ? i + 2 : k + 1;
            return true;
        }

        return TryTodayPoint(t, i, today, out point, out next) && Word(t, i) is "today" or "oggi" or "hoy";
    }

    // Q3, 3Q, third quarter, terzo trimestre, tercer trimestre, 3° trimestre.
    private static bool TryQuarter(IReadOnlyList<Token> t, int i, out int quarter, out int next)
    {
        quarter = 0;
        next = i;
        var w = Word(t, i);
        if (w.Length == 2 && ((w[0] == 'q' && w[1] is >= '1' and <= '4') || (w[1] == 'q' && w[0] is >= '1' and <= '4')))
        {
            quarter = w[0] == 'q' ? w[1] - '0' : w[0] - '0';
            next = i + 1;
            return true;
        }

        var ordinal = t.Count > i && t[i].IsNumber && t[i].Number is >= 1 and <= 4 ? t[i].Number : Ordinals.GetValueOrDefault(w);
        if (ordinal > 0 && QuarterWords.Contains(Word(t, i + 1)))
        {
            quarter = ordinal;
            next = i + 2;
            return true;
        }

        return false;
    }

    private static Point DayPoint(DateOnly d, LabelKind kind) => new(d, d.AddDays(1), kind, Unit.Day);

    private static bool IsValidDay(int year, int month, int day) => day <= DateTime.DaysInMonth(year, month);

    private static int DayAfter(IReadOnlyList<Token> t, int i) =>
        i < t.Count && t[i].IsNumber && t[i].Number is >= 1 and <= 31 && t[i].Original.Length <= 4 ? t[i].Number : 0;

    private static int? Year(IReadOnlyList<Token> t, int i) =>
        i < t.Count && t[i].IsNumber && t[i].Number is >= 1990 and <= 2100 ? t[i].Number : null;

    /// <summary>The latest of candidate(0), candidate(1) (a year earlier) that has begun by today.</summary>
    private static DateOnly Latest(DateOnly today, Func<int, DateOnly> candidate) =>
        candidate(0) <= today ? candidate(0) : candidate(1);

    private static int SkipConnectors(IReadOnlyList<Token> t, int i)
    {
        while (i < t.Count && t[i].IsWord && Connectors.Contains(t[i].Text))
        {
            i++;
        }

        return i;
    }
}
