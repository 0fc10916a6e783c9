using System.Text;
using System.Text.RegularExpressions;

namespace Agents.AgentHost.Chat;

/// <summary>
/// The last check before a reply leaves: no URL our tools did not produce this turn, no card
/// number, no secret. Works on a stream: text is released a whole token at a time (and a run of
/// digit groups only once it ends), so a URL or a card number split across deltas is still caught;
/// the reply is exactly what was released.
/// </summary>
public sealed partial class OutboundGuard(IReadOnlySet<string> allowedUrls, string language)
{
    private static readonly Dictionary<string, (string Link, string Card, string Secret)> Placeholders = new()
    {
        ["en"] = ("[link removed]", "[card number removed]", "[removed]"),
        ["it"] = ("[link rimosso]", "[numero di carta rimosso]", "[rimosso]"),
        ["es"] = ("[enlace eliminado]", "[número de tarjeta eliminado]", "[eliminado]"),
    };

    private readonly StringBuilder _pending = new();
    private readonly StringBuilder _released = new();
    private readonly (string Link, string Card, string Secret) _words = Placeholders.GetValueOrDefault(language, Placeholders["en"]);

    /// <summary>What was removed, for the log (kinds only, never the removed text).</summary>
    public List<string> Findings { get; } = [];

    /// <summary>Everything released so far: the reply as the customer sees it.</summary>
    public string Released => _released.ToString();

    /// <summary>Takes the next piece of the reply and returns the part that is safe to send now.</summary>
    public string Push(string delta)
    {
        _pending.Append(delta);
        var text = _pending.ToString();
        var cut = SafeCut(text);
        if (cut == 0)
        {
            return "";
        }

        _pending.Remove(0, cut);
        return Release(text[..cut]);
    }

    /// <summary>Releases whatever is still held back (end of the reply).</summary>
    public string Flush()
    {
        var rest = _pending.ToString();
        _pending.Clear();
        return Release(rest);
    }

    /// <summary>Guards a whole reply at once.</summary>
    public string Apply(string reply) => Push(reply) + Flush();

    private string Release(string text)
    {
        var guarded = Secret().Replace(text, _ => Found("secret", _words.Secret));
        guarded = Url().Replace(guarded, m => IsAllowed(m.Value) ? m.Value : Found("url", _words.Link) + Trailing(m.Value));
        guarded = CardCandidate().Replace(guarded, m => Luhn(m.Value) ? Found("card", _words.Card) : m.Value);
        _released.Append(guarded);
        return guarded;
    }

    private string Found(string kind, string placeholder)
    {
        Findings.Add(kind);
        return placeholder;
    }

    private bool IsAllowed(string url)
    {
        var bare = url.TrimEnd('.', ',', ';', ':', '!', '?', ')', ']', '*', '_', '"', '\'');
        return allowedUrls.Contains(bare);
    }

    /// <summary>Punctuation the URL pattern swallowed but that belongs to the sentence.</summary>
    private static string Trailing(string url) => url[url.TrimEnd('.', ',', ';', ':', '!', '?', ')', ']', '*', '_', '"', '\'').Length..];

    /// <summary>
    /// How much of the pending text can go: up to the last whitespace, but not into a trailing run
    /// of digit groups (a card number may continue in the next delta).
    /// </summary>
    private static int SafeCut(string text)
    {
        var cut = text.LastIndexOfAny([' ', '\n', '\t']) + 1;
        if (cut == 0)
        {
            return 0;
        }

        var digits = TrailingDigitGroups().Match(text[..cut]);
        return digits.Success ? digits.Index : cut;
    }

    private static bool Luhn(string candidate)
    {
        var digits = candidate.Where(char.IsAsciiDigit).Select(c => c - '0').ToArray();
        if (digits.Length is < 13 or > 19)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i];
            sum += i % 2 == 1 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d;
        }

        return sum % 10 == 0;
    }

    [GeneratedRegex(@"(?:https?://|www\.)[^\s<>""]+", RegexOptions.IgnoreCase)]
    private static partial Regex Url();

    [GeneratedRegex(@"(?<![\d])\d(?:[ -]?\d){12,18}(?![\d])")]
    private static partial Regex CardCandidate();

    [GeneratedRegex(@"(?:^|(?<=\s))\d[\d -]*\s*$")]
    private static partial Regex TrailingDigitGroups();

    // Our own keys, OpenAI/AWS keys, bearer tokens and PEM private keys.
    [GeneratedRegex(@"\b(?:sk|pk)_(?:test|live)_[A-Za-z0-9]{16,}|\badm_[A-Za-z0-9_]{16,}|\bsk-[A-Za-z0-9_-]{20,}|\bAKIA[0-9A-Z]{16}\b|\bBearer\s+[A-Za-z0-9._~+/=-]{20,}|-----BEGIN [A-Z ]*PRIVATE KEY-----")]
    private static partial Regex Secret();
}
