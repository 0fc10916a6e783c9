using System.Globalization;

namespace Agents.Analytics.Semantic;

/// <summary>
/// Numbers, money and dates the way each language writes them. The separators are fixed here
/// rather than taken from the machine's ICU data, so answers read the same on every host.
/// </summary>
public static class Formats
{
    private static readonly NumberFormatInfo English = new() { NumberDecimalSeparator = ".", NumberGroupSeparator = ",", NegativeSign = "-" };
    private static readonly NumberFormatInfo Continental = new() { NumberDecimalSeparator = ",", NumberGroupSeparator = ".", NegativeSign = "-" };

    private static readonly string[] EnglishMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    private static readonly string[] ItalianMonths = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"];
    private static readonly string[] SpanishMonths = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"];
    private static readonly string[] ItalianQuarters = ["primo", "secondo", "terzo", "quarto"];
    private static readonly string[] SpanishQuarters = ["primer", "segundo", "tercer", "cuarto"];

    private static NumberFormatInfo Numbers(string language) => language == "en" ? English : Continental;

    public static string Number(decimal value, string language, int decimals) =>
        value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), Numbers(language));

    /// <summary>en: €12,345.67; it and es: 12.345,67 €.</summary>
    public static string Money(decimal value, string currency, string language)
    {
        var symbol = currency.ToUpperInvariant() switch
        {
            "EUR" => "€",
            "GBP" => "£",
            "USD" => "$",
            var code => code,
        };
        var amount = Number(Math.Abs(value), language, 2);
        var sign = value < 0 ? "-" : "";
        return language == "en"
            ? sign + symbol + (symbol.Any(char.IsLetter) ? " " : "") + amount
            : sign + amount + " " + symbol;
    }

    /// <summary>en 8.2%, it 8,2%, es 8,2 % (the Spanish norm puts a space before the sign).</summary>
    public static string Percent(decimal value, string language) =>
        Number(value, language, 1) + (language == "es" ? " %" : "%");

    /// <summary>en 1 Mar 2025, it 1° marzo 2025, es 1 de marzo de 2025.</summary>
    public static string Date(DateOnly d, string language) => language switch
    {
        "it" => $"{(d.Day == 1 ? "1°" : d.Day.ToString(CultureInfo.InvariantCulture))} {ItalianMonths[d.Month - 1]} {d.Year}",
        "es" => $"{d.Day} de {SpanishMonths[d.Month - 1]} de {d.Year}",
        _ => $"{d.Day} {EnglishMonths[d.Month - 1][..3]} {d.Year}",
    };

    public static string Month(int year, int month, string language) => language switch
    {
        "es" => $"{SpanishMonths[month - 1]} de {year}",
        "it" => $"{ItalianMonths[month - 1]} {year}",
        _ => $"{EnglishMonths[month - 1]} {year}",
    };

    public static string Quarter(int year, int quarter, string language) => language switch
    {
        "es" => $"{SpanishQuarters[quarter - 1]} trimestre de {year}",
        "it" => $"{ItalianQuarters[quarter - 1]} trimestre {year}",
        _ => $"Q{quarter} {year}",
    };

    /// <summary>Italian articulated prepositions before a day number: del 3, dell'8, dell'11, del 1°.</summary>
    public static string ItalianBeforeNumber(string preposition, long n)
    {
        var vowel = n is 8 or 11 || (n > 1 && n.ToString(CultureInfo.InvariantCulture)[0] == '8') || n is >= 11_000 and < 12_000;
        return preposition switch
        {
            "di" => vowel ? "dell'" : "del ",
            "da" => vowel ? "dall'" : "dal ",
            "a" => vowel ? "all'" : "al ",
            "in" => vowel ? "nell'" : "nel ",
            _ => vowel ? "l'" : "il ",
        };
    }

    /// <summary>Italian "di"/"a" before a month name: di marzo, ad aprile.</summary>
    public static string ItalianBeforeMonth(string preposition, string word) =>
        preposition == "a" && word.Length > 0 && word[0] == 'a' ? "ad " : preposition + " ";

    public static bool ItalianPercentVowel(decimal value)
    {
        var n = (long)Math.Truncate(Math.Abs(value));
        return n is 1 or 8 or 11 || (n > 1 && n.ToString(CultureInfo.InvariantCulture)[0] == '8') || n is >= 11_000 and < 12_000;
    }
}
