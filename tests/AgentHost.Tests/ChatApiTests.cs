using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Agents.AgentHost.Chat;
using Npgsql;

namespace Agents.AgentHost.Tests;

/// <summary>Conversations through POST /chat with the local model over the seeded demo shop, in three languages.</summary>
public sealed class ChatApiTests(DemoFactory factory) : IClassFixture<DemoFactory>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Client => factory.ClientWithKey(DemoFactory.SecretKey);

    private async Task<ChatReply> SayAsync(string message, string? session = null, object? customer = null)
    {
        var response = await Client.PostAsJsonAsync("/chat", new { sessionId = session, message, customer }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ChatReply>(Ct))!;
    }

    [Fact]
    public async Task Chat_EnglishConversation_GreetsFindsProductAndRemembersIt()
    {
        var session = $"en-{Guid.NewGuid():N}";
        var hello = await SayAsync("Hi there!", session, new { externalId = $"ext-{session}" });
        var search = await SayAsync("Do you have pistachio cream?", session);
        var price = await SayAsync("How much is the first one?", session);

        Assert.Equal(("en", session), (hello.Language, hello.SessionId));
        Assert.Empty(hello.ToolCalls);
        Assert.NotEmpty(hello.Reply);
        var found = Assert.Single(search.ToolCalls, c => c.Name == "search_products");
        Assert.Contains("Pistachio", search.Reply, StringComparison.OrdinalIgnoreCase);
        var first = found.Result.GetProperty("items")[0];
        var lookup = Assert.Single(price.ToolCalls, c => c.Name == "get_product");
        Assert.Equal(first.GetProperty("sku").GetString(), lookup.Arguments.GetProperty("product").GetString());
        Assert.Contains(first.GetProperty("price").GetDecimal().ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), price.Reply, StringComparison.Ordinal);

        var history = await Client.GetFromJsonAsync<ChatHistory>($"/chat/sessions/{session}/history", Ct);
        Assert.Equal(["user", "assistant", "user", "assistant", "user", "assistant"], history!.Messages.Select(m => m.Role));
        Assert.Equal("get_product", Assert.Single(history.Messages[5].ToolCalls!).Name);
    }

    [Fact]
    public async Task Chat_MemoryWindow_BoundsWhatTheAssistantRemembers()
    {
        async Task<ChatReply> AskAfterSmallTalkAsync(int window)
        {
            (await Client.PatchAsJsonAsync("/api/merchant", new { ai = new { memoryWindow = window } }, Ct)).EnsureSuccessStatusCode();
            var session = $"window-{window}-{Guid.NewGuid():N}";
            await SayAsync("Do you have pistachio cream?", session, new { language = "en" });
            await SayAsync("Thank you!", session);
            return await SayAsync("How much is the first one?", session);
        }

        try
        {
            var remembers = await AskAfterSmallTalkAsync(10);
            var forgot = await AskAfterSmallTalkAsync(2);

            Assert.Contains(remembers.ToolCalls, c => c.Name == "get_product");
            Assert.Empty(forgot.ToolCalls);
            Assert.Contains("?", forgot.Reply, StringComparison.Ordinal);
        }
        finally
        {
            (await Client.PatchAsJsonAsync("/api/merchant", new { ai = new { memoryWindow = 10 } }, Ct)).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task Chat_ItalianShippingQuestion_AnswersFromTheFaqWithCitations()
    {
        var reply = await SayAsync("Quanto costa la spedizione in Italia?");

        Assert.Equal("it", reply.Language);
        var faq = Assert.Single(reply.ToolCalls);
        Assert.Equal("search_faq", faq.Name);
        Assert.True(faq.Result.GetProperty("found").GetBoolean());
        Assert.NotEmpty(reply.Citations);
        Assert.Contains("[1]", reply.Reply, StringComparison.Ordinal);
        Assert.Equal(faq.Result.GetProperty("answers")[0].GetProperty("documentId").GetGuid(), reply.Citations[0].DocumentId);
    }

    [Fact]
    public async Task Chat_SpanishSearchWithBudgetAndDiet_PassesTheConstraintsToTheTool()
    {
        var reply = await SayAsync("Busco regalos veganos por menos de 30 euros");

        Assert.Equal("es", reply.Language);
        var search = Assert.Single(reply.ToolCalls);
        Assert.Equal("search_products", search.Name);
        Assert.Equal(30m, search.Arguments.GetProperty("maxPrice").GetDecimal());
        Assert.Contains("vegan", search.Arguments.GetProperty("dietary").EnumerateArray().Select(d => d.GetString()));
        Assert.All(search.Result.GetProperty("items").EnumerateArray(), i => Assert.True(i.GetProperty("price").GetDecimal() <= 30m));
        Assert.NotEmpty(search.Result.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Chat_UnclearMessage_AsksInsteadOfGuessing()
    {
        var reply = await SayAsync("blorp zzkx qwerty", customer: new { language = "en" });

        Assert.Empty(reply.ToolCalls);
        Assert.Contains("?", reply.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_StreamRequested_SendsDeltasToolEventsAndTheFinalReply()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/chat") { Content = JsonContent.Create(new { message = "Do you have pistachio cream?" }) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));

        var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        var events = ParseEvents(await response.Content.ReadAsStringAsync(Ct));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("tool_call", events[0].Name);
        Assert.Equal("tool_result", events[1].Name);
        Assert.Equal("done", events[^1].Name);
        var done = events[^1].Data.Deserialize<ChatReply>(Json)!;
        Assert.Equal(done.Reply, string.Concat(events.Where(e => e.Name == "delta").Select(e => e.Data.GetProperty("text").GetString())));
    }

    [Fact]
    public async Task Chat_ConcurrentPostsToOneSession_RunOneAtATime()
    {
        var session = $"busy-{Guid.NewGuid():N}";
        await SayAsync("Ciao!", session);

        var replies = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => SayAsync(i % 2 == 0 ? "Che categorie avete?" : "Grazie!", session)));

        var history = await Client.GetFromJsonAsync<ChatHistory>($"/chat/sessions/{session}/history", Ct);
        Assert.Equal(14, history!.Messages.Count);
        Assert.All(history.Messages.Chunk(2), pair => Assert.Equal(["user", "assistant"], pair.Select(m => m.Role)));
        Assert.All(replies, r => Assert.Equal(session, r.SessionId));
    }

    [Theory]
    [InlineData("", "message")]
    [InlineData("   ", "message")]
    [InlineData(null, "message")]
    public async Task Chat_EmptyMessage_Returns400NamingTheField(string? message, string field)
    {
        var response = await Client.PostAsJsonAsync("/chat", new { message }, Ct);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Chat_MessageOverTheLimit_Returns400NamingTheLimitAndStoresNothing()
    {
        var session = $"long-{Guid.NewGuid():N}";
        var response = await Client.PostAsJsonAsync("/chat", new { sessionId = session, message = new string('a', ChatApi.MaxMessageLength + 1) }, Ct);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("4,000", problem.GetProperty("errors").GetProperty("message")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/chat/sessions/{session}/history", Ct)).StatusCode);
    }

    [Fact]
    public async Task DeleteSession_RemovesTheHistory_AndOtherMerchantsSee404()
    {
        var session = $"gone-{Guid.NewGuid():N}";
        await SayAsync("Hello", session);
        var other = factory.ClientWithKey((await factory.CreateMerchantAsync()).SecretKey);

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/chat/sessions/{session}/history", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/chat/sessions/{session}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/chat/sessions/{session}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/chat/sessions/{session}/history", Ct)).StatusCode);
        Assert.Equal(0L, await ScalarAsync($"SELECT count(*) FROM conversations WHERE session_id = '{session}'"));
    }

    [Fact]
    public async Task Chat_PublishableKey_OnlyFromAnAllowedOrigin()
    {
        var created = await factory.CreateMerchantAsync();
        var owner = factory.ClientWithKey(created.SecretKey);
        (await owner.PatchAsJsonAsync("/api/merchant", new { allowedOrigins = new[] { "https://shop.example" } }, Ct)).EnsureSuccessStatusCode();

        async Task<HttpResponseMessage> PostFrom(string? origin)
        {
            var client = factory.ClientWithKey(created.PublishableKey);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/chat") { Content = JsonContent.Create(new { message = "Hello" }) };
            if (origin is not null)
            {
                request.Headers.Add("Origin", origin);
            }

            return await client.SendAsync(request, Ct);
        }

        var allowed = await PostFrom("https://shop.example");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("https://shop.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        await (await PostFrom("https://evil.example")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await PostFrom(null)).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Chat_PublishableKey_NeverReachesAnotherChannelsSession()
    {
        var created = await factory.CreateMerchantAsync();
        var owner = factory.ClientWithKey(created.SecretKey);
        (await owner.PatchAsJsonAsync("/api/merchant", new { allowedOrigins = new[] { "https://shop.example" } }, Ct)).EnsureSuccessStatusCode();
        var apiSession = $"crm-{Guid.NewGuid():N}";
        (await owner.PostAsJsonAsync("/chat", new { sessionId = apiSession, message = "Hello", customer = new { externalId = apiSession } }, Ct)).EnsureSuccessStatusCode();

        async Task<HttpResponseMessage> FromTheWidget(HttpMethod method, string path, object? body = null, string accept = "application/json")
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.Add("Origin", "https://shop.example");
            request.Headers.Accept.ParseAdd(accept);
            return await factory.ClientWithKey(created.PublishableKey).SendAsync(request, Ct);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await FromTheWidget(HttpMethod.Get, $"/chat/sessions/{apiSession}/history")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await FromTheWidget(HttpMethod.Delete, $"/chat/sessions/{apiSession}")).StatusCode);
        await (await FromTheWidget(HttpMethod.Post, "/chat", new { sessionId = apiSession, message = "What did I order?", channel = "api" }))
            .AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/chat/sessions/{apiSession}/history", Ct)).StatusCode);

        // An SSE client with a key that does not fit still gets a problem, not a 500.
        using var streaming = new HttpRequestMessage(HttpMethod.Post, "/chat") { Content = JsonContent.Create(new { message = "Hello" }) };
        streaming.Headers.Accept.ParseAdd("text/event-stream");
        await (await factory.ClientWithKey(created.PublishableKey).SendAsync(streaming, Ct)).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Chat_BlockedCustomer_IsIgnoredAndNothingIsStored()
    {
        var externalId = $"blocked-{Guid.NewGuid():N}";
        await SayAsync("Hello", customer: new { externalId });
        await ScalarAsync($"UPDATE customers SET blocked = true WHERE external_id = '{externalId}'");
        var before = await ScalarAsync("SELECT count(*) FROM messages");

        var response = await Client.PostAsJsonAsync("/chat", new { message = "Hello again", customer = new { externalId } }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("customer_blocked", body.GetProperty("ignored").GetString());
        Assert.Equal(before, await ScalarAsync("SELECT count(*) FROM messages"));
    }

    private static List<(string Name, JsonElement Data)> ParseEvents(string body) =>
        body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => block.Split('\n'))
            .Select(lines => (lines.First(l => l.StartsWith("event: ", StringComparison.Ordinal))[7..],
                JsonDocument.Parse(lines.First(l => l.StartsWith("data: ", StringComparison.Ordinal))[6..]).RootElement.Clone()))
            .ToList();

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct);
    }
}
