using System.Globalization;
using System.Text.Json;
using Agents.AgentHost.Chat;
using Agents.Evals.Targets;
using Agents.Retrieval.Language;
using Json.Schema;

namespace Agents.Evals.Assertions;

internal sealed class ToolCalledAssertion(string name, JsonElement? args) : TurnAssertion
{
    private string With => args is { } a ? " " + TextUtil.Json(a) : "";

    public override string Description => $"tool_called {name}{With}";

    protected override AssertionResult Evaluate(TurnObservation turn, AssertionContext context)
    {
        var call = turn.ToolCalls.FirstOrDefault(c => c.Name == name && (args is not { } a || ToolCalls.Matches(a, c.Arguments)));
        return call is not null
            ? AssertionResult.Pass($"called {ToolCalls.Describe([call])}")
            : AssertionResult.Fail($"no call to {name}{(args is null ? "" : " with" + With)}; calls: {ToolCalls.Describe(turn.ToolCalls)}");
    }
}

internal sealed class ToolsInOrderAssertion(IReadOnlyList<string> names) : TurnAssertion
{
    public override string Description => $"tools_in_order {string.Join(", ", names)}";

    protected override AssertionResult Evaluate(TurnObservation turn, AssertionContext context)
    {
        var next = turn.ToolCalls.Aggregate(0, (found, call) => found < names.Count && call.Name == names[found] ? found + 1 : found);
        var called = turn.ToolCalls.Count == 0 ? "none" : string.Join(", ", turn.ToolCalls.Select(c => c.Name));
        return next == names.Count
            ? AssertionResult.Pass($"calls: {called}")
            : AssertionResult.Fail($"no {names[next]}{(next > 0 ? " after " + names[next - 1] : "")}; calls: {called}");
    }
}

internal sealed class ToolNotCalledAssertion(IReadOnlyList<string> names) : TurnAssertion
{
    public override string Description => $"tool_not_called {string.Join(", ", names)}";

    protected override AssertionResult Evaluate(TurnObservation turn, AssertionContext context)
    {
        var forbidden = turn.ToolCalls.Where(c => names.Contains(c.Name)).ToList();
        return forbidden.Count == 0
            ? AssertionResult.Pass("not called")
            : AssertionResult.Fail($"called {ToolCalls.Describe(forbidden)}");
    }
}

internal sealed class ToolResultSchemaAssertion(string tool, JsonSchema schema) : TurnAssertion
{
    private const int ShownErrors = 3;

    public override string Description => $"tool_result_schema {tool}";

    protected override AssertionResult Evaluate(TurnObservation turn, AssertionContext context)
    {
        var call = turn.ToolCalls.LastOrDefault(c => c.Name == tool);
        if (call is null || call.Result.ValueKind == JsonValueKind.Undefined)
        {
            return AssertionResult.Fail(call is null ? $"tool {tool} was not called" : $"tool {tool} returned no result");
        }

        EvaluationResults results;
        try
        {
            results = schema.Evaluate(call.Result, new EvaluationOptions { OutputFormat = OutputFormat.List });
        }
        catch (JsonSchemaException e)
        {
            // An unresolvable $ref only shows when evaluating.
            return AssertionResult.Fail($"schema error: {e.Message}");
        }

        if (results.IsValid)
        {
            return AssertionResult.Pass($"{tool} result matches the schema");
        }

        var errors = (results.Details ?? []).Prepend(results).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{(d.InstanceLocation.ToString() is { Length: > 0 } at ? at : "(root)")}: {e.Value}"))
            .ToList();
        var shown = string.Join("; ", errors.Take(ShownErrors)) + (errors.Count > ShownErrors ? $"; (+{errors.Count - ShownErrors} more)" : "");
        return AssertionResult.Fail($"{tool} result does not match the schema: {(errors.Count == 0 ? "invalid" : shown)}; result: {TextUtil.Clip(TextUtil.Json(call.Result))}");
    }
}

internal static class ToolCalls
{
    public static string Describe(IEnumerable<ToolCallDto> calls) =>
        string.Join("; ", calls.Select(c => TextUtil.Clip($"{c.Name} {TextUtil.Json(c.Arguments)}".TrimEnd()))) is { Length: > 0 } text ? text : "none";

    /// <summary>
    /// Whether <paramref name="actual"/> holds <paramref name="expected"/>: object keys case-insensitively, text without case or accents,
    /// numbers by value (20 = 20.0 = "20", as a YAML loader may hand numbers over as text), arrays holding every expected element;
    /// a key expected to be null may also be absent, since tools tend to leave unused arguments out.
    /// </summary>
    public static bool Matches(JsonElement expected, JsonElement actual) => expected.ValueKind switch
    {
        JsonValueKind.Object => actual.ValueKind == JsonValueKind.Object && expected.EnumerateObject().All(p =>
            Property(actual, p.Name) is { } value ? Matches(p.Value, value) : p.Value.ValueKind == JsonValueKind.Null),
        JsonValueKind.Array => actual.ValueKind == JsonValueKind.Array && expected.EnumerateArray().All(e => actual.EnumerateArray().Any(a => Matches(e, a))),
        JsonValueKind.Number => TryNumber(expected, out var x) && TryNumber(actual, out var y) && x == y,
        JsonValueKind.String when actual.ValueKind == JsonValueKind.Number => Matches(actual, expected),
        _ => Scalar(expected) is { } e && Scalar(actual) is { } a && Accents.Fold(e) == Accents.Fold(a),
    };

    private static JsonElement? Property(JsonElement element, string name) =>
        element.EnumerateObject().Where(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Select(p => (JsonElement?)p.Value).FirstOrDefault();

    private static bool TryNumber(JsonElement element, out double number)
    {
        number = 0;
        return element.ValueKind == JsonValueKind.Number ? element.TryGetDouble(out number)
            : element.ValueKind == JsonValueKind.String && double.TryParse(element.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    /// <summary>Text, true/false or null as text, so an expected "true" matches a boolean and an expected null matches null.</summary>
    private static string? Scalar(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        _ => null,
    };
}
