using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Agents.Channels.WhatsApp;

/// <summary>
/// Rewrites Markdown (what hosted models write) into WhatsApp's formatting, leaving text that is
/// already in WhatsApp's style untouched, so formatting twice changes nothing.
/// <list type="table">
/// <item><term><c>**bold**</c>, <c>__bold__</c></term><description><c>*bold*</c></description></item>
/// <item><term><c>***both***</c></term><description><c>*_both_*</c></description></item>
/// <item><term><c>_italic_</c></term><description>unchanged (also WhatsApp's italic)</description></item>
/// <item><term><c>*text*</c></term><description>unchanged: a single asterisk is WhatsApp's bold, which our reply
/// templates and the system prompt use, so it is not read as Markdown italic (inside <c>**…**</c> it is, and becomes <c>_…_</c>)</description></item>
/// <item><term><c>~~strike~~</c></term><description><c>~strike~</c></description></item>
/// <item><term><c># Heading</c> (any level)</term><description><c>*Heading*</c></description></item>
/// <item><term><c>* item</c>, <c>+ item</c></term><description><c>- item</c>, which WhatsApp renders as a list and our
/// templates already use; <c>- item</c> and numbered items are kept</description></item>
/// <item><term><c>[text](url)</c></term><description><c>text: url</c> (just <c>url</c> when the text is the URL)</description></item>
/// <item><term><c>---</c>, <c>***</c>, <c>___</c></term><description><c>---</c></description></item>
/// <item><term><c>`code`</c>, fenced blocks</term><description>kept verbatim (WhatsApp shows both as monospace); a fence's language tag is dropped</description></item>
/// </list>
/// Code and URLs are never reformatted, so <c>https://shop.example/a__b__c</c> survives.
/// </summary>
public static partial class WhatsAppFormatter
{
    /// <summary>The WhatsApp-formatted text; line endings are kept as they are.</summary>
    public static string Format(string markdown)
    {
        if (string.IsNullOrEmpty(markdown))
        {
            return markdown ?? "";
        }

        var sentinel = FreeSentinel(markdown);
        var output = new StringBuilder(markdown.Length);
        string? fence = null;
        foreach (var piece in LineBreak().Split(markdown))
        {
            if (piece is "\n" or "\r\n" or "\r")
            {
                output.Append(piece);
                continue;
            }

            if (Fence().Match(piece) is { Success: true } opening && (fence is null || opening.Groups["marker"].Value.StartsWith(fence, StringComparison.Ordinal)))
            {
                fence = fence is null ? opening.Groups["marker"].Value[..3] : null;
                output.Append(opening.Groups["indent"].Value).Append("```");
                continue;
            }

            output.Append(fence is null ? FormatLine(piece, sentinel) : piece);
        }

        return output.ToString();
    }

    private static string FormatLine(string line, char sentinel)
    {
        if (ThematicBreak().IsMatch(line))
        {
            return "---";
        }

        if (Heading().Match(line) is { Success: true } heading)
        {
            // The whole line turns bold, so bold inside it is dropped rather than nested.
            var held = new List<string>();
            var title = SingleStar().Replace(Inline(heading.Groups["text"].Value, sentinel, held), "$1");
            return title.Length == 0 ? "" : Restore($"*{title}*", sentinel, held);
        }

        line = Bullet().Replace(line, "$1-", 1);
        var segments = new List<string>();
        return Restore(Inline(line, sentinel, segments), sentinel, segments);
    }

    /// <summary>Converts emphasis and links; code and URLs are swapped for placeholders first so nothing touches them.</summary>
    private static string Inline(string text, char sentinel, List<string> segments)
    {
        string Hold(string verbatim)
        {
            segments.Add(verbatim);
            return string.Create(CultureInfo.InvariantCulture, $"{sentinel}{segments.Count - 1}{sentinel}");
        }

        text = CodeSpan().Replace(text, m => Hold(m.Value));
        text = Link().Replace(text, m =>
        {
            var label = m.Groups["text"].Value.Trim();
            var url = m.Groups["url"].Value;
            return label.Length == 0 || SameAddress(label, url) ? Hold(url) : $"{label}: {Hold(url)}";
        });
        text = AutoLink().Replace(text, m => Hold(m.Groups["url"].Value));
        text = BareUrl().Replace(text, m => Hold(m.Value));

        text = StrongEmphasis().Replace(text, m => $"*_{m.Groups["text"].Value}_*");
        text = Strong().Replace(text, m => $"*{SingleStar().Replace(m.Groups["text"].Value, "_$1_")}*");
        text = Strike().Replace(text, "~$1~");
        return text;
    }

    private static string Restore(string text, char sentinel, List<string> segments) =>
        segments.Count == 0 ? text : Regex.Replace(text, $"{sentinel}([0-9]+){sentinel}",
            m => segments[int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture)]);

    private static bool SameAddress(string label, string url) =>
        string.Equals(label, url, StringComparison.OrdinalIgnoreCase)
        || string.Equals(label, SchemeLess().Replace(url, "").TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    /// <summary>A private-use character the text does not contain, to mark placeholders with.</summary>
    private static char FreeSentinel(string text)
    {
        for (var c = '\uE000'; c <= '\uF8FF'; c++)
        {
            if (!text.Contains(c, StringComparison.Ordinal))
            {
                return c;
            }
        }

        throw new ArgumentException("The text uses every private-use character.", nameof(text));
    }

    [GeneratedRegex(@"(\r\n|\n|\r)")]
    private static partial Regex LineBreak();

    // The info string must be one word (a language): "```totale 12 €" is WhatsApp monospace text, not a fence.
    [GeneratedRegex(@"^(?<indent>[ \t]{0,3})(?<marker>```+|~~~+)[ \t]*[\w+#.-]*[ \t]*$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^[ \t]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")]
    private static partial Regex ThematicBreak();

    [GeneratedRegex(@"^[ \t]{0,3}#{1,6}(?:[ \t]+(?<text>.*?))?(?:[ \t]+#+)?[ \t]*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^([ \t]*)[*+](?=[ \t]+\S)")]
    private static partial Regex Bullet();

    [GeneratedRegex(@"(`+)(?!`).*?(?<!`)\1(?!`)")]
    private static partial Regex CodeSpan();

    // [text](url) and ![alt](url), with an optional "title" and one level of parentheses in the URL (Wikipedia links).
    [GeneratedRegex(@"!?\[(?<text>[^\[\]]*)\]\((?<url>[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:[ \t]+(?:""[^""]*""|'[^']*'))?\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"<(?<url>(?:https?|mailto):[^<>\s]+)>", RegexOptions.IgnoreCase)]
    private static partial Regex AutoLink();

    // Trailing punctuation and style markers belong to the sentence, not the address.
    [GeneratedRegex(@"\b(?:https?://|www\.)[^\s<>]*[^\s<>.,;:!?)\]'""*_~]", RegexOptions.IgnoreCase)]
    private static partial Regex BareUrl();

    [GeneratedRegex(@"^https?://(?:www\.)?", RegexOptions.IgnoreCase)]
    private static partial Regex SchemeLess();

    [GeneratedRegex(@"(?<!\*)\*\*\*(?=\S)(?<text>.+?)(?<=\S)\*\*\*(?!\*)|(?<![\p{L}\p{N}_])___(?=\S)(?<text>.+?)(?<=\S)___(?![\p{L}\p{N}_])")]
    private static partial Regex StrongEmphasis();

    [GeneratedRegex(@"\*\*(?=\S)(?<text>.+?)(?<=\S)\*\*|(?<![\p{L}\p{N}_])__(?=\S)(?<text>.+?)(?<=\S)__(?![\p{L}\p{N}_])")]
    private static partial Regex Strong();

    /// <summary>A single-asterisk span: WhatsApp bold at top level, Markdown italic inside <c>**…**</c>.</summary>
    [GeneratedRegex(@"(?<!\*)\*(?=\S)([^*]+?)(?<=\S)\*(?!\*)")]
    private static partial Regex SingleStar();

    [GeneratedRegex(@"~~(?=\S)(.+?)(?<=\S)~~")]
    private static partial Regex Strike();
}
