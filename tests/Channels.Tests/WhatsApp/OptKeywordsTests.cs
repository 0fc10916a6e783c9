using Agents.Channels.WhatsApp;

namespace Agents.Channels.Tests.WhatsApp;

public sealed class OptKeywordsTests
{
    [Theory]
    [InlineData("STOP")]
    [InlineData("STOPALL")]
    [InlineData("UNSUBSCRIBE")]
    [InlineData("CANCEL")]
    [InlineData("END")]
    [InlineData("QUIT")]
    [InlineData("BAJA")]
    [InlineData("ANNULLA")]
    [InlineData("ARRESTA")]
    [InlineData("DISISCRIVIMI")]
    [InlineData("CANCELAR")]
    public void Classify_OptOutKeyword_ReturnsOptOut(string body) =>
        Assert.Equal(OptKeyword.OptOut, OptKeywords.Classify(body));

    [Theory]
    [InlineData("START")]
    [InlineData("UNSTOP")]
    [InlineData("YES")]
    [InlineData("ALTA")]
    [InlineData("ISCRIVIMI")]
    public void Classify_OptInKeyword_ReturnsOptIn(string body) =>
        Assert.Equal(OptKeyword.OptIn, OptKeywords.Classify(body));

    [Theory]
    [InlineData("stop")]
    [InlineData("Stop")]
    [InlineData("  stop \n")]
    [InlineData("Stop!")]
    [InlineData("stop.")]
    [InlineData("STOP!!!")]
    [InlineData("stop?!")]
    [InlineData("¡Baja!")]
    [InlineData("bája")]
    [InlineData("Disiscrivimi.")]
    [InlineData("dìsìscrìvìmì")]
    [InlineData("stop 🛑")]
    [InlineData("Stop 👋🏽")]
    [InlineData("\"stop\"")]
    [InlineData("ＳＴＯＰ")]
    public void Classify_KeywordWithCaseAccentsPunctuationOrEmoji_ReturnsOptOut(string body) =>
        Assert.Equal(OptKeyword.OptOut, OptKeywords.Classify(body));

    [Fact]
    public void Classify_DecomposedAccents_ReturnsOptIn() =>
        Assert.Equal(OptKeyword.OptIn, OptKeywords.Classify("i\u0300scrivimi"));

    [Theory]
    [InlineData("stop sending me pasta ads")]
    [InlineData("please stop")]
    [InlineData("yes please")]
    [InlineData("stop stop")]
    [InlineData("s t o p")]
    [InlineData("stopp")]
    [InlineData("unsubscribed")]
    [InlineData("annulla l'ordine A-1001")]
    [InlineData("Vorrei 2 kg di pasta")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("!!!")]
    [InlineData("🛑")]
    [InlineData(null)]
    public void Classify_OrdinaryMessage_ReturnsNull(string? body) =>
        Assert.Null(OptKeywords.Classify(body));

    [Fact]
    public void All_ListsEveryDocumentedKeyword()
    {
        Assert.Equal(["ANNULLA", "ARRESTA", "BAJA", "CANCEL", "CANCELAR", "DISISCRIVIMI", "END", "QUIT", "STOP", "STOPALL", "UNSUBSCRIBE"],
            OptKeywords.All.Where(k => k.Value == OptKeyword.OptOut).Select(k => k.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["ALTA", "ISCRIVIMI", "START", "UNSTOP", "YES"],
            OptKeywords.All.Where(k => k.Value == OptKeyword.OptIn).Select(k => k.Key).Order(StringComparer.Ordinal));
    }
}
