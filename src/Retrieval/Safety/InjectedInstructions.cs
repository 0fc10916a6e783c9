using System.Text.RegularExpressions;
using Agents.Retrieval.Language;

namespace Agents.Retrieval.Safety;

/// <summary>
/// Instructions aimed at the assistant hidden in shop content (a product description, an FAQ
/// answer, an imported review): "ignore all previous instructions…", "nota per l'assistente…",
/// "instrucciones del sistema…". They must not reach a model as if they were context, nor a shopper
/// as if they were the shop's word, so the sentence that starts one is cut together with the rest
/// of its paragraph (the payload follows the marker). The stored document is left as written.
/// </summary>
public static partial class InjectedInstructions
{
    /// <summary>The text without injected instructions, or the text itself when it holds none.</summary>
    public static string Strip(string text)
    {
        if (!Marker().IsMatch(Accents.Fold(text)))
        {
            return text;
        }

        var kept = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
            var map = new List<int>();
            var match = Marker().Match(Accents.Fold(paragraph, map));
            if (!match.Success)
            {
                kept.Add(paragraph);
                continue;
            }

            var sentenceStart = paragraph.AsSpan(0, map[match.Index]).LastIndexOfAny(".!?;") + 1;
            var before = paragraph[..sentenceStart].TrimEnd();
            if (before.Length > 0)
            {
                kept.Add(before);
            }
        }

        return string.Join('\n', kept).Trim();
    }

    public static bool Contains(string text) => Marker().IsMatch(Accents.Fold(text));

    [GeneratedRegex("""
        (ignore|disregard|forget|override)\s+(all\s+|any\s+)?(the\s+|your\s+)?(previous|prior|above|earlier|system)\s+(instructions|rules|prompts?)
        |(ignore|disregard|forget)\s+(all|your)\s+(instructions|rules|prompts?)
        |(note|message|instructions?)\s+(for|to)\s+the\s+(assistant|ai|chatbot|bot)\b
        |(note|message)\s+(for|to)\s+the\s+model\b
        |system\s+(override|prompt\s*:|instructions?\s*:|message\s*:)
        |the\s+assistant\s+must
        |(ignora|dimentica)\s+(tutte\s+)?(le\s+)?(tue\s+)?(istruzioni|regole)
        |(nota|messaggio|istruzioni)\s+per\s+l.assistente
        |istruzioni\s+(di|del)\s+sistema\s*:
        |l.assistente\s+deve
        |(ignora|olvida)\s+(todas\s+)?(las\s+)?(tus\s+)?(instrucciones|reglas)
        |(nota|mensaje|instrucciones)\s+para\s+el\s+asistente
        |instrucciones\s+del\s+sistema\s*:
        |el\s+asistente\s+debe
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex Marker();
}
