using Microsoft.Extensions.AI;

namespace Agents.Runtime.Providers;

/// <summary>What a model costs per million tokens, in US dollars.</summary>
public sealed record ModelPrice(decimal InputPerMillionUsd, decimal OutputPerMillionUsd);

/// <summary>The cost of some usage; <see cref="PriceKnown"/> is false when the model is not in the price table (and the cost is 0).</summary>
public sealed record CostEstimate(decimal Usd, bool PriceKnown);

/// <summary>
/// Prices token usage from a configured table keyed by model id. Providers answer with dated ids
/// (gpt-4o-mini → gpt-4o-mini-2024-07-18), so when there is no exact entry the longest key the id
/// starts with is used.
/// </summary>
public sealed class CostEstimator(IReadOnlyDictionary<string, ModelPrice> prices)
{
    private const decimal Million = 1_000_000m;

    public CostEstimate Estimate(string? modelId, UsageDetails? usage)
    {
        if (Find(modelId) is not { } price)
        {
            return new CostEstimate(0m, PriceKnown: false);
        }

        var usd = (usage?.InputTokenCount ?? 0) * price.InputPerMillionUsd / Million
            + (usage?.OutputTokenCount ?? 0) * price.OutputPerMillionUsd / Million;
        return new CostEstimate(usd, PriceKnown: true);
    }

    private ModelPrice? Find(string? modelId)
    {
        if (string.IsNullOrEmpty(modelId))
        {
            return null;
        }

        if (prices.TryGetValue(modelId, out var exact))
        {
            return exact;
        }

        return prices.Where(entry => modelId.StartsWith(entry.Key, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(entry => entry.Key.Length)
            .Select(entry => entry.Value)
            .FirstOrDefault();
    }
}
