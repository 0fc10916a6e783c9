using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Agents.Runtime.Local;

/// <summary>A word of a message: its folded form and where it sits in the original text.</summary>
internal readonly record struct Token(string Folded, int Start, int Length)
{
    public int End => Start + Length;
}

/// <summary>
/// Folding shared by the classifier and the slot extractor: lower case, no accents, one kind of
/// apostrophe, so "Perché", "perche" and "PERCHÉ" are the same word. Folding keeps the length of
/// the text, so positions found in the folded text point into the original.
/// </summary>
internal static partial class TextNormalizer
{
    public static string Fold(string text)
    {
        var folded = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            folded.Append(FoldChar(c));
        }

        return folded.ToString();
    }

    /// <summary>Words (letters and digits; an apostrophe ends a word, as in "dell'olio") of the folded text, with their positions.</summary>
    public static List<Token> Tokens(string text)
    {
        var folded = Fold(text);
        return [.. Word().Matches(folded).Select(m => new Token(m.Value, m.Index, m.Length))];
    }

    private static char FoldChar(char c)
    {
        if (c is '’' or '‘' or '`' or '´')
        {
            return '\'';
        }

        var lower = char.ToLowerInvariant(c);
        if (lower < 128 || char.IsSurrogate(lower))
        {
            return lower;
        }

        // The base letter of an accented one: é → e, ñ → n; anything that does not decompose stays.
        var decomposed = lower.ToString().Normalize(NormalizationForm.FormD);
        return decomposed.Length > 1 && CharUnicodeInfo.GetUnicodeCategory(decomposed[1]) == UnicodeCategory.NonSpacingMark ? decomposed[0] : lower;
    }

    [GeneratedRegex(@"[\p{L}\p{Nd}]+")]
    private static partial Regex Word();
}
