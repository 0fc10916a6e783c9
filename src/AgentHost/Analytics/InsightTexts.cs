using System.Globalization;
using Agents.Analytics.Semantic;

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
            ["driver"] = "; mostly {0} {1} ({2} of the difference: {3} vs about {4})",
            ["category"] = "the category", ["channel"] = "the channel",
            ["recency"] = "{0} days since the last order", ["frequency"] = "only {0} orders so far", ["monetary"] = "{0} spent in all",
            ["tenure"] = "customer for {0} days", ["trend"] = "ordering less lately (trend {0})", ["order_gap"] = "usually {0} days between orders",
        },
        ["it"] = new()
        {
            ["revenue"] = "fatturato", ["orders"] = "ordini", ["aov"] = "valore medio dell'ordine",
            ["spike"] = "Picco: {0} a {1} contro circa {2} attesi", ["drop"] = "Calo: {0} a {1} contro circa {2} attesi",
            ["driver"] = "; soprattutto {0} {1} ({2} della differenza: {3} contro circa {4})",
            ["category"] = "la categoria", ["channel"] = "il canale",
            ["recency"] = "{0} giorni dall'ultimo ordine", ["frequency"] = "solo {0} ordini finora", ["monetary"] = "{0} spesi in tutto",
            ["tenure"] = "cliente da {0} giorni", ["trend"] = "ordina meno di recente (tendenza {0})", ["order_gap"] = "di solito {0} giorni tra un ordine e l'altro",
        },
        ["es"] = new()
        {
            ["revenue"] = "ingresos", ["orders"] = "pedidos", ["aov"] = "valor medio del pedido",
            ["spike"] = "Pico: {0} en {1} frente a unos {2} esperados", ["drop"] = "Caída: {0} en {1} frente a unos {2} esperados",
            ["driver"] = "; sobre todo {0} {1} ({2} de la diferencia: {3} frente a unos {4})",
            ["category"] = "la categoría", ["channel"] = "el canal",
            ["recency"] = "{0} días desde el último pedido", ["frequency"] = "solo {0} pedidos hasta ahora", ["monetary"] = "{0} gastados en total",
            ["tenure"] = "cliente desde hace {0} días", ["trend"] = "compra menos últimamente (tendencia {0})", ["order_gap"] = "suele pasar {0} días entre pedidos",
        },
    };

    public static string Anomaly(string language, string metric, double expected, double actual, string direction, DriverDto? driver)
    {
        var texts = For(language);
        var decimals = metric == "orders" ? 0 : 2;
        string Number(double value) => Formats.Number((decimal)value, language, decimals);
        var sentence = Capitalise(string.Format(CultureInfo.InvariantCulture, texts[direction], texts[metric], Number(actual), Number(expected)));
        if (driver is not null)
        {
            sentence += string.Format(CultureInfo.InvariantCulture, texts["driver"], texts[driver.Dimension], driver.Key,
                Formats.Number((decimal)Math.Round(driver.ShareOfChange * 100), language, 0) + "%", Number(driver.Actual), Number(driver.Expected));
        }

        return sentence + ".";
    }

    public static string Reason(string language, string feature, double value)
    {
        if (!For(language).TryGetValue(feature, out var template))
        {
            return feature;
        }

        var text = Formats.Number((decimal)value, language, feature == "monetary" ? 2 : 0);
        return string.Format(CultureInfo.InvariantCulture, template, feature == "trend" && value > 0 ? "+" + text : text);
    }

    private static Dictionary<string, string> For(string language) => Texts.GetValueOrDefault(language) ?? Texts["en"];

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
