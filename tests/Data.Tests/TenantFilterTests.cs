using Agents.Data.Entities;
using Agents.Data.Migrations;
using Agents.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Agents.Data.Tests;

public sealed class TenantFilterTests : IAsyncLifetime
{
    private string _connectionString = "";
    private readonly Merchant _a = new() { Name = "A", Slug = "tenant-a" };
    private readonly Merchant _b = new() { Name = "B", Slug = "tenant-b" };

    public async ValueTask InitializeAsync()
    {
        _connectionString = await TestDatabase.CreateAsync(nameof(TenantFilterTests));
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync();
        await using var db = Context(null);
        db.Merchants.AddRange(_a, _b);
        db.Customers.AddRange(
            new Customer { MerchantId = _a.Id, Email = "anna@example.com" },
            new Customer { MerchantId = _b.Id, Email = "bruno@example.com" },
            new Customer { MerchantId = _b.Id, Email = "bea@example.com" });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Queries_WithATenant_SeeOnlyThatMerchantsRows()
    {
        await using var a = Context(_a.Id);
        await using var b = Context(_b.Id);

        Assert.Equal(["anna@example.com"], await a.Customers.Select(c => c.Email).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(2, await b.Customers.CountAsync(TestContext.Current.CancellationToken));
        var annaId = await a.Customers.Select(c => c.Id).SingleAsync(TestContext.Current.CancellationToken);
        Assert.Null(await b.Customers.FirstOrDefaultAsync(c => c.Id == annaId, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Queries_WithoutATenant_SeeNoTenantRows()
    {
        await using var none = Context(null);

        Assert.Equal(0, await none.Customers.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(3, await none.Customers.IgnoreQueryFilters().CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task SaveChanges_NewRowWithoutMerchant_GetsTheScopesMerchant()
    {
        await using var a = Context(_a.Id);
        var customer = new Customer { Phone = "+393330000001" };
        a.Customers.Add(customer);
        await a.SaveChangesAsync(TestContext.Current.CancellationToken);

        Assert.Equal(_a.Id, customer.MerchantId);
        Assert.NotEqual(default, customer.CreatedAt);
    }

    [Theory]
    [InlineData("MerchantId", "merchant_id")]
    [InlineData("LastUsedAt", "last_used_at")]
    [InlineData("Id", "id")]
    [InlineData("HTTPStatus", "http_status")]
    public void ToSnakeCase_PascalCase_BecomesSnakeCase(string name, string expected) =>
        Assert.Equal(expected, AgentsDbContext.ToSnakeCase(name));

    private AgentsDbContext Context(Guid? merchantId)
    {
        var tenant = new TenantContext();
        if (merchantId is { } id)
        {
            tenant.Set(id);
        }

        return new AgentsDbContext(new DbContextOptionsBuilder<AgentsDbContext>().UseNpgsql(_connectionString).Options, tenant);
    }

    public async ValueTask DisposeAsync() => await TestDatabase.DropAsync(_connectionString);
}
