using System.Text.Json;
using Agents.Evals.Targets;
using Agents.Retrieval.Language;

namespace Agents.Evals.Assertions;

internal sealed class CitationAssertion(bool expected) : TurnAssertion
{
    public override string Description => expected ? "citation true" : "citation false";

    protected override AssertionResult Evaluate(TurnObservation turn, AssertionContext context) =>
        (turn.Citations.Count > 0) == expected
            ? AssertionResult.Pass($"cited: {Citations.Describe(turn)}")
            : AssertionResult.Fail(expected ? "no citations" : $"cited: {Citations.Describe(turn)}");
}

internal sealed class CitesAssertion(string document) : TurnAssertion
{
    private readonly Guid? _id = Guid.TryParse(document, out var id) ? id : null;

    public override string Description => $"cites {TextUtil.Quote(document, 80)}";

    protected override AssertionResult Evaluate(TurnObservation turn, AssertionContext context)
    {
        var folded = Accents.Fold(document);
        var hit = turn.Citations.FirstOrDefault(c => _id is { } id ? c.DocumentId == id : Accents.Fold(c.Title).Contains(folded, StringComparison.Ordinal));
        return hit is not null
            ? AssertionResult.Pass($"cited {TextUtil.Quote(hit.Title)}")
            : AssertionResult.Fail($"no citation of {TextUtil.Quote(document)}; cited: {Citations.Describe(turn)}");
    }
}

internal sealed class LinkAssertion(string purpose) : TurnAssertion
{
    public override string Description => $"link {purpose}";

    protected override AssertionResult Evaluate(TurnObservation turn, AssertionContext context)
    {
        var link = turn.Links.FirstOrDefault(l => string.Equals(l.Purpose, purpose, StringComparison.OrdinalIgnoreCase));
        var links = turn.Links.Count == 0 ? "none" : string.Join(", ", turn.Links.Select(l => $"{l.Purpose} {l.Url}"));
        return link is not null
            ? AssertionResult.Pass($"{link.Purpose} {link.Url}")
            : AssertionResult.Fail($"no {purpose} link; links: {links}");
    }
}

/// <summary>Every URL in the reply came from the host (a link it issued, or a tool result), not from the model's imagination.</summary>
internal sealed class NoInventedLinksAssertion : TurnAssertion
{
    public override string Description => "no_invented_links";

    protected override AssertionResult Evaluate(TurnObservation turn, AssertionContext context)
    {
        var urls = TextUtil.Urls(turn.Reply).ToList();
        // String values rather than the raw JSON: an escaped "\u0026" or "\/" in a result must still count as the URL.
        var known = turn.ToolCalls.SelectMany(c => Strings(c.Result)).Concat(turn.Links.Select(l => l.Url)).ToList();
        var invented = urls.Where(u => !known.Any(k => k.Contains(u, StringComparison.Ordinal))).ToList();
        return invented.Count == 0
            ? AssertionResult.Pass(urls.Count == 0 ? "no links in the reply" : $"{urls.Count} link(s), all from the host")
            : AssertionResult.Fail($"invented links: {string.Join(", ", invented)}");
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };
}

internal static class Citations
{
    public static string Describe(TurnObservation turn) =>
        turn.Citations.Count == 0 ? "none" : string.Join(", ", turn.Citations.Select(c => TextUtil.Quote(c.Title, 80)));
}
