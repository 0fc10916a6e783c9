using System.Text.Json.Serialization;
using Agents.AgentHost.Chat;

namespace Agents.Evals.Targets;

/// <summary>What one turn produced, as /chat returned it (the host's own contract types), plus the round trip the runner measured.</summary>
public sealed record TurnObservation
{
    public string Reply { get; init; } = "";

    /// <summary>The language the host answered in (detected from the customer's message).</summary>
    public string Language { get; init; } = "";

    public IReadOnlyList<ToolCallDto> ToolCalls { get; init; } = [];

    public IReadOnlyList<CitationDto> Citations { get; init; } = [];

    public IReadOnlyList<LinkDto> Links { get; init; } = [];

    public UsageDto Usage { get; init; } = new(0, 0, 0);

    /// <summary>The turn's time inside the host.</summary>
    public long ServerLatencyMs { get; init; }

    /// <summary>Request to response as the runner saw it: what the shopper waits.</summary>
    public double LatencyMs { get; init; }

    [JsonIgnore]
    public long TotalTokens => Usage.InputTokens + Usage.OutputTokens;
}
