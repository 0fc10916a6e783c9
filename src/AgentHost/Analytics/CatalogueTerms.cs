using System.Collections.Concurrent;
using System.Globalization;
using Agents.Retrieval.Language;
using Npgsql;

namespace Agents.AgentHost.Analytics;

/// <summary>
/// The merchant's own words for the semantic layer: its categories and product names. The layer
/// cannot know a shop's catalogue, so it takes category and product values quoted
/// (<c>category "cheese"</c>, <c>"Pesto di pistacchio"</c>); this marks them in the question
/// before planning — a category by its name (hyphens as spaces), a product by its name or by its
/// first three or more words — so "Cheese revenue in March" is understood without quotes. The
/// interpretation shows the filter that was applied.
/// </summary>
public sealed class CatalogueTerms(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private const int MinimumProductWords = 3;
    private readonly ConcurrentDictionary<Guid, (DateTimeOffset Loaded, Terms Terms)> _cache = new();

    private sealed record Terms(IReadOnlyList<(string Phrase, string Category)> Categories, IReadOnlyList<(string[] Words, string First, string Name)> Products);

    private static readonly char[] Separators = [' ', ',', '.', ';', ':', '?', '!', '¿', '¡', '"', '\'', '(', ')', '-', '/'];

    public async Task<string> MarkAsync(Guid merchantId, string question, CancellationToken cancellationToken)
    {
        var terms = await TermsAsync(merchantId, cancellationToken);
        foreach (var (phrase, category) in terms.Categories)
        {
            if (Find(question, phrase) is { } at && !Quoted(question, at.Start))
            {
                question = string.Concat(question.AsSpan(0, at.Start), $"category \"{category}\"", question.AsSpan(at.Start + at.Length));
            }
        }

        // Most products share no word with the question: only those whose first word it contains are tried.
        var present = question.Split(Separators, StringSplitOptions.RemoveEmptyEntries).Select(Accents.Fold).ToHashSet(StringComparer.Ordinal);
        foreach (var (words, first, name) in terms.Products)
        {
            if (!present.Contains(first))
            {
                continue;
            }

            for (var k = words.Length; k >= MinimumProductWords; k--)
            {
                if (Find(question, string.Join(' ', words[..k])) is { } at && !Quoted(question, at.Start))
                {
                    question = string.Concat(question.AsSpan(0, at.Start), $"\"{name}\"", question.AsSpan(at.Start + at.Length));
                    break;
                }
            }
        }

        return question;
    }

    private async Task<Terms> TermsAsync(Guid merchantId, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(merchantId, out var cached) && clock.GetUtcNow() - cached.Loaded < Lifetime)
        {
            return cached.Terms;
        }

        var categories = new List<(string, string)>();
        var products = new List<(string[] Words, string First, string Name)>();
        await using var command = dataSource.CreateCommand("""
            SELECT 'category', category FROM (SELECT DISTINCT category FROM products WHERE merchant_id = @m) c
            UNION ALL
            SELECT 'product', name FROM (SELECT DISTINCT name FROM order_items WHERE merchant_id = @m LIMIT 5000) p
            """);
        command.Parameters.AddWithValue("m", merchantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var value = reader.GetString(1);
            if (reader.GetString(0) == "category")
            {
                categories.Add((value.Replace('-', ' ').Replace('_', ' '), value));
            }
            else if (value.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: >= MinimumProductWords } words)
            {
                products.Add((words, Accents.Fold(words[0].Trim(Separators)), value));
            }
        }

        // Longer phrases first, so "olive oil gift box" wins over "olive oil".
        var terms = new Terms([.. categories.OrderByDescending(c => c.Item1.Length)], [.. products.OrderByDescending(p => p.Words.Length)]);
        _cache[merchantId] = (clock.GetUtcNow(), terms);
        return terms;
    }

    /// <summary>Where the phrase occurs as whole words, ignoring case and accents.</summary>
    private static (int Start, int Length)? Find(string text, string phrase)
    {
        var compare = CultureInfo.InvariantCulture.CompareInfo;
        var from = 0;
        while (from < text.Length)
        {
            var found = compare.IndexOf(text.AsSpan(from), phrase.AsSpan(), CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace, out var length);
            if (found < 0)
            {
                return null;
            }

            var at = from + found;
            var before = at == 0 || !char.IsLetterOrDigit(text[at - 1]);
            var after = at + length >= text.Length || !char.IsLetterOrDigit(text[at + length]);
            if (before && after)
            {
                return (at, length);
            }

            from = at + 1;
        }

        return null;
    }

    private static bool Quoted(string text, int at) => text.AsSpan(0, at).Count('"') % 2 == 1;
}
