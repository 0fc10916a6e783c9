using Agents.Evals.Targets;

namespace Agents.Evals.Assertions;

/// <summary>One check of a turn. Built from an <see cref="Suites.AssertionSpec"/> by <see cref="AssertionFactory"/>.</summary>
public interface IAssertion
{
    /// <summary>How the assertion reads in reports, e.g. <c>tool_called search_products {"maxPrice":20}</c>.</summary>
    string Description { get; }

    ValueTask<AssertionResult> EvaluateAsync(TurnObservation turn, AssertionContext context, CancellationToken cancellationToken);
}

public enum AssertionOutcome
{
    Passed,
    Failed,

    /// <summary>Not evaluated because something it needs is not configured (a rubric without a judge); never counted as passed.</summary>
    Skipped,
}

public sealed record AssertionResult(AssertionOutcome Outcome, string Message)
{
    public static AssertionResult Pass(string message) => new(AssertionOutcome.Passed, message);

    public static AssertionResult Fail(string message) => new(AssertionOutcome.Failed, message);

    public static AssertionResult Skip(string message) => new(AssertionOutcome.Skipped, message);
}

/// <summary>What assertions may need besides the turn: the language detector, the embedder, the judge.</summary>
public sealed class AssertionContext(ILanguageDetector languages, ITextEmbedder embedder, IJudge? judge)
{
    public ILanguageDetector Languages { get; } = languages;

    public ITextEmbedder Embedder { get; } = embedder;

    /// <summary>Null when the suite names no judge model: rubric assertions are then skipped, never passed.</summary>
    public IJudge? Judge { get; } = judge;

    /// <summary>The conversation so far (user and assistant messages), for the judge.</summary>
    public IReadOnlyList<(string Role, string Text)> Transcript { get; init; } = [];
}

public interface ILanguageDetector
{
    /// <summary>"it", "en", "es", or "und" when the text holds nothing to go on.</summary>
    string Detect(string text);
}

public interface ITextEmbedder
{
    /// <summary>An L2-normalised sentence embedding.</summary>
    Task<float[]> EmbedAsync(string text, CancellationToken cancellationToken);
}

public interface IJudge
{
    /// <summary>Grades the reply against the rubric. Throws when the judge cannot answer: the assertion then fails.</summary>
    Task<JudgeVerdict> GradeAsync(string rubric, IReadOnlyList<(string Role, string Text)> transcript, string reply, CancellationToken cancellationToken);
}

public sealed record JudgeVerdict(bool Pass, double Score, string Reason);
