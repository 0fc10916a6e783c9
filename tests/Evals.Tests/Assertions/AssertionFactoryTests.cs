using Agents.Evals.Assertions;

namespace Agents.Evals.Tests.Assertions;

public class AssertionFactoryTests
{
    private static readonly Dictionary<string, string> Samples = new()
    {
        ["equals"] = "\"Ciao\"",
        ["contains"] = "[\"pistachio\", \"almond\"]",
        ["icontains"] = "\"perche\"",
        ["not_contains"] = "\"competitor\"",
        ["regex"] = "\"\\\\d+ €\"",
        ["not_regex"] = "\"(?i)sorry\"",
        ["language"] = "\"it\"",
        ["tool_called"] = """{ "name": "search_products", "args": { "maxPrice": 20 } }""",
        ["tools_in_order"] = """["search_products", "add_to_cart"]""",
        ["tool_not_called"] = "\"cancel_order\"",
        ["tool_result_schema"] = """{ "tool": "search_products", "schema": { "type": "object" } }""",
        ["citation"] = "true",
        ["cites"] = "\"Shipping policy\"",
        ["link"] = "\"register\"",
        ["no_invented_links"] = "true",
        ["max_latency_ms"] = "2000",
        ["max_cost_usd"] = "0.01",
        ["max_tokens"] = "1500",
        ["similar"] = """{ "reference": "We ship in 2 days", "threshold": 0.8 }""",
        ["rubric"] = """{ "rubric": "Polite", "min_score": 0.7 }""",
    };

    [Fact]
    public void Kinds_EveryKind_CreatesWithDescription()
    {
        Assert.Equal(Samples.Keys.Order(), AssertionFactory.Kinds.Order());
        foreach (var (kind, json) in Samples)
        {
            Assert.StartsWith(kind, Eval.Create(kind, json).Description, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Description_ToolCalledWithArgs_ShowsCompactArgs()
    {
        Assert.Equal("tool_called search_products {\"maxPrice\":20}", Eval.Create("tool_called", Samples["tool_called"]).Description);
        Assert.Equal("contains \"pistachio\", \"almond\"", Eval.Create("contains", Samples["contains"]).Description);
    }

    [Fact]
    public void TryCreate_UnknownKind_ListsKnownKinds()
    {
        var error = Eval.Error("xyz", "1");
        Assert.StartsWith("unknown assertion 'xyz'; known: equals, contains", error, StringComparison.Ordinal);
        Assert.Contains("rubric", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryCreate_HyphenatedKind_IsUnknown() =>
        Assert.StartsWith("unknown assertion 'not-contains'", Eval.Error("not-contains", "\"x\""), StringComparison.Ordinal);

    [Fact]
    public void TryCreate_LatencyNotANumber_NamesTheValue() =>
        Assert.Equal("'max_latency_ms' needs a positive number, got \"fast\"", Eval.Error("max_latency_ms", "\"fast\""));

    [Theory]
    [InlineData("max_tokens", "-5", "'max_tokens' needs a positive number, got -5")]
    [InlineData("max_cost_usd", "0", "'max_cost_usd' needs a positive number, got 0")]
    [InlineData("contains", "3", "'contains' needs a text or a list of texts, got 3")]
    [InlineData("contains", "[]", "'contains' needs a text or a list of texts, got []")]
    [InlineData("equals", null, "'equals' needs a non-empty text, got nothing")]
    [InlineData("tool_called", "5", "'tool_called' needs a tool name or { name, args }, got 5")]
    [InlineData("tool_called", """{ "args": { "q": 1 } }""", "'tool_called.name' needs a non-empty text, got nothing")]
    [InlineData("tool_called", """{ "name": "x", "args": [1] }""", "'tool_called.args' needs an object of expected arguments, got [1]")]
    [InlineData("tool_called", """{ "name": "x", "arguments": {} }""", "'tool_called' has an unknown key 'arguments'; expected name, args")]
    [InlineData("citation", "\"maybe\"", "'citation' needs true or false, got \"maybe\"")]
    [InlineData("no_invented_links", "false", "'no_invented_links' only takes true")]
    [InlineData("language", "\"fr\"", "'language' needs one of it, en, es, got \"fr\"")]
    [InlineData("similar", """{ "reference": "x", "threshold": 2 }""", "'similar.threshold' needs a number in (0, 1], got 2")]
    [InlineData("similar", """{ "reference": "x", "treshold": 0.5 }""", "'similar' has an unknown key 'treshold'; expected reference, threshold")]
    [InlineData("rubric", """{ "rubric": "x", "min_score": "high" }""", "'rubric.min_score' needs a number, got \"high\"")]
    [InlineData("tool_result_schema", """{ "schema": {} }""", "'tool_result_schema.tool' needs a non-empty text, got nothing")]
    [InlineData("tool_result_schema", """{ "tool": "x" }""", "'tool_result_schema.schema' needs a JSON Schema object")]
    public void TryCreate_WrongShape_SaysWhatIsWrong(string kind, string? json, string expected) =>
        Assert.Equal(expected, Eval.Error(kind, json));

    [Fact]
    public void TryCreate_InvalidRegex_Fails() =>
        Assert.StartsWith("'regex' has an invalid pattern: ", Eval.Error("regex", "\"(unclosed\""), StringComparison.Ordinal);

    [Fact]
    public void TryCreate_InvalidSchema_Fails()
    {
        var error = Eval.Error("tool_result_schema", """{ "tool": "search_products", "schema": { "type": 5 } }""");
        Assert.StartsWith("'tool_result_schema.schema' is not a valid JSON Schema: ", error, StringComparison.Ordinal);
        Assert.Contains("type", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryCreate_SchemaIdTwice_BothCreate()
    {
        // The library's global registry would refuse the second schema with the same $id.
        const string json = """{ "tool": "t", "schema": { "$id": "https://evals.test/result", "type": "object" } }""";
        Eval.Create("tool_result_schema", json);
        Eval.Create("tool_result_schema", json);
    }

    [Fact]
    public void TryCreate_NumbersAsText_Accepted()
    {
        Assert.Equal("max_latency_ms 2000 ms", Eval.Create("max_latency_ms", "\"2000\"").Description);
        Assert.Equal("citation true", Eval.Create("citation", "\"true\"").Description);
    }
}
