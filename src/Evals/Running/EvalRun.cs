using Agents.Evals.Assertions;
using Agents.Evals.Targets;

namespace Agents.Evals.Running;

/// <summary>The whole result of running one suite: written as results.json and read back by <c>compare</c>.</summary>
public sealed record EvalRun
{
    public required string Suite { get; init; }
    public string? Description { get; init; }
    public required string SuitePath { get; init; }

    /// <summary>"in-process (demo)" or the deployment's URL.</summary>
    public required string Target { get; init; }
    public required double Threshold { get; init; }
    public required int Repeat { get; init; }
    public string? Filter { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
    public required string Machine { get; init; }
    public required IReadOnlyList<VariantResult> Variants { get; init; }

    public bool Passed => Variants.All(v => v.MetThreshold);
}

public sealed record VariantResult
{
    public required string Name { get; init; }
    public required string Provider { get; init; }
    public string? Model { get; init; }

    /// <summary>The prompt set the host reported (e.g. <c>shop-assistant@2;replies@1;intents@1</c>), when known.</summary>
    public string? PromptVersion { get; init; }
    public required IReadOnlyList<CaseResult> Cases { get; init; }

    /// <summary>Set when the variant could not run at all (host did not start, key refused): every case counts as failed.</summary>
    public string? Error { get; init; }

    /// <summary>Runs that count towards the threshold: cases marked with a known issue are reported but not counted.</summary>
    public int Runs => Counted.Sum(c => c.Runs.Count);
    public int PassedRuns => Counted.Sum(c => c.Runs.Count(r => r.Passed));
    public int KnownIssues => Cases.Count(c => c.KnownIssue is not null);
    public double PassRate => Runs == 0 ? 0 : (double)PassedRuns / Runs;
    public required double Threshold { get; init; }
    public bool MetThreshold => Error is null && Runs > 0 && PassRate + 1e-9 >= Threshold;

    /// <summary>Latency percentiles over every turn of every run (round trip as the runner saw it).</summary>
    public required LatencyStats TurnLatency { get; init; }

    private IEnumerable<CaseResult> Counted => Cases.Where(c => c.KnownIssue is null);
    public decimal CostUsd => Cases.Sum(c => c.Runs.Sum(r => r.CostUsd));
    public long Tokens => Cases.Sum(c => c.Runs.Sum(r => r.Tokens));
}

public sealed record CaseResult
{
    public required string Id { get; init; }
    public string? Description { get; init; }
    public required IReadOnlyList<string> Tags { get; init; }
    public required int Line { get; init; }
    public required IReadOnlyList<CaseRun> Runs { get; init; }

    /// <summary>Why this case is expected to fail (the suite's <c>known_issue</c>): reported, never counted against the threshold.</summary>
    public string? KnownIssue { get; init; }

    public int PassedRuns => Runs.Count(r => r.Passed);
    public double PassRate => Runs.Count == 0 ? 0 : (double)PassedRuns / Runs.Count;

    /// <summary>Some runs passed and some failed: the behaviour is not stable.</summary>
    public bool Flaky => PassedRuns > 0 && PassedRuns < Runs.Count;
    public bool Passed => Runs.Count > 0 && PassedRuns == Runs.Count;

    /// <summary>Spread of a whole run's latency over the repetitions.</summary>
    public required LatencyStats RunLatency { get; init; }
}

/// <summary>One repetition of a case.</summary>
public sealed record CaseRun
{
    public required int Attempt { get; init; }
    public required string SessionId { get; init; }
    public required IReadOnlyList<StepResult> Steps { get; init; }

    /// <summary>A step that could not be executed (HTTP error, no link to open): the run fails with it.</summary>
    public string? Error { get; init; }

    public bool Passed => Error is null && Steps.All(s => s.Passed);
    public double LatencyMs => Steps.Sum(s => s.Observation?.LatencyMs ?? 0);
    public decimal CostUsd => Steps.Sum(s => s.Observation?.Usage.CostUsd ?? 0);
    public long Tokens => Steps.Sum(s => s.Observation?.TotalTokens ?? 0);
}

public sealed record StepResult
{
    /// <summary>"turn" or "page".</summary>
    public required string Kind { get; init; }
    public required int Line { get; init; }

    /// <summary>The shopper's message (turn), or "open register link" (page).</summary>
    public required string Input { get; init; }
    public TurnObservation? Observation { get; init; }

    /// <summary>For a page step: the HTTP status of the submitted form.</summary>
    public int? PageStatus { get; init; }
    public required IReadOnlyList<AssertionRecord> Assertions { get; init; }
    public string? Error { get; init; }

    public bool Passed => Error is null && Assertions.All(a => a.Outcome != AssertionOutcome.Failed);
}

public sealed record AssertionRecord(string Kind, string Description, AssertionOutcome Outcome, string Message, int Line);

public sealed record LatencyStats(double P50, double P95, double Min, double Max, double Mean, double StdDev)
{
    public static LatencyStats Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new LatencyStats(0, 0, 0, 0, 0, 0);
        }

        var mean = sorted.Average();
        var variance = sorted.Sum(v => (v - mean) * (v - mean)) / sorted.Length;
        return new LatencyStats(Percentile(sorted, 0.50), Percentile(sorted, 0.95), sorted[0], sorted[^1], mean, Math.Sqrt(variance));
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
