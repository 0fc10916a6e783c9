using Agents.AgentHost.Demo;

namespace Agents.AgentHost.Tests;

/// <summary>The demo history carries the structure later analytics must find; these pin that ground truth.</summary>
public sealed class DemoOrderGeneratorTests
{
    private static readonly DateOnly End = new(2026, 7, 1);
    private static readonly List<DemoOrderGenerator.ProductRef> Products = Enumerable.Range(1, 40)
        .Select(i => new DemoOrderGenerator.ProductRef(Guid.NewGuid(), $"SKU-{i:000}", $"Product {i}", i <= 2 ? "citrus" : $"cat-{i % 8}", 3m + i * 1.5m))
        .ToList();

    private static readonly DemoOrderGenerator.Dataset Data = new DemoOrderGenerator(End).Generate(Products);

    private static Dictionary<DateOnly, int> PerDay() =>
        Data.Orders.GroupBy(o => DateOnly.FromDateTime(o.CreatedAt.UtcDateTime)).ToDictionary(g => g.Key, g => g.Count());

    [Fact]
    public void Generate_SameSeedAndEndDate_SameRows()
    {
        var again = new DemoOrderGenerator(End).Generate(Products);

        Assert.Equal(Data.Orders.Select(o => (o.Id, o.Number, o.Total, o.CreatedAt)), again.Orders.Select(o => (o.Id, o.Number, o.Total, o.CreatedAt)));
        Assert.Equal(Data.Customers.Select(c => (c.Id, c.Email)), again.Customers.Select(c => (c.Id, c.Email)));
    }

    [Fact]
    public void Generate_Anomalies_StandOutFromTheirWeekday()
    {
        var perDay = PerDay();
        foreach (var anomaly in Data.Anomalies)
        {
            var sameWeekday = Enumerable.Range(1, 6).Select(w => perDay.GetValueOrDefault(anomaly.Date.AddDays(-7 * w))).Order().ToList();
            var median = (sameWeekday[2] + sameWeekday[3]) / 2.0;
            var observed = perDay.GetValueOrDefault(anomaly.Date);
            if (anomaly.Factor > 1)
            {
                Assert.True(observed > 2 * median, $"{anomaly.Description} on {anomaly.Date}: {observed} vs median {median}");
            }
            else
            {
                Assert.True(observed < 0.3 * median, $"{anomaly.Description} on {anomaly.Date}: {observed} vs median {median}");
            }
        }
    }

    [Fact]
    public void Generate_Seasonality_WeekendsAndDecemberBusier()
    {
        var perDay = PerDay();
        double Mean(Func<DateOnly, bool> which) => perDay.Where(d => which(d.Key)).Average(d => d.Value);

        Assert.True(Mean(d => d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) > 1.2 * Mean(d => d.DayOfWeek is DayOfWeek.Monday or DayOfWeek.Tuesday));
        Assert.True(Mean(d => d.Month == 12) > 1.5 * Mean(d => d.Month == 8));
        Assert.DoesNotContain(Data.Orders, o => o.Items.Any(i => i.Category == "citrus") && o.CreatedAt.Month is >= 5 and <= 11);
    }

    [Fact]
    public void Generate_Churners_StopOrderingAfterTheirChurnDay()
    {
        var churners = Data.Customers.Where(c => c.Churner).ToList();
        Assert.InRange(churners.Count, 30, 120);

        foreach (var churner in churners)
        {
            Assert.DoesNotContain(Data.Orders, o => o.CustomerId == churner.Id && DateOnly.FromDateTime(o.CreatedAt.UtcDateTime) >= churner.ChurnedOn);
        }

        var lastQuarter = End.AddDays(-90);
        var activeRecently = Data.Orders.Where(o => DateOnly.FromDateTime(o.CreatedAt.UtcDateTime) >= lastQuarter).Select(o => o.CustomerId).ToHashSet();
        Assert.DoesNotContain(churners, c => activeRecently.Contains(c.Id));
    }

    [Fact]
    public void BlackFriday_IsTheLastFridayOfNovember()
    {
        Assert.Equal(new DateOnly(2025, 11, 28), DemoOrderGenerator.BlackFriday(2025));
        Assert.Equal(new DateOnly(2026, 11, 27), DemoOrderGenerator.BlackFriday(2026));
    }
}
