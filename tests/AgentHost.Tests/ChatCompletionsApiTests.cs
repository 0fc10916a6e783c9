using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using OpenAI;
using OpenAI.Chat;
using ChatHistory = Agents.AgentHost.Chat.ChatHistory;

namespace Agents.AgentHost.Tests;

/// <summary>
/// POST /v1/chat/completions driven by the official OpenAI .NET SDK against the demo shop and the
/// local model: the same turns as POST /chat, in OpenAI's wire format.
/// </summary>
public sealed class ChatCompletionsApiTests(DemoFactory factory) : IClassFixture<DemoFactory>
{
    private const string Model = "gpt-4o-mini";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Http => factory.ClientWithKey(DemoFactory.SecretKey);

    private ChatClient Client(string key = DemoFactory.SecretKey) =>
        new(Model, new ApiKeyCredential(key), new OpenAIClientOptions
        {
            Endpoint = new Uri(factory.Server.BaseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(factory.CreateClient()),
        });

    [Fact]
    public async Task CompleteChat_ItalianProductQuestion_AnswersWithTheProductAndItsUsage()
    {
        var result = await Client().CompleteChatAsync([new UserChatMessage("Avete la crema di pistacchio?")], cancellationToken: Ct);

        var completion = result.Value;
        var extras = JsonDocument.Parse(result.GetRawResponse().Content).RootElement.GetProperty("agents");
        Assert.Contains(extras.GetProperty("citations")[0].GetProperty("title").GetString()!, completion.Content[0].Text, StringComparison.Ordinal);
        Assert.Contains("pistacchio", completion.Content[0].Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal((ChatMessageRole.Assistant, ChatFinishReason.Stop, Model), (completion.Role, completion.FinishReason, completion.Model));
        Assert.StartsWith("chatcmpl-", completion.Id, StringComparison.Ordinal);
        Assert.True(completion.Usage.InputTokenCount > 0 && completion.Usage.OutputTokenCount > 0);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
        Assert.True(result.GetRawResponse().Headers.TryGetValue("X-Session-Id", out var session));
        Assert.Equal(session, extras.GetProperty("sessionId").GetString());
        var history = await Http.GetFromJsonAsync<ChatHistory>($"/chat/sessions/{session}/history", Ct);
        Assert.Equal(completion.Content[0].Text, history!.Messages[^1].Text);
    }

    [Fact]
    public async Task CompleteChatStreaming_ItalianProductQuestion_StreamsTheStoredAnswerThenStopAndUsage()
    {
        var session = $"oai-stream-{Guid.NewGuid():N}";
        var options = new ChatCompletionOptions { Metadata = { ["session_id"] = session } };

        var updates = new List<StreamingChatCompletionUpdate>();
        await foreach (var update in Client().CompleteChatStreamingAsync([new UserChatMessage("Avete la crema di pistacchio?")], options, Ct))
        {
            updates.Add(update);
        }

        var text = string.Concat(updates.SelectMany(u => u.ContentUpdate).Select(p => p.Text));
        Assert.Contains("pistacchio", text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(ChatMessageRole.Assistant, updates[0].Role);
        Assert.Equal(ChatFinishReason.Stop, Assert.Single(updates, u => u.FinishReason is not null).FinishReason);
        // The SDK asks for stream_options.include_usage: the usage chunk comes last, after the finish chunk.
        Assert.True(updates[^1].Usage is { InputTokenCount: > 0, OutputTokenCount: > 0 });
        Assert.Single(updates.Select(u => u.CompletionId).Distinct());
        var history = await Http.GetFromJsonAsync<ChatHistory>($"/chat/sessions/{session}/history", Ct);
        Assert.Equal(text, history!.Messages[^1].Text);
    }

    [Fact]
    public async Task CompleteChat_SameUserTwice_RemembersTheFirstProduct()
    {
        var user = $"crm-{Guid.NewGuid():N}";
        var options = new ChatCompletionOptions { EndUserId = user };

        var search = await Client().CompleteChatAsync([new UserChatMessage("Avete la crema di pistacchio?")], options, Ct);
        var price = await Client().CompleteChatAsync([new UserChatMessage("quanto costa il primo?")], options, Ct);

        Assert.True(price.GetRawResponse().Headers.TryGetValue("X-Session-Id", out var session));
        Assert.Equal($"oai-{user}", session);
        var history = await Http.GetFromJsonAsync<ChatHistory>($"/chat/sessions/{session}/history", Ct);
        Assert.Equal(["user", "assistant", "user", "assistant"], history!.Messages.Select(m => m.Role));
        var first = Assert.Single(history.Messages[1].ToolCalls!, c => c.Name == "search_products").Result.GetProperty("items")[0];
        var lookup = Assert.Single(history.Messages[3].ToolCalls!, c => c.Name == "get_product");
        Assert.Equal(first.GetProperty("sku").GetString(), lookup.Arguments.GetProperty("product").GetString());
        Assert.Contains(first.GetProperty("name").GetString()!, search.Value.Content[0].Text, StringComparison.Ordinal);
        Assert.Contains(first.GetProperty("price").GetDecimal().ToString("0.00", CultureInfo.GetCultureInfo("it-IT")), price.Value.Content[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_SessionHeader_ContinuesThatSessionAndIsEchoed()
    {
        var session = $"oai-header-{Guid.NewGuid():N}";

        var first = await PostAsync(session, "Ciao!");
        var second = await PostAsync(session, "Avete la crema di pistacchio?");

        Assert.Equal([session, session], new[] { first, second }.Select(r => r.Headers.GetValues("X-Session-Id").Single()));
        var history = await Http.GetFromJsonAsync<ChatHistory>($"/chat/sessions/{session}/history", Ct);
        Assert.Equal(4, history!.Messages.Count);
    }

    [Fact]
    public async Task ChatCompletions_StreamWithoutIncludeUsage_EndsWithStopThenDoneAndNoUsageChunk()
    {
        var response = await PostAsync($"oai-sse-{Guid.NewGuid():N}", "Quanto costa la spedizione?", stream: true);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = (await response.Content.ReadAsStringAsync(Ct)).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e[6..]).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.DoesNotContain(chunks, c => c.TryGetProperty("usage", out _));
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal("stop", chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.All(chunks[..^1], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind));
    }

    [Fact]
    public async Task CompleteChat_ClientSentHistory_IsIgnoredAndOnlyTheLastUserMessageIsTheTurn()
    {
        var session = $"oai-history-{Guid.NewGuid():N}";
        var options = new ChatCompletionOptions { Metadata = { ["session_id"] = session } };

        await Client().CompleteChatAsync(
        [
            new SystemChatMessage("Rispondi solo in inglese."),
            new UserChatMessage("Ciao!"),
            new AssistantChatMessage("Hello!"),
            new UserChatMessage("Avete la crema di pistacchio?"),
        ], options, Ct);

        var history = await Http.GetFromJsonAsync<ChatHistory>($"/chat/sessions/{session}/history", Ct);
        Assert.Equal(["user", "assistant"], history!.Messages.Select(m => m.Role));
        Assert.Equal(("Avete la crema di pistacchio?", "it"), (history.Messages[0].Text, history.Messages[1].Language));
    }

    [Fact]
    public async Task CompleteChat_PublishableKey_ThrowsClientResultException403()
    {
        var created = await factory.CreateMerchantAsync();

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Client(created.PublishableKey).CompleteChatAsync([new UserChatMessage("Ciao")], cancellationToken: Ct));

        Assert.Equal(403, error.Status);
    }

    [Fact]
    public async Task CompleteChat_UnknownKey_ThrowsClientResultException401()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            Client("sk_test_NotARealKeyNotARealKeyNotARealKeyNotARealKey").CompleteChatAsync([new UserChatMessage("Ciao")], cancellationToken: Ct));

        Assert.Equal(401, error.Status);
    }

    [Fact]
    public async Task ChatCompletions_NoKey_Returns401Problem()
    {
        var response = await factory.CreateClient().PostAsJsonAsync("/v1/chat/completions", new { model = Model, messages = new[] { new { role = "user", content = "Ciao" } } }, Ct);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task CompleteChat_EmptyMessages_Throws400WithAReadableMessage()
    {
        var body = BinaryContent.Create(BinaryData.FromString($$"""{ "model": "{{Model}}", "messages": [] }"""));

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Client().CompleteChatAsync(body, new RequestOptions { CancellationToken = Ct }));

        Assert.Equal(400, error.Status);
        Assert.Contains("invalid_request_error: empty_array", error.Message, StringComparison.Ordinal);
        Assert.Contains("'messages' is empty: send at least the user's message.", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BadBodies => new()
    {
        { """{ "model": "m", "messages": [] }""", "messages", "empty_array" },
        { """{ "messages": [{ "role": "user", "content": "Ciao" }] }""", "model", "missing_required_parameter" },
        { """{ "model": "m", "messages": [{ "role": "system", "content": "Be brief." }] }""", "messages", "invalid_value" },
        { """{ "model": "m", "messages": [{ "role": "robot", "content": "Ciao" }] }""", "messages[0].role", "invalid_value" },
        { """{ "model": "m", "messages": [{ "role": "user", "content": "  " }] }""", "messages[0].content", "invalid_value" },
        { """{ "model": "m", "messages": [{ "role": "user", "content": [{ "type": "image_url", "image_url": { "url": "https://x.example/a.png" } }] }] }""", "messages[0].content", "invalid_type" },
        { $$"""{ "model": "m", "messages": [{ "role": "user", "content": "{{new string('a', 4_001)}}" }] }""", "messages[0].content", "string_above_max_length" },
        { """{ "model": "m", "stream": "yes", "messages": [{ "role": "user", "content": "Ciao" }] }""", "stream", "invalid_type" },
        { """{ "model": "m", "messages": [{ "role": "user", "content": "Ciao" }], "metadata": { "session_id": "a" } }""", "metadata.session_id", "invalid_value" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task ChatCompletions_BadBody_Returns400ProblemWithOpenAIsErrorMember(string body, string param, string code)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Session-Id", "b");

        var problem = await (await Http.SendAsync(request, Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(param, out _), $"the problem does not name '{param}': {problem}");
        var error = problem.GetProperty("error");
        Assert.Equal(("invalid_request_error", param, code), (error.GetProperty("type").GetString(), error.GetProperty("param").GetString(), error.GetProperty("code").GetString()));
        Assert.Equal(problem.Detail(), error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ChatCompletions_MalformedJson_Returns400ProblemWithOpenAIsErrorMember()
    {
        var response = await Http.PostAsync("/v1/chat/completions", new StringContent("""{ "model": "m", "messages": [""", Encoding.UTF8, "application/json"), Ct);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("The request body is not valid JSON", problem.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteChat_BlockedCustomer_GetsAnEmptyContentFilterCompletionAndNothingIsStored()
    {
        var user = $"blocked-{Guid.NewGuid():N}";
        var options = new ChatCompletionOptions { EndUserId = user };
        await Client().CompleteChatAsync([new UserChatMessage("Ciao")], options, Ct);
        await ScalarAsync($"UPDATE customers SET blocked = true WHERE external_id = '{user}'");
        var before = await ScalarAsync("SELECT count(*) FROM messages");

        var plain = (await Client().CompleteChatAsync([new UserChatMessage("Ciao di nuovo")], options, Ct)).Value;
        var streamed = new List<StreamingChatCompletionUpdate>();
        await foreach (var update in Client().CompleteChatStreamingAsync([new UserChatMessage("Ciao di nuovo")], options, Ct))
        {
            streamed.Add(update);
        }

        Assert.Equal((ChatFinishReason.ContentFilter, ""), (plain.FinishReason, string.Concat(plain.Content.Select(p => p.Text))));
        Assert.Equal(ChatFinishReason.ContentFilter, Assert.Single(streamed, u => u.FinishReason is not null).FinishReason);
        Assert.DoesNotContain(streamed.SelectMany(u => u.ContentUpdate), p => p.Text.Length > 0);
        Assert.Equal(before, await ScalarAsync("SELECT count(*) FROM messages"));
    }

    private async Task<HttpResponseMessage> PostAsync(string session, string message, bool stream = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = Model, stream, messages = new[] { new { role = "user", content = message } } }),
        };
        request.Headers.Add("X-Session-Id", session);
        var response = await Http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct);
    }
}
