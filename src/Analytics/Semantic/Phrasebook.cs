using System.Globalization;

namespace Agents.Analytics.Semantic;

/// <summary>How a range of days is named in an answer: "in March 2025", "di marzo 2025", "de marzo de 2025".</summary>
internal enum RangeForm { Noun, Attribute, Versus }

/// <summary>The words of answers and refusals in English, Italian and Spanish.</summary>
internal static partial class Phrasebook
{
    public static string Lang(string language) => language is "it" or "es" ? language : "en";

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>The period as the question named it: "last month", "il mese scorso", "los últimos 30 días".</summary>
    public static string PeriodLabel(Period p, string language)
    {
        var n = p.Count;
        return (Lang(language), p.Kind) switch
        {
            ("it", LabelKind.Today) => "oggi",
            ("it", LabelKind.Yesterday) => "ieri",
            ("it", LabelKind.ThisWeek) => "questa settimana",
            ("it", LabelKind.LastWeek) => "la settimana scorsa",
            ("it", LabelKind.ThisMonth) => "questo mese",
            ("it", LabelKind.LastMonth) => "il mese scorso",
            ("it", LabelKind.ThisQuarter) => "questo trimestre",
            ("it", LabelKind.LastQuarter) => "il trimestre scorso",
            ("it", LabelKind.ThisYear) => "quest'anno",
            ("it", LabelKind.LastYear) => "l'anno scorso",
            ("it", LabelKind.LastDays) => n == 1 ? "l'ultimo giorno" : $"gli ultimi {N(n)} giorni",
            ("it", LabelKind.LastWeeks) => n == 1 ? "l'ultima settimana" : $"le ultime {N(n)} settimane",
            ("it", LabelKind.LastMonths) => n == 1 ? "l'ultimo mese" : $"gli ultimi {N(n)} mesi",
            ("it", LabelKind.LastQuarters) => n == 1 ? "l'ultimo trimestre" : $"gli ultimi {N(n)} trimestri",
            ("it", LabelKind.LastYears) => n == 1 ? "l'ultimo anno" : $"gli ultimi {N(n)} anni",
            ("it", LabelKind.BlackFriday) => $"il Black Friday {p.From.Year}",
            ("it", LabelKind.SinceBlackFriday) => $"dal Black Friday ({Formats.Date(p.From, "it")})",
            ("it", LabelKind.Since) => Formats.ItalianBeforeNumber("da", p.From.Day) + Formats.Date(p.From, "it"),
            ("es", LabelKind.Today) => "hoy",
            ("es", LabelKind.Yesterday) => "ayer",
            ("es", LabelKind.ThisWeek) => "esta semana",
            ("es", LabelKind.LastWeek) => "la semana pasada",
            ("es", LabelKind.ThisMonth) => "este mes",
            ("es", LabelKind.LastMonth) => "el mes pasado",
            ("es", LabelKind.ThisQuarter) => "este trimestre",
            ("es", LabelKind.LastQuarter) => "el trimestre pasado",
            ("es", LabelKind.ThisYear) => "este año",
            ("es", LabelKind.LastYear) => "el año pasado",
            ("es", LabelKind.LastDays) => n == 1 ? "el último día" : $"los últimos {N(n)} días",
            ("es", LabelKind.LastWeeks) => n == 1 ? "la última semana" : $"las últimas {N(n)} semanas",
            ("es", LabelKind.LastMonths) => n == 1 ? "el último mes" : $"los últimos {N(n)} meses",
            ("es", LabelKind.LastQuarters) => n == 1 ? "el último trimestre" : $"los últimos {N(n)} trimestres",
            ("es", LabelKind.LastYears) => n == 1 ? "el último año" : $"los últimos {N(n)} años",
            ("es", LabelKind.BlackFriday) => $"el Black Friday de {p.From.Year}",
            ("es", LabelKind.SinceBlackFriday) => $"desde el Black Friday ({Formats.Date(p.From, "es")})",
            ("es", LabelKind.Since) => $"desde el {Formats.Date(p.From, "es")}",
            ("en", LabelKind.Today) => "today",
            ("en", LabelKind.Yesterday) => "yesterday",
            ("en", LabelKind.ThisWeek) => "this week",
            ("en", LabelKind.LastWeek) => "last week",
            ("en", LabelKind.ThisMonth) => "this month",
            ("en", LabelKind.LastMonth) => "last month",
            ("en", LabelKind.ThisQuarter) => "this quarter",
            ("en", LabelKind.LastQuarter) => "last quarter",
            ("en", LabelKind.ThisYear) => "this year",
            ("en", LabelKind.LastYear) => "last year",
            ("en", LabelKind.LastDays) => n == 1 ? "the last day" : $"the last {N(n)} days",
            ("en", LabelKind.LastWeeks) => n == 1 ? "the last week" : $"the last {N(n)} weeks",
            ("en", LabelKind.LastMonths) => n == 1 ? "the last month" : $"the last {N(n)} months",
            ("en", LabelKind.LastQuarters) => n == 1 ? "the last quarter" : $"the last {N(n)} quarters",
            ("en", LabelKind.LastYears) => n == 1 ? "the last year" : $"the last {N(n)} years",
            ("en", LabelKind.BlackFriday) => $"Black Friday {p.From.Year}",
            ("en", LabelKind.SinceBlackFriday) => $"since Black Friday ({Formats.Date(p.From, "en")})",
            ("en", LabelKind.Since) => $"since {Formats.Date(p.From, "en")}",
            _ => RangeLabel(p.From, p.To, language),
        };
    }

    /// <summary>An absolute name for a range: a day, a calendar month, quarter or year, or "from … to …".</summary>
    public static string RangeLabel(DateOnly from, DateOnly to, string language) => Range(from, to, language, RangeForm.Noun);

    public static string Range(DateOnly from, DateOnly to, string language, RangeForm form)
    {
        var lang = Lang(language);
        var last = to.AddDays(-1);
        var key = Calendar.RangeKey(from, to);
        if (to.DayNumber - from.DayNumber == 1)
        {
            var date = Formats.Date(from, lang);
            return (lang, form) switch
            {
                ("en", RangeForm.Attribute) => "on " + date,
                ("it", RangeForm.Attribute) => Formats.ItalianBeforeNumber("di", from.Day) + date,
                ("it", RangeForm.Versus) => Formats.ItalianBeforeNumber("a", from.Day) + date,
                ("es", RangeForm.Attribute) => "del " + date,
                ("es", RangeForm.Versus) => "el " + date,
                _ => date,
            };
        }

        if (key.Length == 7 && key[4] == '-' && key[5] != 'Q')
        {
            var month = Formats.Month(from.Year, from.Month, lang);
            return (lang, form) switch
            {
                ("en", RangeForm.Attribute) => "in " + month,
                ("it", RangeForm.Attribute) => Formats.ItalianBeforeMonth("di", month) + month,
                ("it", RangeForm.Versus) => Formats.ItalianBeforeMonth("a", month) + month,
                ("es", RangeForm.Attribute) => "de " + month,
                ("es", RangeForm.Versus) => "en " + month,
                _ => month,
            };
        }

        if (key.Contains("-Q", StringComparison.Ordinal))
        {
            var quarter = Formats.Quarter(from.Year, ((from.Month - 1) / 3) + 1, lang);
            return (lang, form) switch
            {
                ("en", RangeForm.Attribute) => "in " + quarter,
                ("it", RangeForm.Attribute) => "del " + quarter,
                ("it", RangeForm.Versus) => "al " + quarter,
                ("it", RangeForm.Noun) => "il " + quarter,
                ("es", RangeForm.Attribute) => "del " + quarter,
                ("es", RangeForm.Versus) => "en el " + quarter,
                ("es", RangeForm.Noun) => "el " + quarter,
                _ => quarter,
            };
        }

        if (key.Length == 4)
        {
            return (lang, form) switch
            {
                ("en", RangeForm.Attribute) => "in " + key,
                ("it", RangeForm.Attribute) => "del " + key,
                ("it", RangeForm.Versus) => "al " + key,
                ("it", RangeForm.Noun) => "il " + key,
                ("es", RangeForm.Attribute) => "de " + key,
                ("es", RangeForm.Versus) => "en " + key,
                _ => key,
            };
        }

        var (a, b) = (Formats.Date(from, lang), Formats.Date(last, lang));
        return (lang, form) switch
        {
            ("en", RangeForm.Attribute) => $"from {a} to {b}",
            ("en", _) => $"{a} – {b}",
            ("it", RangeForm.Versus) => $"al periodo {Formats.ItalianBeforeNumber("da", from.Day)}{a} {Formats.ItalianBeforeNumber("a", last.Day)}{b}",
            ("it", _) => $"{Formats.ItalianBeforeNumber("da", from.Day)}{a} {Formats.ItalianBeforeNumber("a", last.Day)}{b}",
            ("es", RangeForm.Versus) => $"en el periodo del {a} al {b}",
            _ => $"del {a} al {b}",
        };
    }

    public static string MetricName(string metric, string language) => (Lang(language), metric) switch
    {
        ("it", "revenue") => "Fatturato",
        ("it", "orders") => "Ordini",
        ("it", "aov") => "Scontrino medio",
        ("it", "units") => "Pezzi venduti",
        ("it", "customers") => "Clienti",
        ("it", "new_customers") => "Nuovi clienti",
        ("it", "returning_customers") => "Clienti di ritorno",
        ("it", "refunds") => "Rimborsi",
        ("it", "refunded_amount") => "Importo rimborsato",
        ("it", "cancellations") => "Cancellazioni",
        ("it", "points_issued") => "Punti emessi",
        ("it", "points_redeemed") => "Punti riscattati",
        ("it", "conversations") => "Conversazioni",
        ("it", _) => "Domande più frequenti",
        ("es", "revenue") => "Ingresos",
        ("es", "orders") => "Pedidos",
        ("es", "aov") => "Ticket medio",
        ("es", "units") => "Unidades vendidas",
        ("es", "customers") => "Clientes",
        ("es", "new_customers") => "Clientes nuevos",
        ("es", "returning_customers") => "Clientes recurrentes",
        ("es", "refunds") => "Reembolsos",
        ("es", "refunded_amount") => "Importe reembolsado",
        ("es", "cancellations") => "Cancelaciones",
        ("es", "points_issued") => "Puntos emitidos",
        ("es", "points_redeemed") => "Puntos canjeados",
        ("es", "conversations") => "Conversaciones",
        ("es", _) => "Preguntas más frecuentes",
        (_, "revenue") => "Revenue",
        (_, "orders") => "Orders",
        (_, "aov") => "Average order value",
        (_, "units") => "Units sold",
        (_, "customers") => "Customers",
        (_, "new_customers") => "New customers",
        (_, "returning_customers") => "Returning customers",
        (_, "refunds") => "Refunds",
        (_, "refunded_amount") => "Refunded amount",
        (_, "cancellations") => "Cancellations",
        (_, "points_issued") => "Points issued",
        (_, "points_redeemed") => "Points redeemed",
        (_, "conversations") => "Conversations",
        _ => "Most frequent questions",
    };

    public static string DimensionName(string dimension, string language) => (Lang(language), dimension) switch
    {
        ("it", "day") => "giorno",
        ("it", "week") => "settimana",
        ("it", "month") => "mese",
        ("it", "quarter") => "trimestre",
        ("it", "year") => "anno",
        ("it", "product") => "prodotto",
        ("it", "category") => "categoria",
        ("it", "channel") => "canale",
        ("it", "country") => "paese",
        ("it", _) => "segmento",
        ("es", "day") => "día",
        ("es", "week") => "semana",
        ("es", "month") => "mes",
        ("es", "quarter") => "trimestre",
        ("es", "year") => "año",
        ("es", "product") => "producto",
        ("es", "category") => "categoría",
        ("es", "channel") => "canal",
        ("es", "country") => "país",
        ("es", _) => "segmento",
        (_, var d) => d,
    };
}
