using Agents.AgentHost;
using Agents.Data.Provisioning;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Agents.Evals.Tests.EndToEnd;

/// <summary>A deployment for the http target: the real host on a loopback port over its own database, with the demo shop and a known key.</summary>
public sealed class RunningHost : IAsyncLifetime
{
    public const string SecretKey = "sk_test_evalhttptarget0123456789abcdefghijklmnopqrs";
    private WebApplication? _app;
    private string _database = "";

    public Uri Address { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await Agents.Tests.Shared.TestDatabase.CreateAsync("evalhttp");
        (_app, Address) = await AgentHostApp.StartOnLoopbackAsync(builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Agents"] = _database,
                ["Demo:Enabled"] = "true",
                ["Demo:SecretKey"] = SecretKey,
                ["Channels:Workers:Enabled"] = "false",
            });
            builder.Logging.ClearProviders();
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        await Agents.Tests.Shared.TestDatabase.DropAsync(_database);
    }
}
