using System.Net;
using System.Text.Json;
using Npgsql;

namespace Agents.AgentHost.Tests;

public sealed class HealthAndOpenApiTests(AgentsApiFactory factory) : IClassFixture<AgentsApiFactory>
{
    [Fact]
    public async Task Live_Always_Returns200()
    {
        var response = await factory.CreateClient().GetAsync("/health/live", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Ready_PendingMigration_Returns503UntilApplied()
    {
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready", TestContext.Current.CancellationToken)).StatusCode);

        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using (var forget = new NpgsqlCommand("DELETE FROM schema_migrations WHERE version = '0001' RETURNING checksum", connection))
        {
            var checksum = (string)(await forget.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
            try
            {
                var response = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            }
            finally
            {
                await using var restore = new NpgsqlCommand("INSERT INTO schema_migrations (version, name, checksum) VALUES ('0001', 'initial', @c)", connection);
                restore.Parameters.AddWithValue("c", checksum);
                await restore.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task OpenApi_Document_DescribesTheContractPathsAndBearerAuth()
    {
        var json = await factory.CreateClient().GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken);

        var document = JsonDocument.Parse(json).RootElement;
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/admin/merchants", "/api/admin/merchants/{id}", "/api/admin/merchants/{id}/status", "/api/keys", "/api/customers/{id}" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"OpenAPI lacks {path}");
        }

        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
    }
}
