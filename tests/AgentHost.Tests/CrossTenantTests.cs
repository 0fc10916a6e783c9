using System.Net;
using System.Net.Http.Json;
using Agents.AgentHost.Apis;
using Agents.AgentHost.Infrastructure;
using Agents.Data.Entities;

namespace Agents.AgentHost.Tests;

/// <summary>Merchant A holding merchant B's ids gets 404 everywhere — never 403, never B's data.</summary>
public sealed class CrossTenantTests(AgentsApiFactory factory) : IClassFixture<AgentsApiFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpClient A, HttpClient B, CreateMerchantResponse BMerchant)> TwoMerchantsAsync()
    {
        var a = await factory.CreateMerchantAsync();
        var b = await factory.CreateMerchantAsync();
        return (factory.ClientWithKey(a.SecretKey), factory.ClientWithKey(b.SecretKey), b);
    }

    [Fact]
    public async Task Customer_OfAnotherMerchant_Returns404AndIsNotListed()
    {
        var (a, b, _) = await TwoMerchantsAsync();
        var created = await (await b.PostAsJsonAsync("/api/customers", new { phone = "+39 333 123 4567", name = "Rosa" }, Ct))
            .Content.ReadFromJsonAsync<CustomerDto>(Ct);

        await (await a.GetAsync($"/api/customers/{created!.Id}", Ct)).AssertProblemAsync(HttpStatusCode.NotFound);
        var listed = await a.GetFromJsonAsync<Page<CustomerDto>>("/api/customers", Ct);
        Assert.DoesNotContain(listed!.Items, c => c.Id == created.Id);
        Assert.Equal("+393331234567", (await b.GetFromJsonAsync<CustomerDto>($"/api/customers/{created.Id}", Ct))!.Phone);
    }

    [Fact]
    public async Task Key_OfAnotherMerchant_CannotBeRevoked()
    {
        var (a, b, bMerchant) = await TwoMerchantsAsync();
        var bKeys = await b.GetFromJsonAsync<List<ApiKeyDto>>("/api/keys", Ct);

        foreach (var key in bKeys!)
        {
            await (await a.DeleteAsync($"/api/keys/{key.Id}", Ct)).AssertProblemAsync(HttpStatusCode.NotFound);
        }

        Assert.Equal(HttpStatusCode.OK, (await factory.ClientWithKey(bMerchant.SecretKey).GetAsync("/api/merchant", Ct)).StatusCode);
        var aKeys = await a.GetFromJsonAsync<List<ApiKeyDto>>("/api/keys", Ct);
        Assert.Empty(aKeys!.Select(k => k.Id).Intersect(bKeys.Select(k => k.Id)));
    }

    [Fact]
    public async Task Conversation_OfAnotherMerchant_Returns404AndIsNotListed()
    {
        var (a, b, bMerchant) = await TwoMerchantsAsync();
        var conversation = new Conversation { SessionId = "b-session", Channel = "api", Language = "it" };
        await factory.WithTenantAsync(bMerchant.MerchantId, async db =>
        {
            conversation.Messages.Add(new Message { Role = "user", Content = "Ciao!" });
            db.Conversations.Add(conversation);
            await db.SaveChangesAsync(Ct);
        });

        await (await a.GetAsync($"/api/conversations/{conversation.Id}", Ct)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await a.GetFromJsonAsync<Page<ConversationDto>>("/api/conversations", Ct))!.Items);
        var own = await b.GetFromJsonAsync<ConversationDto>($"/api/conversations/{conversation.Id}", Ct);
        Assert.Equal("Ciao!", own!.Messages!.Single().Content);
    }

    [Fact]
    public async Task Merchant_SeesOnlyItself()
    {
        var (a, _, bMerchant) = await TwoMerchantsAsync();

        var me = await a.GetFromJsonAsync<MerchantDto>("/api/merchant", Ct);

        Assert.NotEqual(bMerchant.MerchantId, me!.Id);
    }

    [Fact]
    public async Task WritingAnotherMerchantsRow_FromATenantScope_IsRefused()
    {
        var (_, _, bMerchant) = await TwoMerchantsAsync();
        var a = await factory.CreateMerchantAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => factory.WithTenantAsync(a.MerchantId, async db =>
        {
            db.Customers.Add(new Customer { MerchantId = bMerchant.MerchantId, Email = "intruder@example.com" });
            await db.SaveChangesAsync(Ct);
        }));
    }
}
