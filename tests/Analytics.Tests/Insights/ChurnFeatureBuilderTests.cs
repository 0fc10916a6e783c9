using Agents.Analytics.Insights;

namespace Agents.Analytics.Tests.Insights;

public sealed class ChurnFeatureBuilderTests
{
    private static readonly DateOnly AsOf = new(2026, 7, 1);
    private static readonly Guid Ada = new("00000000-0000-0000-0000-000000000001");
    private static readonly Guid Bob = new("00000000-0000-0000-0000-000000000002");
    private static readonly Guid Cy = new("00000000-0000-0000-0000-000000000003");

    [Fact]
    public void Build_HandCase_EveryFeature()
    {
        CustomerOrder[] orders =
        [
            new(Ada, AsOf.AddDays(-200), 30), // older than both trend windows
            new(Ada, AsOf.AddDays(-150), 20), // previous 90-day window
            new(Ada, AsOf.AddDays(-100), 25), // previous 90-day window
            new(Ada, AsOf.AddDays(-10), 45),  // last 90 days
            new(Ada, AsOf, 999),              // on the as-of day: not yet history
            new(Bob, AsOf.AddDays(-40), 12),
            new(Cy, AsOf.AddDays(5), 50),     // only a future order: no row
        ];

        var features = ChurnFeatureBuilder.Build(orders, [(Bob, AsOf.AddDays(-400)), (Ada, AsOf.AddDays(-300)), (Cy, AsOf.AddDays(-30))], AsOf);

        Assert.Equal(
            [new ChurnFeatures(Ada, 10, 4, 120, 300, 1 - 2, 190 / 3.0), new ChurnFeatures(Bob, 40, 1, 12, 400, 1, 40)],
            features);
    }

    [Fact]
    public void Build_FirstOrderBeforeSignUp_TenureCoversIt()
    {
        var features = ChurnFeatureBuilder.Build([new(Ada, AsOf.AddDays(-50), 10)], [(Ada, AsOf.AddDays(-20))], AsOf);

        Assert.Equal(50, Assert.Single(features).TenureDays);
    }

    [Fact]
    public void Dataset_LabelsCustomersWithoutAnOrderInTheHorizon()
    {
        CustomerOrder[] orders =
        [
            new(Ada, AsOf.AddDays(-120), 10), new(Ada, AsOf.AddDays(-30), 10), // came back: retained
            new(Bob, AsOf.AddDays(-150), 10),                                  // silent since: churned
            new(Cy, AsOf.AddDays(-20), 10),                                    // first order after the cutoff: no row
        ];

        var dataset = ChurnDataset.Build(orders, [(Ada, AsOf.AddDays(-365)), (Bob, AsOf.AddDays(-365)), (Cy, AsOf.AddDays(-365))], AsOf);

        Assert.Equal(AsOf.AddDays(-90), dataset.Cutoff);
        Assert.Equal([Ada, Bob], dataset.Features.Select(f => f.CustomerId));
        Assert.Equal([false, true], dataset.Churned);
        Assert.Equal(30, dataset.Features[0].RecencyDays); // as of the cutoff, not today
    }
}
