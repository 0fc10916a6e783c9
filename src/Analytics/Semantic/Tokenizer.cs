using System.Globalization;
using System.Text;

namespace Agents.Analytics.Semantic;

internal enum TokenKind { Word, Number, Date, Quoted, Sku }

/// <summary>
/// One token of a normalised question. <see cref="Text"/> is lower case without accents; quoted
/// values and SKUs keep the spelling the merchant used in <see cref="Original"/>.
/// </summary>
internal readonly record struct Token(TokenKind Kind, string Text, string Original, bool Upper, bool Joined, int Number, DateOnly Date)
{
    public bool IsWord => Kind == TokenKind.Word;

    public bool IsNumber => Kind == TokenKind.Number;
}

/// <summary>
/// Splits a question into tokens: lower case, accents stripped, elisions (dell'ordine) split,
/// hyphenated words split with <see cref="Token.Joined"/> set on the parts after the first, quoted
/// values kept whole, dates (2025-03-01, 01/03/2025) and ordinals (1st, 1º) recognised.
/// </summary>
internal static class Tokenizer
{
    private const string Quotes = "\"“”«»„";

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var s = StripAccents(text);
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (Quotes.Contains(c) || (c is '\'' or '‘' or '’' && (i == 0 || char.IsWhiteSpace(s[i - 1]))))
            {
                var close = FindClosingQuote(s, i);
                if (close > i + 1)
                {
                    var value = s[(i + 1)..close].Trim();
                    if (value.Length > 0)
                    {
                        tokens.Add(new Token(TokenKind.Quoted, value.ToLowerInvariant(), value, false, false, 0, default));
                    }

                    i = close + 1;
                    continue;
                }

                i++;
                continue;
            }

            if (!char.IsLetterOrDigit(c))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < s.Length && (char.IsLetterOrDigit(s[i]) || (s[i] is '-' or '/' or '.' or '_' && i + 1 < s.Length && char.IsLetterOrDigit(s[i + 1]))))
            {
                i++;
            }

            // Ordinal markers glued to a number: 1º, 1ª, 1°.
            if (i < s.Length && s[i] is 'º' or 'ª' or '°')
            {
                i++;
            }

            AddChunk(tokens, s[start..i].TrimEnd('º', 'ª', '°'));
        }

        return tokens;
    }

    private static int FindClosingQuote(string s, int open)
    {
        var single = s[open] is '\'' or '‘' or '’';
        for (var j = open + 1; j < s.Length; j++)
        {
            var c = s[j];
            if (single ? c is '\'' or '’' && (j + 1 == s.Length || !char.IsLetter(s[j + 1])) : Quotes.Contains(c))
            {
                return j;
            }
        }

        return -1;
    }

    private static void AddChunk(List<Token> tokens, string chunk)
    {
        var lower = chunk.ToLowerInvariant();
        if (TryDate(lower, out var date))
        {
            tokens.Add(new Token(TokenKind.Date, lower, chunk, false, false, 0, date));
            return;
        }

        if (IsSku(chunk))
        {
            tokens.Add(new Token(TokenKind.Sku, lower, chunk, true, false, 0, default));
            return;
        }

        var first = true;
        foreach (var part in chunk.Split(['-', '/', '.', '_'], StringSplitOptions.RemoveEmptyEntries))
        {
            tokens.Add(Part(part, joined: !first));
            first = false;
        }
    }

    private static Token Part(string part, bool joined)
    {
        var lower = part.ToLowerInvariant();
        var digits = 0;
        while (digits < lower.Length && char.IsAsciiDigit(lower[digits]))
        {
            digits++;
        }

        var upper = part.Length >= 2 && part.All(ch => !char.IsLetter(ch) || char.IsUpper(ch)) && part.Any(char.IsLetter);
        if (digits > 0 && digits <= 9 && (digits == lower.Length || lower[digits..] is "st" or "nd" or "rd" or "th" or "o" or "a"))
        {
            return new Token(TokenKind.Number, lower[..digits], part, false, joined, int.Parse(lower[..digits], CultureInfo.InvariantCulture), default);
        }

        return new Token(TokenKind.Word, lower, part, upper, joined, 0, default);
    }

    // Day first everywhere (01/03/2025 is 1 March), as in Italy, Spain and the UK.
    private static bool TryDate(string s, out DateOnly date)
    {
        date = default;
        if (s.Length < 6 || !char.IsAsciiDigit(s[0]) || !char.IsAsciiDigit(s[^1]))
        {
            return false;
        }

        var parts = s.Split('-', '/', '.');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0 || !p.All(char.IsAsciiDigit) || p.Length > 4))
        {
            return false;
        }

        int y, m, d;
        if (parts[0].Length == 4)
        {
            (y, m, d) = (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
        }
        else if (parts[2].Length is 4 or 2)
        {
            (d, m, y) = (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
            if (y < 100)
            {
                y += 2000;
            }
        }
        else
        {
            return false;
        }

        if (y is < 1900 or > 2200 || m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, m))
        {
            return false;
        }

        date = new DateOnly(y, m, d);
        return true;
    }

    // SDS-WIN-001: upper-case letters and digits joined by hyphens.
    private static bool IsSku(string chunk) =>
        chunk.Contains('-') && chunk.Any(char.IsAsciiDigit) && chunk.Any(char.IsLetter)
        && chunk.All(ch => char.IsAsciiDigit(ch) || ch is '-' or '_' || (char.IsLetter(ch) && char.IsUpper(ch)))
        && !(chunk.Length <= 7 && chunk.StartsWith('Q'));

    private static string StripAccents(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                sb.Append(c);
            }
        }

        return sb.ToString().Normalize(NormalizationForm.FormC);
    }
}
