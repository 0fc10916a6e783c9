using Agents.Analytics.Semantic;

namespace Agents.Analytics.Tests.Semantic;

/// <summary>Answer sentences, headline values and charts for rows shaped as decision 008 says.</summary>
public sealed class AnswerRendererTests
{
    private readonly SemanticLayer _layer = new();

    private RenderedAnswer Render(string language, string question, string[] columns, object?[][] rows, string currency = "EUR")
    {
        var query = Assert.IsType<CompiledQuery>(_layer.Plan(question, language, PlanCases.Today));
        return _layer.Render(query, columns, rows, currency);
    }

    [Theory]
    [InlineData("en", "revenue last month", "Revenue in June 2026: €12,345.67.")]
    [InlineData("it", "fatturato del mese scorso", "Fatturato di giugno 2026: 12.345,67 €.")]
    [InlineData("es", "ingresos del mes pasado", "Ingresos de junio de 2026: 12.345,67 €.")]
    public void Render_SingleMoneyValue_FormatsTheLocalWay(string language, string question, string expected)
    {
        var answer = Render(language, question, ["revenue"], [[12345.67m]]);

        Assert.Equal(expected, answer.Answer);
        Assert.Equal(12345.67m, answer.Value);
        Assert.Null(answer.Chart);
    }

    [Theory]
    [InlineData("GBP", "£1,234.50")]
    [InlineData("USD", "$1,234.50")]
    [InlineData("CHF", "CHF 1,234.50")]
    public void Render_OtherCurrencies_UseTheirSymbol(string currency, string expected)
    {
        var answer = Render("en", "revenue last month", ["revenue"], [[1234.5m]], currency);

        Assert.Contains(expected, answer.Answer, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Count_HasGroupSeparatorsAndNoCurrency()
    {
        Assert.Equal("Orders in 2025: 6,569.", Render("en", "orders in 2025", ["orders"], [[6569L]]).Answer);
        Assert.Equal("Ordini del 2025: 6.569.", Render("it", "ordini nel 2025", ["orders"], [[6569L]]).Answer);
    }

    [Theory]
    [InlineData("en", "revenue last month vs the month before", "Revenue in June 2026: €12,345.67, up 8.2% from May 2026 (€11,410.00).")]
    [InlineData("it", "fatturato del mese scorso rispetto al mese precedente", "Fatturato di giugno 2026: 12.345,67 €, in crescita dell'8,2% rispetto a maggio 2026 (11.410,00 €).")]
    [InlineData("es", "ingresos del mes pasado frente al mes anterior", "Ingresos de junio de 2026: 12.345,67 €, un 8,2 % más que en mayo de 2026 (11.410,00 €).")]
    public void Render_Comparison_GivesThePercentageChange(string language, string question, string expected)
    {
        var answer = Render(language, question, ["period", "revenue"], [["2026-06", 12345.67m], ["2026-05", 11410.00m]]);

        Assert.Equal(expected, answer.Answer);
        Assert.Equal(12345.67m, answer.Value);
        Assert.Equal(new ChartSpec("bar", "period", "revenue", null), answer.Chart);
    }

    [Theory]
    [InlineData("en", "orders in April 2026 vs the month before", "down 12.5% from March 2026 (80)")]
    [InlineData("it", "ordini di aprile 2026 rispetto al mese precedente", "in calo del 12,5% rispetto a marzo 2026 (80)")]
    [InlineData("es", "pedidos de abril de 2026 frente al mes anterior", "un 12,5 % menos que en marzo de 2026 (80)")]
    public void Render_Decrease_SaysDown(string language, string question, string expected)
    {
        var answer = Render(language, question, ["period", "orders"], [["2026-04", 70L], ["2026-03", 80L]]);

        Assert.Contains(expected, answer.Answer, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TimeSeries_SummarisesTotalAndHighestBucketOnALine()
    {
        var answer = Render("en", "revenue by month in Q1 2026", ["month", "revenue"],
            [["2026-01", 100.00m], ["2026-02", 250.50m], ["2026-03", 0.00m]]);

        Assert.Equal("Revenue by month in Q1 2026: total €350.50; highest in February 2026 (€250.50).", answer.Answer);
        Assert.Null(answer.Value);
        Assert.Equal(new ChartSpec("line", "month", "revenue", null), answer.Chart);
    }

    [Fact]
    public void Render_TimeSeriesOfAverages_GivesHighestAndLowestInsteadOfATotal()
    {
        var answer = Render("it", "scontrino medio per mese nel primo trimestre 2026", ["month", "aov"],
            [["2026-01", 35.10m], ["2026-02", null], ["2026-03", 38.00m]]);

        Assert.Equal("Scontrino medio per mese del primo trimestre 2026: valore più alto a marzo 2026 (38,00 €), più basso a gennaio 2026 (35,10 €).", answer.Answer);
    }

    [Fact]
    public void Render_Ranking_NamesTheTopEntriesAndTopOneIsTheValue()
    {
        var top3 = Render("en", "top 3 products by revenue last month", ["product", "revenue"],
            [["Olio", 300m], ["Vino", 200m], ["Miele", 100m]]);
        var top1 = Render("es", "¿qué canal tuvo más pedidos el mes pasado?", ["channel", "orders"], [["web", 296L]]);

        Assert.Equal("Revenue by product in June 2026 (top 3): 1. Olio (€300.00), 2. Vino (€200.00), 3. Miele (€100.00).", top3.Answer);
        Assert.Null(top3.Value);
        Assert.Equal("bar", top3.Chart!.Type);
        Assert.Equal("Pedidos por canal de junio de 2026 (el primero): web (296).", top1.Answer);
        Assert.Equal(296m, top1.Value);
    }

    [Fact]
    public void Render_ChannelShares_ArePieUnlessRankedOrCompared()
    {
        string[] columns = ["channel", "revenue"];
        object?[][] rows = [["web", 10m], ["whatsapp", 5m], ["api", 1m]];

        Assert.Equal("pie", Render("en", "revenue by channel last month", columns, rows).Chart!.Type);
        Assert.Equal("bar", Render("en", "aov by channel last month", ["channel", "aov"], rows).Chart!.Type);
        Assert.Equal("bar", Render("en", "top 2 channels by revenue last month", columns, rows[..2]).Chart!.Type);
    }

    [Fact]
    public void Render_DimensionWithComparison_ShowsEachEntrysChange()
    {
        var answer = Render("it", "fatturato per canale il mese scorso rispetto al mese precedente", ["channel", "revenue", "revenue_previous"],
            [["web", 110m, 100m], ["whatsapp", 90m, 100m]]);

        Assert.Equal("Fatturato per canale di giugno 2026: 1. web (110,00 €, +10,0%), 2. whatsapp (90,00 €, −10,0%).", answer.Answer);
        Assert.Equal("revenue_previous", answer.Chart!.Series);
    }

    [Theory]
    [InlineData("en", "revenue by channel last month", "Revenue by channel in June 2026: no data in that period.")]
    [InlineData("it", "fatturato per canale il mese scorso", "Fatturato per canale di giugno 2026: nessun dato nel periodo.")]
    [InlineData("es", "ingresos por canal el mes pasado", "Ingresos por canal de junio de 2026: no hay datos en ese periodo.")]
    public void Render_NoRows_SaysThereWasNoData(string language, string question, string expected)
    {
        Assert.Equal(expected, Render(language, question, ["channel", "revenue"], []).Answer);
    }

    [Fact]
    public void Render_AverageWithoutOrders_HasNoValue()
    {
        var answer = Render("en", "aov yesterday", ["aov"], [[null]]);

        Assert.Equal("Average order value on 30 Jun 2026: no data in that period.", answer.Answer);
        Assert.Null(answer.Value);
    }

    [Fact]
    public void Render_TopQuestions_QuotesThemWithCounts()
    {
        var answer = Render("en", "top questions last month", ["question", "count"], [["where is my order?", 42L], ["do you ship to france?", 30L]]);

        Assert.Equal("Most frequent questions in June 2026: “where is my order?” (42), “do you ship to france?” (30).", answer.Answer);
        Assert.Equal(new ChartSpec("bar", "question", "count", null), answer.Chart);
    }

    [Fact]
    public void Render_Filters_AreNamedInTheSentence()
    {
        var answer = Render("en", "revenue on whatsapp in Italy last month", ["revenue"], [[10m]]);

        Assert.Equal("Revenue (channel: whatsapp, country: IT) in June 2026: €10.00.", answer.Answer);
    }
}
