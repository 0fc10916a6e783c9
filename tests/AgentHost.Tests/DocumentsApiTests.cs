using System.Net;
using System.Net.Http.Json;
using System.Text;
using Agents.AgentHost.Apis;
using Npgsql;

namespace Agents.AgentHost.Tests;

public sealed class DocumentsApiTests(AgentsApiFactory factory) : IClassFixture<AgentsApiFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpClient> MerchantAsync() => factory.ClientWithKey((await factory.CreateMerchantAsync()).SecretKey);

    private static async Task<DocumentCreated> CreateAsync(HttpClient client, object document)
    {
        var response = await client.PostAsJsonAsync("/api/documents", document, Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<DocumentCreated>(Ct))!;
    }

    private static async Task<List<SearchResultDto>> SearchAsync(HttpClient client, string query, string extra = "") =>
        (await client.GetFromJsonAsync<SearchResponse>($"/api/documents/search?q={Uri.EscapeDataString(query)}{extra}", Ct))!.Results.ToList();

    [Fact]
    public async Task Create_Policy_Returns201AndIsFoundBySearch()
    {
        var client = await MerchantAsync();
        await CreateAsync(client, new { type = "faq", title = "Gift wrapping", body = "We wrap any order as a gift for 3.50 EUR with a handwritten card.", language = "en" });

        var response = await client.PostAsJsonAsync("/api/documents",
            new { type = "policy", title = "Returns", body = "You can return unopened products within 14 days of delivery for a full refund.", language = "en", metadata = new { owner = "ops" }, sourceId = "returns" }, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<DocumentCreated>(Ct))!;
        Assert.Equal(("en", 1), (created.Language, created.Chunks));
        var stored = await client.GetFromJsonAsync<DocumentDto>($"/api/documents/{created.Id}", Ct);
        Assert.Equal(("policy", "returns", 1, "ops"), (stored!.Type, stored.SourceId, stored.Chunks, stored.Metadata.GetProperty("owner").GetString()));
        var results = await SearchAsync(client, "how many days do I have to send something back?");
        Assert.Equal(created.Id, results[0].DocumentId);
        Assert.Contains("14 days", results[0].Snippet);
    }

    [Fact]
    public async Task Create_WithoutLanguage_DetectsIt()
    {
        var client = await MerchantAsync();

        var created = await CreateAsync(client, new { type = "faq", title = "Quanto costa la spedizione?", body = "La spedizione in Italia costa 7,90 euro ed è gratuita per gli ordini sopra i 59 euro." });

        Assert.Equal("it", created.Language);
        Assert.True((await client.GetFromJsonAsync<DocumentDto>($"/api/documents/{created.Id}", Ct))!.LanguageDetected);
    }

    [Fact]
    public async Task Create_SameSourceId_ReplacesTheDocumentAndItsChunks()
    {
        var client = await MerchantAsync();
        var first = await CreateAsync(client, new { type = "policy", title = "Shipping", body = "Couriers deliver in 2 days with Bartolini.", language = "en", sourceId = "shipping" });

        var response = await client.PostAsJsonAsync("/api/documents",
            new { type = "policy", title = "Shipping", body = "Couriers deliver in 3 days with Poste Italiane.", language = "en", sourceId = "shipping" }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(first.Id, (await response.Content.ReadFromJsonAsync<DocumentCreated>(Ct))!.Id);
        Assert.Empty(await SearchAsync(client, "Bartolini", "&mode=text"));
        Assert.Equal(first.Id, (await SearchAsync(client, "Poste Italiane", "&mode=text"))[0].DocumentId);
        Assert.Equal(1L, await ChunkCountAsync(first.Id));
    }

    [Fact]
    public async Task Delete_RemovesTheDocumentAndItsChunks()
    {
        var client = await MerchantAsync();
        var created = await CreateAsync(client, new { type = "faq", title = "Tracking", body = "Every order gets a tracking link by e-mail.", language = "en" });
        Assert.Equal(1L, await ChunkCountAsync(created.Id));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/documents/{created.Id}", Ct)).StatusCode);

        await (await client.GetAsync($"/api/documents/{created.Id}", Ct)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0L, await ChunkCountAsync(created.Id));
        await (await client.DeleteAsync($"/api/documents/{created.Id}", Ct)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_InvalidFields_Returns400NamingEach()
    {
        var client = await MerchantAsync();

        var response = await client.PostAsJsonAsync("/api/documents", new { type = "blog", body = "", language = "fr", metadata = new[] { 1 } }, Ct);

        var errors = (await response.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        foreach (var field in new[] { "type", "title", "body", "language", "metadata" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"'{field}' not named");
        }
    }

    [Fact]
    public async Task Bulk_Ndjson_ReportsBadLinesAndKeepsValidOnes()
    {
        var client = await MerchantAsync();
        var body = string.Join('\n',
            """{"type":"faq","title":"Opening hours","body":"Our Palermo shop opens 9 to 19, Monday to Saturday.","language":"en"}""",
            """{"type":"faq","title":"Broken""",
            """{"type":"faq","title":"Pagamenti","body":"Accettiamo carte, PayPal e bonifico bancario."}""",
            """{"type":"faq","body":"No title here"}""",
            """{"type":"review","title":"Buenísimo","body":"El pistacho de Bronte es espectacular, volveré a comprar.","sourceId":"r-1"}""");

        var response = await client.PostAsync("/api/documents/bulk", new StringContent(body, Encoding.UTF8, "application/x-ndjson"), Ct);

        var result = (await response.Content.ReadFromJsonAsync<BulkResult>(Ct))!;
        Assert.Equal((5, 3, 0, 2), (result.Received, result.Created, result.Updated, result.Failed));
        Assert.Equal([2, 4], result.Errors.Select(e => e.Line));
        Assert.Contains("title", result.Errors[1].Error);
        var languages = await Task.WhenAll(result.Ids.Select(async id => (await client.GetFromJsonAsync<DocumentDto>($"/api/documents/{id}", Ct))!.Language));
        Assert.Equal(["en", "it", "es"], languages);
    }

    [Fact]
    public async Task Bulk_JsonArray_ReportsItemLinesAndKeepsValidOnes()
    {
        var client = await MerchantAsync();
        var body = """
            [
              {"type": "policy", "title": "Privacy", "body": "We keep invoices for ten years.", "language": "en", "sourceId": "privacy"},
              {"type": "policy", "title": 42, "body": "wrong type"},
              {"type": "policy", "title": "Privacy", "body": "We keep invoices for ten years and marketing data for 24 months.", "language": "en", "sourceId": "privacy"}
            ]
            """;

        var response = await client.PostAsync("/api/documents/bulk", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        var result = (await response.Content.ReadFromJsonAsync<BulkResult>(Ct))!;
        Assert.Equal((3, 1, 1, 1), (result.Received, result.Created, result.Updated, result.Failed));
        Assert.Equal(3, Assert.Single(result.Errors).Line);
        Assert.Equal(result.Ids[0], result.Ids[1]);
    }

    [Fact]
    public async Task OtherMerchant_NeverSeesTheDocumentOrItsChunks()
    {
        var a = await MerchantAsync();
        var b = await MerchantAsync();
        var secret = await CreateAsync(a, new { type = "faq", title = "Zibibbo grappa secret recipe", body = "Our zibibbo grappa rests eighteen months in cherry wood barrels.", language = "en" });
        await CreateAsync(b, new { type = "faq", title = "Delivery", body = "We deliver across Europe.", language = "en" });

        foreach (var mode in new[] { "hybrid", "vector", "text" })
        {
            Assert.DoesNotContain(await SearchAsync(b, "zibibbo grappa cherry wood barrels", $"&mode={mode}&k=50"), r => r.DocumentId == secret.Id);
        }

        Assert.Equal(secret.Id, (await SearchAsync(a, "zibibbo grappa cherry wood barrels"))[0].DocumentId);
        await (await b.GetAsync($"/api/documents/{secret.Id}", Ct)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await b.DeleteAsync($"/api/documents/{secret.Id}", Ct)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(1L, await ChunkCountAsync(secret.Id));
    }

    [Fact]
    public async Task Search_Filters_ByTypeAndLanguage()
    {
        var client = await MerchantAsync();
        await CreateAsync(client, new { type = "faq", title = "Olive oil storage", body = "Keep the olive oil away from light and heat.", language = "en" });
        await CreateAsync(client, new { type = "review", title = "Great olive oil", body = "The olive oil is peppery and fresh.", language = "en" });
        await CreateAsync(client, new { type = "faq", title = "Conservare l'olio d'oliva", body = "Conserva l'olio d'oliva lontano da luce e calore.", language = "it" });

        Assert.All(await SearchAsync(client, "olive oil", "&type=review"), r => Assert.Equal("review", r.Type));
        Assert.All(await SearchAsync(client, "olio d'oliva", "&language=it"), r => Assert.Equal("it", r.Language));
        Assert.Equal(3, (await SearchAsync(client, "olive oil olio", "&k=10")).Count);
    }

    [Fact]
    public async Task Search_MissingQuery_Returns400()
    {
        var client = await MerchantAsync();

        var problem = await (await client.GetAsync("/api/documents/search?k=500", Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("q", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("k", out _));
    }

    private async Task<long> ChunkCountAsync(Guid documentId)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM document_chunks WHERE document_id = @d", connection);
        command.Parameters.AddWithValue("d", documentId);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }
}
