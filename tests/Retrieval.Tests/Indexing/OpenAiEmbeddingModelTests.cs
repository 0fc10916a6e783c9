using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agents.Retrieval.Indexing;

namespace Agents.Retrieval.Tests.Indexing;

/// <summary>The OpenAI-compatible adapter against the documented /embeddings wire format (TestData).</summary>
public sealed class OpenAiEmbeddingModelTests
{
    private sealed class RecordedEndpoint(int? overrideDimensions = null) : HttpMessageHandler
    {
        public JsonNode? Request { get; private set; }
        public HttpRequestMessage? Message { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Message = request;
            Request = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
            var response = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "openai-embeddings-response.json"), cancellationToken))!;
            foreach (var item in response["data"]!.AsArray())
            {
                var floats = item!["embedding"]!.AsArray().Select(v => v!.GetValue<float>()).Take(overrideDimensions ?? 4).ToArray();
                // The SDK may ask for base64 (little-endian float32), as the API documents.
                item["embedding"] = Request?["encoding_format"]?.GetValue<string>() == "base64"
                    ? JsonValue.Create(Convert.ToBase64String(floats.SelectMany(BitConverter.GetBytes).ToArray()))
                    : new JsonArray(floats.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray());
            }

            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(response.ToJsonString(), Encoding.UTF8, "application/json") };
        }
    }

    private static OpenAiEmbeddingModel Model(HttpMessageHandler handler) =>
        new(new OpenAiEmbeddingOptions { BaseUrl = "http://127.0.0.1:1/v1", ApiKey = "sk-test", Model = "text-embedding-3-small", Dimensions = 4 }, new HttpClient(handler));

    [Fact]
    public async Task GenerateAsync_SendsModelInputsAndDimensions_ReturnsVectorsInInputOrder()
    {
        var endpoint = new RecordedEndpoint();

        var result = await Model(endpoint).GenerateAsync(["ciao", "hola"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("http://127.0.0.1:1/v1/embeddings", endpoint.Message!.RequestUri!.ToString());
        Assert.Equal("Bearer sk-test", endpoint.Message.Headers.Authorization!.ToString());
        Assert.Equal("text-embedding-3-small", endpoint.Request!["model"]!.GetValue<string>());
        Assert.Equal(["ciao", "hola"], endpoint.Request["input"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.Equal(4, endpoint.Request["dimensions"]!.GetValue<int>());
        Assert.Equal([0.1f, 0.2f, 0.3f, 0.4f], result[0].Vector.ToArray());
        Assert.Equal([0.5f, -0.5f, 0.5f, -0.5f], result[1].Vector.ToArray());
        Assert.Equal(9, result.Usage!.InputTokenCount);
    }

    [Fact]
    public async Task GenerateAsync_VectorsOfAnotherSize_AreRefusedNotStored()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Model(new RecordedEndpoint(overrideDimensions: 3)).GenerateAsync(["ciao"], cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("4", error.Message);
    }

    [Fact]
    public void ModelId_CarriesModelAndDimensions_SoAChangeTriggersReembedding()
    {
        Assert.Equal("openai:text-embedding-3-small:4", Model(new RecordedEndpoint()).ModelId);
        Assert.Equal("'openai:text-embedding-3-small:4'", EmbeddingIndex.Literal(Model(new RecordedEndpoint()).ModelId));
        Assert.Throws<ArgumentException>(() => EmbeddingIndex.Literal("x'; DROP TABLE documents; --"));
    }
}
