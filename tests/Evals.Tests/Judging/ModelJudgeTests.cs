using Agents.Evals.Judging;
using Microsoft.Extensions.AI;

namespace Agents.Evals.Tests.Judging;

public class ModelJudgeTests
{
    [Fact]
    public void Parse_Verdict_ReadsPassScoreAndReason()
    {
        var verdict = ModelJudge.Parse("""{"pass": false, "score": 0.35, "reason": "It never names a price."}""");

        Assert.Equal((false, 0.35, "It never names a price."), (verdict.Pass, verdict.Score, verdict.Reason));
    }

    [Theory]
    [InlineData("Here is my verdict: {\"pass\": true, \"score\": 0.9, \"reason\": \"polite\"} Hope it helps.")]
    [InlineData("```json\n{\"pass\": true, \"score\": 0.9, \"reason\": \"polite\"}\n```")]
    public void Parse_JsonInProseOrFences_FindsTheObject(string text)
    {
        var verdict = ModelJudge.Parse(text);

        Assert.Equal((true, 0.9, "polite"), (verdict.Pass, verdict.Score, verdict.Reason));
    }

    [Theory]
    [InlineData("1.7", 1.0)]
    [InlineData("-0.2", 0.0)]
    public void Parse_ScoreOutOfRange_IsClamped(string score, double expected) =>
        Assert.Equal(expected, ModelJudge.Parse($$"""{"pass": true, "score": {{score}}}""").Score);

    [Theory]
    [InlineData(true, 1.0)]
    [InlineData(false, 0.0)]
    public void Parse_NoScore_ScoresFromPass(bool pass, double expected)
    {
        var verdict = ModelJudge.Parse($$"""{"pass": {{(pass ? "true" : "false")}}}""");

        Assert.Equal((pass, expected, ""), (verdict.Pass, verdict.Score, verdict.Reason));
    }

    [Theory]
    [InlineData("The reply is polite, so it passes.")]
    [InlineData("{ pass: true }")]
    [InlineData("""{"score": 0.8, "reason": "good"}""")]
    [InlineData("""{"pass": "yes", "score": 0.8}""")]
    [InlineData("{\"pass\": true")]
    public void Parse_NotAVerdict_Throws(string text) =>
        Assert.Throws<InvalidOperationException>(() => ModelJudge.Parse(text));

    [Fact]
    public async Task GradeAsync_FakeModel_SendsRubricAndReplyAtTemperatureZero()
    {
        var model = new FakeChatClient
        {
            Response = new ChatResponse(new ChatMessage(ChatRole.Assistant, """{"pass": true, "score": 0.8, "reason": "Answers in Italian."}""")),
        };

        var verdict = await new ModelJudge(model).GradeAsync("Answers in Italian and names a price.", [("user", "quanto costa la crema?")],
            "La crema costa 9,50 €.", TestContext.Current.CancellationToken);

        Assert.Equal((true, 0.8, "Answers in Italian."), (verdict.Pass, verdict.Score, verdict.Reason));
        var (messages, options) = Assert.Single(model.Requests);
        Assert.Equal(0f, options?.Temperature);
        Assert.Equal([ChatRole.System, ChatRole.User], messages.Select(m => m.Role));
        Assert.Contains("grading", messages[0].Text, StringComparison.Ordinal);
        var prompt = messages[1].Text;
        Assert.Contains("## Rubric\nAnswers in Italian and names a price.", prompt.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("user: quanto costa la crema?", prompt, StringComparison.Ordinal);
        Assert.Contains("## Reply to grade\nLa crema costa 9,50 €.", prompt.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }
}
