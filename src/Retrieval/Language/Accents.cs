using System.Globalization;
using System.Text;

namespace Agents.Retrieval.Language;

/// <summary>Lower case without accents, so "Perché", "perche" and "PERCHÉ" compare equal.</summary>
public static class Accents
{
    public static string Fold(string text) => Fold(text, null);

    /// <summary>
    /// Folds rune by rune (a stray surrogate cannot make Normalize throw, a combining mark typed on
    /// its own is dropped); <paramref name="map"/>, when given, receives for each folded character
    /// its index in <paramref name="text"/>, so a match in the folded text points back at the original.
    /// </summary>
    public static string Fold(string text, List<int>? map)
    {
        var folded = new StringBuilder(text.Length);
        var index = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            foreach (var c in rune.ToString().Normalize(NormalizationForm.FormD))
            {
                if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
                {
                    folded.Append(char.ToLowerInvariant(c));
                    map?.Add(index);
                }
            }

            index += rune.Utf16SequenceLength;
        }

        return folded.ToString();
    }
}
