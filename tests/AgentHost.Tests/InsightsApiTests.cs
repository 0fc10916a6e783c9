using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Agents.AgentHost.Analytics;
using Agents.AgentHost.Demo;

namespace Agents.AgentHost.Tests;

/// <summary>
/// Insights over the demo shop's two years, whose structure is known: the injected anomaly days,
/// the cohort of customers who stop buying. Runs are pinned to the day after the history ends.
/// </summary>
public sealed class InsightsApiTests(DemoFactory factory) : IClassFixture<DemoFactory>, IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private HttpClient Merchant => factory.ClientWithKey(DemoFactory.SecretKey);
    private static readonly DemoOrderGenerator Generator = new(DemoFactory.EndDate);

    public async ValueTask InitializeAsync()
    {
        var response = await Merchant.PostAsJsonAsync("/api/insights/run", new { asOf = DemoFactory.EndDate }, Ct);
        response.EnsureSuccessStatusCode();
        var runs = (await response.Content.ReadFromJsonAsync<List<InsightRunDto>>(Ct))!;
        Assert.All(runs, r => Assert.Equal("succeeded", r.Status));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Anomalies_FindTheInjectedDays_WithWhatDroveThem()
    {
        var response = (await Merchant.GetFromJsonAsync<AnomaliesResponse>("/api/insights/anomalies?metric=orders&language=en", Ct))!;

        var found = response.Anomalies.Select(a => a.Date).ToHashSet();
        foreach (var injected in Generator.Anomalies)
        {
            Assert.Contains(injected.Date.ToString("yyyy-MM-dd"), found);
        }

        var spike = response.Anomalies.Single(a => a.Date == Generator.Anomalies[0].Date.ToString("yyyy-MM-dd"));
        Assert.Equal(("spike", "orders"), (spike.Direction, spike.Metric));
        Assert.True(spike.Actual > 2 * spike.Expected, $"{spike.Actual} vs {spike.Expected}");
        Assert.NotNull(spike.Driver);
        Assert.StartsWith("Spike: orders at ", spike.Explanation, StringComparison.Ordinal);
        var outage = response.Anomalies.Single(a => a.Date == Generator.Anomalies[1].Date.ToString("yyyy-MM-dd"));
        Assert.Equal("drop", outage.Direction);
    }

    [Fact]
    public async Task Anomalies_FilterByPeriod_AndSpeakTheMerchantsLanguage()
    {
        var outage = Generator.Anomalies[1].Date;
        var response = (await Merchant.GetFromJsonAsync<AnomaliesResponse>(
            $"/api/insights/anomalies?from={outage.AddDays(-1):yyyy-MM-dd}&to={outage.AddDays(1):yyyy-MM-dd}", Ct))!;

        Assert.NotEmpty(response.Anomalies);
        Assert.All(response.Anomalies, a => Assert.InRange(DateOnly.Parse(a.Date), outage.AddDays(-1), outage.AddDays(1)));
        Assert.Contains(response.Anomalies, a => a.Explanation.StartsWith("Calo", StringComparison.Ordinal)); // the demo shop speaks Italian
    }

    [Fact]
    public async Task Churn_RanksTheCustomersWhoStopped_WithReasonsAndAHeldOutAuc()
    {
        var response = (await Merchant.GetFromJsonAsync<ChurnResponse>("/api/insights/churn?top=40&language=en", Ct))!;

        Assert.True(response.Run!.Metrics.GetProperty("auc").GetDouble() >= 0.7, response.Run.Metrics.ToString());
        Assert.Equal(40, response.Customers.Count);
        Assert.Equal(response.Customers.OrderByDescending(c => c.Probability).Select(c => c.CustomerId), response.Customers.Select(c => c.CustomerId));
        Assert.All(response.Customers, c => Assert.NotEmpty(c.Reasons));
        // The generator's churners stopped months ago: they fill the top of the list.
        var churners = Generator.Generate(await DemoProductsAsync()).Customers.Where(c => c.Churner).Select(c => c.ExternalId).ToHashSet();
        Assert.True(response.Customers.Count(c => churners.Contains(c.ExternalId!)) >= 30, string.Join(", ", response.Customers.Select(c => c.ExternalId)));
    }

    [Fact]
    public async Task Rfm_SegmentsEveryBuyer_AndPagesTheMembers()
    {
        var response = (await Merchant.GetFromJsonAsync<RfmResponse>("/api/insights/rfm?limit=10", Ct))!;
        var buyers = (long)(await factory.ScalarAsync("SELECT count(DISTINCT customer_id) FROM orders WHERE status IN ('paid','shipped','delivered')"))!;

        Assert.Equal(buyers, response.Segments.Sum(s => s.Size));
        Assert.Equal(1.0, response.Segments.Sum(s => s.Share), 3);
        Assert.Contains(response.Segments, s => s.Name == "Champions");
        Assert.Equal(10, response.Members.Count);
        Assert.Equal(10, response.NextOffset);

        var champions = (await Merchant.GetFromJsonAsync<RfmResponse>("/api/insights/rfm?segment=Champions&limit=200", Ct))!;
        Assert.All(champions.Members, m => Assert.Equal("Champions", m.Segment));
        Assert.Equal(response.Segments.Single(s => s.Name == "Champions").Size, champions.Members.Count);
    }

    [Fact]
    public async Task Rfm_IsStableAcrossRuns()
    {
        var before = await SegmentsAsync();
        (await Merchant.PostAsJsonAsync("/api/insights/run", new { kinds = new[] { "rfm" }, asOf = DemoFactory.EndDate }, Ct)).EnsureSuccessStatusCode();

        Assert.Equal(before, await SegmentsAsync());

        async Task<string> SegmentsAsync() => string.Join(",", (await Merchant.GetFromJsonAsync<RfmResponse>("/api/insights/rfm?limit=200", Ct))!
            .Members.Select(m => $"{m.CustomerId}:{m.Segment}"));
    }

    [Fact]
    public async Task Segments_AreADimensionOfAnalytics()
    {
        var response = await Merchant.PostAsJsonAsync("/api/analytics/ask", new { question = "revenue by customer segment in 2025", language = "en" }, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, body);
        var answer = JsonNode.Parse(body)!;

        Assert.True(answer["rows"] is JsonArray, body);
        Assert.Contains(answer["rows"]!.AsArray(), r => r![0]!.GetValue<string>() == "Champions");
    }

    [Fact]
    public async Task Detect_AnySeries_FindsTheSpike()
    {
        var start = new DateOnly(2026, 1, 5);
        var series = Enumerable.Range(0, 56).Select(i => new
        {
            date = start.AddDays(i).ToString("yyyy-MM-dd"),
            value = (i == 30 ? 400.0 : 100.0) * (i % 7 >= 5 ? 1.4 : 1.0) + (i * 7 % 5),
        }).ToList();

        var response = await Merchant.PostAsJsonAsync("/api/insights/anomalies/detect", new { series }, Ct);
        var detected = (await response.Content.ReadFromJsonAsync<DetectResponse>(Ct))!;

        Assert.Equal(7, detected.Period);
        var spike = Assert.Single(detected.Anomalies);
        Assert.Equal((start.AddDays(30).ToString("yyyy-MM-dd"), "spike"), (spike.Date, spike.Direction));
    }

    [Fact]
    public async Task Detect_BadSeries_IsAProblemNamingThePoint()
    {
        var response = await Merchant.PostAsJsonAsync("/api/insights/anomalies/detect", new
        {
            series = new object[] { new { date = "2026-01-01", value = 1 }, new { date = "01/02/2026", value = 2 }, new { date = "2026-01-01", value = 3 } },
        }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("series[1].date", body, StringComparison.Ordinal);
        Assert.Contains("series[2].date", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherMerchant_SeesNoneOfIt()
    {
        var other = await factory.CreateMerchantAsync();
        var client = factory.ClientWithKey(other.SecretKey);

        var anomalies = (await client.GetFromJsonAsync<AnomaliesResponse>("/api/insights/anomalies", Ct))!;
        var rfm = (await client.GetFromJsonAsync<RfmResponse>("/api/insights/rfm", Ct))!;
        var churn = (await client.GetFromJsonAsync<ChurnResponse>("/api/insights/churn", Ct))!;

        Assert.Empty(anomalies.Anomalies);
        Assert.Empty(rfm.Members);
        Assert.Empty(churn.Customers);
    }

    private Task<List<DemoOrderGenerator.ProductRef>> DemoProductsAsync() => DemoMerchantTests.DemoProducts(factory);
}
