using System.Globalization;

namespace Agents.Channels.WhatsApp;

/// <summary>
/// Splits a reply that is too long for one message into numbered parts, each within the limit
/// numbering included. Cuts fall, in order of preference, between paragraphs, between lines, after
/// a sentence, between words; a single word longer than a whole part (a long URL) is the only thing
/// cut mid-word. Cuts never fall inside a user-perceived character (an emoji with skin tone or ZWJ
/// sequence, a flag, a letter with combining accents), so no part starts or ends with half of one.
/// </summary>
public static class MessageSplitter
{
    /// <summary>Twilio's limit for a message body, in UTF-16 code units.</summary>
    public const int TwilioBodyLimit = 1600;

    /// <summary>The smallest <c>maxLength</c> accepted: room for a "(99/99) " prefix and a few words.</summary>
    public const int MinimumLength = 20;

    private static readonly char[] SentenceEnds = ['.', '!', '?', '…'];

    // What may close a sentence after its full stop: quotes, brackets and WhatsApp's style markers.
    private static readonly char[] Closers = [')', ']', '"', '\'', '»', '”', '’', '*', '_', '~'];

    /// <summary>
    /// The parts to send, in order. Text that fits is returned whole (trimmed) and unnumbered;
    /// otherwise every part starts with "(i/n) " and the whitespace at each cut is dropped.
    /// Empty or blank text gives no parts.
    /// </summary>
    /// <param name="text">The formatted reply.</param>
    /// <param name="maxLength">The limit per part in UTF-16 code units (what Twilio counts), at least <see cref="MinimumLength"/>.</param>
    public static IReadOnlyList<string> Split(string? text, int maxLength = TwilioBodyLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, MinimumLength);
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var trimmed = text.Trim();
        if (trimmed.Length <= maxLength)
        {
            return [trimmed];
        }

        var boundaries = GraphemeBoundaries(trimmed);

        // The prefix's width depends on how many parts there are, which depends on the room the
        // prefix leaves: assume 1-digit counts, then 2, … until the parts fit the assumption.
        for (int digits = 1, capacity = 10; ; digits++, capacity *= 10)
        {
            var budget = maxLength - (2 * digits + 4);
            if (budget < MinimumLength / 2)
            {
                throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "Too short for the number of parts this text needs.");
            }

            var parts = Pack(trimmed, boundaries, budget);
            if (parts.Count < capacity)
            {
                return [.. parts.Select((part, i) => string.Create(CultureInfo.InvariantCulture, $"({i + 1}/{parts.Count}) {part}"))];
            }
        }
    }

    private static List<string> Pack(string text, bool[] boundaries, int budget)
    {
        var parts = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            if (text.Length - start <= budget)
            {
                parts.Add(text[start..]);
                break;
            }

            var cut = FindCut(text, boundaries, start, budget);
            parts.Add(text[start..cut].TrimEnd());
            start = SkipWhitespace(text, boundaries, cut);
        }

        return parts;
    }

    /// <summary>Where the part starting at <paramref name="start"/> ends: the best cut no further than <paramref name="budget"/> away.</summary>
    private static int FindCut(string text, bool[] boundaries, int start, int budget)
    {
        var limit = start + budget;

        // Half a part is the least a paragraph, line or sentence cut must fill; otherwise one early
        // blank line would turn a two-part answer into three half-empty ones.
        var minimum = start + budget / 2;
        int paragraph = -1, line = -1, sentence = -1, word = -1;
        for (var i = limit; i > start; i--)
        {
            if (!boundaries[i] || !char.IsWhiteSpace(text[i]) || char.IsWhiteSpace(text[i - 1]) || !IsWhitespaceElement(text, boundaries, i))
            {
                continue;
            }

            if (word < 0)
            {
                word = i;
            }

            if (i < minimum)
            {
                break;
            }

            var newlines = NewlinesInRun(text, i);
            if (newlines >= 2)
            {
                paragraph = i;
                break;
            }

            if (newlines == 1 && line < 0)
            {
                line = i;
            }
            else if (sentence < 0 && EndsSentence(text, start, i))
            {
                sentence = i;
            }
        }

        foreach (var cut in (ReadOnlySpan<int>)[paragraph, line, sentence, word])
        {
            if (cut > start)
            {
                return cut;
            }
        }

        // One word longer than a part: cut it at the last character boundary that fits.
        for (var i = limit; i > start; i--)
        {
            if (boundaries[i])
            {
                return i;
            }
        }

        // A single "character" longer than a part (absurdly many combining marks): cut between
        // code points, never between the halves of a surrogate pair.
        return char.IsLowSurrogate(text[limit]) && char.IsHighSurrogate(text[limit - 1]) ? limit - 1 : limit;
    }

    private static bool EndsSentence(string text, int start, int runStart)
    {
        // "Grazie! 👋 " still ends a sentence: step back over closers, emoji and the spaces between them.
        var end = runStart - 1;
        while (end > start && (Array.IndexOf(Closers, text[end]) >= 0 || text[end] == ' ' || IsEmojiPart(text, end)))
        {
            end--;
        }

        if (Array.IndexOf(SentenceEnds, text[end]) < 0)
        {
            return false;
        }

        // "3." opening a numbered item is not the end of a sentence.
        var token = end;
        while (token > start && !char.IsWhiteSpace(text[token - 1]))
        {
            token--;
        }

        var listNumber = text[end] == '.' && token < end && !text.AsSpan(token, end - token).ContainsAnyExceptInRange('0', '9');
        return !listNumber;
    }

    /// <summary>Part of an emoji: a pictograph or modifier (symbols), ZWJ, variation selector or keycap mark.</summary>
    private static bool IsEmojiPart(string text, int index)
    {
        if (char.IsLowSurrogate(text[index]) && index > 0 && char.IsHighSurrogate(text[index - 1]))
        {
            index--;
        }

        return CharUnicodeInfo.GetUnicodeCategory(text, index) is UnicodeCategory.OtherSymbol or UnicodeCategory.ModifierSymbol
            or UnicodeCategory.Format or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark;
    }

    private static int NewlinesInRun(string text, int index)
    {
        var newlines = 0;
        for (; index < text.Length && char.IsWhiteSpace(text[index]); index++)
        {
            if (text[index] == '\n')
            {
                newlines++;
            }
        }

        return newlines;
    }

    private static int SkipWhitespace(string text, bool[] boundaries, int index)
    {
        while (index < text.Length && IsWhitespaceElement(text, boundaries, index))
        {
            index++;
            while (!boundaries[index])
            {
                index++;
            }
        }

        return index;
    }

    /// <summary>Whether the text element starting at <paramref name="index"/> is all whitespace (a space followed by a combining mark is not).</summary>
    private static bool IsWhitespaceElement(string text, bool[] boundaries, int index)
    {
        do
        {
            if (!char.IsWhiteSpace(text[index]))
            {
                return false;
            }

            index++;
        }
        while (!boundaries[index]);

        return true;
    }

    /// <summary>Where each extended grapheme cluster (UAX #29, as .NET's StringInfo implements it) starts, plus the end.</summary>
    private static bool[] GraphemeBoundaries(string text)
    {
        var boundaries = new bool[text.Length + 1];
        for (var i = 0; i < text.Length; i += StringInfo.GetNextTextElementLength(text, i))
        {
            boundaries[i] = true;
        }

        boundaries[text.Length] = true;
        return boundaries;
    }
}
