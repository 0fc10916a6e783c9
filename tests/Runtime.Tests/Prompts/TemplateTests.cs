using System.Text.Json;
using Agents.Runtime.Prompts;

namespace Agents.Runtime.Tests.Prompts;

public class TemplateTests
{
    private static readonly JsonElement Cart = Json("""
        { "lines": [ { "name": "Pesto", "quantity": 2, "lineTotal": 13.8 }, { "name": "Miele", "quantity": 1, "lineTotal": 9 } ],
          "total": 1022.8, "currency": "EUR", "empty": [], "zero": 0, "missing": null, "at": "2024-05-01T10:30:00Z",
          "product": { "name": "Caponata", "attributes": { "allergens": ["celery", "sesame"] } } }
        """);

    [Theory]
    [InlineData("{{currency}}", "EUR")]
    [InlineData("{{product.name}}", "Caponata")]
    [InlineData("{{ product.name }}", "Caponata")]
    [InlineData("{{nope}}|{{product.nope}}|{{missing}}", "||")]
    [InlineData("{{lines.1.name}}", "Miele")]
    [InlineData("{{lines.5.name}}", "")]
    [InlineData("{{product.attributes.allergens}}", "celery, sesame")]
    [InlineData("{{#lines}}{{@n}}. {{name}} x{{quantity}} ({{currency}}); {{/lines}}", "1. Pesto x2 (EUR); 2. Miele x1 (EUR); ")]
    [InlineData("{{#product}}{{name}}{{/product}}", "Caponata")]
    [InlineData("{{#product.attributes.allergens}}[{{.}}]{{/product.attributes.allergens}}", "[celery][sesame]")]
    [InlineData("{{#empty}}x{{/empty}}{{^empty}}none{{/empty}}", "none")]
    [InlineData("{{#zero}}x{{/zero}}{{^zero}}zero{{/zero}}{{#missing}}x{{/missing}}{{^nope}}!{{/nope}}", "zero!")]
    [InlineData("{{! a comment }}ok", "ok")]
    [InlineData("{{at}}", "01/05/2024")]
    public void Render_Data_FollowsTheRules(string source, string expected)
    {
        Assert.Equal(expected, Template.Parse(source).Render(PromptLibrary.Numbers("en"), Cart));
    }

    [Theory]
    [InlineData("it", "13,80 1.022,80 9")]
    [InlineData("es", "13,80 1.022,80 9")]
    [InlineData("en", "13.80 1,022.80 9")]
    public void Render_Numbers_UseTheLanguagesSeparators(string language, string expected)
    {
        var template = Template.Parse("{{lines.0.lineTotal}} {{total}} {{lines.1.lineTotal}}");

        Assert.Equal(expected, template.Render(PromptLibrary.Numbers(language), Cart));
    }

    [Fact]
    public void Render_Scopes_InnermostWins()
    {
        var template = Template.Parse("{{merchantName}} {{currency}} {{query}}");

        var text = template.Render(PromptLibrary.Numbers("en"), Json("""{ "merchantName": "Shop", "currency": "USD" }"""), Json("""{ "currency": "EUR" }"""));

        Assert.Equal("Shop EUR ", text);
    }

    [Fact]
    public void Render_StandaloneSectionTags_LeaveNoBlankLines()
    {
        var template = Template.Parse("Cart:\n  {{#lines}}\n- {{name}}\n  {{/lines}}\n{{^lines}}\nempty\n{{/lines}}\nTotal");

        Assert.Equal("Cart:\n- Pesto\n- Miele\nTotal", template.Render(PromptLibrary.Numbers("en"), Cart));
    }

    [Theory]
    [InlineData("Hi {{name", 1, "'{{' is never closed with '}}'")]
    [InlineData("a\n{{#items}}\nb", 2, "section 'items' is never closed with '{{/items}}'")]
    [InlineData("a\nb\n{{/items}}", 3, "'{{/items}}' closes a section that was never opened")]
    [InlineData("{{#a}}{{#b}}{{/a}}{{/b}}", 1, "'{{/a}}' closes 'b', which is still open")]
    [InlineData("x\n{{first name}}", 2, "'{{first name}}' is not a valid tag: use a name like customerName or product.price")]
    public void Parse_SyntaxError_ThrowsWithLine(string source, int line, string message)
    {
        var exception = Assert.Throws<TemplateSyntaxException>(() => Template.Parse(source));

        Assert.Equal(line, exception.Line);
        Assert.Equal(message, exception.Message);
    }

    [Fact]
    public void TopLevelNames_IgnoresNamesInsideSections()
    {
        var template = Template.Parse("{{merchantName}} {{#passages}}{{title}} {{@n}}{{/passages}} {{customer.name}}");

        Assert.Equal(["customer", "merchantName", "passages"], template.TopLevelNames.Order(StringComparer.Ordinal));
    }

    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
