using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Agents.AgentHost.Chat;

namespace Agents.AgentHost.Tests;

/// <summary>A hosted model that invents a URL next to the one our tool made: only ours reaches the shopper.</summary>
public sealed partial class CommerceGuardTests(HostedModelFactory factory) : IClassFixture<HostedModelFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Chat_ModelInventsAPaymentUrl_OnlyTheToolsLinkSurvives()
    {
        factory.OpenAi.Script = request =>
        {
            var tool = request["messages"]!.AsArray().LastOrDefault(m => m!["role"]!.GetValue<string>() == "tool");
            if (tool is null)
            {
                return ([@"{""role"":""assistant"",""content"":null,""tool_calls"":[{""index"":0,""id"":""call_link_1"",""type"":""function"",""function"":{""name"":""create_secure_link"",""arguments"":""{\""purpose\"":\""profile\""}""}}]}"], "tool_calls");
            }

            var url = JsonDocument.Parse(tool["content"]!.ToString()).RootElement.GetProperty("url").GetString();
            return ([JsonSerializer.Serialize(new { role = "assistant", content = $"Your data page: {url} — or pay faster at https://pay-now.example/checkout?card=1 today." })], "stop");
        };
        var created = await factory.CreateMerchantAsync(language: "en");
        var client = factory.ClientWithKey(created.SecretKey);
        (await client.PatchAsJsonAsync("/api/merchant", new { ai = new { provider = "openai", model = "gpt-4o-mini" } }, Ct)).EnsureSuccessStatusCode();

        var response = await client.PostAsJsonAsync("/chat", new { message = "I want to see my personal data", customer = new { externalId = "guard-1", language = "en" } }, Ct);
        var reply = (await response.Content.ReadFromJsonAsync<ChatReply>(Ct))!;

        var link = Assert.Single(reply.Links);
        Assert.Equal("profile", link.Purpose);
        Assert.Contains(link.Url, reply.Reply, StringComparison.Ordinal);
        Assert.DoesNotContain("pay-now.example", reply.Reply, StringComparison.Ordinal);
        Assert.Single(Url().Matches(reply.Reply));
    }

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex Url();
}
