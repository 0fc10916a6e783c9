using Agents.Channels.WhatsApp;

namespace Agents.Channels.Tests.WhatsApp;

public sealed class WhatsAppFormatterTests
{
    [Theory]
    [InlineData("**bold**", "*bold*")]
    [InlineData("__bold__", "*bold*")]
    [InlineData("Prova la **Pasta fresca** oggi", "Prova la *Pasta fresca* oggi")]
    [InlineData("**a** e **b**", "*a* e *b*")]
    [InlineData("***both***", "*_both_*")]
    [InlineData("___both___", "*_both_*")]
    [InlineData("**bold with *italic* inside**", "*bold with _italic_ inside*")]
    [InlineData("_italic_", "_italic_")]
    [InlineData("~~strike~~", "~strike~")]
    [InlineData("~~19,90 €~~ 14,90 €", "~19,90 €~ 14,90 €")]
    public void Format_Emphasis_UsesWhatsAppMarkers(string markdown, string expected) =>
        Assert.Equal(expected, WhatsAppFormatter.Format(markdown));

    [Theory]
    [InlineData("# Heading", "*Heading*")]
    [InlineData("### I nostri prodotti", "*I nostri prodotti*")]
    [InlineData("## **Menu** ##", "*Menu*")]
    [InlineData("# La *pasta* di oggi", "*La pasta di oggi*")]
    [InlineData("#", "")]
    [InlineData("#hashtag", "#hashtag")]
    [InlineData("#1 in vendita", "#1 in vendita")]
    public void Format_Heading_BecomesBoldLine(string markdown, string expected) =>
        Assert.Equal(expected, WhatsAppFormatter.Format(markdown));

    [Theory]
    [InlineData("* item", "- item")]
    [InlineData("+ item", "- item")]
    [InlineData("- item", "- item")]
    [InlineData("  * nested", "  - nested")]
    [InlineData("* **Pasta**: 3 €", "- *Pasta*: 3 €")]
    [InlineData("1. primo\n2. secondo", "1. primo\n2. secondo")]
    [InlineData("*Pasta* in offerta", "*Pasta* in offerta")]
    [InlineData("+39 333 1234567", "+39 333 1234567")]
    public void Format_List_UsesDashBullets(string markdown, string expected) =>
        Assert.Equal(expected, WhatsAppFormatter.Format(markdown));

    [Theory]
    [InlineData("[il nostro shop](https://shop.example/it)", "il nostro shop: https://shop.example/it")]
    [InlineData("Vedi [qui](https://shop.example/p/1 \"Pasta\").", "Vedi qui: https://shop.example/p/1.")]
    [InlineData("[https://shop.example](https://shop.example)", "https://shop.example")]
    [InlineData("[shop.example](https://shop.example/)", "https://shop.example/")]
    [InlineData("![Pasta fresca](https://cdn.shop.example/p.jpg)", "Pasta fresca: https://cdn.shop.example/p.jpg")]
    [InlineData("[Penne](https://it.wikipedia.org/wiki/Penne_(pasta))", "Penne: https://it.wikipedia.org/wiki/Penne_(pasta)")]
    [InlineData("<https://shop.example/a__b__c>", "https://shop.example/a__b__c")]
    [InlineData("[**Ordina**](https://shop.example/o?id=__x__)", "*Ordina*: https://shop.example/o?id=__x__")]
    public void Format_Link_BecomesTextColonUrl(string markdown, string expected) =>
        Assert.Equal(expected, WhatsAppFormatter.Format(markdown));

    [Theory]
    [InlineData("Usa `**non grassetto**`", "Usa `**non grassetto**`")]
    [InlineData("```\n# not a heading\n**raw**\n```", "```\n# not a heading\n**raw**\n```")]
    [InlineData("```json\n{\"a\": \"__b__\"}\n```", "```\n{\"a\": \"__b__\"}\n```")]
    [InlineData("~~~\n* raw\n~~~", "```\n* raw\n```")]
    [InlineData("https://shop.example/a__b__c e **ok**", "https://shop.example/a__b__c e *ok*")]
    [InlineData("vai su www.shop.example/__x__.", "vai su www.shop.example/__x__.")]
    [InlineData("my__snake__case", "my__snake__case")]
    public void Format_CodeAndUrls_AreKeptVerbatim(string markdown, string expected) =>
        Assert.Equal(expected, WhatsAppFormatter.Format(markdown));

    [Theory]
    [InlineData("---", "---")]
    [InlineData("***", "---")]
    [InlineData("* * *", "---")]
    [InlineData("___", "---")]
    public void Format_ThematicBreak_BecomesDashes(string markdown, string expected) =>
        Assert.Equal(expected, WhatsAppFormatter.Format(markdown));

    [Fact]
    public void Format_ModelAnswer_ConvertsEveryConstruct()
    {
        const string markdown = """
            ## Le nostre paste 🍝

            Ecco cosa ti consiglio:

            * **Tagliatelle all'uovo** – _fatte a mano_, 4,50 €
            * **Penne rigate** – ~~3,00 €~~ 2,40 €

            Trovi tutto [sul sito](https://shop.example/pasta).
            """;

        Assert.Equal("""
            *Le nostre paste 🍝*

            Ecco cosa ti consiglio:

            - *Tagliatelle all'uovo* – _fatte a mano_, 4,50 €
            - *Penne rigate* – ~3,00 €~ 2,40 €

            Trovi tutto sul sito: https://shop.example/pasta.
            """, WhatsAppFormatter.Format(markdown));
    }

    [Fact]
    public void Format_CarriageReturns_AreKept() =>
        Assert.Equal("*a*\r\n- b\r\n", WhatsAppFormatter.Format("**a**\r\n* b\r\n"));

    // Written the way prompts/replies/*.yaml renders them.
    [Theory]
    [InlineData("Ciao Anna! 👋 Sono l'assistente di *Pastificio Rossi*.")]
    [InlineData("Posso aiutarti a:\n- *trovare prodotti*, es. \"regali vegani sotto i 30 euro\"\n- *dettagli di un prodotto*: ingredienti, allergeni, origine, prezzo")]
    [InlineData("- *Tagliatelle*: 4,50 EUR [1]\n- *Penne* (esaurito) [2]")]
    [InlineData("- 2 × *Penne rigate* (500 g): 4,80 EUR")]
    [InlineData("Solo per essere sicuro: vuoi *Penne* o *Fusilli*?")]
    [InlineData("_Offerta valida fino a domenica_ ~9,90~ 7,90 EUR")]
    [InlineData("> Citazione\n1. uno\n2. due")]
    [InlineData("Il tuo codice: ```A1B2```")]
    [InlineData("```Totale: 12,50 €\nSpedizione: gratis```")]
    [InlineData("Paga qui: https://shop.example/pay/0198c0de?t=a_b_c")]
    [InlineData("")]
    public void Format_WhatsAppStyle_IsUnchanged(string text) =>
        Assert.Equal(text, WhatsAppFormatter.Format(text));

    [Theory]
    [InlineData("**bold** *wa* _it_ ~~s~~ `c`")]
    [InlineData("# **Title** with [link](https://x.test/a_(b)_c)")]
    [InlineData("***")]
    [InlineData("****")]
    [InlineData("*****")]
    [InlineData("** not bold **")]
    [InlineData("**unclosed bold")]
    [InlineData("a ** b ** c **d**")]
    [InlineData("***a** b*")]
    [InlineData("**a *b* c** *d*")]
    [InlineData("__a__b__c__")]
    [InlineData("* * item")]
    [InlineData("+ * **x**")]
    [InlineData("~~~~")]
    [InlineData("```\nunclosed fence\n**x**")]
    [InlineData("[a](b) [c](https://d.test) ![](https://e.test/e.png)")]
    [InlineData("2**3 = 8 e 3**2 = 9")]
    public void Format_AlreadyFormatted_IsIdempotent(string markdown)
    {
        var once = WhatsAppFormatter.Format(markdown);

        Assert.Equal(once, WhatsAppFormatter.Format(once));
    }
}
