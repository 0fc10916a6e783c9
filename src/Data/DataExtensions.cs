using Agents.Data.Migrations;
using Agents.Data.Provisioning;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Agents.Data;

public static class DataExtensions
{
    /// <summary>
    /// Registers the database: with <c>ConnectionStrings:Agents</c> it uses that database as is;
    /// without one it provisions a local cluster first (see <see cref="LocalPostgres"/>).
    /// Migrations are applied by a hosted service before the host starts serving.
    /// </summary>
    public static async Task AddAgentsDataAsync(this IHostApplicationBuilder builder, CancellationToken cancellationToken = default)
    {
        var connectionString = builder.Configuration.GetConnectionString("Agents");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var options = LocalOptions(builder.Configuration, builder.Environment.ContentRootPath);
            var result = await LocalPostgres.EnsureAsync(options, line => Console.WriteLine($"[postgres] {line}"), cancellationToken);
            connectionString = result.ConnectionString;
        }

        var dataSource = new NpgsqlDataSourceBuilder(connectionString) { Name = "agents" }.Build();
        builder.Services.AddSingleton(dataSource);
        builder.Services.AddScoped<TenantContext>();
        builder.Services.AddDbContext<AgentsDbContext>(o => o.UseNpgsql(dataSource));
        builder.Services.AddSingleton<MigrationRunner>();
        builder.Services.AddHostedService<MigrateOnStart>();
    }

    public static LocalPostgresOptions LocalOptions(IConfiguration configuration, string startDirectory)
    {
        var section = configuration.GetSection("Database");
        return new LocalPostgresOptions
        {
            RootDirectory = section["DataDirectory"] is { Length: > 0 } configured
                ? Path.GetFullPath(configured)
                : DefaultDataDirectory(startDirectory),
            Port = section.GetValue<int?>("Port"),
            Database = section["Name"] is { Length: > 0 } name ? name : "agents",
        };
    }

    /// <summary>The git-ignored <c>.data/</c> beside Agents.sln, or a per-user folder outside a checkout.</summary>
    public static string DefaultDataDirectory(string startDirectory)
    {
        for (var directory = new DirectoryInfo(startDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Agents.sln")))
            {
                return Path.Combine(directory.FullName, ".data");
            }
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "agents");
    }

    private sealed class MigrateOnStart(MigrationRunner runner, ILogger<MigrateOnStart> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var applied = await runner.ApplyAsync(cancellationToken);
            logger.LogInformation("Database schema up to date ({Applied} migration(s) applied now, {Total} in all)", applied, MigrationRunner.All.Count);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
