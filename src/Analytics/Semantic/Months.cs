namespace Agents.Analytics.Semantic;

/// <summary>Month names in English, Italian and Spanish (accents stripped), full and short.</summary>
internal static class Months
{
    private static readonly Dictionary<string, int> Full = new(StringComparer.Ordinal)
    {
        ["january"] = 1, ["february"] = 2, ["march"] = 3, ["april"] = 4, ["june"] = 6, ["july"] = 7,
        ["august"] = 8, ["september"] = 9, ["october"] = 10, ["november"] = 11, ["december"] = 12,
        ["gennaio"] = 1, ["febbraio"] = 2, ["marzo"] = 3, ["aprile"] = 4, ["maggio"] = 5, ["giugno"] = 6, ["luglio"] = 7,
        ["agosto"] = 8, ["settembre"] = 9, ["ottobre"] = 10, ["novembre"] = 11, ["dicembre"] = 12,
        ["enero"] = 1, ["febrero"] = 2, ["abril"] = 4, ["mayo"] = 5, ["junio"] = 6, ["julio"] = 7,
        ["septiembre"] = 9, ["setiembre"] = 9, ["octubre"] = 10, ["noviembre"] = 11, ["diciembre"] = 12,
    };

    // Short names (and English "may") only count next to a day or a year, or after "in"/"since"/…:
    // "mar", "set" and "may" are ordinary words too.
    private static readonly Dictionary<string, int> Short = new(StringComparer.Ordinal)
    {
        ["may"] = 5, ["jan"] = 1, ["feb"] = 2, ["mar"] = 3, ["apr"] = 4, ["jun"] = 6, ["jul"] = 7, ["aug"] = 8, ["sep"] = 9, ["sept"] = 9,
        ["oct"] = 10, ["nov"] = 11, ["dec"] = 12, ["gen"] = 1, ["mag"] = 5, ["giu"] = 6, ["lug"] = 7, ["ago"] = 8, ["set"] = 9,
        ["ott"] = 10, ["dic"] = 12, ["ene"] = 1, ["abr"] = 4,
    };

    private static readonly HashSet<string> MayIntroducers = ["in", "of", "since", "from", "during", "for", "until", "and", "to", "between", "through"];

    public static bool TryMonth(IReadOnlyList<Token> t, int i, bool allowShort, out int month)
    {
        month = 0;
        if (i >= t.Count || !t[i].IsWord)
        {
            return false;
        }

        var w = t[i].Text;
        if (Full.TryGetValue(w, out month))
        {
            return true;
        }

        if (w == "may" && i > 0 && t[i - 1].IsWord && MayIntroducers.Contains(t[i - 1].Text))
        {
            month = 5;
            return true;
        }

        return allowShort && Short.TryGetValue(w, out month);
    }
}
