using Agents.AgentHost.Chat;
using Agents.Evals.Assertions;
using Agents.Evals.Targets;

namespace Agents.Evals.Tests.Assertions;

public class BudgetAssertionsTests
{
    private static readonly TurnObservation Turn = new() { LatencyMs = 1800.4, Usage = new UsageDto(1200, 250, 0.0123m) };

    [Fact]
    public async Task Evaluate_WithinLatency_Passes() =>
        Assert.Equal(AssertionOutcome.Passed, (await Eval.Run("max_latency_ms", "2000", Turn)).Outcome);

    [Fact]
    public async Task Evaluate_OverLatency_FailsShowingBoth()
    {
        var result = await Eval.Run("max_latency_ms", "1500", Turn);
        Assert.Equal(AssertionOutcome.Failed, result.Outcome);
        Assert.Equal("1800.4 ms > 1500 ms", result.Message);
    }

    [Fact]
    public async Task Evaluate_CostAtLimit_Passes() =>
        Assert.Equal(AssertionOutcome.Passed, (await Eval.Run("max_cost_usd", "0.0123", Turn)).Outcome);

    [Fact]
    public async Task Evaluate_OverCost_Fails()
    {
        var result = await Eval.Run("max_cost_usd", "0.01", Turn);
        Assert.Equal(AssertionOutcome.Failed, result.Outcome);
        Assert.Equal("$0.0123 > $0.01", result.Message);
    }

    [Fact]
    public async Task Evaluate_WithinTokens_Passes() =>
        Assert.Equal(AssertionOutcome.Passed, (await Eval.Run("max_tokens", "1450", Turn)).Outcome);

    [Fact]
    public async Task Evaluate_OverTokens_FailsCountingInputAndOutput()
    {
        var result = await Eval.Run("max_tokens", "1449", Turn);
        Assert.Equal(AssertionOutcome.Failed, result.Outcome);
        Assert.Equal("1450 tokens > 1449 tokens", result.Message);
    }
}
