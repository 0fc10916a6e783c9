using Agents.Runtime.Providers;
using Microsoft.Extensions.AI;

namespace Agents.Runtime.Tests.Providers;

public sealed class CostEstimatorTests
{
    private readonly CostEstimator _estimator = new(new Dictionary<string, ModelPrice>
    {
        ["gpt-4o"] = new(2.50m, 10.00m),
        ["gpt-4o-mini"] = new(0.15m, 0.60m),
        ["amazon.nova-lite-v1:0"] = new(0.06m, 0.24m),
    });

    [Fact]
    public void Estimate_KnownModel_PricesInputAndOutputPerMillion()
    {
        var cost = _estimator.Estimate("amazon.nova-lite-v1:0", Usage(2_000_000, 500_000));

        Assert.Equal(new CostEstimate(0.12m + 0.12m, PriceKnown: true), cost);
    }

    [Fact]
    public void Estimate_DatedModelId_UsesLongestMatchingPrefix()
    {
        var cost = _estimator.Estimate("gpt-4o-mini-2024-07-18", Usage(1_000, 1_000));

        Assert.Equal(new CostEstimate(0.00075m, PriceKnown: true), cost);
    }

    [Theory]
    [InlineData("mistral-large")]
    [InlineData(null)]
    public void Estimate_UnknownModel_ReturnsZeroAndUnknown(string? model)
    {
        Assert.Equal(new CostEstimate(0m, PriceKnown: false), _estimator.Estimate(model, Usage(1_000, 1_000)));
    }

    private static UsageDetails Usage(long input, long output) => new() { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };
}
