using System.Net;
using System.Net.Http.Json;
using Agents.AgentHost.Apis;
using Agents.AgentHost.Auth;

namespace Agents.AgentHost.Tests;

public sealed class ApiKeyTests(AgentsApiFactory factory) : IClassFixture<AgentsApiFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NoKey_Returns401WithBearerChallenge()
    {
        var response = await factory.CreateClient().GetAsync("/api/merchant", Ct);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("Authorization: Bearer", problem.Detail());
    }

    [Fact(Timeout = 60_000)] // the bug this guards against hung connections; fail instead of hanging CI
    public async Task ConcurrentRequests_ManyKeysAtOnce_AllSucceed()
    {
        // Regression: a reader disposed twice in the key lookup closed other requests' readers
        // once its pooled connection had moved on (seen only under concurrent load).
        var merchants = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => factory.CreateMerchantAsync()));
        var clients = merchants.Select(m => factory.ClientWithKey(m.SecretKey)).ToArray();
        var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 800), new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = Ct },
            async (i, ct) => statuses.Add((await clients[i % clients.Length].GetAsync(i % 2 == 0 ? "/api/merchant" : "/api/keys", ct)).StatusCode));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task XApiKeyHeader_IsAcceptedLikeBearer()
    {
        var merchant = await factory.CreateMerchantAsync();
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", merchant.SecretKey);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/merchant", Ct)).StatusCode);
    }

    public static TheoryData<string, string> Tampered => new()
    {
        { "wrong prefix", "xk_" },
        { "wrong mode", "sk_prod_" },
        { "truncated", "truncate" },
        { "last character changed", "flip-last" },
        { "extra character", "append" },
        { "other kind, same body", "pk-swap" },
    };

    [Theory]
    [MemberData(nameof(Tampered))]
    public async Task TamperedKey_Returns401(string _, string how)
    {
        var merchant = await factory.CreateMerchantAsync();
        var key = merchant.SecretKey;
        var tampered = how switch
        {
            "xk_" => "xk_" + key[3..],
            "sk_prod_" => "sk_prod_" + key["sk_test_".Length..],
            "truncate" => key[..^1],
            "flip-last" => key[..^1] + (key[^1] == 'a' ? 'b' : 'a'),
            "append" => key + "0",
            _ => "pk" + key[2..],
        };

        var response = await factory.ClientWithKey(tampered).GetAsync("/api/merchant", Ct);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RevokedKey_Returns401AndOtherKeysKeepWorking()
    {
        var merchant = await factory.CreateMerchantAsync();
        var owner = factory.ClientWithKey(merchant.SecretKey);
        var created = await (await owner.PostAsJsonAsync("/api/keys", new { kind = "secret", mode = "live", name = "ci" }, Ct))
            .Content.ReadFromJsonAsync<CreatedKeyResponse>(Ct);
        Assert.Matches("^sk_live_", created!.Key);
        var second = factory.ClientWithKey(created.Key);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/merchant", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/keys/{created.Id}", Ct)).StatusCode);

        var problem = await (await second.GetAsync("/api/merchant", Ct)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("revoked", problem.Detail());
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/api/merchant", Ct)).StatusCode);
        var keys = await owner.GetFromJsonAsync<List<ApiKeyDto>>("/api/keys", Ct);
        Assert.NotNull(keys!.Single(k => k.Id == created.Id).RevokedAt);
    }

    [Fact]
    public async Task KeyList_NeverContainsKeyMaterial_AndRecordsLastUse()
    {
        var merchant = await factory.CreateMerchantAsync();
        var client = factory.ClientWithKey(merchant.SecretKey);

        var json = await client.GetStringAsync("/api/keys", Ct);

        Assert.DoesNotContain(merchant.SecretKey, json, StringComparison.Ordinal);
        Assert.DoesNotContain(merchant.PublishableKey, json, StringComparison.Ordinal);
        var keys = await client.GetFromJsonAsync<List<ApiKeyDto>>("/api/keys", Ct);
        var secret = keys!.Single(k => k.Kind == "secret");
        Assert.Equal(merchant.SecretKey[..16], secret.Prefix);
        Assert.NotNull(secret.LastUsedAt);
        Assert.Null(keys!.Single(k => k.Kind == "publishable").LastUsedAt);
    }

    [Theory]
    [InlineData("/api/merchant")]
    [InlineData("/api/keys")]
    [InlineData("/api/customers")]
    [InlineData("/api/conversations")]
    [InlineData("/api/admin/merchants")]
    public async Task PublishableKey_OnDataOrAdminEndpoints_Returns403(string path)
    {
        var merchant = await factory.CreateMerchantAsync();

        var response = await factory.ClientWithKey(merchant.PublishableKey).GetAsync(path, Ct);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task SecretKey_OnAdminEndpoints_Returns403()
    {
        var merchant = await factory.CreateMerchantAsync();

        var response = await factory.ClientWithKey(merchant.SecretKey).PostAsJsonAsync("/api/admin/merchants",
            new { name = "Sneaky", slug = "sneaky", defaultLanguage = "en" }, Ct);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("admin key", problem.Detail());
    }

    [Fact]
    public async Task AdminKey_OnMerchantEndpoints_Returns403()
    {
        var response = await factory.Admin().GetAsync("/api/merchant", Ct);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task CreateKey_InvalidKindOrMode_Returns400NamingFields()
    {
        var merchant = await factory.CreateMerchantAsync();

        var response = await factory.ClientWithKey(merchant.SecretKey).PostAsJsonAsync("/api/keys", new { kind = "root", mode = "prod" }, Ct);

        var errors = (await response.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("kind", out _));
        Assert.True(errors.TryGetProperty("mode", out _));
    }

    [Fact]
    public void Generate_Keys_AreUniqueWellFormedAndHashed()
    {
        var keys = Enumerable.Range(0, 200).Select(_ => ApiKeyFormat.Generate(ApiKeyFormat.Secret, ApiKeyFormat.Live)).ToList();

        Assert.Equal(200, keys.Select(k => k.Key).Distinct().Count());
        Assert.Equal(200, keys.Select(k => k.Prefix).Distinct().Count());
        Assert.All(keys, k =>
        {
            Assert.True(ApiKeyFormat.TryParse(k.Key, out var prefix, out var kind, out var mode));
            Assert.Equal((k.Prefix, "secret", "live"), (prefix, kind, mode));
            Assert.Equal(32, k.Hash.Length);
            Assert.True(ApiKeyFormat.Matches(k.Key, k.Hash));
            Assert.False(ApiKeyFormat.Matches(k.Key[..^1], k.Hash));
        });
        // 43 base62 characters carry ≥ 256 bits: every position must actually vary.
        Assert.All(Enumerable.Range(8, 43), i => Assert.True(keys.Select(k => k.Key[i]).Distinct().Count() > 10));
    }
}
