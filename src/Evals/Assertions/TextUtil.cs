using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Agents.Evals.Assertions;

/// <summary>Folding, clipping and JSON rendering shared by the assertions' matching and messages.</summary>
internal static partial class TextUtil
{
    /// <summary>Keeps "perché" and "&amp;" readable in messages instead of \u00E9 and \u0026.</summary>
    public static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Clip(string text, int max = 200) =>
        text.Length <= max ? text : text[..(char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)] + "…";

    public static string Quote(string text, int max = 200) => "\"" + Clip(text, max) + "\"";

    /// <summary>The reply around a match, for replies too long to show whole.</summary>
    public static string Excerpt(string text, int index, int length)
    {
        var start = Math.Max(0, index - 60);
        var end = Math.Min(text.Length, index + length + 60);
        return (start > 0 ? "…" : "") + text[start..end] + (end < text.Length ? "…" : "");
    }

    public static string Json(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? "" : JsonSerializer.Serialize(element, Compact);

    public static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>The reply with what says nothing about its language removed, so a short Italian answer full of links and prices is not read as English.</summary>
    public static string ForLanguageDetection(string reply)
    {
        var text = UrlPattern().Replace(reply, " ");
        text = CitationMarkerPattern().Replace(text, " ");
        text = MarkdownPattern().Replace(text, " ");
        text = NumberPattern().Replace(text, " ");
        return SpacePattern().Replace(text, " ").Trim();
    }

    /// <summary>The http(s) URLs in a reply, without the punctuation or markdown that closes the sentence around them.</summary>
    public static IEnumerable<string> Urls(string reply) =>
        UrlPattern().Matches(reply)
            .Where(m => m.Value.StartsWith("http", StringComparison.OrdinalIgnoreCase))
            .Select(m => m.Value.TrimEnd('.', ',', ';', ':', '!', '?', '*', '_'))
            .Distinct(StringComparer.Ordinal);

    [GeneratedRegex(@"(?:https?://|www\.)[^\s<>""'()\[\]]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"\[\d+\]")]
    private static partial Regex CitationMarkerPattern();

    [GeneratedRegex(@"[*_#`>~|\[\]()]")]
    private static partial Regex MarkdownPattern();

    [GeneratedRegex(@"[+-]?\d+(?:[.,:/]\d+)*%?")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex SpacePattern();
}
