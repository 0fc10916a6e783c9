using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Agents.Data.Migrations;

/// <summary>
/// Applies the ordered SQL files embedded under Migrations/ (NNNN_name.sql), each in its own
/// transaction, and records them in <c>schema_migrations</c> with a checksum. An advisory lock
/// lets several hosts start at once without applying anything twice.
/// </summary>
public sealed class MigrationRunner(NpgsqlDataSource dataSource, ILogger<MigrationRunner> logger)
{
    // Arbitrary, fixed: identifies "schema migration in progress" among advisory locks.
    private const long LockKey = 0x41_47_45_4E_54_53_01;

    public static IReadOnlyList<Migration> All { get; } = LoadEmbedded();

    public async Task<int> ApplyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Execute(connection, "SELECT pg_advisory_lock(@key)", cancellationToken, ("key", LockKey));
        try
        {
            await Execute(connection, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version     text PRIMARY KEY,
                    name        text NOT NULL,
                    checksum    text NOT NULL,
                    applied_at  timestamptz NOT NULL DEFAULT now()
                )
                """, cancellationToken);

            var applied = await ReadAppliedAsync(connection, cancellationToken);
            var count = 0;
            foreach (var migration in All)
            {
                if (applied.TryGetValue(migration.Version, out var checksum))
                {
                    if (checksum != migration.Checksum)
                    {
                        throw new InvalidOperationException(
                            $"Migration {migration.Version}_{migration.Name} was changed after it was applied. " +
                            "Add a new migration instead of editing an applied one.");
                    }

                    continue;
                }

                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using (var command = new NpgsqlCommand(migration.Sql, connection, transaction))
                {
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }

                await using (var record = new NpgsqlCommand(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES (@v, @n, @c)", connection, transaction))
                {
                    record.Parameters.AddWithValue("v", migration.Version);
                    record.Parameters.AddWithValue("n", migration.Name);
                    record.Parameters.AddWithValue("c", migration.Checksum);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                count++;
                logger.LogInformation("Applied migration {Version}_{Name} in {Elapsed:F0} ms",
                    migration.Version, migration.Name, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            // Types created by migrations (vector) become visible to Npgsql only after a reload.
            if (count > 0)
            {
                await connection.ReloadTypesAsync(cancellationToken);
            }

            return count;
        }
        finally
        {
            await Execute(connection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, ("key", LockKey));
        }
    }

    /// <summary>Versions embedded in this build that the database has not recorded yet.</summary>
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT to_regclass('schema_migrations') IS NOT NULL", connection);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
        {
            return All.Select(m => m.Version).ToList();
        }

        var applied = await ReadAppliedAsync(connection, cancellationToken);
        return All.Where(m => !applied.ContainsKey(m.Version)).Select(m => m.Version).ToList();
    }

    private static async Task<Dictionary<string, string>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("SELECT version, checksum FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetString(0)] = reader.GetString(1);
        }

        return applied;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = typeof(MigrationRunner).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Migrations/", StringComparison.Ordinal)))
        {
            var file = Path.GetFileNameWithoutExtension(resource["Migrations/".Length..]);
            var separator = file.IndexOf('_', StringComparison.Ordinal);
            if (separator <= 0 || !file[..separator].All(char.IsAsciiDigit))
            {
                throw new InvalidOperationException($"Migration file '{file}.sql' must be named NNNN_description.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var sql = reader.ReadToEnd();
            var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n"))));
            migrations.Add(new Migration(file[..separator], file[(separator + 1)..], sql, checksum));
        }

        return migrations.OrderBy(m => m.Version, StringComparer.Ordinal).ToList();
    }
}

public sealed record Migration(string Version, string Name, string Sql, string Checksum);
