using Agents.Analytics.Insights;

namespace Agents.Analytics.Tests.Insights;

public sealed class AnomalyExplainerTests
{
    [Fact]
    public void Explain_OneCategoryCarriesTheSpike_ReturnsIt()
    {
        var driver = AnomalyExplainer.Explain(new Dictionary<string, IReadOnlyList<Contribution>>
        {
            ["category"] = [new("citrus", 900, 200), new("oil", 310, 300), new("wine", 190, 200)],
        });

        Assert.NotNull(driver);
        Assert.Equal(("category", "citrus"), (driver.Dimension, driver.Key));
        Assert.Equal(700.0 / 710, driver.ShareOfChange, 9);
    }

    [Fact]
    public void Explain_ChannelConcentratedCategoriesSpread_PicksTheChannel()
    {
        var driver = AnomalyExplainer.Explain(new Dictionary<string, IReadOnlyList<Contribution>>
        {
            ["category"] = [new("citrus", 50, 30), new("oil", 45, 30), new("wine", 35, 30)],
            ["channel"] = [new("whatsapp", 88, 40), new("web", 42, 50)],
        });

        Assert.NotNull(driver);
        Assert.Equal(("channel", "whatsapp", 1.0), (driver.Dimension, driver.Key, driver.ShareOfChange));
    }

    [Fact]
    public void Explain_Drop_PicksTheKeyThatFellMost()
    {
        var driver = AnomalyExplainer.Explain(new Dictionary<string, IReadOnlyList<Contribution>>
        {
            ["channel"] = [new("web", 2, 60), new("whatsapp", 18, 20), new("api", 4, 10)],
        });

        Assert.NotNull(driver);
        Assert.Equal("web", driver.Key);
        Assert.Equal(58.0 / 66, driver.ShareOfChange, 9);
    }

    [Fact]
    public void Explain_NothingMovedOrSingleKey_ReturnsNull()
    {
        Assert.Null(AnomalyExplainer.Explain(new Dictionary<string, IReadOnlyList<Contribution>>
        {
            ["category"] = [new("oil", 10, 10), new("wine", 5, 5)],
            ["channel"] = [new("web", 100, 15)],
        }));
    }
}
