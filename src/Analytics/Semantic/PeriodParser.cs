namespace Agents.Analytics.Semantic;

/// <summary>
/// Recognises the period phrases of decision 008 at a token position and resolves them against
/// "today": named periods, last N units, quarters, months, years, dates, since / between.
/// </summary>
internal static partial class PeriodParser
{
    private sealed record Point(DateOnly Start, DateOnly End, LabelKind Kind, Unit Unit);

    private static readonly HashSet<string> Connectors = ["of", "the", "de", "del", "di", "dell", "della", "il", "la", "l", "el"];
    private static readonly HashSet<string> ThisWords = ["this", "current", "questo", "questa", "quest", "este", "esta"];
    private static readonly HashSet<string> ThisAfter = ["corrente", "attuale", "actual", "current"];
    private static readonly HashSet<string> LastBefore = ["last", "past", "scorso", "scorsa", "passato", "passata", "pasado", "pasada", "ultimo", "ultima"];
    private static readonly HashSet<string> LastAfter = ["scorso", "scorsa", "passato", "passata", "pasado", "pasada"];
    private static readonly HashSet<string> PreviousBefore = ["previous", "prior", "preceding"];
    private static readonly HashSet<string> PreviousAfter = ["precedente", "anterior", "before", "prima", "previo", "previa"];
    private static readonly HashSet<string> LastMany = ["last", "past", "previous", "ultimi", "ultime", "ultimos", "ultimas"];
    private static readonly HashSet<string> SinceWords = ["since", "from", "starting", "dal", "dalla", "dall", "dallo", "da", "desde"];
    private static readonly HashSet<string> BetweenWords = ["between", "from", "tra", "fra", "dal", "dalla", "dall", "da", "entre", "desde", "del", "de"];
    private static readonly HashSet<string> RangeConnectors = ["and", "to", "until", "till", "through", "thru", "e", "ed", "a", "al", "alla", "all", "y", "hasta", "fino"];

    private static readonly Dictionary<string, Unit> UnitWords = new(StringComparer.Ordinal)
    {
        ["day"] = Unit.Day, ["days"] = Unit.Day, ["giorno"] = Unit.Day, ["giorni"] = Unit.Day, ["giornata"] = Unit.Day, ["dia"] = Unit.Day, ["dias"] = Unit.Day,
        ["week"] = Unit.Week, ["weeks"] = Unit.Week, ["settimana"] = Unit.Week, ["settimane"] = Unit.Week, ["semana"] = Unit.Week, ["semanas"] = Unit.Week,
        ["month"] = Unit.Month, ["months"] = Unit.Month, ["mese"] = Unit.Month, ["mesi"] = Unit.Month, ["mes"] = Unit.Month, ["meses"] = Unit.Month,
        ["quarter"] = Unit.Quarter, ["quarters"] = Unit.Quarter, ["trimestre"] = Unit.Quarter, ["trimestri"] = Unit.Quarter, ["trimestres"] = Unit.Quarter,
        ["year"] = Unit.Year, ["years"] = Unit.Year, ["anno"] = Unit.Year, ["anni"] = Unit.Year, ["ano"] = Unit.Year, ["anos"] = Unit.Year,
    };

    private static readonly HashSet<string> QuarterWords = ["quarter", "trimestre"];

    private static readonly Dictionary<string, int> Ordinals = new(StringComparer.Ordinal)
    {
        ["first"] = 1, ["second"] = 2, ["third"] = 3, ["fourth"] = 4,
        ["primo"] = 1, ["secondo"] = 2, ["terzo"] = 3, ["quarto"] = 4,
        ["primer"] = 1, ["primero"] = 1, ["segundo"] = 2, ["tercer"] = 3, ["tercero"] = 3, ["cuarto"] = 4,
    };

    private static readonly PhraseTable Idioms = BuildIdioms();

    private enum Idiom { Today, Yesterday, YearToDate, MonthToDate, QuarterToDate, WeekToDate, BlackFriday }

    private static PhraseTable BuildIdioms()
    {
        var t = new PhraseTable();
        void Add(Idiom idiom, params string[] phrases) => t.AddAll(new Item(ItemKind.Filler, idiom.ToString()), phrases);
        Add(Idiom.Today, "today", "oggi", "hoy", "so far today");
        Add(Idiom.Yesterday, "yesterday", "ieri", "ayer");
        Add(Idiom.YearToDate, "year to date", "ytd", "so far this year", "this year so far", "da inizio anno", "dall inizio dell anno", "dall inizio anno",
            "da inizio d anno", "dall inizio d anno", "since the beginning of the year", "since the start of the year", "desde principios de ano", "desde principios del ano", "desde inicio de ano", "desde el inicio del ano",
            "en lo que va de ano", "en lo que va del ano", "en lo que llevamos de ano");
        Add(Idiom.MonthToDate, "month to date", "mtd", "since the beginning of the month", "since the start of the month", "so far this month", "this month so far", "da inizio mese", "dall inizio del mese", "dall inizio mese",
            "desde principios de mes", "desde principios del mes", "desde inicio de mes", "desde el inicio del mes", "en lo que va de mes", "en lo que va del mes");
        Add(Idiom.QuarterToDate, "quarter to date", "qtd");
        Add(Idiom.WeekToDate, "week to date", "wtd");
        Add(Idiom.BlackFriday, "black friday");
        return t;
    }

    public static bool TryNumberWord(string word, out int n) => NumberWords.TryGetValue(word, out n);

    private static readonly Dictionary<string, int> NumberWords = new(StringComparer.Ordinal)
    {
        ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7, ["eight"] = 8, ["nine"] = 9, ["ten"] = 10,
        ["eleven"] = 11, ["twelve"] = 12, ["fifteen"] = 15, ["twenty"] = 20, ["thirty"] = 30, ["sixty"] = 60, ["ninety"] = 90,
        ["due"] = 2, ["tre"] = 3, ["quattro"] = 4, ["cinque"] = 5, ["sei"] = 6, ["sette"] = 7, ["otto"] = 8, ["nove"] = 9, ["dieci"] = 10,
        ["undici"] = 11, ["dodici"] = 12, ["quindici"] = 15, ["venti"] = 20, ["trenta"] = 30, ["sessanta"] = 60, ["novanta"] = 90,
        ["dos"] = 2, ["tres"] = 3, ["cuatro"] = 4, ["cinco"] = 5, ["seis"] = 6, ["siete"] = 7, ["ocho"] = 8, ["nueve"] = 9, ["diez"] = 10,
        ["once"] = 11, ["doce"] = 12, ["quince"] = 15, ["veinte"] = 20, ["treinta"] = 30, ["sesenta"] = 60, ["noventa"] = 90,
    };

    /// <summary>Tries a period phrase starting at <paramref name="i"/>; on success returns the period and the index after it.</summary>
    public static bool TryParse(IReadOnlyList<Token> t, int i, DateOnly today, out Period period, out int next)
    {
        period = null!;
        next = i;
        if (i >= t.Count)
        {
            return false;
        }

        if (TryIdiom(t, i, today, out period, out next)
            || TryRange(t, i, today, out period, out next)
            || TryLastMany(t, i, today, out period, out next)
            || TryRelative(t, i, today, out period, out next))
        {
            return true;
        }

        if (TryPoint(t, i, today, out var point, out next))
        {
            period = new Period(point.Start, point.End, point.Unit, 1, point.Kind);
            return true;
        }

        return false;
    }

    private static bool TryIdiom(IReadOnlyList<Token> t, int i, DateOnly today, out Period period, out int next)
    {
        period = null!;
        next = i;
        if (Idioms.Match(t, i) is not { } m)
        {
            return false;
        }

        next = i + m.Length;
        switch (Enum.Parse<Idiom>(m.Item.Value))
        {
            case Idiom.Today: period = new Period(today, today.AddDays(1), Unit.Day, 1, LabelKind.Today); break;
            case Idiom.Yesterday: period = new Period(today.AddDays(-1), today, Unit.Day, 1, LabelKind.Yesterday); break;
            case Idiom.YearToDate: period = Calendar.Current(Unit.Year, today, LabelKind.ThisYear); break;
            case Idiom.MonthToDate: period = Calendar.Current(Unit.Month, today, LabelKind.ThisMonth); break;
            case Idiom.QuarterToDate: period = Calendar.Current(Unit.Quarter, today, LabelKind.ThisQuarter); break;
            case Idiom.WeekToDate: period = Calendar.Current(Unit.Week, today, LabelKind.ThisWeek); break;
            default:
                if (!TryPoint(t, i, today, out var bf, out next))
                {
                    return false;
                }

                period = new Period(bf.Start, bf.End, Unit.Day, 1, LabelKind.BlackFriday);
                break;
        }

        return true;
    }

    // since X / between X and Y / from X to Y / dal X al Y / entre X y Y / desde X hasta Y.
    private static bool TryRange(IReadOnlyList<Token> t, int i, DateOnly today, out Period period, out int next)
    {
        period = null!;
        next = i;
        var w = Word(t, i);
        var since = SinceWords.Contains(w) || (w == "a" && Word(t, i + 1) is "partire" or "partir");
        var between = BetweenWords.Contains(w);
        if (!since && !between)
        {
            return false;
        }

        var j = i + 1;
        if (w == "a")
        {
            j = i + 2;
        }
        else if (w == "starting" && Word(t, j) == "from")
        {
            j++;
        }

        while (Word(t, j) is "da" or "dal" or "dalla" or "dall" or "de" or "del" or "el" or "the" or "il" or "la" or "l")
        {
            j++;
        }

        // Between: the first end may be a bare day that takes its month and year from the second (dal 1 al 15 marzo).
        if (between && t.Count > j + 2 && t[j].IsNumber && t[j].Number is >= 1 and <= 31 && RangeConnectors.Contains(Word(t, j + 1)))
        {
            var k = SkipRangeConnector(t, j + 1);
            if (TryPoint(t, k, today, out var b, out var after) && b.Kind == LabelKind.Day && t[j].Number <= b.Start.Day)
            {
                var a = new DateOnly(b.Start.Year, b.Start.Month, t[j].Number);
                period = new Period(a, b.End, Unit.None, 1, LabelKind.Range);
                next = after;
                return true;
            }
        }

        Point? start = null;
        var startEnd = j;
        if (TryPoint(t, j, today, out var p, out var pn))
        {
            start = p;
            startEnd = pn;
        }
        else if ((TryRelative(t, j, today, out var rel, out pn) || TryIdiom(t, j, today, out rel, out pn)) && !rel.RelativeToPrimary)
        {
            start = new Point(rel.From, rel.To, rel.Kind, rel.Unit);
            startEnd = pn;
        }

        if (start is null)
        {
            return false;
        }

        if (between && RangeConnectors.Contains(Word(t, startEnd)))
        {
            var k = SkipRangeConnector(t, startEnd);
            if (TryPoint(t, k, today, out var end, out var after) || TryTodayPoint(t, k, today, out end, out after))
            {
                // "Between November and February": the first end is in the year before.
                if (end.End <= start.Start)
                {
                    start = start with { Start = start.Start.AddYears(-1) };
                    if (end.End <= start.Start)
                    {
                        return false;
                    }
                }

                period = new Period(start.Start, end.End, Unit.None, 1, LabelKind.Range);
                next = after;
                return true;
            }
        }

        if (!since)
        {
            return false;
        }

        var kind = start.Kind == LabelKind.BlackFriday ? LabelKind.SinceBlackFriday : LabelKind.Since;
        period = new Period(start.Start, today.AddDays(1), Unit.None, 1, kind);
        next = startEnd;
        return true;
    }

    private static int SkipRangeConnector(IReadOnlyList<Token> t, int k)
    {
        if (Word(t, k) == "fino")
        {
            k++;
        }

        k++;
        while (Word(t, k) is "a" or "al" or "all" or "alla" or "el" or "the" or "il" or "la" or "l")
        {
            k++;
        }

        return k;
    }

    private static bool TryTodayPoint(IReadOnlyList<Token> t, int i, DateOnly today, out Point point, out int next)
    {
        point = null!;
        next = i;
        if (Word(t, i) is "today" or "oggi" or "hoy" or "now" or "adesso" or "ora" or "ahora")
        {
            point = new Point(today, today.AddDays(1), LabelKind.Today, Unit.Day);
            next = i + 1;
            return true;
        }

        return false;
    }

    // last 7 days, past 3 months, ultimi 30 giorni, últimas 4 semanas.
    private static bool TryLastMany(IReadOnlyList<Token> t, int i, DateOnly today, out Period period, out int next)
    {
        period = null!;
        next = i;
        if (!LastMany.Contains(Word(t, i)) || !TryCount(t, i + 1, out var n) || n is < 1 or > 1000
            || !UnitWords.TryGetValue(Word(t, i + 2), out var unit))
        {
            return false;
        }

        var kind = unit switch
        {
            Unit.Day => LabelKind.LastDays,
            Unit.Week => LabelKind.LastWeeks,
            Unit.Month => LabelKind.LastMonths,
            Unit.Quarter => LabelKind.LastQuarters,
            _ => LabelKind.LastYears,
        };
        period = Calendar.LastFull(unit, n, today, kind);
        next = i + 3;
        return true;
    }

    public static bool TryCount(IReadOnlyList<Token> t, int i, out int n)
    {
        n = 0;
        if (i >= t.Count)
        {
            return false;
        }

        if (t[i].IsNumber)
        {
            n = t[i].Number;
            return true;
        }

        return t[i].IsWord && NumberWords.TryGetValue(t[i].Text, out n);
    }

    // this month, last quarter, il mese scorso, el año pasado, quest'anno, the month before.
    private static bool TryRelative(IReadOnlyList<Token> t, int i, DateOnly today, out Period period, out int next)
    {
        period = null!;
        next = i;
        var w = Word(t, i);
        if (ThisWords.Contains(w) || (w == "the" && Word(t, i + 1) == "current"))
        {
            var j = w == "the" ? i + 2 : (w == "this" && Word(t, i + 1) == "current" ? i + 2 : i + 1);
            if (UnitWords.TryGetValue(Word(t, j), out var unit) && IsSingular(Word(t, j)))
            {
                period = Current(unit, today);
                next = j + 1;
                return true;
            }

            return false;
        }

        if (LastBefore.Contains(w) || PreviousBefore.Contains(w))
        {
            if (UnitWords.TryGetValue(Word(t, i + 1), out var unit) && IsSingular(Word(t, i + 1)))
            {
                period = Last(unit, today) with { RelativeToPrimary = PreviousBefore.Contains(w) };
                next = i + 2;
                return true;
            }

            return false;
        }

        if (UnitWords.TryGetValue(w, out var u) && IsSingular(w))
        {
            var after = Word(t, i + 1);
            if (ThisAfter.Contains(after) || (after is "in" or "en" && Word(t, i + 2) is "corso" or "curso"))
            {
                period = Current(u, today);
                next = i + (ThisAfter.Contains(after) ? 2 : 3);
                return true;
            }

            if (LastAfter.Contains(after) || PreviousAfter.Contains(after))
            {
                period = Last(u, today) with { RelativeToPrimary = PreviousAfter.Contains(after) };
                next = i + 2;
                return true;
            }
        }

        return false;
    }

    private static bool IsSingular(string unitWord) =>
        unitWord is "day" or "giorno" or "giornata" or "dia" or "week" or "settimana" or "semana" or "month" or "mese" or "mes"
            or "quarter" or "trimestre" or "year" or "anno" or "ano";

    private static Period Current(Unit unit, DateOnly today) => unit == Unit.Day
        ? new Period(today, today.AddDays(1), Unit.Day, 1, LabelKind.Today)
        : Calendar.Current(unit, today, unit switch
        {
            Unit.Week => LabelKind.ThisWeek,
            Unit.Month => LabelKind.ThisMonth,
            Unit.Quarter => LabelKind.ThisQuarter,
            _ => LabelKind.ThisYear,
        });

    private static Period Last(Unit unit, DateOnly today) => unit == Unit.Day
        ? new Period(today.AddDays(-1), today, Unit.Day, 1, LabelKind.Yesterday)
        : Calendar.LastFull(unit, 1, today, unit switch
        {
            Unit.Week => LabelKind.LastWeek,
            Unit.Month => LabelKind.LastMonth,
            Unit.Quarter => LabelKind.LastQuarter,
            _ => LabelKind.LastYear,
        });

    private static string Word(IReadOnlyList<Token> t, int i) => i < t.Count && t[i].IsWord ? t[i].Text : "";
}
