using System.Globalization;
using System.Text;

namespace Agents.Retrieval.Language;

/// <summary>
/// Text reduced to what carries language: NFC, lowercase, without URLs, e-mail addresses,
/// numbers, emoji and symbols. <see cref="Buffer"/> is TextCat's input ('_' between words, as
/// libtextcat's <c>prepbuffer</c> makes it); <see cref="Words"/> feed the lexicon; the cue counts
/// are the characters that settle a short message on their own.
/// </summary>
internal sealed record PreparedText(string Buffer, IReadOnlyList<string> Words, int LetterCount, CharacterCues Cues)
{
    /// <summary>
    /// Only the beginning of a long document is read: a few thousand characters already give
    /// TextCat a stable ranking, and the cap bounds the cost of any single call.
    /// </summary>
    internal const int MaxInputChars = 20_000;

    private static readonly PreparedText Empty = new("_", [], 0, new CharacterCues(0, 0, 0));

    private static readonly string[] DomainSuffixes =
        ["com", "net", "org", "it", "es", "eu", "uk", "ie", "io", "co", "info", "shop", "store", "online"];

    public bool HasLetters => LetterCount > 0;

    public static PreparedText From(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Empty;
        }

        var raw = text.Length > MaxInputChars ? text[..CutIndex(text)] : text;
        string normalized;
        try
        {
            normalized = raw.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            // Lone surrogates make NFC throw; they are dropped as symbols below anyway.
            normalized = raw;
        }

        var lower = normalized.ToLowerInvariant();
        var buffer = new StringBuilder(lower.Length + 2).Append(NGramProfile.Boundary);
        var letters = 0;
        var spanish = 0;
        var acute = 0;
        var grave = 0;
        foreach (var token in lower.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (IsAddress(token))
            {
                AppendBoundary(buffer);
                continue;
            }

            foreach (var c in WithoutNumbers(token))
            {
                if (char.IsLetter(c))
                {
                    buffer.Append(c);
                    letters++;
                    spanish += c is 'ñ' ? 1 : 0;
                    acute += c is 'á' or 'í' or 'ó' or 'ú' ? 1 : 0;
                    grave += c is 'à' or 'è' or 'ì' or 'ò' or 'ù' ? 1 : 0;
                }
                else if (c is '¿' or '¡')
                {
                    spanish++;
                    AppendBoundary(buffer);
                }
                else if (IsApostrophe(c) && EndsWithLetter(buffer))
                {
                    // Kept because elisions (l'olio, dell'Etna, c'è, po') and contractions (don't)
                    // are in the fingerprints and the lexicon.
                    buffer.Append('\'');
                }
                else if (c is ',' or '.' or ';' or '!' && EndsWithLetter(buffer))
                {
                    // The fingerprints rank word-final punctuation ("a,_", "o._"); other marks
                    // ('?', ':', brackets) appear in none of them and only push real n-grams down.
                    buffer.Append(c);
                }
                else if (CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                         && EndsWithLetter(buffer))
                {
                    // A combining accent NFC could not compose; a variation selector after an
                    // emoji does not get here because the emoji left a boundary, not a letter.
                    buffer.Append(c);
                }
                else
                {
                    AppendBoundary(buffer);
                }
            }

            AppendBoundary(buffer);
        }

        if (letters == 0)
        {
            return Empty;
        }

        var prepared = buffer.ToString();
        return new PreparedText(prepared, Tokenize(prepared), letters, new CharacterCues(spanish, acute, grave));
    }

    /// <summary>
    /// Blanks every run of letters and digits that holds a digit ("x2", "500g", "h24", order
    /// numbers like "it4521"): the letters in it are units and codes, not words.
    /// </summary>
    private static string WithoutNumbers(string token)
    {
        if (!token.Any(char.IsDigit))
        {
            return token;
        }

        var chars = token.ToCharArray();
        var start = 0;
        while (start < chars.Length)
        {
            if (!char.IsLetterOrDigit(chars[start]))
            {
                start++;
                continue;
            }

            var end = start;
            var hasDigit = false;
            while (end < chars.Length && char.IsLetterOrDigit(chars[end]))
            {
                hasDigit |= char.IsDigit(chars[end]);
                end++;
            }

            if (hasDigit)
            {
                Array.Fill(chars, ' ', start, end - start);
            }

            start = end;
        }

        return new string(chars);
    }

    private static int CutIndex(string text) =>
        char.IsHighSurrogate(text[MaxInputChars - 1]) ? MaxInputChars - 1 : MaxInputChars;

    private static bool IsApostrophe(char c) => c is '\'' or '\u2019' or '\u2018' or '\u02BC' or '`' or '\u00B4';

    private static bool EndsWithLetter(StringBuilder buffer) => buffer.Length > 0 && char.IsLetter(buffer[^1]);

    private static void AppendBoundary(StringBuilder buffer)
    {
        if (buffer[^1] != NGramProfile.Boundary)
        {
            buffer.Append(NGramProfile.Boundary);
        }
    }

    /// <summary>
    /// URLs, bare shop domains and e-mail addresses say nothing about the writer's language
    /// ("saporidisicilia.it" is in every language's messages), so their tokens are skipped whole.
    /// </summary>
    private static bool IsAddress(string token)
    {
        if (token.Contains("://", StringComparison.Ordinal) || token.StartsWith("www.", StringComparison.Ordinal))
        {
            return true;
        }

        var at = token.IndexOf('@', StringComparison.Ordinal);
        if (at > 0 && token.IndexOf('.', at) > at + 1)
        {
            return true;
        }

        var host = token.TrimEnd('.', ',', ';', ':', '!', '?', ')', ']', '"', '\'');
        var slash = host.IndexOf('/', StringComparison.Ordinal);
        host = slash < 0 ? host : host[..slash];
        var dot = host.LastIndexOf('.');
        return dot > 0
               && host.All(c => char.IsLetterOrDigit(c) || c is '.' or '-')
               && DomainSuffixes.Contains(host[(dot + 1)..], StringComparer.Ordinal);
    }

    /// <summary>Words for the lexicon: the buffer split at boundaries, without clinging punctuation.</summary>
    private static List<string> Tokenize(string buffer)
    {
        var words = new List<string>();
        foreach (var piece in buffer.Split(NGramProfile.Boundary, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var part in piece.Split([',', '.', ';', '!'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (part.Any(char.IsLetter))
                {
                    words.Add(part);
                }
            }
        }

        return words;
    }
}

/// <summary>
/// Characters that decide between the three languages: ñ ¿ ¡ are Spanish only; acute á í ó ú
/// are Spanish spelling (Italian writes é but almost never these); grave à è ì ò ù are Italian
/// (final stress: è, più, già, città, può), and Spanish has no grave accents at all.
/// </summary>
internal sealed record CharacterCues(int SpanishMarks, int AcuteVowels, int GraveVowels);
