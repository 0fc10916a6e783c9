using Agents.Data.Provisioning;
using Microsoft.Extensions.Configuration;

namespace Agents.Tests.Shared;

/// <summary>
/// One real PostgreSQL for the whole run (the provisioned local cluster, or the server named by
/// ConnectionStrings__Agents), and one throw-away database per test class so classes run in parallel.
/// </summary>
public static class TestDatabase
{
    private static readonly Lazy<Task<string>> Server = new(() => ScratchDatabase.ResolveServerAsync(
        new ConfigurationBuilder().AddEnvironmentVariables().Build(), AppContext.BaseDirectory, line => Console.WriteLine($"[postgres] {line}")));

    public static async Task<string> CreateAsync(string hint) => await ScratchDatabase.CreateAsync(await Server.Value, "t", hint);

    public static async Task DropAsync(string connectionString)
    {
        if (string.IsNullOrEmpty(connectionString))
        {
            return; // the class never got its database
        }

        await ScratchDatabase.DropAsync(await Server.Value, connectionString);
    }
}
