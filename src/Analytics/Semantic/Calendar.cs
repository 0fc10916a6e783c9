using System.Globalization;

namespace Agents.Analytics.Semantic;

internal enum Unit { None, Day, Week, Month, Quarter, Year }

internal enum LabelKind
{
    Today, Yesterday, ThisWeek, LastWeek, ThisMonth, LastMonth, ThisQuarter, LastQuarter, ThisYear, LastYear,
    LastDays, LastWeeks, LastMonths, LastQuarters, LastYears, Day, Month, Quarter, Year, BlackFriday,
    SinceBlackFriday, Since, Range,
}

/// <summary>
/// A resolved period: the half-open range of days, the calendar unit it is made of (how a
/// "previous period" is shifted) and how the question named it.
/// </summary>
internal sealed record Period(DateOnly From, DateOnly To, Unit Unit, int Count, LabelKind Kind)
{
    /// <summary>"Previous" relative to another period ("the month before"), not to today.</summary>
    public bool RelativeToPrimary { get; init; }

    public int Days => To.DayNumber - From.DayNumber;
}

/// <summary>Calendar arithmetic of decision 008: weeks start on Monday, ranges are [from, to).</summary>
internal static class Calendar
{
    public static DateOnly WeekStart(DateOnly d) => d.AddDays(-(((int)d.DayOfWeek + 6) % 7));

    public static DateOnly MonthStart(DateOnly d) => new(d.Year, d.Month, 1);

    public static DateOnly QuarterStart(DateOnly d) => new(d.Year, ((d.Month - 1) / 3 * 3) + 1, 1);

    public static DateOnly YearStart(DateOnly d) => new(d.Year, 1, 1);

    public static DateOnly UnitStart(Unit unit, DateOnly d) => unit switch
    {
        Unit.Week => WeekStart(d),
        Unit.Month => MonthStart(d),
        Unit.Quarter => QuarterStart(d),
        Unit.Year => YearStart(d),
        _ => d,
    };

    public static DateOnly Add(Unit unit, DateOnly d, int n) => unit switch
    {
        Unit.Day => d.AddDays(n),
        Unit.Week => d.AddDays(7 * n),
        Unit.Month => d.AddMonths(n),
        Unit.Quarter => d.AddMonths(3 * n),
        Unit.Year => d.AddYears(n),
        _ => d.AddDays(n),
    };

    /// <summary>This unit so far: from its first day to today inclusive.</summary>
    public static Period Current(Unit unit, DateOnly today, LabelKind kind) =>
        new(UnitStart(unit, today), today.AddDays(1), unit, 1, kind);

    /// <summary>The n full units before the current one (days: the n days before today).</summary>
    public static Period LastFull(Unit unit, int n, DateOnly today, LabelKind kind)
    {
        var end = UnitStart(unit, today);
        return new Period(Add(unit, end, -n), end, unit, n, kind);
    }

    public static Period Month(int year, int month) => new(new DateOnly(year, month, 1), new DateOnly(year, month, 1).AddMonths(1), Unit.Month, 1, LabelKind.Month);

    /// <summary>Black Friday: the last Friday of November.</summary>
    public static DateOnly BlackFriday(int year)
    {
        var d = new DateOnly(year, 11, 30);
        while (d.DayOfWeek != DayOfWeek.Friday)
        {
            d = d.AddDays(-1);
        }

        return d;
    }

    public static DateOnly LatestBlackFriday(DateOnly today) =>
        BlackFriday(today.Year) <= today ? BlackFriday(today.Year) : BlackFriday(today.Year - 1);

    /// <summary>
    /// The range of the same length just before: periods made of calendar units move back by as
    /// many units (May → April, this month so far → the same days of last month, Q3 → Q2), any
    /// other range by its number of days.
    /// </summary>
    public static (DateOnly From, DateOnly To) Previous(Period p) => p.Unit switch
    {
        Unit.Week or Unit.Month or Unit.Quarter or Unit.Year => (Add(p.Unit, p.From, -p.Count), Add(p.Unit, p.To, -p.Count)),
        _ => (p.From.AddDays(-p.Days), p.From),
    };

    public static (DateOnly From, DateOnly To) YearBefore(Period p) => (p.From.AddYears(-1), p.To.AddYears(-1));

    /// <summary>How far the previous range moves forward to line up with the current one: months or days.</summary>
    public static (int Months, int Days) Shift(DateOnly from, DateOnly previousFrom)
    {
        var months = ((from.Year - previousFrom.Year) * 12) + from.Month - previousFrom.Month;
        return previousFrom.AddMonths(months) == from && from.Day == previousFrom.Day
            ? (months, 0)
            : (0, from.DayNumber - previousFrom.DayNumber);
    }

    /// <summary>A key naming a range in comparison rows: 2026-05, 2026-Q2, 2026, 2026-05-31, or 2026-05-01/2026-05-20 (last day included).</summary>
    public static string RangeKey(DateOnly from, DateOnly to)
    {
        var last = to.AddDays(-1);
        if (to.DayNumber - from.DayNumber == 1)
        {
            return Iso(from);
        }

        if (from.Day == 1 && to == from.AddMonths(1))
        {
            return from.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        }

        if (from.Day == 1 && (from.Month - 1) % 3 == 0 && to == from.AddMonths(3))
        {
            return $"{from.Year}-Q{((from.Month - 1) / 3) + 1}";
        }

        if (from.Day == 1 && from.Month == 1 && to == from.AddYears(1))
        {
            return from.Year.ToString(CultureInfo.InvariantCulture);
        }

        return $"{Iso(from)}/{Iso(last)}";
    }

    public static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
