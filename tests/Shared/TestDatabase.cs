using Agents.Data;
using Agents.Data.Provisioning;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Agents.Tests.Shared;

/// <summary>
/// One real PostgreSQL for the whole run (the provisioned local cluster, or the server named by
/// ConnectionStrings__Agents), and one throw-away database per test class so classes run in parallel.
/// </summary>
public static class TestDatabase
{
    private static readonly Lazy<Task<string>> Server = new(ResolveServerAsync);

    public static async Task<string> CreateAsync(string hint)
    {
        var server = await Server.Value;
        var name = $"t_{new string(hint.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(24).ToArray())}_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = true }.ConnectionString;
    }

    public static async Task DropAsync(string connectionString)
    {
        if (string.IsNullOrEmpty(connectionString))
        {
            return; // the class never got its database
        }

        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(await Server.Value);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task<string> ResolveServerAsync()
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        if (configuration.GetConnectionString("Agents") is { Length: > 0 } external)
        {
            return new NpgsqlConnectionStringBuilder(external) { Database = "postgres" }.ConnectionString;
        }

        var options = DataExtensions.LocalOptions(configuration, AppContext.BaseDirectory);
        var result = await LocalPostgres.EnsureAsync(options, line => Console.WriteLine($"[postgres] {line}"));
        return new NpgsqlConnectionStringBuilder(result.ConnectionString) { Database = "postgres" }.ConnectionString;
    }
}
