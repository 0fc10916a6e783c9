using Agents.Evals.Assertions;

namespace Agents.Evals.Tests.Assertions;

public class TextAssertionsTests
{
    [Fact]
    public async Task Evaluate_EqualsAfterTrimAndLineEndings_Passes() =>
        Assert.Equal(AssertionOutcome.Passed, (await Eval.Run("equals", "\"Ciao!\\nCome posso aiutarti?\"", Eval.Reply("  Ciao!\r\nCome posso aiutarti?\n"))).Outcome);

    [Fact]
    public async Task Evaluate_EqualsDifferentCase_FailsShowingReply()
    {
        var result = await Eval.Run("equals", "\"ciao\"", Eval.Reply("Ciao"));
        Assert.Equal(AssertionOutcome.Failed, result.Outcome);
        Assert.Equal("reply was \"Ciao\"", result.Message);
    }

    [Fact]
    public async Task Evaluate_ContainsAll_Passes() =>
        Assert.Equal(AssertionOutcome.Passed, (await Eval.Run("contains", "[\"pistachio\", \"almond\"]", Eval.Reply("A pistachio and almond cake"))).Outcome);

    [Fact]
    public async Task Evaluate_ContainsMissing_FailsWithClippedReply()
    {
        var result = await Eval.Run("contains", "[\"pistachio\", \"almond\"]", Eval.Reply("Pistachio cake " + new string('x', 300)));
        Assert.Equal(AssertionOutcome.Failed, result.Outcome);
        Assert.StartsWith("missing \"pistachio\", \"almond\"; reply: \"Pistachio cake xxx", result.Message, StringComparison.Ordinal);
        Assert.EndsWith("x…\"", result.Message, StringComparison.Ordinal);
        Assert.True(result.Message.Length < 260);
    }

    [Fact]
    public async Task Evaluate_IContainsWithoutAccentsOrCase_Passes() =>
        Assert.Equal(AssertionOutcome.Passed, (await Eval.Run("icontains", "\"PERCHE\"", Eval.Reply("Ecco perché 🍰 vale la pena"))).Outcome);

    [Fact]
    public async Task Evaluate_IContainsMissing_Fails() =>
        Assert.Equal(AssertionOutcome.Failed, (await Eval.Run("icontains", "\"pistacchio\"", Eval.Reply("Torta al cioccolato"))).Outcome);

    [Fact]
    public async Task Evaluate_NotContainsAbsent_Passes() =>
        Assert.Equal(AssertionOutcome.Passed, (await Eval.Run("not_contains", "[\"amazon\", \"ebay\"]", Eval.Reply("Solo nel nostro negozio"))).Outcome);

    [Fact]
    public async Task Evaluate_NotContainsInOtherCaseAndAccents_FailsWithExcerpt()
    {
        var reply = new string('y', 100) + " prova su Amazón " + new string('z', 100);
        var result = await Eval.Run("not_contains", "\"amazon\"", Eval.Reply(reply));
        Assert.Equal(AssertionOutcome.Failed, result.Outcome);
        Assert.StartsWith("found \"amazon\" in \"…", result.Message, StringComparison.Ordinal);
        Assert.Contains("prova su Amazón", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_RegexMatches_Passes() =>
        Assert.Equal(AssertionOutcome.Passed, (await Eval.Run("regex", "\"\\\\d+[.,]\\\\d{2} ?€\"", Eval.Reply("Costa 12,50 € al kg"))).Outcome);

    [Fact]
    public async Task Evaluate_RegexNoMatch_Fails() =>
        Assert.Equal(AssertionOutcome.Failed, (await Eval.Run("regex", "\"^Ciao\"", Eval.Reply("Buongiorno"))).Outcome);

    [Fact]
    public async Task Evaluate_NotRegexMatches_FailsShowingMatch()
    {
        var result = await Eval.Run("not_regex", "\"(?i)as an ai\"", Eval.Reply("As an AI I cannot taste cakes"));
        Assert.Equal(AssertionOutcome.Failed, result.Outcome);
        Assert.StartsWith("matched \"As an AI\"", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_NotRegexNoMatch_Passes() =>
        Assert.Equal(AssertionOutcome.Passed, (await Eval.Run("not_regex", "\"sorry\"", Eval.Reply("Eccolo!"))).Outcome);

    [Fact]
    public async Task Evaluate_LanguageMatches_PassesOnStrippedText()
    {
        var languages = new FakeLanguages(_ => "it");
        var reply = "**Torta** al _pistacchio_ [1]: 12,50 € — https://shop.example/p/42?ref=x.";
        var result = await Eval.Run("language", "\"it\"", Eval.Reply(reply), Eval.Context(languages));
        Assert.Equal(AssertionOutcome.Passed, result.Outcome);
        Assert.Equal("Torta al pistacchio : € —", Assert.Single(languages.Seen));
    }

    [Fact]
    public async Task Evaluate_LanguageOther_Fails()
    {
        var result = await Eval.Run("language", "\"it\"", Eval.Reply("Hello there"), Eval.Context(new FakeLanguages(_ => "en")));
        Assert.Equal(AssertionOutcome.Failed, result.Outcome);
        Assert.StartsWith("reply is in en, expected it", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_LanguageUndetermined_FailsSayingSo()
    {
        var result = await Eval.Run("language", "\"es\"", Eval.Reply("42"), Eval.Context(new FakeLanguages(_ => "und")));
        Assert.Equal(AssertionOutcome.Failed, result.Outcome);
        Assert.StartsWith("language undetermined (expected es)", result.Message, StringComparison.Ordinal);
    }
}
