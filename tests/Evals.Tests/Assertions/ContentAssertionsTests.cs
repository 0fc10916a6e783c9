using Agents.AgentHost.Chat;
using Agents.Evals.Assertions;
using Agents.Evals.Targets;

namespace Agents.Evals.Tests.Assertions;

public class ContentAssertionsTests
{
    private static readonly Guid ShippingId = Guid.Parse("6f1c2f7e-7d0b-4b8e-9a55-1d2b3c4d5e6f");

    private static readonly TurnObservation Cited = new()
    {
        Reply = "Spediamo in 2 giorni [1].",
        Citations = [new CitationDto(ShippingId, "Politica di spedizione", "Spediamo…")],
    };

    [Fact]
    public async Task Evaluate_CitationExpectedAndPresent_Passes() =>
        Assert.Equal(AssertionOutcome.Passed, (await Eval.Run("citation", "true", Cited)).Outcome);

    [Fact]
    public async Task Evaluate_CitationExpectedAndMissing_Fails() =>
        Assert.Equal("no citations", (await Eval.Run("citation", "true", Eval.Reply("Spediamo in 2 giorni"))).Message);

    [Fact]
    public async Task Evaluate_NoCitationExpectedButCited_FailsNamingIt()
    {
        var result = await Eval.Run("citation", "false", Cited);
        Assert.Equal(AssertionOutcome.Failed, result.Outcome);
        Assert.Equal("cited: \"Politica di spedizione\"", result.Message);
    }

    [Fact]
    public async Task Evaluate_CitesTitlePart_Passes() =>
        Assert.Equal(AssertionOutcome.Passed, (await Eval.Run("cites", "\"SPEDIZIONE\"", Cited)).Outcome);

    [Fact]
    public async Task Evaluate_CitesById_Passes() =>
        Assert.Equal(AssertionOutcome.Passed, (await Eval.Run("cites", $"\"{ShippingId}\"", Cited)).Outcome);

    [Fact]
    public async Task Evaluate_CitesOtherDocument_FailsListingCitations()
    {
        var result = await Eval.Run("cites", "\"Resi\"", Cited);
        Assert.Equal(AssertionOutcome.Failed, result.Outcome);
        Assert.Equal("no citation of \"Resi\"; cited: \"Politica di spedizione\"", result.Message);
    }

    [Fact]
    public async Task Evaluate_LinkOfPurposePresent_Passes()
    {
        var turn = new TurnObservation { Links = [new LinkDto("register", "https://shop.example/r/abc", null)] };
        Assert.Equal(AssertionOutcome.Passed, (await Eval.Run("link", "\"register\"", turn)).Outcome);
    }

    [Fact]
    public async Task Evaluate_LinkOfPurposeMissing_FailsListingLinks()
    {
        var turn = new TurnObservation { Links = [new LinkDto("payment", "https://shop.example/pay/1", null)] };
        var result = await Eval.Run("link", "\"register\"", turn);
        Assert.Equal(AssertionOutcome.Failed, result.Outcome);
        Assert.Equal("no register link; links: payment https://shop.example/pay/1", result.Message);
    }

    [Fact]
    public async Task Evaluate_LinksFromHost_Passes()
    {
        var turn = new TurnObservation
        {
            Reply = "Registrati qui: https://shop.example/r/abc. La torta: [Torta](https://shop.example/p/1?a=1&b=2)",
            Links = [new LinkDto("register", "https://shop.example/r/abc", null)],
            ToolCalls = [Eval.Call("search_products", "{}", """{ "items": [{ "url": "https:\/\/shop.example\/p\/1?a=1\u0026b=2" }] }""")],
        };
        var result = await Eval.Run("no_invented_links", "true", turn);
        Assert.Equal(AssertionOutcome.Passed, result.Outcome);
        Assert.Equal("2 link(s), all from the host", result.Message);
    }

    [Fact]
    public async Task Evaluate_InventedLink_FailsListingIt()
    {
        var turn = new TurnObservation
        {
            Reply = "Vedi https://shop.example/p/1 e anche https://shop.example/offerte-segrete!",
            ToolCalls = [Eval.Call("search_products", "{ \"query\": \"https://shop.example/offerte-segrete\" }", """{ "url": "https://shop.example/p/1" }""")],
        };
        var result = await Eval.Run("no_invented_links", "true", turn);
        Assert.Equal(AssertionOutcome.Failed, result.Outcome);
        Assert.Equal("invented links: https://shop.example/offerte-segrete", result.Message);
    }
}
