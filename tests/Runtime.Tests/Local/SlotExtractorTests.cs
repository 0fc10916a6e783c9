using Agents.Runtime.Local;

namespace Agents.Runtime.Tests.Local;

public class SlotExtractorTests
{
    [Theory]
    [InlineData("en", "add 2 bottles of limoncello", 2)]
    [InlineData("en", "add two jars of pesto", 2)]
    [InlineData("en", "a dozen cannoli kits please", 12)]
    [InlineData("en", "i want 4 instead of 2", 4)]
    [InlineData("en", "only one cassata please, not two", 1)]
    [InlineData("en", "cart: 2x marsala", 2)]
    [InlineData("en", "add the olive oil tin 3 l", null)]
    [InlineData("en", "where is order 123456", null)]
    [InlineData("it", "aggiungi due vasetti di pesto", 2)]
    [InlineData("it", "una dozzina di kit cannoli", 12)]
    [InlineData("it", "mettine 3 invece di 2", 3)]
    [InlineData("it", "aggiungi un paio di limoni", 2)]
    [InlineData("it", "vini sotto i 20 euro", null)]
    [InlineData("es", "añade dos botellas de grillo", 2)]
    [InlineData("es", "media docena de cannoli", 6)]
    [InlineData("es", "pon 4 en vez de 3", 4)]
    [InlineData("es", "quiero tres", 3)]
    public void Extract_Quantity(string language, string text, int? expected)
    {
        Assert.Equal(expected, SlotExtractor.Extract(text, language).Quantity);
    }

    [Theory]
    [InlineData("en", "vegan gifts under 30 euro", 30.0)]
    [InlineData("en", "wine max 15", 15.0)]
    [InlineData("en", "something below €25.50", 25.5)]
    [InlineData("en", "a present between 10 and 20 euros", 20.0)]
    [InlineData("en", "olive oil up to 40€", 40.0)]
    [InlineData("en", "a gift, 20 euros at most", 20.0)]
    [InlineData("en", "add up to 3 bottles", null)]
    [InlineData("it", "regali vegani sotto i 30 euro", 30.0)]
    [InlineData("it", "un olio sotto i 20 €", 20.0)]
    [InlineData("it", "massimo 15,50 euro", 15.5)]
    [InlineData("it", "un vino tra 10 e 20 euro", 20.0)]
    [InlineData("it", "qualcosa fino a 25€", 25.0)]
    [InlineData("it", "budget di 50", 50.0)]
    [InlineData("es", "regalos veganos por menos de 30 euros", 30.0)]
    [InlineData("es", "un vino por debajo de 15€", 15.0)]
    [InlineData("es", "máximo 30", 30.0)]
    [InlineData("es", "entre 10 y 25 euros", 25.0)]
    [InlineData("es", "hasta 40 euros", 40.0)]
    public void Extract_MaxPrice(string language, string text, double? expected)
    {
        Assert.Equal((decimal?)expected, SlotExtractor.Extract(text, language).MaxPrice);
    }

    [Theory]
    [InlineData("en", "vegan gifts", "vegan")]
    [InlineData("en", "do you have gluten-free pasta", "glutenFree")]
    [InlineData("en", "something lactose free and vegetarian", "vegetarian,lactoseFree")]
    [InlineData("it", "dolci senza glutine e senza lattosio", "glutenFree,lactoseFree")]
    [InlineData("it", "qualcosa di vegano", "vegan")]
    [InlineData("it", "per un'amica vegetariana celiaca", "vegetarian,glutenFree")]
    [InlineData("es", "pasta sin gluten", "glutenFree")]
    [InlineData("es", "postres veganos sin lactosa", "vegan,lactoseFree")]
    [InlineData("es", "algo vegetariano", "vegetarian")]
    [InlineData("en", "red wine", "")]
    public void Extract_Dietary(string language, string text, string expected)
    {
        Assert.Equal(expected, string.Join(',', SlotExtractor.Extract(text, language).Dietary));
    }

    [Theory]
    [InlineData("it", "aggiungi 2 vasetti di pesto di pistacchio al carrello", "pesto di pistacchio")]
    [InlineData("it", "quanto costa il Nero d'Avola?", "Nero d'Avola")]
    [InlineData("it", "il kit cannoli è vegano?", "kit cannoli")]
    [InlineData("it", "avete qualcosa senza glutine per mia figlia celiaca?", null)]
    [InlineData("it", "mi fai vedere i vini rossi?", "vini rossi")]
    [InlineData("it", "aggiungilo", null)]
    [InlineData("it", "quanto costa?", null)]
    [InlineData("en", "add two jars of pistachio cream to my cart please", "pistachio cream")]
    [InlineData("en", "what are the ingredients of the caponata?", "caponata")]
    [InlineData("en", "vegan gifts under 30 euro", "gifts")]
    [InlineData("en", "add it", null)]
    [InlineData("es", "añade 3 tarros de crema de pistacho al carrito", "crema de pistacho")]
    [InlineData("es", "¿cuánto cuesta la Cassata?", "Cassata")]
    [InlineData("es", "añádelo", null)]
    [InlineData("es", "¿la caponata lleva gluten?", "caponata")]
    [InlineData("en", "hey do you guys sell limoncello", "limoncello")]
    [InlineData("en", "add 1 sds-pis-001 to my cart", "SDS-PIS-001")]
    [InlineData("it", "mettine 2 di SDS-SWE-001 nel carrello", "SDS-SWE-001")]
    public void Extract_Product(string language, string text, string? expected)
    {
        Assert.Equal(expected, SlotExtractor.Extract(text, language).Product);
    }

    [Theory]
    [InlineData("it", "regali vegani sotto i 30 euro", "regali")]
    [InlineData("en", "red wine for fish", "red wine")]
    [InlineData("es", "aceite de oliva barato", "aceite de oliva")]
    [InlineData("en", "where is my order", null)]
    public void Extract_Category(string language, string text, string? expected)
    {
        Assert.Equal(expected, SlotExtractor.Extract(text, language).Category);
    }

    [Theory]
    [InlineData("en", "add the second one", 2)]
    [InlineData("it", "aggiungi l'ultimo", -1)]
    [InlineData("es", "quiero el tercero", 3)]
    [InlineData("en", "add the honey", null)]
    public void Extract_Ordinal(string language, string text, int? expected)
    {
        Assert.Equal(expected, SlotExtractor.Extract(text, language).Ordinal);
    }

    [Theory]
    [InlineData("en", "where is my order SDS-2024-000123?", "SDS-2024-000123")]
    [InlineData("en", "order number: 7788 please", "7788")]
    [InlineData("it", "dov'è l'ordine sds-2025-000042", "SDS-2025-000042")]
    [InlineData("it", "traccia ordine #123456", "123456")]
    [InlineData("es", "estado del pedido 554433", "554433")]
    [InlineData("es", "¿dónde está mi pedido?", null)]
    public void Extract_OrderNumber(string language, string text, string? expected)
    {
        Assert.Equal(expected, SlotExtractor.Extract(text, language).OrderNumber);
    }

    [Theory]
    [InlineData("en", "my email is Mario.Rossi@example.com thanks", "Mario.Rossi@example.com")]
    [InlineData("it", "la mia mail: anna_b+shop@posta.example.it", "anna_b+shop@posta.example.it")]
    [InlineData("es", "no tengo correo", null)]
    public void Extract_Email(string language, string text, string? expected)
    {
        Assert.Equal(expected, SlotExtractor.Extract(text, language).Email);
    }
}
