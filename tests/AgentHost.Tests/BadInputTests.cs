using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Agents.AgentHost.Apis;
using Npgsql;

namespace Agents.AgentHost.Tests;

/// <summary>Every kind of bad body gets a ProblemDetails naming what was wrong, and writes nothing.</summary>
public sealed class BadInputTests(AgentsApiFactory factory) : IClassFixture<AgentsApiFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string?> Bodies => new()
    {
        { "malformed JSON", """{"name": "Shop", "slug": """, null },
        { "not an object", """["name", "slug"]""", null },
        { "wrong type", """{"name": 42, "slug": "wrong-type", "defaultLanguage": "en"}""", "name" },
        { "missing name", """{"slug": "missing-name", "defaultLanguage": "en"}""", "name" },
        { "missing slug", """{"name": "Shop", "defaultLanguage": "en"}""", "slug" },
        { "missing language", """{"name": "Shop", "slug": "missing-lang"}""", "defaultLanguage" },
        { "unsupported language", """{"name": "Shop", "slug": "bad-lang", "defaultLanguage": "fr"}""", "defaultLanguage" },
        { "invalid slug", """{"name": "Shop", "slug": "Not A Slug!", "defaultLanguage": "en"}""", "slug" },
        { "empty body", "", null },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task CreateMerchant_BadBody_Returns400NamingTheFieldAndWritesNothing(string _, string body, string? field)
    {
        var before = await CountMerchantsAsync();

        var response = await factory.Admin().PostAsync("/api/admin/merchants", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        if (field is not null)
        {
            var named = problem.TryGetProperty("errors", out var errors) ? errors.TryGetProperty(field, out JsonElement _)
                : problem.TryGetProperty("field", out var f) && f.GetString() == field;
            Assert.True(named, $"the problem does not name '{field}': {problem}");
        }

        Assert.Equal(before, await CountMerchantsAsync());
    }

    [Fact]
    public async Task CreateMerchant_InvalidUtf8_Returns400AndWritesNothing()
    {
        var before = await CountMerchantsAsync();
        var bytes = Encoding.UTF8.GetBytes("""{"name": "Caff?", "slug": "bad-utf8", "defaultLanguage": "it"}""");
        bytes[Array.IndexOf(bytes, (byte)'?')] = 0xC3; // a lead byte with no continuation
        bytes[Array.IndexOf(bytes, (byte)'"', 15)] = 0xFF;

        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/json");
        var response = await factory.Admin().PostAsync("/api/admin/merchants", content, Ct);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(before, await CountMerchantsAsync());
    }

    [Fact]
    public async Task CreateMerchant_OneMegabyteBody_Returns413AndWritesNothing()
    {
        var before = await CountMerchantsAsync();
        var huge = $$"""{"name": "{{new string('x', 1024 * 1024)}}", "slug": "huge", "defaultLanguage": "en"}""";

        var response = await factory.Admin().PostAsync("/api/admin/merchants", new StringContent(huge, Encoding.UTF8, "application/json"), Ct);

        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("65536", problem.Detail());
        Assert.Equal(before, await CountMerchantsAsync());
    }

    [Fact]
    public async Task CreateMerchant_WrongContentType_Returns415Problem()
    {
        var response = await factory.Admin().PostAsync("/api/admin/merchants",
            new StringContent("name=Shop&slug=form", Encoding.UTF8, "application/x-www-form-urlencoded"), Ct);

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task CreateCustomer_InvalidFields_Returns400NamingEachField()
    {
        var merchant = await factory.CreateMerchantAsync();
        var client = factory.ClientWithKey(merchant.SecretKey);

        var response = await client.PostAsJsonAsync("/api/customers",
            new { phone = "12345", email = "not-an-email", language = "de", country = "ITA" }, Ct);

        var errors = (await response.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        foreach (var field in new[] { "phone", "email", "language", "country" })
        {
            Assert.True(errors.TryGetProperty(field, out JsonElement _), $"'{field}' not named");
        }

        Assert.Empty((await client.GetFromJsonAsync<Infrastructure.Page<CustomerDto>>("/api/customers", Ct))!.Items);
    }

    [Fact]
    public async Task UpdateMerchant_InvalidOriginsAndAiSettings_Returns400AndKeepsSettings()
    {
        var merchant = await factory.CreateMerchantAsync();
        var client = factory.ClientWithKey(merchant.SecretKey);

        var response = await client.PatchAsJsonAsync("/api/merchant",
            new { allowedOrigins = new[] { "https://shop.example.com/path" }, ai = new { temperature = 3.5, memoryWindow = 0 } }, Ct);

        var errors = (await response.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("allowedOrigins[0]", out _));
        Assert.True(errors.TryGetProperty("ai.temperature", out _));
        Assert.True(errors.TryGetProperty("ai.memoryWindow", out _));
        var current = await client.GetFromJsonAsync<MerchantDto>("/api/merchant", Ct);
        Assert.Equal(0.7, current!.Ai.Temperature);
        Assert.Empty(current.AllowedOrigins);
    }

    [Fact]
    public async Task UpdateMerchant_ValidPatch_ChangesOnlyWhatWasSent()
    {
        var merchant = await factory.CreateMerchantAsync();
        var client = factory.ClientWithKey(merchant.SecretKey);

        var response = await client.PatchAsJsonAsync("/api/merchant",
            new { allowedOrigins = new[] { "https://shop.example.com" }, ai = new { temperature = 0.0, provider = "openai" } }, Ct);

        var updated = await response.Content.ReadFromJsonAsync<MerchantDto>(Ct);
        Assert.Equal(["https://shop.example.com"], updated!.AllowedOrigins);
        Assert.Equal(0.0, updated.Ai.Temperature);
        Assert.Equal("openai", updated.Ai.Provider);
        Assert.Equal(250, updated.Ai.MaxTokens);
        Assert.Equal("en", updated.DefaultLanguage);
    }

    private async Task<long> CountMerchantsAsync()
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM merchants", connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }
}
