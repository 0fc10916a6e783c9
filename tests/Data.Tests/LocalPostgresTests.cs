using Agents.Data.Provisioning;
using Npgsql;

namespace Agents.Data.Tests;

/// <summary>A second, private cluster (own folder, own port) so stopping it disturbs no other test.</summary>
public sealed class LocalPostgresTests : IAsyncLifetime
{
    private readonly LocalPostgresOptions _options = new()
    {
        RootDirectory = Path.Combine(Path.GetTempPath(), $"agents-provision-{Guid.NewGuid():N}"),
        Port = 54339 + Random.Shared.Next(0, 50),
        Database = "provisioned",
    };

    private readonly List<string> _progress = [];

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task EnsureAsync_FreshFolder_InitializesStartsAndCreatesDatabaseWithExtensionsAvailable()
    {
        var first = await LocalPostgres.EnsureAsync(_options, _progress.Add, TestContext.Current.CancellationToken);

        Assert.Contains("initialized", first.Actions);
        Assert.Contains("started", first.Actions);
        Assert.Contains("created database", first.Actions);
        Assert.Contains(_progress, line => line.Contains("initdb", StringComparison.Ordinal));
        await using var connection = new NpgsqlConnection(first.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT string_agg(name, ',' ORDER BY name) FROM pg_available_extensions WHERE name IN ('vector', 'pg_trgm', 'unaccent')", connection);
        Assert.Equal("pg_trgm,unaccent,vector", await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        Assert.Equal("127.0.0.1", new NpgsqlConnectionStringBuilder(first.ConnectionString).Host);
        Assert.True(File.Exists(Path.Combine(_options.RootDirectory, "postgres.password")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_options.RootDirectory, "postgres.password")));
        }
    }

    [Fact]
    public async Task EnsureAsync_SecondRun_IsANoOpUnderTwoSeconds()
    {
        var first = await LocalPostgres.EnsureAsync(_options, _progress.Add, TestContext.Current.CancellationToken);

        var second = await LocalPostgres.EnsureAsync(_options, _progress.Add, TestContext.Current.CancellationToken);

        Assert.True(second.WasNoOp, $"second run did: {string.Join(", ", second.Actions)}");
        Assert.Equal(first.ConnectionString, second.ConnectionString);
        Assert.True(second.Elapsed < TimeSpan.FromSeconds(2), $"warm provisioning took {second.Elapsed}");
    }

    [Fact]
    public async Task EnsureAsync_StoppedCluster_IsRestartedWithItsData()
    {
        var first = await LocalPostgres.EnsureAsync(_options, _progress.Add, TestContext.Current.CancellationToken);
        await ExecuteAsync(first.ConnectionString, "CREATE TABLE survives (id int); INSERT INTO survives VALUES (42)");
        await LocalPostgres.StopAsync(_options, TestContext.Current.CancellationToken);
        await Assert.ThrowsAnyAsync<Exception>(() => ExecuteAsync(first.ConnectionString, "SELECT 1"));

        var again = await LocalPostgres.EnsureAsync(_options, _progress.Add, TestContext.Current.CancellationToken);

        Assert.Equal(["started"], again.Actions);
        Assert.Equal(42, await ExecuteAsync(again.ConnectionString, "SELECT id FROM survives"));
    }

    [Fact]
    public async Task EnsureAsync_ConcurrentCallers_ProvisionOnce()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            Task.Run(() => LocalPostgres.EnsureAsync(_options, _ => { }, TestContext.Current.CancellationToken))));

        Assert.Single(results, r => r.Actions.Contains("initialized"));
        Assert.Equal(2, results.Count(r => r.WasNoOp));
    }

    private static async Task<object?> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await LocalPostgres.StopAsync(_options);
        Directory.Delete(_options.RootDirectory, recursive: true);
    }
}
