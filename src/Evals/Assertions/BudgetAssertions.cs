using Agents.Evals.Targets;

namespace Agents.Evals.Assertions;

/// <summary>max_latency_ms, max_cost_usd, max_tokens: a measure of the turn at or under a limit.</summary>
internal sealed class BudgetAssertion(string kind, double limit, Func<TurnObservation, double> measure, Func<double, string> format) : TurnAssertion
{
    public override string Description => $"{kind} {format(limit)}";

    protected override AssertionResult Evaluate(TurnObservation turn, AssertionContext context)
    {
        var value = measure(turn);
        return value <= limit
            ? AssertionResult.Pass($"{format(value)} <= {format(limit)}")
            : AssertionResult.Fail($"{format(value)} > {format(limit)}");
    }
}
