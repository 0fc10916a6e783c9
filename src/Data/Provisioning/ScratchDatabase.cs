using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Agents.Data.Provisioning;

/// <summary>
/// Throw-away databases on one PostgreSQL server (the one ConnectionStrings:Agents names, else the
/// project's local cluster): a fresh database per test class or eval run, dropped afterwards.
/// </summary>
public static class ScratchDatabase
{
    /// <summary>A connection string to the server's maintenance database, provisioning the local cluster when none is configured.</summary>
    public static async Task<string> ResolveServerAsync(IConfiguration configuration, string startDirectory, Action<string> progress, CancellationToken cancellationToken = default)
    {
        if (configuration.GetConnectionString("Agents") is { Length: > 0 } external)
        {
            return new NpgsqlConnectionStringBuilder(external) { Database = "postgres" }.ConnectionString;
        }

        var result = await LocalPostgres.EnsureAsync(DataExtensions.LocalOptions(configuration, startDirectory), progress, cancellationToken);
        return new NpgsqlConnectionStringBuilder(result.ConnectionString) { Database = "postgres" }.ConnectionString;
    }

    /// <summary>Creates an empty database named after <paramref name="hint"/> plus a unique suffix; returns its connection string.</summary>
    public static async Task<string> CreateAsync(string server, string prefix, string hint, CancellationToken cancellationToken = default)
    {
        var name = $"{prefix}_{new string(hint.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(24).ToArray())}_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = true }.ConnectionString;
    }

    public static async Task DropAsync(string server, string connectionString, CancellationToken cancellationToken = default)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync(cancellationToken);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync(cancellationToken);
    }
}
