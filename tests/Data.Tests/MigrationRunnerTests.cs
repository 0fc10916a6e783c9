using Agents.Data.Migrations;
using Agents.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Agents.Data.Tests;

public sealed class MigrationRunnerTests : IAsyncLifetime
{
    private string _connectionString = "";
    private NpgsqlDataSource _dataSource = null!;

    public async ValueTask InitializeAsync()
    {
        _connectionString = await TestDatabase.CreateAsync(nameof(MigrationRunnerTests));
        _dataSource = NpgsqlDataSource.Create(_connectionString);
    }

    [Fact]
    public async Task ApplyAsync_FreshDatabase_AppliesAllInOrderThenNothing()
    {
        var runner = new MigrationRunner(_dataSource, NullLogger<MigrationRunner>.Instance);
        Assert.Equal(MigrationRunner.All.Select(m => m.Version), await runner.PendingAsync(TestContext.Current.CancellationToken));

        Assert.Equal(MigrationRunner.All.Count, await runner.ApplyAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await runner.ApplyAsync(TestContext.Current.CancellationToken));

        Assert.Empty(await runner.PendingAsync(TestContext.Current.CancellationToken));
        await using var command = _dataSource.CreateCommand(
            "SELECT string_agg(extname, ',' ORDER BY extname) FROM pg_extension WHERE extname IN ('vector', 'pg_trgm', 'unaccent')");
        Assert.Equal("pg_trgm,unaccent,vector", await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ApplyAsync_ManyHostsAtOnce_AppliesEachMigrationOnce()
    {
        var runners = Enumerable.Range(0, 4).Select(_ => new MigrationRunner(_dataSource, NullLogger<MigrationRunner>.Instance));

        var applied = await Task.WhenAll(runners.Select(r => r.ApplyAsync(TestContext.Current.CancellationToken)));

        Assert.Equal(MigrationRunner.All.Count, applied.Sum());
    }

    [Fact]
    public async Task ApplyAsync_AppliedMigrationEdited_RefusesToStart()
    {
        var runner = new MigrationRunner(_dataSource, NullLogger<MigrationRunner>.Instance);
        await runner.ApplyAsync(TestContext.Current.CancellationToken);
        await using (var tamper = _dataSource.CreateCommand("UPDATE schema_migrations SET checksum = 'edited' WHERE version = '0001'"))
        {
            await tamper.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => runner.ApplyAsync(TestContext.Current.CancellationToken));

        Assert.Contains("0001_initial", error.Message);
    }

    [Fact]
    public void All_EveryTenantTable_HasAnIndexedMerchantId()
    {
        var sql = string.Join('\n', MigrationRunner.All.Select(m => m.Sql));
        var tables = System.Text.RegularExpressions.Regex.Matches(sql, @"CREATE TABLE (\w+) \(([^;]*)\);")
            .Select(m => (Name: m.Groups[1].Value, Body: m.Groups[2].Value))
            // Not tenant data: the tenants themselves, and the hosts' shared Data Protection key ring.
            .Where(t => t.Name is not ("merchants" or "data_protection_keys"))
            .ToList();

        Assert.NotEmpty(tables);
        Assert.All(tables, t =>
        {
            Assert.Contains("merchant_id", t.Body);
            Assert.Matches($@"(CREATE (UNIQUE )?INDEX \w+ ON {t.Name} \(merchant_id)|(CREATE TABLE {t.Name} \([^;]*PRIMARY KEY \(merchant_id)", sql);
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await TestDatabase.DropAsync(_connectionString);
    }
}
