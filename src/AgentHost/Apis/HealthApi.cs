using Agents.Data.Migrations;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Agents.AgentHost.Apis;

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        // live: the process answers. ready: the database answers and the schema is current.
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        return app;
    }
}

public sealed class DatabaseReadyCheck(MigrationRunner migrations) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var pending = await migrations.PendingAsync(cancellationToken);
            return pending.Count == 0
                ? HealthCheckResult.Healthy($"{MigrationRunner.All.Count} migrations applied")
                : HealthCheckResult.Unhealthy($"Pending migrations: {string.Join(", ", pending)}");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", e);
        }
    }
}
