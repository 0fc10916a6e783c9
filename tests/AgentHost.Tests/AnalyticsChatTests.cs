using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Agents.AgentHost.Chat;

namespace Agents.AgentHost.Tests;

/// <summary>
/// Merchants ask the same questions in chat: a staff conversation (a secret key asking as the
/// merchant, or a staff phone number) gets the analytics tool; a shopper never does.
/// </summary>
public sealed class AnalyticsChatTests(DemoFactory factory) : IClassFixture<DemoFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Question = "What was revenue in Q1 2026?";

    private HttpClient Merchant => factory.ClientWithKey(DemoFactory.SecretKey);

    private async Task<JsonNode> AskAsync(string question)
    {
        var response = await Merchant.PostAsJsonAsync("/api/analytics/ask", new { question, language = "en" }, Ct);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
    }

    [Fact]
    public async Task StaffChat_AnswersThroughTheAnalyticsTool_WithTheSameNumber()
    {
        var asked = await AskAsync(Question);

        var response = await Merchant.PostAsJsonAsync("/chat", new { sessionId = $"owner-{Guid.NewGuid():N}", audience = "merchant", message = Question }, Ct);
        var reply = (await response.Content.ReadFromJsonAsync<ChatReply>(Ct))!;

        var call = Assert.Single(reply.ToolCalls);
        Assert.Equal("ask_analytics", call.Name);
        Assert.Equal(Question, call.Arguments.GetProperty("question").GetString());
        Assert.Equal(asked["value"]!.GetValue<decimal>(), call.Result.GetProperty("value").GetDecimal());
        Assert.StartsWith(asked["answer"]!.GetValue<string>(), reply.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaffPhone_IsAStaffConversation()
    {
        (await Merchant.PatchAsJsonAsync("/api/merchant", new { staffPhones = new[] { "+39 333 000 1122" } }, Ct)).EnsureSuccessStatusCode();

        var response = await Merchant.PostAsJsonAsync("/chat", new { customer = new { phone = "+393330001122", language = "it" }, message = "fatturato del primo trimestre 2026" }, Ct);
        var reply = (await response.Content.ReadFromJsonAsync<ChatReply>(Ct))!;

        Assert.Equal("ask_analytics", Assert.Single(reply.ToolCalls).Name);
        Assert.Equal("it", reply.Language);
    }

    [Fact]
    public async Task Shopper_NeverGetsTheAnalyticsTool()
    {
        var asked = await AskAsync(Question);

        var response = await Merchant.PostAsJsonAsync("/chat", new { sessionId = $"shopper-{Guid.NewGuid():N}", message = Question }, Ct);
        var reply = (await response.Content.ReadFromJsonAsync<ChatReply>(Ct))!;

        Assert.DoesNotContain(reply.ToolCalls, c => c.Name == "ask_analytics");
        Assert.DoesNotContain(asked["answer"]!.GetValue<string>(), reply.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishableKey_CannotAskAsTheMerchant()
    {
        var merchant = await factory.CreateMerchantAsync();
        (await factory.ClientWithKey(merchant.SecretKey).PatchAsJsonAsync("/api/merchant", new { allowedOrigins = new[] { "https://shop.example.com" } }, Ct)).EnsureSuccessStatusCode();
        var widget = factory.ClientWithKey(merchant.PublishableKey);
        widget.DefaultRequestHeaders.Add("Origin", "https://shop.example.com");

        var response = await widget.PostAsJsonAsync("/chat", new { audience = "merchant", message = Question }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("audience", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
