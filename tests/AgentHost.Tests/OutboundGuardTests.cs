using Agents.AgentHost.Chat;

namespace Agents.AgentHost.Tests;

public sealed class OutboundGuardTests
{
    private static readonly HashSet<string> Allowed = ["https://shop.example/pay/abc123"];

    [Theory]
    [InlineData("Pay here: https://shop.example/pay/abc123.", "Pay here: https://shop.example/pay/abc123.")]
    [InlineData("See https://evil.example/login now", "See [link removed] now")]
    [InlineData("Visit www.evil.example, thanks", "Visit [link removed], thanks")]
    [InlineData("Card 4111 1111 1111 1111 saved", "Card [card number removed] saved")]
    [InlineData("Order 1234567890123 is not a card", "Order 1234567890123 is not a card")]
    [InlineData("key sk_test_abcdefghijklmnopqrstuvwxyz0123 oops", "key [removed] oops")]
    [InlineData("aws AKIAIOSFODNN7EXAMPLE here", "aws [removed] here")]
    public void Apply_Reply_RemovesWhatOurToolsDidNotProduce(string reply, string expected)
    {
        Assert.Equal(expected, new OutboundGuard(Allowed, "en").Apply(reply));
    }

    [Fact]
    public void Push_UrlAndCardSplitAcrossDeltas_AreStillCaught()
    {
        var guard = new OutboundGuard(Allowed, "it");
        var deltas = new[] { "Ecco: htt", "ps://evil.exa", "mple/x e la carta 4111 ", "1111 1111 ", "1111 fine", "." };

        var streamed = string.Concat(deltas.Select(guard.Push)) + guard.Flush();

        Assert.Equal("Ecco: [link rimosso] e la carta [numero di carta rimosso] fine.", streamed);
        Assert.Equal(streamed, guard.Released);
        Assert.Equal(["url", "card"], guard.Findings);
    }

    [Fact]
    public void Push_AllowedLinkArrivingAfterTheToolResult_PassesUnchanged()
    {
        var allowed = new HashSet<string>();
        var guard = new OutboundGuard(allowed, "es");
        var first = guard.Push("Paga aquí: ");
        allowed.Add("https://shop.example/pay/abc123");

        var rest = guard.Push("https://shop.example/pay/abc123 gracias") + guard.Flush();

        Assert.Equal("Paga aquí: https://shop.example/pay/abc123 gracias", first + rest);
        Assert.Empty(guard.Findings);
    }
}
