using System.Net.Http.Json;
using Agents.AgentHost.Apis;
using Agents.AgentHost.Infrastructure;
using Agents.Data.Entities;

namespace Agents.AgentHost.Tests;

public sealed class ConversationsApiTests(AgentsApiFactory factory) : IClassFixture<AgentsApiFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task List_NewestFirst_PagesWithoutGapsAndFiltersByCustomer()
    {
        var merchant = await factory.CreateMerchantAsync();
        var client = factory.ClientWithKey(merchant.SecretKey);
        var customer = await (await client.PostAsJsonAsync("/api/customers", new { email = "luca@example.com" }, Ct)).Content.ReadFromJsonAsync<CustomerDto>(Ct);
        var ids = new List<Guid>();
        await factory.WithTenantAsync(merchant.MerchantId, async db =>
        {
            for (var i = 0; i < 5; i++)
            {
                var conversation = new Conversation { SessionId = $"s{i}", Channel = i % 2 == 0 ? "widget" : "whatsapp", CustomerId = i < 2 ? customer!.Id : null };
                db.Conversations.Add(conversation);
                ids.Add(conversation.Id);
                await db.SaveChangesAsync(Ct);
                // Version 7 ids order by millisecond: two made in the same one compare by their random bits.
                await Task.Delay(2, Ct);
            }
        });

        var first = await client.GetFromJsonAsync<Page<ConversationDto>>("/api/conversations?limit=3", Ct);
        var second = await client.GetFromJsonAsync<Page<ConversationDto>>($"/api/conversations?limit=3&after={first!.NextAfter}", Ct);
        var ofCustomer = await client.GetFromJsonAsync<Page<ConversationDto>>($"/api/conversations?customerId={customer!.Id}", Ct);

        Assert.Equal(Enumerable.Reverse(ids), first.Items.Concat(second!.Items).Select(c => c.Id));
        Assert.Null(second.NextAfter);
        Assert.Equal([ids[1], ids[0]], ofCustomer!.Items.Select(c => c.Id));
    }
}
