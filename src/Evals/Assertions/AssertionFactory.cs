using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Agents.Evals.Suites;
using Json.Schema;

namespace Agents.Evals.Assertions;

/// <summary>Turns an <see cref="AssertionSpec"/> (a YAML key and its value) into an <see cref="IAssertion"/>.</summary>
public static class AssertionFactory
{
    private static readonly (string Kind, Func<string, JsonNode?, IAssertion> Create)[] Creators =
    [
        ("equals", (k, v) => new EqualsAssertion(Spec.Text(k, v))),
        ("contains", (k, v) => new ContainsAssertion(k, Spec.Texts(k, v), fold: false, forbidden: false)),
        ("icontains", (k, v) => new ContainsAssertion(k, Spec.Texts(k, v), fold: true, forbidden: false)),
        ("not_contains", (k, v) => new ContainsAssertion(k, Spec.Texts(k, v), fold: true, forbidden: true)),
        ("regex", (k, v) => new RegexAssertion(k, Spec.Pattern(k, v), forbidden: false)),
        ("not_regex", (k, v) => new RegexAssertion(k, Spec.Pattern(k, v), forbidden: true)),
        ("language", (k, v) => new LanguageAssertion(Spec.Language(k, v))),
        ("tool_called", CreateToolCalled),
        ("tools_in_order", (k, v) => new ToolsInOrderAssertion(Spec.Texts(k, v))),
        ("tool_not_called", (k, v) => new ToolNotCalledAssertion(Spec.Texts(k, v))),
        ("tool_result_schema", CreateToolResultSchema),
        ("citation", (k, v) => new CitationAssertion(Spec.Bool(k, v))),
        ("cites", (k, v) => new CitesAssertion(Spec.Text(k, v))),
        ("link", (k, v) => new LinkAssertion(Spec.Text(k, v))),
        ("no_invented_links", (k, v) => Spec.Bool(k, v) ? new NoInventedLinksAssertion() : throw new SpecException($"'{k}' only takes true")),
        ("max_latency_ms", (k, v) => new BudgetAssertion(k, Spec.Positive(k, v), t => t.LatencyMs, n => TextUtil.Number(n, "0.#") + " ms")),
        ("max_cost_usd", (k, v) => new BudgetAssertion(k, Spec.Positive(k, v), t => (double)t.Usage.CostUsd, n => "$" + TextUtil.Number(n, "0.00####"))),
        ("max_tokens", (k, v) => new BudgetAssertion(k, Spec.Positive(k, v), t => t.TotalTokens, n => TextUtil.Number(n, "0") + " tokens")),
        ("similar", CreateSimilar),
        ("rubric", CreateRubric),
    ];

    /// <summary>Every assertion kind, as written in suites.</summary>
    public static IReadOnlyList<string> Kinds { get; } = [.. Creators.Select(c => c.Kind)];

    /// <summary>Builds the assertion, or names what is wrong with the spec (without a file:line prefix; the loader adds it).</summary>
    public static bool TryCreate(AssertionSpec spec, [NotNullWhen(true)] out IAssertion? assertion, [NotNullWhen(false)] out string? error)
    {
        assertion = null;
        error = null;
        var create = Array.Find(Creators, c => c.Kind == spec.Kind).Create;
        if (create is null)
        {
            error = $"unknown assertion '{spec.Kind}'; known: {string.Join(", ", Kinds)}";
            return false;
        }

        try
        {
            assertion = create(spec.Kind, spec.Value);
            return true;
        }
        catch (SpecException e)
        {
            error = e.Message;
            return false;
        }
    }

    private static ToolCalledAssertion CreateToolCalled(string kind, JsonNode? value)
    {
        if (value is JsonObject)
        {
            var shape = Spec.Object(kind, value, "name", "args");
            var args = shape["args"];
            return args is null or JsonObject
                ? new ToolCalledAssertion(Spec.Text(kind + ".name", shape["name"]), args is null ? null : JsonSerializer.SerializeToElement(args))
                : throw new SpecException($"'{kind}.args' needs an object of expected arguments, got {Spec.Show(args)}");
        }

        return Spec.IsText(value)
            ? new ToolCalledAssertion(Spec.Text(kind, value), null)
            : throw new SpecException($"'{kind}' needs a tool name or {{ name, args }}, got {Spec.Show(value)}");
    }

    private static ToolResultSchemaAssertion CreateToolResultSchema(string kind, JsonNode? value)
    {
        var shape = Spec.Object(kind, value, "tool", "schema");
        var tool = Spec.Text(kind + ".tool", shape["tool"]);
        var schemaNode = shape["schema"] ?? throw new SpecException($"'{kind}.schema' needs a JSON Schema object");
        try
        {
            // A registry of its own: the global one refuses a second schema with the same $id (two suites, or a reload).
            var schema = JsonSchema.FromText(schemaNode.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
            return new ToolResultSchemaAssertion(tool, schema);
        }
        catch (Exception e) when (e is JsonSchemaException or JsonException or ArgumentException)
        {
            throw new SpecException($"'{kind}.schema' is not a valid JSON Schema: {e.Message}");
        }
    }

    private static SimilarAssertion CreateSimilar(string kind, JsonNode? value)
    {
        var reference = Spec.TextOrObject(kind, value, "reference", "threshold", out var option);
        var threshold = option is null ? SimilarAssertion.DefaultThreshold : Spec.Number(kind + ".threshold", option);
        return threshold is > 0 and <= 1
            ? new SimilarAssertion(reference, threshold)
            : throw new SpecException($"'{kind}.threshold' needs a number in (0, 1], got {Spec.Show(option)}");
    }

    private static RubricAssertion CreateRubric(string kind, JsonNode? value)
    {
        var rubric = Spec.TextOrObject(kind, value, "rubric", "min_score", out var option);
        return new RubricAssertion(rubric, option is null ? null : Spec.Number(kind + ".min_score", option));
    }
}

/// <summary>A spec value of the wrong shape; caught by <see cref="AssertionFactory.TryCreate"/> and reported as its error.</summary>
internal sealed class SpecException(string message) : Exception(message);

/// <summary>Reads spec values. Numbers and booleans are also taken as strings, whatever typing the YAML loader applies to scalars.</summary>
internal static class Spec
{
    private static readonly string[] Languages = ["it", "en", "es"];

    public static bool IsText(JsonNode? value) => value is JsonValue v && v.GetValueKind() == JsonValueKind.String;

    public static string Text(string kind, JsonNode? value) =>
        IsText(value) && value!.GetValue<string>() is var text && !string.IsNullOrWhiteSpace(text)
            ? text
            : throw new SpecException($"'{kind}' needs a non-empty text, got {Show(value)}");

    public static IReadOnlyList<string> Texts(string kind, JsonNode? value) => value switch
    {
        JsonArray { Count: > 0 } items => [.. items.Select(i => IsText(i) ? Text(kind, i) : throw new SpecException($"'{kind}' needs a text or a list of texts, got {Show(value)}"))],
        _ when IsText(value) => [Text(kind, value)],
        _ => throw new SpecException($"'{kind}' needs a text or a list of texts, got {Show(value)}"),
    };

    public static double Number(string kind, JsonNode? value) =>
        TryNumber(value, out var n) ? n : throw new SpecException($"'{kind}' needs a number, got {Show(value)}");

    public static double Positive(string kind, JsonNode? value) =>
        TryNumber(value, out var n) && n > 0 ? n : throw new SpecException($"'{kind}' needs a positive number, got {Show(value)}");

    private static bool TryNumber(JsonNode? value, out double number)
    {
        number = 0;
        return value is JsonValue v && v.GetValueKind() is JsonValueKind.Number or JsonValueKind.String
            && double.TryParse(IsText(v) ? v.GetValue<string>() : v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number)
            && double.IsFinite(number);
    }

    public static bool Bool(string kind, JsonNode? value) => value switch
    {
        JsonValue v when v.GetValueKind() is JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() is JsonValueKind.False => false,
        JsonValue v when IsText(v) && bool.TryParse(v.GetValue<string>(), out var b) => b,
        _ => throw new SpecException($"'{kind}' needs true or false, got {Show(value)}"),
    };

    public static Regex Pattern(string kind, JsonNode? value)
    {
        try
        {
            return new Regex(Text(kind, value), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new SpecException($"'{kind}' has an invalid pattern: {e.Message}");
        }
    }

    public static string Language(string kind, JsonNode? value) =>
        IsText(value) && value!.GetValue<string>().Trim().ToLowerInvariant() is var code && Languages.Contains(code)
            ? code
            : throw new SpecException($"'{kind}' needs one of {string.Join(", ", Languages)}, got {Show(value)}");

    /// <summary>An object holding only <paramref name="keys"/>: a misspelt key would otherwise silently fall back to a default.</summary>
    public static JsonObject Object(string kind, JsonNode? value, params string[] keys) =>
        value is not JsonObject shape ? throw new SpecException($"'{kind}' needs {{ {string.Join(", ", keys)} }}, got {Show(value)}")
        : shape.Select(p => p.Key).FirstOrDefault(k => !keys.Contains(k)) is { } unknown
            ? throw new SpecException($"'{kind}' has an unknown key '{unknown}'; expected {string.Join(", ", keys)}")
            : shape;

    /// <summary>A bare text, or { <paramref name="key"/>: text, <paramref name="optionKey"/>: ... } when the text needs an option.</summary>
    public static string TextOrObject(string kind, JsonNode? value, string key, string optionKey, out JsonNode? option)
    {
        option = null;
        if (IsText(value))
        {
            return Text(kind, value);
        }

        var shape = Object(kind, value, key, optionKey);
        option = shape[optionKey];
        return Text($"{kind}.{key}", shape[key]);
    }

    public static string Show(JsonNode? value) => value is null ? "nothing" : TextUtil.Clip(value.ToJsonString(TextUtil.Compact), 80);
}
