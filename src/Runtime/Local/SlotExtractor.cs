using System.Globalization;
using System.Text.RegularExpressions;

namespace Agents.Runtime.Local;

/// <summary>
/// What a message says beside its intent. <see cref="Product"/> is the part naming a product, with
/// intent words, stop words, amounts and constraints stripped from its edges ("aggiungi 2 vasetti di
/// pesto di pistacchio al carrello" → "pesto di pistacchio"); <see cref="Ordinal"/> points into a
/// list shown earlier (1-based; -1 is the last).
/// </summary>
internal sealed record Slots(
    int? Quantity,
    decimal? MaxPrice,
    IReadOnlyList<string> Dietary,
    string? Category,
    string? Product,
    int? Ordinal,
    string? OrderNumber,
    string? Email);

/// <summary>
/// Rule-based slot extraction for it/en/es. Every slot is found in the folded text, whose positions
/// match the original's, and the characters a slot uses are never part of the product reference.
/// </summary>
internal static partial class SlotExtractor
{
    private static readonly (string Flag, Regex Pattern)[] DietaryPatterns =
    [
        ("vegan", Vegan()), ("vegetarian", Vegetarian()), ("glutenFree", GlutenFree()), ("lactoseFree", LactoseFree()),
    ];

    private static readonly HashSet<string> AllNumberWords = SlotLexicon.NumberWords.Values.SelectMany(n => n.Keys).ToHashSet(StringComparer.Ordinal);
    private static readonly Dictionary<string, int> NumberPhraseValues = SlotLexicon.NumberPhrases.ToDictionary(p => p.Phrase, p => p.Value, StringComparer.Ordinal);
    private static readonly Regex NumberPhrase = AnyOf(SlotLexicon.NumberPhrases.Select(p => p.Phrase));
    private static readonly Regex CategoryWord = AnyOf(SlotLexicon.Categories);

    public static Slots Extract(string text, string language)
    {
        var folded = TextNormalizer.Fold(text);
        var used = new bool[text.Length];

        var email = First(EmailAddress(), text, used)?.Value;
        var sku = First(Sku(), folded, used)?.Value.ToUpperInvariant();
        var orderNumber = OrderNumber(folded, used);
        var maxPrice = Budget(folded, used);
        var dietary = DietaryPatterns.Where(d => ConsumeAll(d.Pattern, folded, used)).Select(d => d.Flag).ToList();
        var quantity = Quantity(folded, language, used);
        var category = Category(text, folded);
        var tokens = TextNormalizer.Tokens(text);
        var ordinal = tokens.Where(t => !Overlaps(used, t.Start, t.Length)).Select(t => SlotLexicon.Ordinals.GetValueOrDefault(t.Folded)).FirstOrDefault(o => o != 0);

        var content = tokens.Where(t => !Overlaps(used, t.Start, t.Length) && IsContent(t.Folded)).ToList();
        var product = sku ?? (content.Count == 0 ? null : text[content[0].Start..content[^1].End]);
        return new Slots(quantity, maxPrice, dietary, category, product, ordinal == 0 ? null : ordinal, orderNumber, email);
    }

    private static bool IsContent(string word) =>
        !word.All(char.IsDigit) && !SlotLexicon.StopWords.Contains(word) && !SlotLexicon.IntentWords.Contains(word) && !SlotLexicon.Units.Contains(word)
        && !AllNumberWords.Contains(word) && !SlotLexicon.Ordinals.ContainsKey(word);

    private static string? OrderNumber(string folded, bool[] used)
    {
        foreach (var pattern in (Regex[])[OrderCode(), HashNumber(), NamedOrderNumber(), LongNumber()])
        {
            if (First(pattern, folded, used) is { } match)
            {
                return match.Groups["n"].Value.ToUpperInvariant();
            }
        }

        return null;
    }

    private static decimal? Budget(string folded, bool[] used)
    {
        foreach (var pattern in (Regex[])[Range(), BudgetBefore(), BudgetUpTo(), BudgetAfter()])
        {
            if (First(pattern, folded, used) is { } match
                && decimal.TryParse(match.Groups["n"].Value.Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                return amount;
            }
        }

        return null;
    }

    /// <summary>The first amount in the message, skipping corrections ("3 instead of 2" is 3) and measures ("500 g").</summary>
    private static int? Quantity(string folded, string language, bool[] used)
    {
        var candidates = new List<(int Position, int Length, int Value)>();
        foreach (Match match in NumberPhrase.Matches(folded))
        {
            candidates.Add((match.Index, match.Length, NumberPhraseValues[match.Value]));
        }

        foreach (Match match in Digits().Matches(folded))
        {
            candidates.Add((match.Index, match.Length, int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture)));
        }

        var words = SlotLexicon.NumberWords.GetValueOrDefault(language) ?? SlotLexicon.NumberWords["en"];
        candidates.AddRange(TextNormalizer.Tokens(folded).Where(t => words.ContainsKey(t.Folded)).Select(t => (t.Start, t.Length, words[t.Folded])));

        var found = candidates
            .Where(c => !Overlaps(used, c.Position, c.Length) && !Correction().IsMatch(folded[..c.Position]))
            .OrderBy(c => c.Position).ThenByDescending(c => c.Length)
            .ToList();
        foreach (var candidate in candidates.Where(c => !Overlaps(used, c.Position, c.Length)))
        {
            Array.Fill(used, true, candidate.Position, candidate.Length);
        }

        return found.Count > 0 && found[0].Value is > 0 and <= 999 ? found[0].Value : null;
    }

    private static string? Category(string text, string folded) =>
        CategoryWord.Match(folded) is { Success: true } match ? text.Substring(match.Index, match.Length) : null;

    /// <summary>Any of the phrases as whole words, longest first, so "olive oil" wins over "oil".</summary>
    private static Regex AnyOf(IEnumerable<string> phrases) =>
        new(@"\b(?:" + string.Join('|', phrases.OrderByDescending(p => p.Length).ThenBy(p => p, StringComparer.Ordinal).Select(Regex.Escape)) + @")\b",
            RegexOptions.CultureInvariant | RegexOptions.Compiled);

    /// <summary>The first match that does not overlap a slot already found; its characters become used.</summary>
    private static Match? First(Regex pattern, string text, bool[] used)
    {
        foreach (Match match in pattern.Matches(text))
        {
            if (!Overlaps(used, match.Index, match.Length))
            {
                Array.Fill(used, true, match.Index, match.Length);
                return match;
            }
        }

        return null;
    }

    /// <summary>Whether the pattern matches anywhere not already used; all its matches become used.</summary>
    private static bool ConsumeAll(Regex pattern, string text, bool[] used)
    {
        var found = false;
        while (First(pattern, text, used) is not null)
        {
            found = true;
        }

        return found;
    }

    private static bool Overlaps(bool[] used, int start, int length) => used.AsSpan(start, length).Contains(true);

    private const string Amount = @"(?<n>\d{1,6}(?:[.,]\d{1,2})?)";
    private const string Currency = @"(?:€|(?:eur|euro|euros)(?!\w))";
    private const string NotAMeasure = @"(?!\d)(?!\s*(?:g|gr|kg|ml|cl|l|lt|%)\b)(?:\s*" + Currency + ")?";

    [GeneratedRegex(@"[\w.+-]+@[\w-]+(\.[\w-]+)+")]
    private static partial Regex EmailAddress();

    [GeneratedRegex(@"\b(?<n>[a-z]{2,6}-\d{2,}(?:-\d{2,})*)\b")]
    private static partial Regex OrderCode();

    /// <summary>A product code copied from the shop (SDS-PIS-001): letters, then letter groups, then digits.</summary>
    [GeneratedRegex(@"\b[a-z]{2,6}(?:-[a-z]{2,6})+-\d{2,}\b")]
    private static partial Regex Sku();

    [GeneratedRegex(@"#\s?(?<n>\d{3,})\b")]
    private static partial Regex HashNumber();

    [GeneratedRegex(@"\b(?:order|ordine|pedido|numero|number|nr|n|no)\b\.?\s*(?:(?:n|nr|no|numero|number)\b\.?\s*)?:?\s*(?<n>\d{4,})\b")]
    private static partial Regex NamedOrderNumber();

    [GeneratedRegex(@"(?<![\d.,])\b(?<n>\d{6,})\b(?![.,]\d)")]
    private static partial Regex LongNumber();

    [GeneratedRegex(@"\b(?:between|tra|fra|entre|da|de|from)\s+" + Currency + @"?\s*\d{1,6}(?:[.,]\d{1,2})?\s*" + Currency + @"?\s*(?:and|e|y|a|to|-)\s*" + Currency + @"?\s*" + Amount + @"\s*" + Currency)]
    private static partial Regex Range();

    /// <summary>Words that make the amount after them a budget, with or without a currency.</summary>
    [GeneratedRegex(@"\b(?:under|below|less than|max|maximum|no more than|cheaper than|at most|budget(?: of| is)?|sotto(?: i| ai| a| al| le)?|meno di|massimo|non piu di|al massimo|budget di|inferiore a|a meno di|menos de|por debajo de|maximo|no mas de|como mucho|presupuesto(?: de)?|inferior a|por menos de)\s*:?\s*" + Currency + @"?\s*" + Amount + NotAMeasure)]
    private static partial Regex BudgetBefore();

    /// <summary>"Up to 3" may be bottles: these words need a currency to make a budget.</summary>
    [GeneratedRegex(@"\b(?:up to|within|fino a|entro(?: i)?|hasta)\s*(?:" + Currency + @"\s*" + Amount + "|" + Amount + @"\s*" + Currency + ")")]
    private static partial Regex BudgetUpTo();

    [GeneratedRegex(@"\b" + Amount + @"\s*" + Currency + @"\s*(?:max|massimo|maximo|al massimo|como mucho|at most|tops|or less|o meno|o menos)\b")]
    private static partial Regex BudgetAfter();

    [GeneratedRegex(@"(?:\b(?<n>\d{1,3})\s*x\b|\bx\s*(?<n>\d{1,3})\b|(?<![\d.,#€-])\b(?<n>\d{1,3})\b(?![.,]\d)(?!\s*(?:g|gr|kg|ml|cl|l|lt|%|eur|euro|euros)\b)(?!\s*€))")]
    private static partial Regex Digits();

    /// <summary>An amount right after one of these was the old amount: "instead of 2", "invece di 2", "en vez de 2", "not 2".</summary>
    [GeneratedRegex(@"(?:\binstead of|\brather than|\binvece di|\banziche|\ben vez de|\ben lugar de|\bnot|\bnon|\bno)\s*$")]
    private static partial Regex Correction();

    [GeneratedRegex(@"\bvegan(?:o|a|i|e|os|as)?\b")]
    private static partial Regex Vegan();

    [GeneratedRegex(@"\bvegetarian(?:o|a|i|e|os|as|s)?\b")]
    private static partial Regex Vegetarian();

    [GeneratedRegex(@"\bgluten[\s-]?free\b|\b(?:senza|sin|without|no|free from)\s+glutine?\b|\bsin gluten\b|\bceliac[oaie]?s?\b|\bceliach[ie]\b|\bsin tacc\b")]
    private static partial Regex GlutenFree();

    [GeneratedRegex(@"\blactose[\s-]?free\b|\bdairy[\s-]?free\b|\b(?:senza|without|no)\s+(?:lattosio|lactose|latte|dairy)\b|\bsin (?:lactosa|leche)\b|\bintoller\w* al lattosio\b|\bintoleran\w* a la lactosa\b|\blactose intolerant\b")]
    private static partial Regex LactoseFree();
}
