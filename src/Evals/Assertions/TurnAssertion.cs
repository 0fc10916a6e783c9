using Agents.Evals.Targets;

namespace Agents.Evals.Assertions;

/// <summary>The assertions that need no awaiting: each writes one plain method instead of wrapping every result in a ValueTask.</summary>
internal abstract class TurnAssertion : IAssertion
{
    public abstract string Description { get; }

    public ValueTask<AssertionResult> EvaluateAsync(TurnObservation turn, AssertionContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Evaluate(turn, context));

    protected abstract AssertionResult Evaluate(TurnObservation turn, AssertionContext context);
}
