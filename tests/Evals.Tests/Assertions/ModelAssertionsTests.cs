using Agents.Evals.Assertions;

namespace Agents.Evals.Tests.Assertions;

public class ModelAssertionsTests
{
    [Fact]
    public async Task Evaluate_SimilarAboveThreshold_PassesShowingCosine()
    {
        var embedder = new FakeEmbedder { Vectors = { ["Spediamo in due giorni"] = [0.8f, 0.6f], ["We ship in 2 days"] = [0.6f, 0.8f] } };
        var result = await Eval.Run("similar", """{ "reference": "We ship in 2 days", "threshold": 0.8 }""", Eval.Reply("Spediamo in due giorni"), Eval.Context(embedder: embedder));
        Assert.Equal(AssertionOutcome.Passed, result.Outcome);
        Assert.Equal("cosine 0.960 >= 0.800", result.Message);
    }

    [Fact]
    public async Task Evaluate_SimilarBelowDefaultThreshold_Fails()
    {
        var embedder = new FakeEmbedder { Vectors = { ["Non lo so"] = [0.6f, 0.8f] } };
        var result = await Eval.Run("similar", "\"We ship in 2 days\"", Eval.Reply("Non lo so"), Eval.Context(embedder: embedder));
        Assert.Equal(AssertionOutcome.Failed, result.Outcome);
        Assert.StartsWith("cosine 0.600 < 0.750", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_RubricWithoutJudge_Skipped()
    {
        var result = await Eval.Run("rubric", "\"Polite\"", Eval.Reply("Ciao"));
        Assert.Equal(AssertionOutcome.Skipped, result.Outcome);
        Assert.Equal("no judge model configured", result.Message);
    }

    [Fact]
    public async Task Evaluate_RubricJudgePasses_PassesWithTranscript()
    {
        var judge = new FakeJudge((_, _) => new JudgeVerdict(true, 0.9, "friendly"));
        var context = new AssertionContext(new FakeLanguages(_ => "it"), new FakeEmbedder(), judge) { Transcript = [("user", "Ciao")] };
        var result = await Eval.Run("rubric", """{ "rubric": "Polite", "min_score": 0.7 }""", Eval.Reply("Ciao! Come posso aiutarti?"), context);
        Assert.Equal(AssertionOutcome.Passed, result.Outcome);
        Assert.Equal("judge: pass, score 0.9: friendly", result.Message);
        Assert.Equal(("Polite", "Ciao! Come posso aiutarti?"), (judge.Calls[0].Rubric, judge.Calls[0].Reply));
        Assert.Equal(("user", "Ciao"), Assert.Single(judge.Calls[0].Transcript));
    }

    [Fact]
    public async Task Evaluate_RubricJudgeFails_Fails()
    {
        var judge = new FakeJudge((_, _) => new JudgeVerdict(false, 0.2, "rude"));
        var result = await Eval.Run("rubric", "\"Polite\"", Eval.Reply("No."), Eval.Context(judge: judge));
        Assert.Equal(AssertionOutcome.Failed, result.Outcome);
        Assert.Equal("judge: fail, score 0.2: rude", result.Message);
    }

    [Fact]
    public async Task Evaluate_RubricPassBelowMinScore_Fails()
    {
        var judge = new FakeJudge((_, _) => new JudgeVerdict(true, 0.5, "ok"));
        var result = await Eval.Run("rubric", """{ "rubric": "Polite", "min_score": 0.7 }""", Eval.Reply("Ok."), Eval.Context(judge: judge));
        Assert.Equal(AssertionOutcome.Failed, result.Outcome);
        Assert.Equal("judge: pass but score 0.5 < 0.7: ok", result.Message);
    }

    [Fact]
    public async Task Evaluate_RubricJudgeThrows_FailsNeverPasses()
    {
        var judge = new FakeJudge((_, _) => throw new HttpRequestException("429 Too Many Requests"));
        var result = await Eval.Run("rubric", "\"Polite\"", Eval.Reply("Ciao"), Eval.Context(judge: judge));
        Assert.Equal(AssertionOutcome.Failed, result.Outcome);
        Assert.Equal("judge error: 429 Too Many Requests", result.Message);
    }

    [Fact]
    public async Task Evaluate_RubricJudgeTimesOutOnItsOwn_Fails()
    {
        var judge = new FakeJudge((_, _) => throw new TaskCanceledException("judge timed out"));
        var result = await Eval.Run("rubric", "\"Polite\"", Eval.Reply("Ciao"), Eval.Context(judge: judge));
        Assert.Equal("judge error: judge timed out", result.Message);
    }

    [Fact]
    public async Task Evaluate_RubricRunCancelled_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var judge = new CancellingJudge();
        var assertion = Eval.Create("rubric", "\"Polite\"");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await assertion.EvaluateAsync(Eval.Reply("Ciao"), Eval.Context(judge: judge), cancelled.Token));
    }

    private sealed class CancellingJudge : IJudge
    {
        public Task<JudgeVerdict> GradeAsync(string rubric, IReadOnlyList<(string Role, string Text)> transcript, string reply, CancellationToken cancellationToken) =>
            Task.FromCanceled<JudgeVerdict>(cancellationToken);
    }
}
