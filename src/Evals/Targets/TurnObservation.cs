using System.Text.Json;
using System.Text.Json.Serialization;

namespace Agents.Evals.Targets;

/// <summary>What one turn produced, as /chat returned it, plus the round trip the runner measured.</summary>
public sealed record TurnObservation
{
    public string Reply { get; init; } = "";

    /// <summary>The language the host answered in (detected from the customer's message).</summary>
    public string Language { get; init; } = "";

    public IReadOnlyList<ToolCallObservation> ToolCalls { get; init; } = [];

    public IReadOnlyList<CitationObservation> Citations { get; init; } = [];

    public IReadOnlyList<LinkObservation> Links { get; init; } = [];

    public UsageObservation Usage { get; init; } = new(0, 0, 0);

    /// <summary>The turn's time inside the host.</summary>
    public long ServerLatencyMs { get; init; }

    /// <summary>Request to response as the runner saw it: what the shopper waits.</summary>
    public double LatencyMs { get; init; }

    [JsonIgnore]
    public long TotalTokens => Usage.InputTokens + Usage.OutputTokens;
}

public sealed record ToolCallObservation(string Name, JsonElement Arguments, JsonElement Result);

public sealed record CitationObservation(Guid DocumentId, string Title, string Snippet);

public sealed record LinkObservation(string Purpose, string Url, DateTimeOffset? ExpiresAt);

public sealed record UsageObservation(long InputTokens, long OutputTokens, decimal CostUsd);
