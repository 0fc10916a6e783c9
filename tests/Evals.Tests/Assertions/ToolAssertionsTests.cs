using Agents.Evals.Assertions;
using Agents.Evals.Targets;

namespace Agents.Evals.Tests.Assertions;

public class ToolAssertionsTests
{
    private static readonly TurnObservation Gift = Eval.Calls(
        Eval.Call("get_customer", "{}"),
        Eval.Call(
            "search_products",
            """{ "query": "regalo perché", "maxPrice": 20, "vegan": true, "filters": { "tags": ["birthday", "gift"], "color": null } }""",
            """{ "items": [{ "name": "Torta", "price": 18.5, "url": "https://shop.example/p/1?a=1&b=2" }] }"""));

    private const string ResultSchema = """
        { "tool": "search_products",
          "schema": { "type": "object", "required": ["items"],
                      "properties": { "items": { "type": "array", "items": { "type": "object", "properties": { "price": { "type": "number" } } } } } } }
        """;

    [Fact]
    public async Task Evaluate_ToolCalledByName_Passes() =>
        Assert.Equal(AssertionOutcome.Passed, (await Eval.Run("tool_called", "\"search_products\"", Gift)).Outcome);

    [Fact]
    public async Task Evaluate_ToolCalledArgsSubset_Passes()
    {
        const string args = """
            { "name": "search_products",
              "args": { "QUERY": "Regalo Perche", "maxPrice": 20.0, "vegan": true, "filters": { "tags": ["gift"] } } }
            """;
        Assert.Equal(AssertionOutcome.Passed, (await Eval.Run("tool_called", args, Gift)).Outcome);
    }

    [Fact]
    public async Task Evaluate_ToolCalledNumberAsText_Passes() =>
        Assert.Equal(AssertionOutcome.Passed, (await Eval.Run("tool_called", """{ "name": "search_products", "args": { "maxPrice": "20" } }""", Gift)).Outcome);

    [Fact]
    public async Task Evaluate_ToolCalledExpectedNullAndAbsent_Passes() =>
        Assert.Equal(AssertionOutcome.Passed, (await Eval.Run("tool_called", """{ "name": "search_products", "args": { "category": null } }""", Gift)).Outcome);

    [Fact]
    public async Task Evaluate_ToolCalledOtherArgs_FailsListingCalls()
    {
        var turn = Eval.Calls(Eval.Call("search_products", """{ "query": "gift" }"""));
        var result = await Eval.Run("tool_called", """{ "name": "search_products", "args": { "maxPrice": 20 } }""", turn);
        Assert.Equal(AssertionOutcome.Failed, result.Outcome);
        Assert.Equal("no call to search_products with {\"maxPrice\":20}; calls: search_products {\"query\":\"gift\"}", result.Message);
    }

    [Theory]
    [InlineData("""{ "vegan": false }""")]
    [InlineData("""{ "maxPrice": 21 }""")]
    [InlineData("""{ "filters": { "tags": ["gift", "wedding"] } }""")]
    [InlineData("""{ "filters": { "color": "red" } }""")]
    public async Task Evaluate_ToolCalledArgMismatch_Fails(string args) =>
        Assert.Equal(AssertionOutcome.Failed, (await Eval.Run("tool_called", $$"""{ "name": "search_products", "args": {{args}} }""", Gift)).Outcome);

    [Fact]
    public async Task Evaluate_ToolCalledNoCalls_FailsSayingNone() =>
        Assert.Equal("no call to search_products; calls: none", (await Eval.Run("tool_called", "\"search_products\"", Eval.Calls())).Message);

    [Fact]
    public async Task Evaluate_ToolsInOrderWithOthersBetween_Passes()
    {
        var turn = Eval.Calls(Eval.Call("get_customer", "{}"), Eval.Call("search_products", "{}"), Eval.Call("get_stock", "{}"), Eval.Call("add_to_cart", "{}"));
        Assert.Equal(AssertionOutcome.Passed, (await Eval.Run("tools_in_order", """["search_products", "add_to_cart"]""", turn)).Outcome);
    }

    [Fact]
    public async Task Evaluate_ToolsOutOfOrder_Fails()
    {
        var turn = Eval.Calls(Eval.Call("add_to_cart", "{}"), Eval.Call("search_products", "{}"));
        var result = await Eval.Run("tools_in_order", """["search_products", "add_to_cart"]""", turn);
        Assert.Equal(AssertionOutcome.Failed, result.Outcome);
        Assert.Equal("no add_to_cart after search_products; calls: add_to_cart, search_products", result.Message);
    }

    [Fact]
    public async Task Evaluate_ToolNotCalledAbsent_Passes() =>
        Assert.Equal(AssertionOutcome.Passed, (await Eval.Run("tool_not_called", """["cancel_order", "refund"]""", Gift)).Outcome);

    [Fact]
    public async Task Evaluate_ToolNotCalledButCalled_FailsWithArgs()
    {
        var result = await Eval.Run("tool_not_called", "\"cancel_order\"", Eval.Calls(Eval.Call("cancel_order", """{ "orderId": 7 }""")));
        Assert.Equal(AssertionOutcome.Failed, result.Outcome);
        Assert.Equal("called cancel_order {\"orderId\":7}", result.Message);
    }

    [Fact]
    public async Task Evaluate_ResultMatchesSchema_Passes() =>
        Assert.Equal(AssertionOutcome.Passed, (await Eval.Run("tool_result_schema", ResultSchema, Gift)).Outcome);

    [Fact]
    public async Task Evaluate_ResultOffSchema_FailsWithLocations()
    {
        var turn = Eval.Calls(
            Eval.Call("search_products", "{}", """{ "items": [] }"""),
            Eval.Call("search_products", "{}", """{ "items": [{ "price": "x" }, { "price": "y" }] }"""));
        var result = await Eval.Run("tool_result_schema", ResultSchema, turn);
        Assert.Equal(AssertionOutcome.Failed, result.Outcome);
        Assert.Contains("/items/0/price: Value is \"string\" but should be \"number\"; /items/1/price:", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_ResultSchemaToolNotCalled_Fails() =>
        Assert.Equal("tool search_products was not called", (await Eval.Run("tool_result_schema", ResultSchema, Eval.Calls())).Message);

    [Fact]
    public async Task Evaluate_ResultSchemaUnresolvableRef_FailsWithSchemaError()
    {
        var result = await Eval.Run("tool_result_schema", """{ "tool": "search_products", "schema": { "$ref": "#/nope" } }""", Gift);
        Assert.Equal(AssertionOutcome.Failed, result.Outcome);
        Assert.StartsWith("schema error: ", result.Message, StringComparison.Ordinal);
    }
}
