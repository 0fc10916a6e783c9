using Microsoft.Extensions.Logging;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Agents.AgentHost.Apis;
using Agents.Data;
using Agents.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Agents.AgentHost.Tests;

/// <summary>The real host over HTTP (in-memory transport) on its own fresh database.</summary>
public class AgentsApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminKey = "test-admin-key-0123456789-abcdefghijklmnopqrstuvwxyz";

    public string ConnectionString { get; private set; } = "";

    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    public virtual async ValueTask InitializeAsync()
    {
        ConnectionString = await TestDatabase.CreateAsync(GetType().Name);
        // Starting the server here applies the migrations before any test runs.
        _ = Server;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Agents", ConnectionString);
        builder.UseSetting("Admin:ApiKey", AdminKey);
        builder.UseSetting("Demo:Enabled", "false");
        builder.ConfigureLogging(logging => logging.AddProvider(new TestOutputLoggerProvider()));
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public HttpClient ClientWithKey(string? key)
    {
        var client = CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public HttpClient Admin() => ClientWithKey(AdminKey);

    /// <summary>Creates a merchant through the admin API, as a real operator would.</summary>
    public async Task<CreateMerchantResponse> CreateMerchantAsync(string? slug = null, string language = "en")
    {
        slug ??= $"shop-{Guid.NewGuid():N}"[..20];
        var response = await Admin().PostAsJsonAsync("/api/admin/merchants", new { name = $"Shop {slug}", slug, defaultLanguage = language });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CreateMerchantResponse>())!;
    }

    /// <summary>A unit of work scoped to one merchant, for arranging rows no public endpoint creates yet.</summary>
    public async Task WithTenantAsync(Guid merchantId, Func<AgentsDbContext, Task> work)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(merchantId);
        await work(scope.ServiceProvider.GetRequiredService<AgentsDbContext>());
    }

    /// <summary>One value read straight from the test database (arranging and checking rows no endpoint shows).</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(Xunit.TestContext.Current.CancellationToken);
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Xunit.TestContext.Current.CancellationToken);
    }

    /// <summary>Rows read straight from the test database.</summary>
    public async Task<List<T>> QueryAsync<T>(string sql, Func<Npgsql.NpgsqlDataReader, T> map)
    {
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(Xunit.TestContext.Current.CancellationToken);
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(Xunit.TestContext.Current.CancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(Xunit.TestContext.Current.CancellationToken))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await TestDatabase.DropAsync(ConnectionString);
        GC.SuppressFinalize(this);
    }
}
