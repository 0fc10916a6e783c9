using System.Globalization;

namespace Agents.AgentHost.Analytics;

/// <summary>The one-line explanations of insights, in the merchant's language.</summary>
public static class InsightTexts
{
    private static readonly Dictionary<string, Dictionary<string, string>> Texts = new()
    {
        ["en"] = new()
        {
            ["revenue"] = "revenue", ["orders"] = "orders", ["aov"] = "average order value",
            ["spike"] = "Spike: {0} at {1} against about {2} expected", ["drop"] = "Drop: {0} at {1} against about {2} expected",
            ["driver"] = "; mostly {0} {1} ({2:P0} of the difference: {3} vs about {4})",
            ["category"] = "the category", ["channel"] = "the channel",
            ["recency"] = "{0:N0} days since the last order", ["frequency"] = "only {0:N0} orders so far", ["monetary"] = "{0:N2} spent in all",
            ["tenure"] = "customer for {0:N0} days", ["trend"] = "ordering less lately (trend {0:+0;-0;0})", ["order_gap"] = "usually {0:N0} days between orders",
        },
        ["it"] = new()
        {
            ["revenue"] = "fatturato", ["orders"] = "ordini", ["aov"] = "valore medio dell'ordine",
            ["spike"] = "Picco: {0} a {1} contro circa {2} attesi", ["drop"] = "Calo: {0} a {1} contro circa {2} attesi",
            ["driver"] = "; soprattutto {0} {1} ({2:P0} della differenza: {3} contro circa {4})",
            ["category"] = "la categoria", ["channel"] = "il canale",
            ["recency"] = "{0:N0} giorni dall'ultimo ordine", ["frequency"] = "solo {0:N0} ordini finora", ["monetary"] = "{0:N2} spesi in tutto",
            ["tenure"] = "cliente da {0:N0} giorni", ["trend"] = "ordina meno di recente (tendenza {0:+0;-0;0})", ["order_gap"] = "di solito {0:N0} giorni tra un ordine e l'altro",
        },
        ["es"] = new()
        {
            ["revenue"] = "ingresos", ["orders"] = "pedidos", ["aov"] = "valor medio del pedido",
            ["spike"] = "Pico: {0} en {1} frente a unos {2} esperados", ["drop"] = "Caída: {0} en {1} frente a unos {2} esperados",
            ["driver"] = "; sobre todo {0} {1} ({2:P0} de la diferencia: {3} frente a unos {4})",
            ["category"] = "la categoría", ["channel"] = "el canal",
            ["recency"] = "{0:N0} días desde el último pedido", ["frequency"] = "solo {0:N0} pedidos hasta ahora", ["monetary"] = "{0:N2} gastados en total",
            ["tenure"] = "cliente desde hace {0:N0} días", ["trend"] = "compra menos últimamente (tendencia {0:+0;-0;0})", ["order_gap"] = "suele pasar {0:N0} días entre pedidos",
        },
    };

    public static string Anomaly(string language, string metric, double expected, double actual, string direction, DriverDto? driver)
    {
        var texts = For(language);
        var culture = Culture(language);
        var number = metric == "orders" ? "N0" : "N2";
        var sentence = Capitalise(string.Format(culture, texts[direction], texts[metric], actual.ToString(number, culture), expected.ToString(number, culture)), culture);
        if (driver is not null)
        {
            sentence += string.Format(culture, texts["driver"], texts[driver.Dimension], driver.Key, driver.ShareOfChange,
                driver.Actual.ToString(number, culture), driver.Expected.ToString(number, culture));
        }

        return sentence + ".";
    }

    public static string Reason(string language, string feature, double value)
    {
        var texts = For(language);
        return texts.TryGetValue(feature, out var template) ? string.Format(Culture(language), template, value) : feature;
    }

    private static Dictionary<string, string> For(string language) => Texts.GetValueOrDefault(language) ?? Texts["en"];

    private static CultureInfo Culture(string language) => CultureInfo.GetCultureInfo(AnalyticsTexts.Culture(language));

    private static string Capitalise(string text, CultureInfo culture) => text.Length == 0 ? text : char.ToUpper(text[0], culture) + text[1..];
}
