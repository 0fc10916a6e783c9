using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Agents.Evals.Tests.EndToEnd;

/// <summary>
/// A local server speaking the OpenAI chat-completions wire format (the documented JSON and SSE
/// shapes): streamed turns for the assistant, a plain completion for the judge. It counts what it
/// was asked, so a test can tell a cached run from a fresh one.
/// </summary>
public sealed class OpenAiCompatibleServer : IAsyncDisposable
{
    public const string Reply = "Shipping within Italy costs 7.90 euros and is free over 59 euros.";
    private readonly WebApplication _app;
    private int _turns;
    private int _judgements;

    private OpenAiCompatibleServer(WebApplication app) => _app = app;

    /// <summary>What the judge answers; anything but the JSON verdict makes the judge fail.</summary>
    public string JudgeAnswer { get; set; } = """{"pass": true, "score": 0.9, "reason": "States the shipping cost."}""";

    public int Turns => _turns;

    public int Judgements => _judgements;

    public string BaseUrl => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/v1";

    public static async Task<OpenAiCompatibleServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new OpenAiCompatibleServer(app);
        app.MapPost("/v1/chat/completions", server.CompleteAsync);
        await app.StartAsync();
        return server;
    }

    private async Task CompleteAsync(HttpContext http)
    {
        var body = await JsonNode.ParseAsync(http.Request.Body);
        var model = body!["model"]!.GetValue<string>();
        if (body["stream"]?.GetValue<bool>() == true)
        {
            Interlocked.Increment(ref _turns);
            http.Response.ContentType = "text/event-stream";
            foreach (var delta in new[] { """{"role":"assistant","content":"Shipping within Italy costs 7.90 euros "}""", """{"content":"and is free over 59 euros."}""" })
            {
                await http.Response.WriteAsync($$$"""data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1763800000,"model":"{{{model}}}","choices":[{"index":0,"delta":{{{delta}}},"finish_reason":null}]}""" + "\n\n");
            }

            await http.Response.WriteAsync($$$"""data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1763800000,"model":"{{{model}}}","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""" + "\n\n");
            await http.Response.WriteAsync($$$"""data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1763800000,"model":"{{{model}}}","choices":[],"usage":{"prompt_tokens":1000,"completion_tokens":100,"total_tokens":1100}}""" + "\n\n");
            await http.Response.WriteAsync("data: [DONE]\n\n");
            return;
        }

        Interlocked.Increment(ref _judgements);
        var completion = new JsonObject
        {
            ["id"] = "chatcmpl-2",
            ["object"] = "chat.completion",
            ["created"] = 1763800000,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = JudgeAnswer },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 300, ["completion_tokens"] = 20, ["total_tokens"] = 320 },
        };
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(completion.ToJsonString(JsonSerializerOptions.Web));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
