using System.Text.RegularExpressions;
using Agents.Evals.Targets;
using Agents.Retrieval.Language;

namespace Agents.Evals.Assertions;

internal sealed class EqualsAssertion(string expected) : TurnAssertion
{
    public override string Description => $"equals {TextUtil.Quote(expected, 80)}";

    protected override AssertionResult Evaluate(TurnObservation turn, AssertionContext context) =>
        Normalize(turn.Reply) == Normalize(expected)
            ? AssertionResult.Pass("reply matches")
            : AssertionResult.Fail($"reply was {TextUtil.Quote(turn.Reply)}");

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Trim();
}

/// <summary>contains (exact), icontains (folded), not_contains (folded: a forbidden word fails in any casing or accents).</summary>
internal sealed class ContainsAssertion(string kind, IReadOnlyList<string> texts, bool fold, bool forbidden) : TurnAssertion
{
    public override string Description => $"{kind} {string.Join(", ", texts.Select(t => TextUtil.Quote(t, 80)))}";

    protected override AssertionResult Evaluate(TurnObservation turn, AssertionContext context)
    {
        var map = new List<int>();
        var reply = fold ? Accents.Fold(turn.Reply, map) : turn.Reply;
        var found = texts.Select(t => (Text: t, Index: reply.IndexOf(fold ? Accents.Fold(t) : t, StringComparison.Ordinal))).ToList();
        if (forbidden)
        {
            var hits = found.Where(f => f.Index >= 0).ToList();
            return hits.Count == 0
                ? AssertionResult.Pass("none present")
                : AssertionResult.Fail(string.Join("; ", hits.Select(h => $"found {TextUtil.Quote(h.Text)} in \"{TextUtil.Excerpt(turn.Reply, map[h.Index], h.Text.Length)}\"")));
        }

        var missing = found.Where(f => f.Index < 0).Select(f => TextUtil.Quote(f.Text)).ToList();
        return missing.Count == 0
            ? AssertionResult.Pass("all present")
            : AssertionResult.Fail($"missing {string.Join(", ", missing)}; reply: {TextUtil.Quote(turn.Reply)}");
    }
}

internal sealed class RegexAssertion(string kind, Regex regex, bool forbidden) : TurnAssertion
{
    public override string Description => $"{kind} /{regex}/";

    protected override AssertionResult Evaluate(TurnObservation turn, AssertionContext context)
    {
        Match match;
        try
        {
            match = regex.Match(turn.Reply);
        }
        catch (RegexMatchTimeoutException)
        {
            return AssertionResult.Fail($"pattern timed out after {regex.MatchTimeout.TotalSeconds:0} s on the reply");
        }

        return (match.Success, forbidden) switch
        {
            (true, false) => AssertionResult.Pass($"matched {TextUtil.Quote(match.Value, 80)}"),
            (false, false) => AssertionResult.Fail($"no match; reply: {TextUtil.Quote(turn.Reply)}"),
            (true, true) => AssertionResult.Fail($"matched {TextUtil.Quote(match.Value, 80)} in \"{TextUtil.Excerpt(turn.Reply, match.Index, match.Length)}\""),
            (false, true) => AssertionResult.Pass("no match"),
        };
    }
}

internal sealed class LanguageAssertion(string expected) : TurnAssertion
{
    public override string Description => $"language {expected}";

    protected override AssertionResult Evaluate(TurnObservation turn, AssertionContext context)
    {
        var detected = context.Languages.Detect(TextUtil.ForLanguageDetection(turn.Reply));
        return detected == expected ? AssertionResult.Pass($"reply is in {detected}")
            : detected == "und" ? AssertionResult.Fail($"language undetermined (expected {expected}); reply: {TextUtil.Quote(turn.Reply)}")
            : AssertionResult.Fail($"reply is in {detected}, expected {expected}; reply: {TextUtil.Quote(turn.Reply)}");
    }
}
