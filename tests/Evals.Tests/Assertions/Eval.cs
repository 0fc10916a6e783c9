using System.Text.Json.Nodes;
using System.Text.Json;
using Agents.AgentHost.Chat;
using Agents.Evals.Assertions;
using Agents.Evals.Suites;
using Agents.Evals.Targets;

namespace Agents.Evals.Tests.Assertions;

/// <summary>Builds assertions from YAML-like values and runs them on a turn.</summary>
internal static class Eval
{
    public static AssertionSpec Spec(string kind, string? json) => new(kind, json is null ? null : JsonNode.Parse(json), 7, $"{kind}: {json}");

    public static IAssertion Create(string kind, string? json)
    {
        Assert.True(AssertionFactory.TryCreate(Spec(kind, json), out var assertion, out var error), error);
        return assertion;
    }

    public static string Error(string kind, string? json)
    {
        Assert.False(AssertionFactory.TryCreate(Spec(kind, json), out var assertion, out var error));
        Assert.Null(assertion);
        return error;
    }

    public static async Task<AssertionResult> Run(string kind, string json, TurnObservation turn, AssertionContext? context = null) =>
        await Create(kind, json).EvaluateAsync(turn, context ?? Context(), TestContext.Current.CancellationToken);

    public static TurnObservation Reply(string text) => new() { Reply = text };

    public static TurnObservation Calls(params ToolCallDto[] calls) => new() { Reply = "ok", ToolCalls = calls };

    public static ToolCallDto Call(string name, string arguments, string result = "null") =>
        new(name, JsonDocument.Parse(arguments).RootElement.Clone(), JsonDocument.Parse(result).RootElement.Clone());

    public static AssertionContext Context(ILanguageDetector? languages = null, ITextEmbedder? embedder = null, IJudge? judge = null) =>
        new(languages ?? new FakeLanguages(_ => "it"), embedder ?? new FakeEmbedder(), judge);
}

internal sealed class FakeLanguages(Func<string, string> detect) : ILanguageDetector
{
    public List<string> Seen { get; } = [];

    public string Detect(string text)
    {
        Seen.Add(text);
        return detect(text);
    }
}

/// <summary>Embeds a text as the vector registered for it, or as a unit vector on the first axis.</summary>
internal sealed class FakeEmbedder : ITextEmbedder
{
    public Dictionary<string, float[]> Vectors { get; } = [];

    public Task<float[]> EmbedAsync(string text, CancellationToken cancellationToken) =>
        Task.FromResult(Vectors.TryGetValue(text, out var vector) ? vector : [1f, 0f]);
}

internal sealed class FakeJudge(Func<string, string, JudgeVerdict> grade) : IJudge
{
    public List<(string Rubric, IReadOnlyList<(string Role, string Text)> Transcript, string Reply)> Calls { get; } = [];

    public Task<JudgeVerdict> GradeAsync(string rubric, IReadOnlyList<(string Role, string Text)> transcript, string reply, CancellationToken cancellationToken)
    {
        Calls.Add((rubric, transcript, reply));
        return Task.FromResult(grade(rubric, reply));
    }
}
