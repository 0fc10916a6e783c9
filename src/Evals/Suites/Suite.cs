using System.Text.Json.Nodes;

namespace Agents.Evals.Suites;

/// <summary>A validated eval suite: what to talk to, which variants to compare, and the cases.</summary>
public sealed record Suite(
    string Name,
    string? Description,
    string Path,
    double Threshold,
    int Repeat,
    TargetSpec Target,
    IReadOnlyList<VariantSpec> Variants,
    ModelSpec? Judge,
    IReadOnlyList<CaseSpec> Cases);

/// <summary>
/// Where the turns go. In-process: the runner starts the real host on a loopback port over a
/// database of its own, seeded with <see cref="Dataset"/>. Http: a running deployment at
/// <see cref="Url"/> with a secret key (each variant may bring its own key).
/// </summary>
public sealed record TargetSpec(TargetKind Kind, IReadOnlyList<string> Dataset, string? Url, string? Key);

public enum TargetKind
{
    InProcess,
    Http,
}

/// <summary>A model (+ prompts) combination to run every case on.</summary>
public sealed record VariantSpec(
    string Name,
    string Provider,
    string? Model,
    string? SystemPrompt,
    double? Temperature,
    int? MaxTokens,
    string? PromptsDirectory,
    string? Key)
{
    public bool IsLocal => Provider == "local";

    public static VariantSpec Local { get; } = new("local", "local", null, null, null, null, null, null);
}

/// <summary>A hosted model for the judge of rubric assertions.</summary>
public sealed record ModelSpec(string Provider, string Model);

/// <summary>The shopper (or staff member) a case speaks as; a fresh customer is created for every run of the case.</summary>
public sealed record CustomerSpec(string? Name, string? Language, string? Phone, string? Email);

public sealed record CaseSpec(
    string Id,
    string? Description,
    IReadOnlyList<string> Tags,
    CustomerSpec Customer,
    string Channel,
    string Audience,
    IReadOnlyList<StepSpec> Steps,
    int Line,
    string? KnownIssue = null);

/// <summary>One step of a case: a message to the assistant, or a secure page the shopper opens and submits.</summary>
public abstract record StepSpec(int Line);

public sealed record TurnSpec(string User, IReadOnlyList<AssertionSpec> Assertions, int Line) : StepSpec(Line);

/// <summary>Opens the last link of <paramref name="Purpose"/> the assistant gave and submits its form with <paramref name="Fields"/>.</summary>
public sealed record PageSpec(string Purpose, IReadOnlyDictionary<string, string> Fields, int Line) : StepSpec(Line);

/// <summary>
/// One assertion as written: its <paramref name="Kind"/> (the YAML key) and value. The value is kept
/// as JSON so every assertion parses its own shape; <paramref name="Line"/> points errors at the file.
/// </summary>
public sealed record AssertionSpec(string Kind, JsonNode? Value, int Line, string Source);
