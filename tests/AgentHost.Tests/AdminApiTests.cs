using System.Net;
using System.Net.Http.Json;
using Agents.AgentHost.Apis;
using Agents.AgentHost.Infrastructure;

namespace Agents.AgentHost.Tests;

public sealed class AdminApiTests(AgentsApiFactory factory) : IClassFixture<AgentsApiFactory>
{
    [Fact]
    public async Task CreateMerchant_ValidBody_Returns201WithKeysThatWork()
    {
        var response = await factory.Admin().PostAsJsonAsync("/api/admin/merchants",
            new { name = "Trattoria Uno", slug = "trattoria-uno", defaultLanguage = "it" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<CreateMerchantResponse>(TestContext.Current.CancellationToken))!;
        Assert.Equal($"/api/admin/merchants/{created.MerchantId}", response.Headers.Location?.OriginalString);
        Assert.Matches("^sk_test_[0-9A-Za-z]{43}$", created.SecretKey);
        Assert.Matches("^pk_test_[0-9A-Za-z]{43}$", created.PublishableKey);

        var me = await factory.ClientWithKey(created.SecretKey).GetFromJsonAsync<MerchantDto>("/api/merchant", TestContext.Current.CancellationToken);
        Assert.Equal(created.MerchantId, me!.Id);
        Assert.Equal("it", me.DefaultLanguage);
        Assert.Equal("trial", me.Status);
        Assert.Equal(new AiSettingsDto("local", "local-intent-v1", 0.7, 250, 0.95, "shop-assistant", 10), me.Ai);
    }

    [Fact]
    public async Task CreateMerchant_TakenSlug_Returns409AndKeepsTheFirst()
    {
        var first = await factory.CreateMerchantAsync("taken-slug");

        var response = await factory.Admin().PostAsJsonAsync("/api/admin/merchants",
            new { name = "Other", slug = "taken-slug", defaultLanguage = "en" }, TestContext.Current.CancellationToken);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("taken-slug", problem.Detail());
        var stored = await factory.Admin().GetFromJsonAsync<MerchantDto>($"/api/admin/merchants/{first.MerchantId}", TestContext.Current.CancellationToken);
        Assert.Equal("Shop taken-slug", stored!.Name);
    }

    [Fact]
    public async Task GetMerchant_UnknownId_Returns404Problem()
    {
        var response = await factory.Admin().GetAsync($"/api/admin/merchants/{Guid.NewGuid()}", TestContext.Current.CancellationToken);

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ListMerchants_KeysetPaging_VisitsEveryMerchantOnce()
    {
        for (var i = 0; i < 5; i++)
        {
            await factory.CreateMerchantAsync();
        }

        var seen = new List<Guid>();
        Guid? after = null;
        do
        {
            var page = await factory.Admin().GetFromJsonAsync<Page<MerchantDto>>(
                $"/api/admin/merchants?limit=2{(after is null ? "" : $"&after={after}")}", TestContext.Current.CancellationToken);
            Assert.InRange(page!.Items.Count, 1, 2);
            seen.AddRange(page.Items.Select(m => m.Id));
            after = page.NextAfter;
        }
        while (after is not null);

        Assert.True(seen.Count >= 5);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(seen.OrderBy(id => id).ToList(), seen);
    }

    [Fact]
    public async Task UpdateStatus_Suspend_LocksTheMerchantOutUntilReactivated()
    {
        var merchant = await factory.CreateMerchantAsync();
        var client = factory.ClientWithKey(merchant.SecretKey);

        var suspended = await factory.Admin().PutAsJsonAsync($"/api/admin/merchants/{merchant.MerchantId}/status",
            new { status = "suspended" }, TestContext.Current.CancellationToken);
        Assert.Equal("suspended", (await suspended.Content.ReadFromJsonAsync<MerchantDto>(TestContext.Current.CancellationToken))!.Status);
        var problem = await (await client.GetAsync("/api/merchant", TestContext.Current.CancellationToken)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("suspended", problem.Detail());

        await factory.Admin().PutAsJsonAsync($"/api/admin/merchants/{merchant.MerchantId}/status", new { status = "active" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/merchant", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Theory]
    [InlineData("trial")]
    [InlineData("deleted")]
    [InlineData(null)]
    public async Task UpdateStatus_NotActiveOrSuspended_Returns400NamingStatus(string? status)
    {
        var merchant = await factory.CreateMerchantAsync();

        var response = await factory.Admin().PutAsJsonAsync($"/api/admin/merchants/{merchant.MerchantId}/status", new { status }, TestContext.Current.CancellationToken);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("status", out _));
    }

    [Fact]
    public async Task UpdateStatus_UnknownMerchant_Returns404()
    {
        var response = await factory.Admin().PutAsJsonAsync($"/api/admin/merchants/{Guid.NewGuid()}/status", new { status = "active" }, TestContext.Current.CancellationToken);

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
