using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agents.AgentHost.Chat;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Agents.AgentHost.Tests;

/// <summary>
/// A stand-in for an OpenAI-compatible server that answers the chat-completions stream as the
/// documented wire format does: a tool call first, then, once the tool result is in the request,
/// a text answer that cites passage [1]. It records what it was sent, and can be taken down.
/// </summary>
public sealed class OpenAiStandIn : HttpMessageHandler
{
    public List<JsonNode> Requests { get; } = [];
    public bool Down { get; set; }

    /// <summary>Replaces the FAQ script: from the request, the deltas to stream and the finish reason.</summary>
    public Func<JsonNode, (string[] Deltas, string Finish)>? Script { get; set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!;
        lock (Requests)
        {
            Requests.Add(body);
        }

        if (Down)
        {
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
            {
                Content = new StringContent("""{"error":{"message":"The server is overloaded.","type":"server_error","code":null}}""", Encoding.UTF8, "application/json"),
            };
        }

        var answered = body["messages"]!.AsArray().Any(m => m!["role"]!.GetValue<string>() == "tool");
        var chunks = Script?.Invoke(body) is var (deltas, finish) ? [.. deltas.Select(d => Chunk(d)), Chunk("{}", finish)]
            : answered
            ? [Chunk("""{"role":"assistant","content":"Shipping within Italy is free over 49 euros [1]. "}"""),
               Chunk("""{"content":"Anything else?"}"""),
               Chunk("{}", "stop")]
            : new[]
            {
                Chunk("""{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_faq_1","type":"function","function":{"name":"search_faq","arguments":""}}]}"""),
                Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":"{\"question\":\"shipping costs Italy\"}"}}]}"""),
                Chunk("{}", "tool_calls"),
            };
        var usage = """data: {"id":"chatcmpl-standin","object":"chat.completion.chunk","created":1763800000,"model":"gpt-4o-mini-2024-07-18","choices":[],"usage":{"prompt_tokens":1000,"completion_tokens":100,"total_tokens":1100}}""";
        var sse = string.Join("\n\n", [.. chunks, usage, "data: [DONE]"]) + "\n\n";
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(sse, Encoding.UTF8, "text/event-stream") };
    }

    private static string Chunk(string delta, string? finish = null) =>
        $$"""data: {"id":"chatcmpl-standin","object":"chat.completion.chunk","created":1763800000,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{{delta}},"finish_reason":{{(finish is null ? "null" : $"\"{finish}\"")}}}],"usage":null}""";
}

public class HostedModelFactory : AgentsApiFactory
{
    public OpenAiStandIn OpenAi { get; } = new();

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Models:OpenAi:BaseUrl"] = "https://openai.stand-in.example/v1",
        ["Models:OpenAi:ApiKey"] = "sk-standin-0123456789abcdefghij",
        ["Models:OpenAi:MaxRetries"] = "0",
        ["Models:Prices:gpt-4o-mini:InputPerMillionUsd"] = "0.15",
        ["Models:Prices:gpt-4o-mini:OutputPerMillionUsd"] = "0.60",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddHttpClient("openai").ConfigurePrimaryHttpMessageHandler(() => OpenAi));
    }
}

/// <summary>The same pipeline on a hosted OpenAI-compatible model: system prompt with passages, tool round trip, citations, cost, outage.</summary>
public sealed class HostedModelChatTests(HostedModelFactory factory) : IClassFixture<HostedModelFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpClient> ShopOnOpenAiAsync()
    {
        var created = await factory.CreateMerchantAsync(language: "en");
        var client = factory.ClientWithKey(created.SecretKey);
        (await client.PatchAsJsonAsync("/api/merchant", new { ai = new { provider = "openai", model = "gpt-4o-mini" } }, Ct)).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/api/documents", new { type = "policy", title = "Shipping", body = "Shipping within Italy is free for orders over 49 euros; below that it costs 6.90 euros.", language = "en" }, Ct)).EnsureSuccessStatusCode();
        return client;
    }

    [Fact]
    public async Task Chat_HostedModel_RunsTheToolRoundTripAndCitesThePassage()
    {
        var client = await ShopOnOpenAiAsync();

        var response = await client.PostAsJsonAsync("/chat", new { message = "How much is shipping to Italy?" }, Ct);
        var reply = (await response.Content.ReadFromJsonAsync<ChatReply>(Ct))!;

        Assert.Equal("Shipping within Italy is free over 49 euros [1]. Anything else?", reply.Reply);
        var call = Assert.Single(reply.ToolCalls);
        Assert.Equal(("search_faq", true), (call.Name, call.Result.GetProperty("found").GetBoolean()));
        Assert.Equal("Shipping", Assert.Single(reply.Citations).Title);
        Assert.Equal((2000, 200), (reply.Usage.InputTokens, reply.Usage.OutputTokens));
        Assert.Equal(0.00042m, reply.Usage.CostUsd);
        var history = await client.GetFromJsonAsync<ChatHistory>($"/chat/sessions/{reply.SessionId}/history", Ct);
        Assert.Equal(reply.Usage, history!.Usage);
        Assert.Equal("assistant", history.Messages[^1].Role);

        var first = factory.OpenAi.Requests[^2];
        Assert.Equal("gpt-4o-mini", first["model"]!.GetValue<string>());
        var system = first["messages"]![0]!["content"]!.ToString();
        Assert.Contains("[1] Shipping", system, StringComparison.Ordinal);
        Assert.Contains(first["tools"]!.AsArray(), t => t!["function"]!["name"]!.GetValue<string>() == "search_products");
        var second = factory.OpenAi.Requests[^1];
        Assert.Contains(second["messages"]!.AsArray(), m => m!["role"]!.GetValue<string>() == "tool" && m["tool_call_id"]!.GetValue<string>() == "call_faq_1");
    }

    [Fact]
    public async Task Chat_ProviderDown_ApologisesInTheCustomersLanguageAndRecordsTheError()
    {
        var client = await ShopOnOpenAiAsync();
        factory.OpenAi.Down = true;
        try
        {
            var response = await client.PostAsJsonAsync("/chat", new { message = "Quanto costa la spedizione?", customer = new { language = "it" } }, Ct);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var reply = (await response.Content.ReadFromJsonAsync<ChatReply>(Ct))!;
            Assert.StartsWith("Mi dispiace", reply.Reply, StringComparison.Ordinal);
            await using var connection = new NpgsqlConnection(factory.ConnectionString);
            await connection.OpenAsync(Ct);
            await using var command = new NpgsqlCommand("SELECT error FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.session_id = @s AND m.role = 'assistant'", connection);
            command.Parameters.AddWithValue("s", reply.SessionId);
            Assert.Equal("ModelProviderException", await command.ExecuteScalarAsync(Ct));
        }
        finally
        {
            factory.OpenAi.Down = false;
        }
    }
}
