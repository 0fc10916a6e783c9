using System.Text.RegularExpressions;

namespace Agents.Retrieval.Chunking;

public sealed record Chunk(int Ordinal, string Text, int TokenCount);

/// <summary>
/// Splits text into chunks of at most <c>maxTokens</c> encoder tokens, on paragraph, then
/// sentence, then word boundaries, repeating the last ~<c>overlapTokens</c> of a chunk at the
/// start of the next so a fact that straddles a boundary is still found. No chunk exceeds the
/// budget, so the encoder never truncates silently.
/// </summary>
public sealed partial class Chunker(Func<string, int> countTokens, int maxTokens = 128, int overlapTokens = 24)
{
    public int MaxTokens => maxTokens;

    public IReadOnlyList<Chunk> Split(string text, int reservedTokens = 0)
    {
        var budget = Math.Max(16, maxTokens - reservedTokens);
        var units = new List<(string Text, int Tokens)>();
        foreach (var paragraph in Paragraphs().Split(text.Trim()).Where(p => p.Trim().Length > 0))
        {
            AddUnits(paragraph.Trim(), budget, units, level: 0);
        }

        var chunks = new List<Chunk>();
        var current = new List<(string Text, int Tokens)>();
        var tokens = 0;
        var fresh = 0; // units in `current` not yet emitted in an earlier chunk
        foreach (var unit in units)
        {
            if (tokens + unit.Tokens > budget && current.Count > 0)
            {
                chunks.Add(Build(chunks.Count, current));
                current = Overlap(current, Math.Min(overlapTokens, budget - unit.Tokens));
                tokens = current.Sum(u => u.Tokens);
                fresh = 0;
            }

            current.Add(unit);
            tokens += unit.Tokens;
            fresh++;
        }

        if (fresh > 0)
        {
            chunks.Add(Build(chunks.Count, current));
        }

        return chunks;
    }

    private void AddUnits(string text, int budget, List<(string, int)> units, int level)
    {
        var tokens = countTokens(text);
        if (tokens <= budget)
        {
            units.Add((text, tokens));
            return;
        }

        // Too long: sentences, then words; a single word longer than the budget is cut by characters.
        var parts = level switch
        {
            0 => Sentences().Split(text),
            1 => text.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            _ => [text],
        };
        if (parts.Length == 1)
        {
            var half = text.Length / 2;
            if (char.IsLowSurrogate(text[half]))
            {
                half--;
            }

            AddUnits(text[..half], budget, units, level);
            AddUnits(text[half..], budget, units, level);
            return;
        }

        foreach (var part in parts.Where(p => p.Trim().Length > 0))
        {
            AddUnits(part.Trim(), budget, units, level + 1);
        }
    }

    private static List<(string Text, int Tokens)> Overlap(List<(string Text, int Tokens)> previous, int budget)
    {
        var carried = new List<(string Text, int Tokens)>();
        var tokens = 0;
        for (var i = previous.Count - 1; i >= 0 && tokens + previous[i].Tokens <= budget; i--)
        {
            carried.Insert(0, previous[i]);
            tokens += previous[i].Tokens;
        }

        return carried;
    }

    private Chunk Build(int ordinal, List<(string Text, int Tokens)> units)
    {
        var text = string.Join(" ", units.Select(u => u.Text));
        return new Chunk(ordinal, text, Math.Min(countTokens(text), maxTokens));
    }

    [GeneratedRegex(@"\n\s*\n")]
    private static partial Regex Paragraphs();

    // After . ! ? … (and closing quotes/brackets) followed by whitespace.
    [GeneratedRegex(@"(?<=[.!?…][""'”»)\]]?)\s+")]
    private static partial Regex Sentences();
}
