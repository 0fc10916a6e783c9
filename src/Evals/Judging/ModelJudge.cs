using System.Globalization;
using System.Text;
using System.Text.Json;
using Agents.Evals.Assertions;
using Microsoft.Extensions.AI;

namespace Agents.Evals.Judging;

/// <summary>
/// An LLM judge for <c>rubric</c> assertions: the hosted model named by the suite's <c>judge</c>,
/// at temperature 0, asked for {"pass", "score", "reason"}. Anything else it answers is an error,
/// which fails the assertion (a judge never passes a case by failing to answer).
/// </summary>
public sealed class ModelJudge(IChatClient client) : IJudge
{
    private static readonly string Instructions = LoadInstructions();

    public async Task<JudgeVerdict> GradeAsync(string rubric, IReadOnlyList<(string Role, string Text)> transcript, string reply, CancellationToken cancellationToken)
    {
        var prompt = new StringBuilder()
            .AppendLine("## Rubric").AppendLine(rubric).AppendLine()
            .AppendLine("## Conversation so far");
        foreach (var (role, text) in transcript)
        {
            prompt.Append(CultureInfo.InvariantCulture, $"{role}: {text}").AppendLine();
        }

        prompt.AppendLine().AppendLine("## Reply to grade").AppendLine(reply);
        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, Instructions), new ChatMessage(ChatRole.User, prompt.ToString())],
            new ChatOptions { Temperature = 0, MaxOutputTokens = 200 }, cancellationToken);
        return Parse(response.Text);
    }

    internal static JudgeVerdict Parse(string text)
    {
        var start = text.IndexOf('{', StringComparison.Ordinal);
        var end = text.LastIndexOf('}');
        if (start < 0 || end < start)
        {
            throw new InvalidOperationException($"the judge did not answer JSON: '{Shorten(text)}'");
        }

        try
        {
            using var document = JsonDocument.Parse(text[start..(end + 1)]);
            var root = document.RootElement;
            if (!root.TryGetProperty("pass", out var pass) || pass.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw new InvalidOperationException($"the judge's answer has no boolean 'pass': '{Shorten(text)}'");
            }

            var score = root.TryGetProperty("score", out var s) && s.ValueKind == JsonValueKind.Number ? Math.Clamp(s.GetDouble(), 0, 1) : pass.GetBoolean() ? 1 : 0;
            var reason = root.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "";
            return new JudgeVerdict(pass.GetBoolean(), score, reason);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"the judge did not answer valid JSON ({e.Message}): '{Shorten(text)}'", e);
        }
    }

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;

    private static string LoadInstructions()
    {
        using var stream = typeof(ModelJudge).Assembly.GetManifestResourceStream("Agents.Evals.judge.md")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
