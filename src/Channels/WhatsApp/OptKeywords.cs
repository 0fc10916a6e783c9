using System.Globalization;
using System.Text;

namespace Agents.Channels.WhatsApp;

/// <summary>What an opt keyword asks for.</summary>
public enum OptKeyword
{
    /// <summary>Stop sending me messages.</summary>
    OptOut,

    /// <summary>Start sending me messages again.</summary>
    OptIn,
}

/// <summary>
/// Recognises opt-out and opt-in keywords in an inbound message. Twilio's Advanced Opt-Out handles
/// these for SMS only, so WhatsApp needs its own.
/// <para>
/// Opt-out: STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT (Twilio's English defaults), BAJA and
/// CANCELAR (Spanish), ANNULLA, ARRESTA and DISISCRIVIMI (Italian).
/// Opt-in: START, UNSTOP, YES (Twilio's defaults), ALTA (Spanish), ISCRIVIMI (Italian).
/// </para>
/// <para>
/// Only a message that is nothing but the keyword counts: surrounding whitespace, punctuation and
/// symbols (<c>"Stop!"</c>, <c>"¡Baja!"</c>, <c>"stop 🛑"</c>) are ignored, as are case and accents,
/// but "stop sending me pasta ads" is an ordinary message.
/// </para>
/// </summary>
public static class OptKeywords
{
    private static readonly Dictionary<string, OptKeyword> Keywords = new(StringComparer.Ordinal)
    {
        ["STOP"] = OptKeyword.OptOut,
        ["STOPALL"] = OptKeyword.OptOut,
        ["UNSUBSCRIBE"] = OptKeyword.OptOut,
        ["CANCEL"] = OptKeyword.OptOut,
        ["END"] = OptKeyword.OptOut,
        ["QUIT"] = OptKeyword.OptOut,
        ["BAJA"] = OptKeyword.OptOut,
        ["CANCELAR"] = OptKeyword.OptOut,
        ["ANNULLA"] = OptKeyword.OptOut,
        ["ARRESTA"] = OptKeyword.OptOut,
        ["DISISCRIVIMI"] = OptKeyword.OptOut,
        ["START"] = OptKeyword.OptIn,
        ["UNSTOP"] = OptKeyword.OptIn,
        ["YES"] = OptKeyword.OptIn,
        ["ALTA"] = OptKeyword.OptIn,
        ["ISCRIVIMI"] = OptKeyword.OptIn,
    };

    /// <summary>All recognised keywords (upper case, without accents) and what each asks for.</summary>
    public static IReadOnlyDictionary<string, OptKeyword> All => Keywords;

    /// <summary>The keyword <paramref name="body"/> consists of, or null when it is an ordinary message.</summary>
    public static OptKeyword? Classify(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return null;
        }

        var start = 0;
        var end = body.Length;
        while (start < end && IsIgnorable(body, start))
        {
            start += char.IsSurrogatePair(body, start) ? 2 : 1;
        }

        while (end > start)
        {
            // An emoji is a surrogate pair: its category is read at the high half.
            var last = end - 1;
            if (last > start && char.IsSurrogatePair(body[last - 1], body[last]))
            {
                last--;
            }

            if (!IsIgnorable(body, last))
            {
                break;
            }

            end = last;
        }

        // Longer than any keyword even with accents decomposed: an ordinary message, no need to normalise it.
        if (end - start is 0 or > 24)
        {
            return null;
        }

        return Keywords.TryGetValue(Fold(body[start..end]), out var keyword) ? keyword : null;
    }

    /// <summary>Whitespace, punctuation, symbols (emoji included) and the joiners and selectors emoji are built with.</summary>
    private static bool IsIgnorable(string text, int index)
    {
        var category = CharUnicodeInfo.GetUnicodeCategory(text, index);
        return char.IsWhiteSpace(text, index) || char.IsPunctuation(text, index) || char.IsSymbol(text, index)
            || category is UnicodeCategory.Format or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark;
    }

    /// <summary>Compatibility decomposition also folds full-width letters (ＳＴＯＰ) into plain ones.</summary>
    private static string Fold(string word)
    {
        var folded = new StringBuilder(word.Length);
        foreach (var c in word.Normalize(NormalizationForm.FormKD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                folded.Append(char.ToUpperInvariant(c));
            }
        }

        return folded.ToString();
    }
}
