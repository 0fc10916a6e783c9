using Agents.Evals.Targets;

namespace Agents.Evals.Assertions;

internal sealed class SimilarAssertion(string reference, double threshold) : IAssertion
{
    public const double DefaultThreshold = 0.75;

    public string Description => $"similar {TextUtil.Quote(reference, 80)} >= {TextUtil.Number(threshold, "0.0##")}";

    public async ValueTask<AssertionResult> EvaluateAsync(TurnObservation turn, AssertionContext context, CancellationToken cancellationToken)
    {
        var reply = await context.Embedder.EmbedAsync(turn.Reply, cancellationToken);
        var expected = await context.Embedder.EmbedAsync(reference, cancellationToken);
        if (reply.Length != expected.Length)
        {
            return AssertionResult.Fail($"embeddings differ in size ({reply.Length} vs {expected.Length})");
        }

        var cosine = Cosine(reply, expected);
        var shown = $"cosine {TextUtil.Number(cosine, "0.000")}";
        return cosine >= threshold
            ? AssertionResult.Pass($"{shown} >= {TextUtil.Number(threshold, "0.000")}")
            : AssertionResult.Fail($"{shown} < {TextUtil.Number(threshold, "0.000")}; reply: {TextUtil.Quote(turn.Reply)}");
    }

    /// <summary>Divides by the norms although embeddings should come normalised: a stray unnormalised vector must not inflate the score.</summary>
    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, normA = 0, normB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * (double)b[i];
            normA += a[i] * (double)a[i];
            normB += b[i] * (double)b[i];
        }

        return normA == 0 || normB == 0 ? 0 : dot / Math.Sqrt(normA * normB);
    }
}

internal sealed class RubricAssertion(string rubric, double? minScore) : IAssertion
{
    public string Description => $"rubric {TextUtil.Quote(rubric, 80)}" + (minScore is { } m ? $" (min_score {TextUtil.Number(m, "0.0##")})" : "");

    public async ValueTask<AssertionResult> EvaluateAsync(TurnObservation turn, AssertionContext context, CancellationToken cancellationToken)
    {
        if (context.Judge is null)
        {
            return AssertionResult.Skip("no judge model configured");
        }

        JudgeVerdict verdict;
        try
        {
            verdict = await context.Judge.GradeAsync(rubric, context.Transcript, turn.Reply, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // Whatever the judge throws (HTTP, parsing, its own timeout) is a failed grade, never a silent pass.
            return AssertionResult.Fail($"judge error: {e.Message}");
        }

        var score = $"score {TextUtil.Number(verdict.Score, "0.0##")}";
        return !verdict.Pass ? AssertionResult.Fail($"judge: fail, {score}: {verdict.Reason}")
            : minScore is { } min && !(verdict.Score >= min) ? AssertionResult.Fail($"judge: pass but {score} < {TextUtil.Number(min, "0.0##")}: {verdict.Reason}")
            : AssertionResult.Pass($"judge: pass, {score}: {verdict.Reason}");
    }
}
